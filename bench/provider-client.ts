import type { ConnectorContext, Stream } from '../src/connectors/connector.ts'
import { connectorFor } from '../src/connectors/registry.ts'
import { defaultSettings } from '../src/engine/connections.ts'
import { ProviderContexts } from '../src/engine/provider-context.ts'
import type { ConnectionWithCredentials } from '../src/store/store.ts'

/**
 * The WooCommerce orders stream over the engine's own client path (ProviderContexts → ProviderHttp
 * with OAuth signing, timeouts and retries), for a simulator the bench started: what the sync reads
 * through, minus the store.
 */
export function ordersStream(
  endpoint: string,
  credentials: { key: string; secret: string },
): {
  stream: Stream
  context: ConnectorContext
} {
  const contexts = new ProviderContexts(connectorFor, { timeoutMs: 30_000, maxAttempts: 6 })
  const now = new Date().toISOString()
  const connection: ConnectionWithCredentials = {
    id: `bench-${process.pid}`,
    tenantId: 'bench',
    provider: 'woocommerce',
    name: 'bench',
    endpoint,
    settings: { ...defaultSettings('woocommerce', ['orders']), rateLimitPerSec: 0 },
    status: 'active',
    createdAt: now,
    updatedAt: now,
    credentials: { key: credentials.key, secret: credentials.secret },
  }
  const context = contexts.contextFor(connection)
  return { stream: connectorFor('woocommerce').stream(context, 'orders'), context }
}
