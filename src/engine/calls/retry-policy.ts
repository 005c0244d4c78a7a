import { ProviderError } from '../../domain/errors.ts'
import { fullJitterDelayMs } from '../../lib/backoff.ts'
import { formatDuration } from '../../lib/duration.ts'

/** Why one attempt at a provider call did not produce a 2xx answer. */
export type AttemptFailure =
  | { readonly kind: 'http'; readonly status: number; readonly headers: Headers; readonly body: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'network'; readonly cause: unknown }

/** 408, 429 and 5xx may pass on their own; every other 4xx will answer the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

export function isRetryable(failure: AttemptFailure): boolean {
  return failure.kind !== 'http' || isRetryableStatus(failure.status)
}

/**
 * The wait a provider asked for, in ms: `Retry-After` as delta-seconds or as an HTTP date (RFC 9110
 * §10.2.3). Only 429 and 503 carry a meaningful one; undefined when absent or unreadable.
 */
export function retryAfterMs(failure: AttemptFailure, nowMs: number): number | undefined {
  if (failure.kind !== 'http' || (failure.status !== 429 && failure.status !== 503)) return undefined
  const value = failure.headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000)
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

export interface BackoffSettings {
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly random: () => number
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): full jitter, but never
 * less than what the provider asked for in Retry-After.
 */
export function delayBeforeRetryMs(attempt: number, askedMs: number | undefined, settings: BackoffSettings): number {
  const jitter = fullJitterDelayMs(attempt - 1, settings.baseDelayMs, settings.maxDelayMs, settings.random)
  return Math.max(askedMs ?? 0, jitter)
}

/** A provider's own words from an error body: WooCommerce, Stripe, OAuth-style and Shopify shapes. */
export function providerMessage(body: string): { code?: string; message: string } | undefined {
  const text = body.trim()
  if (text === '') return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { message: clip(text) }
  }
  if (json === null || typeof json !== 'object') return { message: clip(String(json)) }
  const record = json as Record<string, unknown>
  const code = typeof record['code'] === 'string' ? record['code'] : undefined
  // WooCommerce / WordPress: {"code","message","data"}.
  if (typeof record['message'] === 'string') return withCode(code, record['message'])
  // Stripe: {"error":{"type","code","message"}}.
  const error = record['error']
  if (error && typeof error === 'object') {
    const inner = error as Record<string, unknown>
    const innerCode = typeof inner['code'] === 'string' ? inner['code'] : undefined
    if (typeof inner['message'] === 'string') return withCode(innerCode, inner['message'])
  }
  // OAuth-style (PayPal): {"error","error_description"}.
  if (typeof record['error_description'] === 'string') {
    return withCode(typeof error === 'string' ? error : undefined, record['error_description'])
  }
  // Shopify REST: {"errors": "…" | {field: [..]} | [..]}.
  if (record['errors'] !== undefined) {
    const errors = record['errors']
    return { message: clip(typeof errors === 'string' ? errors : JSON.stringify(errors)) }
  }
  if (typeof error === 'string') return { message: clip(error) }
  return { message: clip(text) }
}

function withCode(code: string | undefined, message: string): { code?: string; message: string } {
  return code ? { code, message: clip(message) } : { message: clip(message) }
}

/** Error pages from hosts and WAFs are HTML; a person wants their words, not the markup. */
function plainText(text: string): string {
  return text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** At most 200 characters of plain text: WordPress puts HTML even in its JSON messages. */
function clip(text: string): string {
  const plain = plainText(text)
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain
}

export interface GiveUpContext {
  readonly provider: string
  readonly operation: string
  /** Scheme, host and port of the call: never the query, which may carry signatures. */
  readonly origin: string
  readonly attempts: number
  readonly retryAfterMs?: number | undefined
  /** True when the provider asked for a wait longer than we are willing to hold a worker for. */
  readonly waitTooLong?: boolean
}

/**
 * The ProviderError for a call we stop trying: a code the engine branches on, and a message that says
 * what the provider answered and what a person can do about it.
 */
export function giveUpError(failure: AttemptFailure, context: GiveUpContext): ProviderError {
  const { provider, operation, attempts } = context
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`
  const details = { operation, attempts }
  if (failure.kind === 'timeout') {
    return new ProviderError(
      'provider_timeout',
      `${provider} did not answer ${operation} within ${formatDuration(failure.timeoutMs)} (${tries}) — the store is slow or down; try again later or raise the call timeout`,
      { provider, retryable: true, details },
    )
  }
  if (failure.kind === 'network') {
    return new ProviderError(
      'provider_unavailable',
      `could not reach ${provider} at ${context.origin} for ${operation}: ${networkReason(failure.cause)} (${tries}) — check the endpoint URL and that the store is up`,
      { provider, retryable: true, details, cause: failure.cause },
    )
  }
  const { status } = failure
  const said = providerMessage(failure.body)
  const answered = `${provider} answered ${status}${said?.code ? ` ${said.code}` : ''}${said ? `: ${said.message}` : ''}`
  const httpDetails = { ...details, status, providerCode: said?.code }
  if (status === 401 || status === 403) {
    return new ProviderError(
      'provider_auth_failed',
      `${answered} — check the connection's credentials and their permissions`,
      { provider, status, retryable: false, details: httpDetails },
    )
  }
  if (status === 429) {
    const after = context.retryAfterMs
    const when = after !== undefined ? `; it asked to wait ${formatDuration(after)}` : ''
    const why = context.waitTooLong ? 'rate limited' : `still rate limited after ${tries}`
    return new ProviderError(
      'provider_rate_limited',
      `${answered} — ${why}${when}; the run will retry later, or lower the connection's rate limit`,
      {
        provider,
        status,
        retryable: true,
        details: httpDetails,
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      },
    )
  }
  if (isRetryableStatus(status)) {
    const after = context.retryAfterMs
    return new ProviderError(
      'provider_unavailable',
      `${answered} — gave up after ${tries}; the store or its host is failing, try again later`,
      {
        provider,
        status,
        retryable: true,
        details: httpDetails,
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      },
    )
  }
  return new ProviderError(
    'provider_rejected',
    `${answered} — ${provider} rejected ${operation}; this request will not succeed by retrying`,
    { provider, status, retryable: false, details: httpDetails },
  )
}

/** fetch() hides the socket error in `cause` ("fetch failed" alone helps nobody). */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause ? error.cause : error
  if (cause && typeof cause === 'object') {
    const { code, message } = cause as { code?: unknown; message?: unknown }
    if (typeof code === 'string' && typeof message === 'string') return `${code} (${message})`
    if (typeof message === 'string') return message
  }
  return String(cause)
}
