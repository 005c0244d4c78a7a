import type { FinancialStatus, OrderStatus } from './statuses.ts'

/** Times are ISO 8601 UTC strings ending in `Z`; money is integer minor units of `currency`. */
export interface OrderLine {
  readonly externalId: string
  readonly productExternalId: string | null
  readonly variantExternalId: string | null
  readonly sku: string | null
  readonly name: string | null
  readonly quantity: number
  readonly unitPriceMinor: number
  readonly totalMinor: number
}

export interface Order {
  readonly externalId: string
  readonly number: string | null
  readonly status: OrderStatus
  readonly financialStatus: FinancialStatus
  /** The provider's own status word, kept for display and for unmapped values. */
  readonly providerStatus: string
  readonly currency: string
  readonly totalMinor: number
  readonly subtotalMinor: number
  readonly taxMinor: number
  readonly shippingMinor: number
  readonly discountMinor: number
  readonly refundedMinor: number
  readonly customerExternalId: string | null
  readonly customerEmail: string | null
  readonly customerName: string | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly paidAt: string | null
  readonly completedAt: string | null
  /** Set when the provider deleted or trashed the order; a tombstone the merge rule respects. */
  readonly deletedAt: string | null
  readonly lines: readonly OrderLine[]
}

export interface Customer {
  readonly externalId: string
  readonly email: string | null
  readonly firstName: string | null
  readonly lastName: string | null
  readonly phone: string | null
  readonly createdAt: string | null
  readonly updatedAt: string | null
  readonly deletedAt: string | null
}

/** What a stream's normalize produces for one provider record. */
export interface Normalized<Entity> {
  readonly entity: Entity
  /** The provider's JSON for this record, exactly as serialised for storage and hashing. */
  readonly rawJson: string
  /** Content hash of rawJson (see contentHash). */
  readonly hash: string
}

/** A record that could not be normalized: kept with its raw JSON and counted `failed`. */
export interface NormalizeFailure {
  readonly externalId: string | null
  readonly rawJson: string
  readonly error: string
}
