import type { Customer, Order } from '../domain/entities.ts'
import type { ProviderName, StreamName } from '../domain/statuses.ts'

/** Where a stream's read stands. Saved in the same transaction as the page that produced it. */
export interface StreamCursor {
  /** Newest provider updated_at fully applied. An incremental read starts here minus the lookback. */
  readonly watermark: string | null
  /** Where an unfinished read resumes (page, keyset time, page_info). Opaque to the engine. */
  readonly resume: string | null
}

export const EMPTY_CURSOR: StreamCursor = Object.freeze({ watermark: null, resume: null })

export interface Page<Raw> {
  readonly records: readonly Raw[]
  /** The cursor to store once this page's records are applied. */
  readonly cursor: StreamCursor
  /** Provider-reported total for the whole read, when the provider says (X-WP-Total); for progress. */
  readonly total?: number | undefined
}

export interface ReadOptions {
  /** Read records changed at or after this time (already includes the lookback); null = everything. */
  readonly since: string | null
  readonly signal: AbortSignal
}

export type EntityKind = 'order' | 'customer'
export type EntityOf<K extends EntityKind> = K extends 'order' ? Order : Customer

export interface Stream<Raw = unknown, K extends EntityKind = EntityKind> {
  readonly name: StreamName
  readonly entity: K
  /** Whether `since` narrows the read; false for streams that must rescan everything (Woo customers). */
  readonly incremental: boolean
  /** One provider page per yield. Holds nothing between pages; never retries or sleeps. */
  read(from: StreamCursor, options: ReadOptions): AsyncGenerator<Page<Raw>>
  /** Pure. Throws NormalizeError naming the field. */
  normalize(raw: Raw): EntityOf<K>
  /** The provider id of a raw record, or null when even that is missing. */
  externalId(raw: Raw): string | null
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** Short name for logs and metrics, e.g. `orders.list`. */
  readonly operation: string
  readonly signal?: AbortSignal
}

export interface HttpResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: string
}

/**
 * The one way a connector talks to its provider. The engine's implementation adds timeouts, rate
 * limits, retries with jitter, Retry-After and the circuit breaker, and turns failures into
 * ProviderError; a connector sees only 2xx responses.
 */
export interface ProviderHttp {
  request(request: HttpRequest): Promise<HttpResponse>
}

/** What a connector gets for one connection. Credentials are decrypted, in memory only. */
export interface ConnectorContext {
  readonly http: ProviderHttp
  readonly endpoint: string
  readonly credentials: Readonly<Record<string, string>>
}

export interface StatusWriteResult {
  /** The provider's record after the write, for the merge path. */
  readonly raw: unknown
}

export interface Connector {
  readonly provider: ProviderName
  /** The credential fields this provider needs, e.g. ['key', 'secret']. */
  readonly credentialFields: readonly string[]
  readonly streams: readonly StreamName[]
  stream(context: ConnectorContext, name: StreamName): Stream
  /** Calls the provider once with the credentials; throws ProviderError when they do not work. */
  testConnection(context: ConnectorContext): Promise<void>
  /** Provider status words an order may be set to (the API validates against this). */
  readonly writableOrderStatuses: readonly string[]
  setOrderStatus(context: ConnectorContext, externalId: string, status: string): Promise<StatusWriteResult>
  /**
   * Authenticates one attempt of a request. The engine passes it to ProviderHttp as `sign`, which
   * applies it before every attempt, so per-request signatures (WooCommerce's OAuth 1.0a nonce and
   * timestamp on plain HTTP) are fresh on each retry. Optional: a client may add static auth itself.
   */
  signRequest?(context: SigningContext, request: HttpRequest): HttpRequest
}

/** What signing a request needs: the connection's endpoint and decrypted credentials. */
export interface SigningContext {
  readonly endpoint: string
  readonly credentials: Readonly<Record<string, string>>
}

/** Finds the connector of a provider; throws ValidationError `unsupported_provider` for unknown ones. */
export type ConnectorRegistry = (provider: ProviderName) => Connector
