import type { WooLineItem, WooOrder, WooRefundRef } from '../types.ts'
import { formatMinor, minorToMajor } from './amounts.ts'
import { VARIANT_CUMULATIVE, VARIANTS } from './catalogue.ts'
import { wooDate } from './dates.ts'
import { customerProfile, guestProfile, type Profile, shippingOf } from './people.ts'
import { BASE62, cumulativeWeights, HEX, Rng, STREAMS } from './random.ts'
import type { Timeline } from './timeline.ts'

/**
 * Builds one order's REST JSON (providers.md §2.6) from what the dataset keeps about it (id, created
 * time, buyer, timeline) plus draws from the order's own stream. Amounts are integer minor units
 * until formatted, so every order adds up exactly:
 *   Σ line subtotal − discount_total = Σ line total
 *   Σ line total + shipping_total + total_tax = total,  total_tax = cart_tax + shipping_tax
 */

export interface OrderFacts {
  readonly id: number
  readonly createdSec: number
  /** > 0 a registered customer's id; ≤ 0 a guest, −guestIndex. */
  readonly buyer: number
  readonly timeline: Timeline
}

export interface FactoryOptions {
  readonly seed: number
  readonly siteOffsetMinutes: number
}

const ITEM_COUNT_CUMULATIVE = cumulativeWeights([45, 28, 15, 8, 4])
const QUANTITY_CUMULATIVE = cumulativeWeights([75, 18, 5, 2])
const CUSTOMER_NOTES = [
  'Please leave the parcel at the door 🚪',
  "Gift — please don't include the receipt",
  'Bitte beim Nachbarn abgeben',
  '配達前に電話してください',
  'Ring twice, the bell is "temperamental".',
]
const PARTIAL_REFUND_REASONS = ['Damaged item', 'Missing item', 'Late delivery goodwill', '']
const FULL_REFUND_REASONS = ['Customer changed their mind', 'Item arrived damaged', 'Order cancelled by customer', '']
const SOURCES = ['typein', 'organic', 'utm', 'referral']
/** WooCommerce 9.5 shipped in December 2024; older orders were placed under 9.4. */
const NEWER_VERSION_FROM_SEC = Date.UTC(2024, 11, 16) / 1000

/** Where line item, meta and refund ids of order N live: unique per order, never an order id. */
export const lineItemId = (orderId: number, index: number) => orderId * 8 + index
export const metaId = (orderId: number, index: number) => orderId * 8 + 5 + index
export const refundId = (orderId: number, index: number) => 100_000_000 + orderId * 16 + index

