import { ProviderError, ValidationError } from '../../domain/errors.ts'
import type { ConnectorContext, StatusWriteResult } from '../connector.ts'
import { createWooClient } from './client.ts'
import type { WooOrder } from './types.ts'

/**
 * Order statuses a write may set (providers.md §2.4). Not `trash` (that is DELETE) and not
 * `checkout-draft` (not an order).
 */
export const WRITABLE_ORDER_STATUSES = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
] as const

/**
 * `PUT /orders/{id}` with `{"status"}`; WooCommerce answers with the whole order, which goes back
 * through the merge path. Setting the status it already has is a no-op there, so a retried write is
 * harmless.
 */
export async function setOrderStatus(
  context: ConnectorContext,
  externalId: string,
  status: string,
): Promise<StatusWriteResult> {
  if (!/^[1-9]\d*$/.test(externalId)) {
    throw new ValidationError(`"${externalId}" is not a WooCommerce order id (a positive integer)`, [
      { path: 'externalId', message: 'must be a positive integer' },
    ])
  }
  if (!(WRITABLE_ORDER_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError(
      `WooCommerce orders cannot be set to "${status}"; use one of ${WRITABLE_ORDER_STATUSES.join(', ')}`,
      [{ path: 'status', message: 'not a writable WooCommerce order status' }],
      'invalid_status',
    )
  }
  const raw = await createWooClient(context).put<WooOrder>(`orders/${externalId}`, { status }, 'orders.update')
  if (raw === null || typeof raw !== 'object' || String((raw as { id?: unknown }).id) !== externalId) {
    throw new ProviderError(
      'provider_bad_response',
      `woocommerce answered the status change of order ${externalId} without that order in the body — check the store's REST API for a plugin rewriting responses`,
      { provider: 'woocommerce', retryable: false },
    )
  }
  return { raw }
}
