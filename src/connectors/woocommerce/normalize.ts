import type { Customer, Order, OrderLine } from '../../domain/entities.ts'
import { NormalizeError } from '../../domain/errors.ts'
import { toMinorUnits } from '../../domain/money.ts'
import type { FinancialStatus, OrderStatus } from '../../domain/statuses.ts'
import { parseProviderTime } from '../../domain/time.ts'
import type { WooCustomer, WooOrder } from './types.ts'

/** WooCommerce order status → normalized order and financial status (providers.md §7.1). */
const KNOWN_STATUSES: Readonly<Record<string, { status: OrderStatus; financial: FinancialStatus }>> = {
  pending: { status: 'pending', financial: 'pending' },
  processing: { status: 'processing', financial: 'paid' },
  'on-hold': { status: 'on_hold', financial: 'pending' },
  completed: { status: 'completed', financial: 'paid' },
  // Financial becomes `paid` instead when the order had been paid (see financialOf).
  cancelled: { status: 'cancelled', financial: 'voided' },
  refunded: { status: 'refunded', financial: 'refunded' },
  failed: { status: 'failed', financial: 'failed' },
}

let warn: (message: string) => void = (message) => process.emitWarning(message, { code: 'TRIBUTARY_UNMAPPED_STATUS' })
const warnedStatuses = new Set<string>()

/** Where "unmapped status" notices go (once per value per process). Returns a function restoring the old sink. */
export function setWarningSink(sink: (message: string) => void): () => void {
  const previous = warn
  warn = sink
  return () => {
    warn = previous
  }
}

export function wooOrderExternalId(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id
  return (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^\d+$/.test(id))
    ? String(id)
    : null
}

/** A WooCommerce order (REST v3 JSON, providers.md §2.6) as a domain Order. Pure. */
export function normalizeWooOrder(raw: WooOrder): Order {
  const order = requireObject(raw, 'order')
  const externalId = wooOrderExternalId(order)
  if (externalId === null)
    throw new NormalizeError('id', `expected a positive integer, got ${JSON.stringify(order.id)}`)
  const providerStatus = requireString(order.status, 'status')
  if (providerStatus === 'checkout-draft') {
    // Not an order yet (providers.md §2.6); the orders stream skips these.
    throw new NormalizeError('status', 'checkout-draft is a cart in checkout, not an order; it is not synced')
  }
  const currency = requireString(order.currency, 'currency').toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency))
    throw new NormalizeError('currency', `expected an ISO 4217 code, got ${JSON.stringify(order.currency)}`)

  const money = (value: unknown, field: string) => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new NormalizeError(field, `expected a decimal amount, got ${JSON.stringify(value)}`)
    }
    return toMinorUnits(value, currency, field)
  }
  const totalMinor = money(order.total, 'total')
  const lines = requireArray(order.line_items, 'line_items').map((line, index) => normalizeLine(line, index, money))
  const refunds = order.refunds === undefined || order.refunds === null ? [] : requireArray(order.refunds, 'refunds')
  // Refund totals are negative decimal strings ("-10.00").
  const refundedMinor = refunds.reduce<number>(
    (sum, refund, index) => sum + Math.abs(money((refund as { total?: unknown })?.total, `refunds[${index}].total`)),
    0,
  )

  const updatedAt = requireTime(order.date_modified_gmt, 'date_modified_gmt')
  const paidAt = optionalTime(order.date_paid_gmt, 'date_paid_gmt')
  const { status, financial } = statusesOf(order, providerStatus, paidAt !== null, refundedMinor, totalMinor)
  const billing = (order.billing ?? {}) as Partial<WooOrder['billing']>
  const customerId = order.customer_id
  if (customerId !== undefined && customerId !== null && !(typeof customerId === 'number' && customerId >= 0)) {
    throw new NormalizeError('customer_id', `expected a non-negative integer, got ${JSON.stringify(customerId)}`)
  }

  return {
    externalId,
    number: nonEmpty(order.number),
    status,
    financialStatus: financial,
    providerStatus,
    currency,
    totalMinor,
    subtotalMinor: lines.reduce((sum, line) => sum + line.subtotalMinor, 0),
    taxMinor: money(order.total_tax ?? '0', 'total_tax'),
    shippingMinor: money(order.shipping_total ?? '0', 'shipping_total'),
    discountMinor: money(order.discount_total ?? '0', 'discount_total'),
    refundedMinor,
    // customer_id 0 is a guest checkout: the billing email is all that identifies the buyer.
    customerExternalId: customerId ? String(customerId) : null,
    customerEmail: nonEmpty(billing.email),
    customerName: nonEmpty([billing.first_name, billing.last_name].filter(Boolean).join(' ').trim()),
    createdAt: requireTime(order.date_created_gmt, 'date_created_gmt'),
    updatedAt,
    paidAt,
    completedAt: optionalTime(order.date_completed_gmt, 'date_completed_gmt'),
    // Trash is a soft delete that bumps date_modified: the tombstone's time (providers.md §7.1).
    deletedAt: providerStatus === 'trash' ? updatedAt : null,
    lines: lines.map(({ subtotalMinor: _, ...line }) => line),
  }
}

