import { toMinorUnits } from '../../../domain/money.ts'
import type { WooOrder, WooOrderStatus } from '../types.ts'
import { formatMinor } from './amounts.ts'
import { wooDatePair } from './dates.ts'
import { metaId, refundAmount, refundId } from './order-factory.ts'
import { BASE62, type Rng } from './random.ts'

/**
 * How an order changes after the start: a status update through the API (providers.md §2.4) or a
 * merchant's edit (mutateOrders). Every change stamps date_modified(_gmt). Functions change the
 * order they are given and return it.
 */

/** Statuses a `PUT /orders/{id}` accepts: the registered order statuses, not the trash. */
export const SETTABLE_STATUSES: readonly WooOrderStatus[] = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
  'checkout-draft',
]

/** wc_get_is_paid_statuses(). */
const PAID_STATUSES: readonly WooOrderStatus[] = ['processing', 'completed']

const AUTO_REFUND_REASON =
  'Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.'
const PARTIAL_REFUND_REASONS = ['Damaged item', 'Missing item', 'Late delivery goodwill']

/**
 * Woo's status transition: completing stamps date_completed, a paid status stamps an empty
 * date_paid, setting `refunded` refunds whatever is left (wc_order_fully_refunded).
 */
export function setOrderStatus(order: WooOrder, status: WooOrderStatus, sec: number, offset: number): WooOrder {
  order.status = status
  if (status === 'completed') [order.date_completed, order.date_completed_gmt] = wooDatePair(sec, offset)
  if (PAID_STATUSES.includes(status) && order.date_paid_gmt === null) {
    ;[order.date_paid, order.date_paid_gmt] = wooDatePair(sec, offset)
  }
  if (status === 'refunded') {
    const left = toMinorUnits(order.total, order.currency) - refundedSoFar(order)
    if (left > 0) addRefund(order, left, AUTO_REFUND_REASON)
  }
  return touch(order, sec, offset)
}

/**
 * A merchant's edit: the status moves forward where it can (pending → processing/cancelled/failed,
 * on-hold → processing, processing → completed, failed → processing), a completed order may be
 * refunded in part or in full, and otherwise a tracking number is added.
 */
export function advanceOrder(order: WooOrder, rng: Rng, sec: number, offset: number): WooOrder {
  const roll = rng.next()
  switch (order.status) {
    case 'pending':
      return setOrderStatus(order, roll < 0.6 ? 'processing' : roll < 0.85 ? 'cancelled' : 'failed', sec, offset)
    case 'on-hold':
      return setOrderStatus(order, 'processing', sec, offset)
    case 'processing':
      return setOrderStatus(order, 'completed', sec, offset)
    case 'failed':
      return roll < 0.5 ? setOrderStatus(order, 'processing', sec, offset) : addTracking(order, rng, sec, offset)
    case 'completed':
      if (order.refunds.length === 0 && roll < 0.15) return setOrderStatus(order, 'refunded', sec, offset)
      if (order.refunds.length === 0 && roll < 0.4) {
        const total = toMinorUnits(order.total, order.currency)
        addRefund(order, refundAmount(total, 0.1 + rng.int(41) / 100), rng.pick(PARTIAL_REFUND_REASONS))
        return touch(order, sec, offset)
      }
      return addTracking(order, rng, sec, offset)
    default:
      return addTracking(order, rng, sec, offset)
  }
}

function addTracking(order: WooOrder, rng: Rng, sec: number, offset: number): WooOrder {
  const entry = { id: metaId(order.id, 2), key: '_tracking_number', value: `1Z${rng.token(16, BASE62).toUpperCase()}` }
  const existing = order.meta_data.findIndex((meta) => meta.key === '_tracking_number')
  if (existing >= 0) order.meta_data[existing] = entry
  else order.meta_data.push(entry)
  return touch(order, sec, offset)
}

function addRefund(order: WooOrder, amountMinor: number, reason: string): void {
  order.refunds.unshift({
    id: refundId(order.id, order.refunds.length),
    reason,
    total: `-${formatMinor(amountMinor, order.currency)}`,
  })
}

function refundedSoFar(order: WooOrder): number {
  return order.refunds.reduce((sum, refund) => sum - toMinorUnits(refund.total, order.currency), 0)
}

function touch(order: WooOrder, sec: number, offset: number): WooOrder {
  ;[order.date_modified, order.date_modified_gmt] = wooDatePair(sec, offset) as [string, string]
  return order
}
