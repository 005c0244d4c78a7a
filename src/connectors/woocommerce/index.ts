import { ValidationError } from '../../domain/errors.ts'
import type { Connector, ConnectorContext, Stream } from '../connector.ts'
import { setOrderStatus, WRITABLE_ORDER_STATUSES } from './actions.ts'
import { createWooClient, signWooRequest } from './client.ts'
import { normalizeWooCustomer, normalizeWooOrder, wooOrderExternalId } from './normalize.ts'
import { readCustomers, readOrders } from './streams.ts'
import type { WooCustomer, WooOrder } from './types.ts'

// The context is only touched when a read starts, so normalize() works without a connection.
function ordersStream(context: ConnectorContext): Stream<WooOrder, 'order'> {
  return {
    name: 'orders',
    entity: 'order',
    // date_modified_gmt, the modification time, is the cursor field (providers.md §7.2).
    incremental: true,
    // The trash listing is read too: `status=any` hides trashed orders (providers.md §2.2), so a
    // trash whose webhook was lost only shows there. Trashed orders are stored as tombstones
    // (deletedAt set), which order lists and counts leave out.
    read: (from, options) => readOrders(createWooClient(context), from, options, { includeTrash: true }),
    normalize: normalizeWooOrder,
    externalId: wooOrderExternalId,
  }
}

function customersStream(context: ConnectorContext): Stream<WooCustomer, 'customer'> {
  return {
    name: 'customers',
    entity: 'customer',
    // Customers cannot be filtered by modification time: every read is a full scan (providers.md §2.2).
    incremental: false,
    read: (from, options) => readCustomers(createWooClient(context), from, options),
    normalize: normalizeWooCustomer,
    externalId: wooOrderExternalId,
  }
}

/** WooCommerce REST API v3 (providers.md §2). */
export const woocommerceConnector: Connector = {
  provider: 'woocommerce',
  credentialFields: ['key', 'secret'],
  streams: ['orders', 'customers'],
  stream(context, name) {
    if (name === 'orders') return ordersStream(context)
    if (name === 'customers') return customersStream(context)
    throw new ValidationError(`woocommerce has no stream "${name}" (has orders, customers)`, [
      { path: 'stream', message: 'unknown stream' },
    ])
  },
  async testConnection(context) {
    await createWooClient(context).list('orders', { per_page: 1 }, 'orders.test')
  },
  writableOrderStatuses: WRITABLE_ORDER_STATUSES,
  setOrderStatus,
  signRequest: signWooRequest,
}
