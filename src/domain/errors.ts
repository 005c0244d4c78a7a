/** Base of every error we raise on purpose: a stable snake_case `code` and a message a person can act on. */
export class AppError extends Error {
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  constructor(code: string, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.details = options.details
  }
}

export interface FieldError {
  readonly path: string
  readonly message: string
}

export class ValidationError extends AppError {
  readonly errors: readonly FieldError[]
  constructor(message: string, errors: readonly FieldError[] = [], code = 'invalid_body') {
    super(code, message)
    this.errors = errors
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found`, { details: { what, id } })
  }
}

export class ConflictError extends AppError {}
export class AuthError extends AppError {}
export class ForbiddenError extends AppError {}

/** Our own limits (never a provider's): the caller should wait `retryAfterMs`. */
export class RateLimitedError extends AppError {
  readonly retryAfterMs: number
  constructor(message: string, retryAfterMs: number) {
    super('rate_limited', message)
    this.retryAfterMs = retryAfterMs
  }
}

export const PROVIDER_ERROR_CODES = [
  'provider_rate_limited',
  'provider_unavailable',
  'provider_timeout',
  'provider_auth_failed',
  'provider_rejected',
  'provider_bad_response',
] as const
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number]

/** A provider call that failed. `retryable` tells the engine whether another attempt can help. */
export class ProviderError extends AppError {
  readonly provider: string
  readonly status: number | undefined
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  constructor(
    code: ProviderErrorCode,
    message: string,
    options: {
      provider: string
      status?: number
      retryable: boolean
      retryAfterMs?: number
      details?: Record<string, unknown>
      cause?: unknown
    },
  ) {
    super(code, message, { details: options.details, cause: options.cause })
    this.provider = options.provider
    this.status = options.status
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
  }
}

/** A provider record that cannot be normalized; names the field. Counted as `failed`, never fatal. */
export class NormalizeError extends AppError {
  readonly field: string
  constructor(field: string, message: string) {
    super('normalize_failed', `${field}: ${message}`, { details: { field } })
    this.field = field
  }
}

/** Wraps anything thrown into an AppError-shaped value (graphile's coerceError). */
export function coerceError(error: unknown): Error {
  if (error instanceof Error) return error
  return new Error(typeof error === 'string' ? error : JSON.stringify(error))
}
