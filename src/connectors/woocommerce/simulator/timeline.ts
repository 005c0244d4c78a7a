import type { WooOrderStatus } from '../types.ts'
import { DAY, HOUR } from './dates.ts'
import { Rng, STREAMS } from './random.ts'

/**
 * An order's life: each order gets a destiny (paid by card and completed, abandoned and cancelled,
 * paid by bank transfer after days on hold, refunded later…) with event times drawn from its own
 * stream, and only the events up to the simulator's start ("cut") have happened. So recent orders
 * are naturally still pending or processing and old ones completed, and date_modified is the
 * time of the last event that happened. providers.md §2.6 gives the status meanings.
 */

export type PaymentPath = 'card' | 'bank'

export interface Refund {
  readonly sec: number
  /** Share of the order total refunded: 1 for a full refund. */
  readonly share: number
}

export interface Timeline {
  readonly status: WooOrderStatus
  readonly modifiedSec: number
  readonly paidSec: number | null
  readonly completedSec: number | null
  readonly refund: Refund | null
  readonly payment: PaymentPath
}

/** Statuses an order can be created with that a `status=any` list leaves out. */
export type HiddenStatus = 'trash' | 'checkout-draft'

interface Step {
  readonly sec: number
  readonly status: WooOrderStatus
  readonly paid?: boolean
  readonly completed?: boolean
  readonly refundShare?: number
}

export function planTimeline(
  seed: number,
  id: number,
  createdSec: number,
  cutSec: number,
  hidden: HiddenStatus | null,
): Timeline {
  const rng = Rng.of(seed, id, STREAMS.orderTimeline)
  if (hidden === 'checkout-draft') {
    return {
      status: 'checkout-draft',
      modifiedSec: createdSec,
      paidSec: null,
      completedSec: null,
      refund: null,
      payment: 'card',
    }
  }
  if (hidden === 'trash') {
    // A failed or abandoned order the merchant cleaned up later.
    const trashedSec = Math.max(createdSec, Math.min(createdSec + rng.between(DAY, 30 * DAY), cutSec))
    return {
      status: 'trash',
      modifiedSec: trashedSec,
      paidSec: null,
      completedSec: null,
      refund: null,
      payment: 'card',
    }
  }
  const { steps, payment } = destiny(rng, createdSec)
  let status: WooOrderStatus = 'pending'
  let modifiedSec = createdSec
  let paidSec: number | null = null
  let completedSec: number | null = null
  let refund: Refund | null = null
  for (const step of steps) {
    if (step.sec > cutSec) break
    status = step.status
    modifiedSec = step.sec
    if (step.paid) paidSec = step.sec
    if (step.completed) completedSec = step.sec
    if (step.refundShare !== undefined) refund = { sec: step.sec, share: step.refundShare }
  }
  return { status, modifiedSec, paidSec, completedSec, refund, payment }
}

/** Every event an order will go through, drawn up front so the draws never depend on the cut. */
function destiny(rng: Rng, created: number): { steps: Step[]; payment: PaymentPath } {
  const roll = rng.next()
  const later = (from: number, min: number, max: number) => from + rng.between(min, max)
  const gateway = later(created, 5, 180)
  if (roll < 0.03) return { payment: 'card', steps: [{ sec: later(created, 30, 600), status: 'failed' }] }
  if (roll < 0.09) {
    // Unpaid orders are cancelled when the held stock times out (60 minutes by default) or later by hand.
    return { payment: 'card', steps: [{ sec: later(created, HOUR, 2 * DAY), status: 'cancelled' }] }
  }
  if (roll < 0.105) return { payment: 'bank', steps: [{ sec: created + rng.between(0, 2), status: 'pending' }] }
  if (roll < 0.165) {
    const held = created + rng.between(0, 2)
    const paid = later(held, 6 * HOUR, 3 * DAY)
    const steps: Step[] = [
      { sec: held, status: 'on-hold' },
      { sec: paid, status: 'processing', paid: true },
    ]
    return { payment: 'bank', steps: [...steps, ...fulfilment(rng, paid)] }
  }
  return { payment: 'card', steps: [{ sec: gateway, status: 'processing', paid: true }, ...fulfilment(rng, gateway)] }
}

/** After payment: completed (sometimes refunded, wholly or partly, later), rarely cancelled or stuck. */
function fulfilment(rng: Rng, paid: number): Step[] {
  const roll = rng.next()
  const completedAt = paid + rng.between(2 * HOUR, 5 * DAY)
  const refundRoll = rng.next()
  const refundAt = completedAt + rng.between(DAY, 20 * DAY)
  const share = 0.1 + Math.round(rng.next() * 40) / 100
  if (roll < 0.03) return []
  if (roll < 0.045) return [{ sec: paid + rng.between(HOUR, DAY), status: 'cancelled' }]
  const completed: Step = { sec: completedAt, status: 'completed', completed: true }
  if (refundRoll < 0.04) return [completed, { sec: refundAt, status: 'refunded', refundShare: 1 }]
  if (refundRoll < 0.09) return [completed, { sec: refundAt, status: 'completed', refundShare: share }]
  return [completed]
}

/** An order placed just now (createOrders): paid at once by card, waiting for payment or on hold. */
export function freshTimeline(rng: Rng, createdSec: number): Timeline {
  const roll = rng.next()
  const base = { modifiedSec: createdSec, completedSec: null, refund: null }
  if (roll < 0.7) return { ...base, status: 'processing', paidSec: createdSec, payment: 'card' }
  if (roll < 0.9) return { ...base, status: 'pending', paidSec: null, payment: 'card' }
  return { ...base, status: 'on-hold', paidSec: null, payment: 'bank' }
}