export function buildOrder(options: FactoryOptions, facts: OrderFacts): WooOrder {
  const { seed, siteOffsetMinutes: offset } = options
  const { id, createdSec, buyer, timeline } = facts
  const rng = Rng.of(seed, id, STREAMS.orderShape)
  const person: Profile = buyer > 0 ? customerProfile(seed, buyer) : guestProfile(seed, -buyer)
  const currency = person.country.currency
  const taxRate = person.region.taxRate
  const createdVia = rng.next() < 0.95 ? 'checkout' : rng.chance(0.6) ? 'admin' : 'rest-api'

  const itemCount = rng.pickWeighted([1, 2, 3, 4, 5], ITEM_COUNT_CUMULATIVE)
  const couponPercent = rng.chance(0.12) ? rng.pick([10, 15]) : 0
  const lines: WooLineItem[] = []
  let itemsTotal = 0
  let cartTax = 0
  let discount = 0
  let discountTax = 0
  for (let index = 0; index < itemCount; index++) {
    const variant = rng.pickWeighted(VARIANTS, VARIANT_CUMULATIVE)
    const quantity = rng.pickWeighted([1, 2, 3, 4], QUANTITY_CUMULATIVE)
    const subtotal = unitPrice(variant.priceCents, currency) * quantity
    const total = subtotal - Math.round((subtotal * couponPercent) / 100)
    const subtotalTax = Math.round(subtotal * taxRate)
    const totalTax = Math.round(total * taxRate)
    itemsTotal += total
    cartTax += totalTax
    discount += subtotal - total
    discountTax += subtotalTax - totalTax
    lines.push({
      id: lineItemId(id, index),
      name: variant.name,
      product_id: variant.productId,
      variation_id: variant.variationId,
      quantity,
      tax_class: '',
      subtotal: formatMinor(subtotal, currency),
      subtotal_tax: formatMinor(subtotalTax, currency),
      total: formatMinor(total, currency),
      total_tax: formatMinor(totalTax, currency),
      sku: variant.sku,
      // Woo divides the line total by the quantity in floating point (providers.md §2.6: a number).
      price: minorToMajor(total, currency) / quantity,
    })
  }
  const shipping = shippingFor(itemsTotal, currency)
  // VAT applies to shipping in the EU and Japan; US sales tax on shipping is left out.
  const shippingTax = currency === 'USD' ? 0 : Math.round(shipping * taxRate)
  const totalTax = cartTax + shippingTax
  const orderTotal = itemsTotal + shipping + totalTax

  const gateway = timeline.payment === 'bank' ? 'bacs' : rng.chance(0.65) ? 'stripe' : 'ppcp-gateway'
  const orderKey = `wc_order_${rng.token(13, BASE62)}`
  const cartHash = createdVia === 'checkout' ? rng.token(32, HEX) : ''
  const transactionId =
    timeline.paidSec === null || gateway === 'bacs'
      ? ''
      : gateway === 'stripe'
        ? `pi_${rng.token(24, BASE62)}`
        : rng.token(17, '0123456789ABCDEFGHJKLMNPRSTUVWXYZ')
  const note = rng.chance(0.03) ? rng.pick(CUSTOMER_NOTES) : ''
  const source = rng.pick(SOURCES)
  const device = rng.chance(0.62) ? 'Mobile' : 'Desktop'
  const refundReason = timeline.refund?.share === 1 ? rng.pick(FULL_REFUND_REASONS) : rng.pick(PARTIAL_REFUND_REASONS)

  const refunds: WooRefundRef[] = []
  if (timeline.refund) {
    refunds.push({
      id: refundId(id, 0),
      reason: refundReason,
      total: `-${formatMinor(refundAmount(orderTotal, timeline.refund.share), currency)}`,
    })
  }

  const localDate = (sec: number | null) => (sec === null ? null : wooDate(sec, offset))
  const gmtDate = (sec: number | null) => (sec === null ? null : wooDate(sec))
  const billing = person.address
  return {
    id,
    parent_id: 0,
    status: timeline.status,
    currency,
    version: createdSec < NEWER_VERSION_FROM_SEC ? '9.4.3' : '9.8.5',
    prices_include_tax: false,
    date_created: wooDate(createdSec, offset),
    date_modified: wooDate(timeline.modifiedSec, offset),
    discount_total: formatMinor(discount, currency),
    discount_tax: formatMinor(discountTax, currency),
    shipping_total: formatMinor(shipping, currency),
    shipping_tax: formatMinor(shippingTax, currency),
    cart_tax: formatMinor(cartTax, currency),
    total: formatMinor(orderTotal, currency),
    total_tax: formatMinor(totalTax, currency),
    customer_id: Math.max(buyer, 0),
    order_key: orderKey,
    billing,
    shipping: shippingOf(billing),
    payment_method: gateway,
    payment_method_title: GATEWAY_TITLES[gateway]!,
    transaction_id: transactionId,
    created_via: createdVia,
    customer_note: note,
    date_completed: localDate(timeline.completedSec),
    date_paid: localDate(timeline.paidSec),
    cart_hash: cartHash,
    number: String(id),
    meta_data:
      createdVia === 'checkout'
        ? [
            { id: metaId(id, 0), key: '_wc_order_attribution_source_type', value: source },
            { id: metaId(id, 1), key: '_wc_order_attribution_device_type', value: device },
          ]
        : [],
    line_items: lines,
    refunds,
    date_created_gmt: wooDate(createdSec),
    date_modified_gmt: wooDate(timeline.modifiedSec),
    date_completed_gmt: gmtDate(timeline.completedSec),
    date_paid_gmt: gmtDate(timeline.paidSec),
  }
}

export const GATEWAY_TITLES: Readonly<Record<string, string>> = {
  stripe: 'Credit Card (Stripe)',
  'ppcp-gateway': 'PayPal',
  bacs: 'Direct bank transfer',
}

/** Catalogue prices are USD cents; EUR at 0.92, JPY at 150 yen to the dollar (whole yen). */
function unitPrice(usdCents: number, currency: string): number {
  if (currency === 'EUR') return Math.round(usdCents * 0.92)
  if (currency === 'JPY') return Math.round(usdCents * 1.5)
  return usdCents
}

/** Flat shipping, free above a threshold. */
function shippingFor(itemsTotal: number, currency: string): number {
  if (currency === 'JPY') return itemsTotal >= 10_000 ? 0 : 800
  if (currency === 'EUR') return itemsTotal >= 7000 ? 0 : 890
  return itemsTotal >= 7500 ? 0 : 1000
}

/** A refund of `share` of the total, at least one minor unit and, when partial, less than all of it. */
export function refundAmount(total: number, share: number): number {
  if (share >= 1) return total
  return Math.min(Math.max(1, Math.round(total * share)), Math.max(1, total - 1))
}
