import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { type FieldError, ValidationError } from '../domain/errors.ts'
import type { Store } from '../store/store.ts'
import { type Access, authenticate, authorize, type Principal, tenantOf } from './auth/principal.ts'
import type { TokenService } from './auth/tokens.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

type AnyObject = z.ZodObject<z.ZodRawShape>

export interface ResponseSpec {
  readonly description: string
  readonly schema?: z.ZodType
  /** Default application/json. */
  readonly contentType?: string
}

export interface HandlerContext<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  /** undefined only on public routes. */
  readonly principal: Principal
  /** The tenant the call acts on (throws for admins without X-Tenant-Id). */
  tenantId(): string
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  readonly method: Method
  /** OpenAPI style, relative to the router's prefix: `/orders/{id}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tags: readonly string[]
  readonly access: Access
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** Success responses by status; error responses are added from `access` and the body. */
  readonly responses: Readonly<Record<number, ResponseSpec>>
  handler(context: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>
}

/** What the OpenAPI document is built from: every route registered through a Router. */
export interface RegisteredRoute {
  readonly method: Method
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tags: readonly string[]
  readonly access: Access
  readonly params?: AnyObject | undefined
  readonly query?: AnyObject | undefined
  readonly body?: z.ZodType | undefined
  readonly responses: Readonly<Record<number, ResponseSpec>>
}

function toFieldErrors(error: z.ZodError, where: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].filter(Boolean).join('.')
    if (issue.code === 'unrecognized_keys') {
      return { path: [path, ...issue.keys].join('.'), message: 'unknown field' }
    }
    return { path, message: issue.message }
  })
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string, code: string): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const errors = toFieldErrors(result.error, where)
  throw new ValidationError(
    `the request ${where} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    errors,
    code,
  )
}

/**
 * The path of the first string holding a NUL character. PostgreSQL text cannot store NUL (it fails
 * the statement), so such input is refused up front, for every route and both databases alike.
 */
function nulPath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined
  if (depth > 32 || value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? `${path}.${key}` : nulPath(item, `${path}.${key}`, depth + 1)
    if (found) return found
  }
  return undefined
}

function refuseNul(value: unknown, where: string, code: string): void {
  const path = nulPath(value, where)
  if (path)
    throw new ValidationError(
      `${path} contains a NUL character`,
      [{ path, message: 'must not contain NUL characters' }],
      code,
    )
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)
}

/**
 * Registers routes on Fastify with zod schemas that both validate the request and describe it in
 * the OpenAPI document, so the two cannot drift. Authentication and role checks run before the
 * handler; the handler's return value is the JSON body.
 */
export class Router {
  readonly routes: RegisteredRoute[] = []
  readonly #app: FastifyInstance
  readonly #prefix: string
  readonly #store: Store
  readonly #tokens: TokenService
  readonly #now: () => number

  constructor(
    app: FastifyInstance,
    options: { prefix: string; store: Store; tokens: TokenService; now: () => number },
  ) {
    this.#app = app
    this.#prefix = options.prefix
    this.#store = options.store
    this.#tokens = options.tokens
    this.#now = options.now
  }

  get prefix(): string {
    return this.#prefix
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<P, Q, B>): void {
    this.routes.push({
      method: spec.method,
      path: this.#prefix + spec.path,
      operationId: spec.operationId,
      summary: spec.summary,
      tags: spec.tags,
      access: spec.access,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      responses: spec.responses,
    })
    const url = this.#prefix + spec.path.replace(/\{(\w+)\}/g, ':$1')
    this.#app.route({
      method: spec.method,
      url,
      handler: async (request, reply) => {
        const principal =
          spec.access === 'public'
            ? (undefined as unknown as Principal)
            : await authenticate(this.#store, this.#tokens, request.headers.authorization, this.#now)
        if (principal) authorize(principal, spec.access)
        refuseNul(request.params, 'params', 'invalid_path')
        refuseNul(request.query, 'query', 'invalid_query')
        refuseNul(request.body, 'body', 'invalid_body')
        const params = spec.params ? parse(spec.params, request.params, 'params', 'invalid_path') : {}
        const query = spec.query ? parse(spec.query, request.query ?? {}, 'query', 'invalid_query') : {}
        let body: unknown
        if (spec.body) body = parse(spec.body, request.body, 'body', 'invalid_body')
        else if (!isEmptyBody(request.body)) {
          throw new ValidationError('this endpoint takes no body', [{ path: 'body', message: 'must be empty' }])
        }
        const result = await spec.handler({
          params: params as z.output<P>,
          query: query as z.output<Q>,
          body: body as z.output<B>,
          principal,
          tenantId: () => tenantOf(principal, request.headers['x-tenant-id']),
          request,
          reply,
        })
        if (reply.sent) return reply
        if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send()
        return reply.send(result)
      },
    })
  }
}