function normalizeLine(
  raw: unknown,
  index: number,
  money: (value: unknown, field: string) => number,
): OrderLine & { subtotalMinor: number } {
  const field = (name: string) => `line_items[${index}].${name}`
  const line = requireObject(raw, field('')) as Partial<WooOrder['line_items'][number]>
  if (typeof line.id !== 'number')
    throw new NormalizeError(field('id'), `expected a number, got ${JSON.stringify(line.id)}`)
  if (typeof line.quantity !== 'number' || !Number.isFinite(line.quantity)) {
    throw new NormalizeError(field('quantity'), `expected a number, got ${JSON.stringify(line.quantity)}`)
  }
  return {
    externalId: String(line.id),
    productExternalId: line.product_id ? String(line.product_id) : null,
    variantExternalId: line.variation_id ? String(line.variation_id) : null,
    sku: nonEmpty(line.sku),
    name: nonEmpty(line.name),
    quantity: line.quantity,
    // `price` is a JSON number, unlike the string totals (providers.md §2.6).
    unitPriceMinor: money(line.price, field('price')),
    totalMinor: money(line.total, field('total')),
    subtotalMinor: money(line.subtotal ?? line.total, field('subtotal')),
  }
}

/**
 * providers.md §7.1: the status word decides, a cancelled order that had been paid is `paid`,
 * refunds below the total make it `partially_refunded`. Words we do not know keep their raw value
 * and follow the payment: `processing` when paid, else `pending`.
 */
function statusesOf(
  order: WooOrder,
  providerStatus: string,
  paid: boolean,
  refundedMinor: number,
  totalMinor: number,
): { status: OrderStatus; financial: FinancialStatus } {
  const known =
    KNOWN_STATUSES[providerStatus] ??
    (providerStatus === 'trash' ? KNOWN_STATUSES[trashedFrom(order) ?? ''] : undefined)
  let status: OrderStatus
  let financial: FinancialStatus
  if (known) {
    status = known.status
    financial = providerStatus === 'cancelled' && paid ? 'paid' : known.financial
  } else {
    if (providerStatus !== 'trash' && !warnedStatuses.has(providerStatus)) {
      warnedStatuses.add(providerStatus)
      warn(
        `woocommerce order status "${providerStatus}" is not mapped; kept as providerStatus and treated as ${paid ? 'processing' : 'pending'}`,
      )
    }
    financial = paid ? 'paid' : 'pending'
    status = paid ? 'processing' : 'pending'
  }
  if (refundedMinor > 0 && financial !== 'refunded') {
    financial = refundedMinor >= totalMinor ? 'refunded' : 'partially_refunded'
  }
  return { status, financial }
}

/** The status an order had before it was trashed, when the store exposes WordPress's trash meta. */
function trashedFrom(order: WooOrder): string | undefined {
  const meta = Array.isArray(order.meta_data)
    ? order.meta_data.find((m) => m?.key === '_wp_trash_meta_status')
    : undefined
  const value = typeof meta?.value === 'string' ? meta.value.replace(/^wc-/, '') : undefined
  return value
}

/** A WooCommerce customer as a domain Customer. Pure. */
export function normalizeWooCustomer(raw: WooCustomer): Customer {
  const customer = requireObject(raw, 'customer')
  const externalId = wooOrderExternalId(customer)
  if (externalId === null)
    throw new NormalizeError('id', `expected a positive integer, got ${JSON.stringify(customer.id)}`)
  const billing = (customer.billing ?? {}) as Partial<WooCustomer['billing']>
  const createdAt = optionalTime(customer.date_created_gmt, 'date_created_gmt')
  return {
    externalId,
    email: nonEmpty(customer.email) ?? nonEmpty(billing.email),
    firstName: nonEmpty(customer.first_name) ?? nonEmpty(billing.first_name),
    lastName: nonEmpty(customer.last_name) ?? nonEmpty(billing.last_name),
    phone: nonEmpty(billing.phone),
    createdAt,
    // A customer never edited has no date_modified; its creation is its latest version.
    updatedAt: optionalTime(customer.date_modified_gmt, 'date_modified_gmt') ?? createdAt,
    deletedAt: null,
  }
}

function requireObject<T>(value: T, field: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new NormalizeError(field || 'record', `expected an object, got ${JSON.stringify(value)}`)
  }
  return value
}

function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new NormalizeError(field, `expected an array, got ${JSON.stringify(value)}`)
  return value
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new NormalizeError(field, `expected a non-empty string, got ${JSON.stringify(value)}`)
  return value
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** `*_gmt` fields are UTC without an offset (providers.md §2.6). */
function optionalTime(value: unknown, field: string): string | null {
  if (value !== null && value !== undefined && typeof value !== 'string') {
    throw new NormalizeError(field, `expected a time, got ${JSON.stringify(value)}`)
  }
  try {
    return parseProviderTime(value, true)
  } catch {
    throw new NormalizeError(field, `expected a time, got ${JSON.stringify(value)}`)
  }
}

function requireTime(value: unknown, field: string): string {
  const time = optionalTime(value, field)
  if (time === null) throw new NormalizeError(field, 'is missing')
  return time
}
