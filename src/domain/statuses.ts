/** Normalized order status (providers.md §7.1). */
export const ORDER_STATUSES = [
  'pending',
  'processing',
  'on_hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Normalized financial status (providers.md §7.1). */
export const FINANCIAL_STATUSES = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
] as const
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number]

/** When several provider fields map to different order statuses, the first of this list wins. */
export const ORDER_STATUS_PRECEDENCE: readonly OrderStatus[] = [
  'cancelled',
  'refunded',
  'failed',
  'completed',
  'on_hold',
  'processing',
  'pending',
]

export function pickOrderStatus(candidates: readonly OrderStatus[]): OrderStatus {
  for (const status of ORDER_STATUS_PRECEDENCE) if (candidates.includes(status)) return status
  return 'pending'
}

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export function isTerminalRunStatus(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled' || status === 'dead'
}

export const RUN_TRIGGERS = ['scheduled', 'manual', 'webhook', 'startup', 'backfill'] as const
export type RunTrigger = (typeof RUN_TRIGGERS)[number]

export const PROVIDERS = ['woocommerce', 'shopify', 'shoplazza', 'stripe', 'paypal', 'mahak'] as const
export type ProviderName = (typeof PROVIDERS)[number]

export const STREAM_NAMES = ['orders', 'customers'] as const
export type StreamName = (typeof STREAM_NAMES)[number]
