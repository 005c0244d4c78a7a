import {
  AppError,
  AuthError,
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ProviderError,
  RateLimitedError,
  ValidationError,
} from '../domain/errors.ts'

/** An RFC 9457 problem document as the API sends it (STYLE §3). */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly requestId: string
  readonly errors?: readonly FieldError[]
  readonly [extension: string]: unknown
}

export interface ProblemReply {
  readonly problem: Problem
  readonly headers: Record<string, string>
  /** True when the error is a bug (logged at error with its stack). */
  readonly internal: boolean
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** Fastify's own request errors (body parsing and routing) by code: the status and our code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

function problemType(code: string): string {
  return `urn:tributary:error:${code}`
}

export function problem(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  extra: Record<string, unknown> = {},
): Problem {
  return { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, code, requestId, ...extra }
}

function seconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)))
}

/**
 * The single table from error kind to HTTP status (STYLE §3). The domain and the engine never
 * mention HTTP; anything not recognised is a bug: 500 `internal_error` with the request id only.
 */
export function toProblem(error: unknown, requestId: string): ProblemReply {
  const reply = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}, headers = {}) => ({
    problem: problem(status, code, detail, requestId, extra),
    headers,
    internal: status >= 500 && code === 'internal_error',
  })
  if (error instanceof ValidationError) return reply(400, error.code, error.message, { errors: error.errors })
  if (error instanceof AuthError) return reply(401, error.code, error.message, {}, { 'www-authenticate': 'Bearer' })
  if (error instanceof ForbiddenError) return reply(403, error.code, error.message)
  if (error instanceof NotFoundError) return reply(404, error.code, error.message)
  if (error instanceof ConflictError) return reply(409, error.code, error.message, error.details ?? {})
  if (error instanceof RateLimitedError) {
    const retryAfter = seconds(error.retryAfterMs)
    return reply(
      429,
      error.code,
      error.message,
      { retryAfterSeconds: Number(retryAfter) },
      { 'retry-after': retryAfter },
    )
  }
  if (error instanceof ProviderError) {
    const extra = { provider: error.provider }
    if (error.code === 'provider_timeout') return reply(504, error.code, error.message, extra)
    if (error.code === 'provider_rate_limited' || error.retryAfterMs !== undefined) {
      const headers = error.retryAfterMs !== undefined ? { 'retry-after': seconds(error.retryAfterMs) } : {}
      return reply(503, error.code, error.message, extra, headers)
    }
    return reply(502, error.code, error.message, extra)
  }
  if (!(error instanceof AppError) && error instanceof Error) {
    const known = FASTIFY_ERRORS[(error as { code?: string }).code ?? '']
    if (known) return reply(known.status, known.code, known.detail ?? error.message)
    const status = (error as { statusCode?: unknown }).statusCode
    // Any other 4xx Fastify raised about the request itself.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply(status, status === 404 ? 'route_not_found' : 'bad_request', error.message)
    }
  }
  return reply(500, 'internal_error', 'something went wrong on our side; report it with the requestId', {})
}
