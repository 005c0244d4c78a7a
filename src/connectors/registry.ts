import { ValidationError } from '../domain/errors.ts'
import type { ProviderName } from '../domain/statuses.ts'
import type { Connector, ConnectorRegistry } from './connector.ts'
import { woocommerceConnector } from './woocommerce/index.ts'

/** Every connector this build knows, by provider name. */
const CONNECTORS: ReadonlyMap<ProviderName, Connector> = new Map([['woocommerce', woocommerceConnector]])

export type { ConnectorRegistry }

export const connectorFor: ConnectorRegistry = (provider) => {
  const connector = CONNECTORS.get(provider)
  if (!connector) {
    throw new ValidationError(
      `provider "${provider}" is not supported yet; supported: ${[...CONNECTORS.keys()].join(', ')}`,
      [{ path: 'provider', message: 'unsupported provider' }],
      'unsupported_provider',
    )
  }
  return connector
}

export function supportedProviders(): ProviderName[] {
  return [...CONNECTORS.keys()]
}
