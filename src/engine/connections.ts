import type { ConnectorRegistry } from '../connectors/connector.ts'
import { type FieldError, ValidationError } from '../domain/errors.ts'
import type { ProviderName, StreamName } from '../domain/statuses.ts'
import type { ConnectionSettings, NewConnection } from '../store/store.ts'

/** Lookback per provider (providers.md §7.2): what an incremental read re-reads before its watermark. */
const DEFAULT_LOOKBACK_MS: Partial<Record<ProviderName, number>> = {
  woocommerce: 10 * 60_000,
  shopify: 5 * 60_000,
  shoplazza: 10 * 60_000,
  stripe: 5 * 60_000,
  paypal: 6 * 3_600_000,
}

export function defaultSettings(provider: ProviderName, streams: readonly StreamName[]): ConnectionSettings {
  return {
    streams,
    intervalMs: 30 * 60_000,
    lookbackMs: DEFAULT_LOOKBACK_MS[provider] ?? 10 * 60_000,
    backfillDays: 0,
    runOnStartup: true,
    rateLimitPerSec: 0,
  }
}

/** Checks a connection before it is stored: known provider, a usable URL, every credential field. */
export function validateNewConnection(connectors: ConnectorRegistry, input: NewConnection): NewConnection {
  const connector = connectors(input.provider)
  const errors: FieldError[] = []
  let endpoint = input.endpoint.trim().replace(/\/+$/, '')
  try {
    const url = new URL(endpoint)
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      errors.push({ path: 'endpoint', message: 'must be an http:// or https:// URL' })
    if (url.search || url.hash) errors.push({ path: 'endpoint', message: 'must not carry a query or fragment' })
    endpoint = url.origin + url.pathname.replace(/\/+$/, '')
  } catch {
    errors.push({
      path: 'endpoint',
      message: `"${input.endpoint}" is not a URL (expected e.g. https://shop.example.com)`,
    })
  }
  for (const field of connector.credentialFields) {
    if (!input.credentials[field]) errors.push({ path: `credentials.${field}`, message: 'is required' })
  }
  for (const stream of input.settings.streams) {
    if (!connector.streams.includes(stream)) {
      errors.push({
        path: 'settings.streams',
        message: `${input.provider} has no stream "${stream}" (has ${connector.streams.join(', ')})`,
      })
    }
  }
  if (errors.length > 0) {
    throw new ValidationError(
      `the connection is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    )
  }
  return { ...input, endpoint }
}
