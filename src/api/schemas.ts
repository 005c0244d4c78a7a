import { z } from 'zod'
import { formatMinorUnits } from '../domain/money.ts'
import type { ApiKey, Connection, StoredCustomer, StoredOrder, SyncRun, Tenant, User } from '../store/store.ts'

/** Response schemas (for the OpenAPI document) and the presenters that produce them. */

export const Id = z.string().min(1).max(64).describe('An id (UUID v7)')
export const IdParams = z.strictObject({ id: Id })

export const Money = z.object({
  minor: z.number().int().describe('integer minor units (cents, or yen for JPY)'),
  amount: z.string().describe('the same amount as a decimal string'),
  currency: z.string(),
})
export type MoneyJson = z.infer<typeof Money>

export function money(minor: number, currency: string): MoneyJson {
  return { minor, amount: formatMinorUnits(minor, currency), currency }
}

export const TenantJson = z.object({ id: z.string(), name: z.string(), createdAt: z.string() })
export const presentTenant = (tenant: Tenant) => ({ id: tenant.id, name: tenant.name, createdAt: tenant.createdAt })

export const UserJson = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  email: z.string(),
  role: z.enum(['admin', 'owner', 'member']),
  createdAt: z.string(),
})
export const presentUser = (user: User) => ({
  id: user.id,
  tenantId: user.tenantId,
  email: user.email,
  role: user.role,
  createdAt: user.createdAt,
})

export const ApiKeyJson = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'member']),
  prefix: z.string().describe('the first characters of the key, to recognise it'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export const presentApiKey = (key: ApiKey) => ({ ...key })

const OrderLineJson = z.object({
  externalId: z.string(),
  productExternalId: z.string().nullable(),
  variantExternalId: z.string().nullable(),
  sku: z.string().nullable(),
  name: z.string().nullable(),
  quantity: z.number(),
  unitPrice: Money,
  total: Money,
})

export const OrderJson = z.object({
  id: z.string(),
  connectionId: z.string(),
  externalId: z.string(),
  number: z.string().nullable(),
  status: z.string(),
  financialStatus: z.string(),
  providerStatus: z.string(),
  pendingStatus: z.string().nullable().describe('a status written back and not yet confirmed by the provider'),
  total: Money,
  subtotal: Money,
  tax: Money,
  shipping: Money,
  discount: Money,
  refunded: Money,
  customer: z.object({ externalId: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  paidAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  lines: z.array(OrderLineJson),
  firstSyncedAt: z.string(),
  lastSyncedAt: z.string(),
})

export function presentOrder(order: StoredOrder) {
  const c = order.currency
  return {
    id: order.id,
    connectionId: order.connectionId,
    externalId: order.externalId,
    number: order.number,
    status: order.status,
    financialStatus: order.financialStatus,
    providerStatus: order.providerStatus,
    pendingStatus: order.pendingStatus ?? null,
    total: money(order.totalMinor, c),
    subtotal: money(order.subtotalMinor, c),
    tax: money(order.taxMinor, c),
    shipping: money(order.shippingMinor, c),
    discount: money(order.discountMinor, c),
    refunded: money(order.refundedMinor, c),
    customer: { externalId: order.customerExternalId, email: order.customerEmail, name: order.customerName },
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    paidAt: order.paidAt,
    completedAt: order.completedAt,
    deletedAt: order.deletedAt,
    lines: order.lines.map((line) => ({
      externalId: line.externalId,
      productExternalId: line.productExternalId,
      variantExternalId: line.variantExternalId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor, c),
      total: money(line.totalMinor, c),
    })),
    firstSyncedAt: order.firstSyncedAt,
    lastSyncedAt: order.lastSyncedAt,
  }
}

export const CustomerJson = z.object({
  id: z.string(),
  connectionId: z.string(),
  externalId: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  firstSyncedAt: z.string(),
  lastSyncedAt: z.string(),
})

export function presentCustomer(customer: StoredCustomer) {
  return {
    id: customer.id,
    connectionId: customer.connectionId,
    externalId: customer.externalId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customer.phone,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    deletedAt: customer.deletedAt,
    firstSyncedAt: customer.firstSyncedAt,
    lastSyncedAt: customer.lastSyncedAt,
  }
}

export const ConnectionSettingsJson = z.object({
  streams: z.array(z.string()),
  intervalMs: z.number(),
  lookbackMs: z.number(),
  backfillDays: z.number(),
  runOnStartup: z.boolean(),
  rateLimitPerSec: z.number(),
})

export const ConnectionJson = z.object({
  id: z.string(),
  tenantId: z.string(),
  provider: z.string(),
  name: z.string(),
  endpoint: z.string(),
  settings: ConnectionSettingsJson,
  status: z.enum(['active', 'paused']),
  createdAt: z.string(),
  updatedAt: z.string(),
})

/** Credentials are write-only: a Connection carries none, and this copies field by field anyway. */
export function presentConnection(connection: Connection) {
  return {
    id: connection.id,
    tenantId: connection.tenantId,
    provider: connection.provider,
    name: connection.name,
    endpoint: connection.endpoint,
    settings: { ...connection.settings, streams: [...connection.settings.streams] },
    status: connection.status,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  }
}

export const RunJson = z.object({
  id: z.string(),
  connectionId: z.string(),
  stream: z.string(),
  trigger: z.string(),
  status: z.string(),
  attempt: z.number(),
  counters: z.object({
    pages: z.number(),
    fetched: z.number(),
    created: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    failed: z.number(),
  }),
  total: z.number().nullable(),
  progress: z.number().nullable().describe('fetched / total, 0..1, when the provider reports a total'),
  options: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
})

export function presentRun(run: SyncRun) {
  return {
    id: run.id,
    connectionId: run.connectionId,
    stream: run.stream,
    trigger: run.trigger,
    status: run.status,
    attempt: run.attempt,
    counters: { ...run.counters },
    total: run.total,
    progress: run.total ? Math.min(1, run.counters.fetched / run.total) : null,
    options: { ...run.options },
    error: run.error,
    errorCode: run.errorCode,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    heartbeatAt: run.heartbeatAt,
  }
}

/** Query values arrive as strings, or arrays when repeated; lists also accept commas. */
export function listParam<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== ''))
    .pipe(z.array(z.enum(values)))
}

export const IsoTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .describe('ISO 8601 date-time')
