import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import type { ConnectorRegistry } from '../connectors/connector.ts'
import { ValidationError } from '../domain/errors.ts'
import type { RunTrigger, StreamName } from '../domain/statuses.ts'
import type { ProviderContexts } from '../engine/provider-context.ts'
import type { ScheduleEntry } from '../engine/scheduler.ts'
import type { SyncOptions, SyncRequest } from '../engine/sync-requests.ts'
import { newId } from '../lib/ids.ts'
import type { Logger } from '../lib/logger.ts'
import type { Connection, Store } from '../store/store.ts'
import { TokenService } from './auth/tokens.ts'
import { type ApiMetrics, createMetrics } from './metrics.ts'
import { buildOpenApiDocument } from './openapi.ts'
import { PROBLEM_CONTENT_TYPE, problem, toProblem } from './problem.ts'
import { authRoutes } from './routes/auth.ts'
import { connectionRoutes } from './routes/connections.ts'
import { customerRoutes } from './routes/customers.ts'
import { opsRoutes } from './routes/ops.ts'
import { orderRoutes } from './routes/orders.ts'
import { outboxRoutes } from './routes/outbox.ts'
import { runRoutes } from './routes/runs.ts'
import { syncRoutes } from './routes/sync.ts'
import { tenantRoutes } from './routes/tenants.ts'
import { Router } from './routing.ts'

export const API_PREFIX = '/api/v1'
export const API_VERSION = '0.1.0'

export interface ApiDeps {
  readonly store: Store
  readonly connectors: ConnectorRegistry
  readonly contexts: ProviderContexts
  /** TRIBUTARY_SECRET_KEY: the JWT signing key is derived from it (HKDF). */
  readonly secretKey: Buffer
  readonly log: Logger
  requestSync(
    connection: Connection,
    stream: StreamName,
    trigger: RunTrigger,
    options?: SyncOptions,
  ): Promise<SyncRequest>
  /** The in-process scheduler, when this process runs one (for GET /orders/sync/status). */
  readonly scheduler?: { readonly running: boolean; entries(): ScheduleEntry[] }
  readonly schedulerTickMs?: number
  readonly metrics?: ApiMetrics
  readonly limits?: {
    /** Manual syncs per tenant per window (default 10 per 5 minutes). */
    readonly manualSyncs?: number
    readonly manualSyncWindowSec?: number
    /** Largest JSON body accepted (default 1 MiB). */
    readonly bodyLimitBytes?: number
  }
  /** Told when a write was recorded in the outbox, so a local dispatcher delivers it at once. */
  readonly onOutboxEntry?: () => void
  /** How often the run events stream re-reads its run (default 500 ms). */
  readonly eventsPollMs?: number
  readonly now?: () => number
}

/** What routes get: the deps with defaults filled in. */
export interface RouteDeps extends ApiDeps {
  readonly now: () => number
  readonly tokens: TokenService
  readonly metrics: ApiMetrics
  /** Aborted when the server starts closing: long-lived streams (run events) end so close() can finish. */
  readonly closing: AbortSignal
}

const mountedRoutes = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>()

/** Every route Fastify mounted on an API built by buildApi (to check the OpenAPI document against). */
export function mountedRoutesOf(app: FastifyInstance): ReadonlyArray<{ method: string; url: string }> {
  return mountedRoutes.get(app) ?? []
}

/** The HTTP API under /api/v1 (plus /healthz, /readyz, /metrics, /docs). Call `listen` or `inject` on the result. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false })
  const closing = new AbortController()
  const routeDeps: RouteDeps = {
    ...deps,
    now,
    metrics,
    tokens: new TokenService(deps.secretKey, now),
    closing: closing.signal,
  }
  const log = deps.log.child({ component: 'api' })
  const app = Fastify({
    logger: false,
    bodyLimit: deps.limits?.bodyLimitBytes ?? 1024 * 1024,
    genReqId: () => newId(),
    // Query strings like ?status=a&status=b arrive as arrays; anything deeper stays flat text.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  })

  const mounted: Array<{ method: string; url: string }> = []
  mountedRoutes.set(app, mounted)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) mounted.push({ method, url: route.url })
  })

  // Our own JSON parser: an empty body is "no body" (POST /orders/sync with a JSON content type and
  // nothing in it), and bad JSON is a 400 problem with code invalid_json.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      done(
        new ValidationError(`the body is not valid JSON: ${(error as Error).message}`, [], 'invalid_json'),
        undefined,
      )
    }
  })

  app.setErrorHandler((error, request, reply) => {
    const { problem: body, headers, internal } = toProblem(error, request.id)
    if (internal)
      log.error(
        { err: error, reqId: request.id, method: request.method, url: request.routeOptions.url },
        'request failed',
      )
    else log.info({ code: body.code, status: body.status, reqId: request.id }, 'request rejected')
    void reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problem(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`, request.id))
  })
  app.addHook('preClose', async () => closing.abort())
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })

  const router = new Router(app, { prefix: API_PREFIX, store: deps.store, tokens: routeDeps.tokens, now })
  authRoutes(router, routeDeps)
  tenantRoutes(router, routeDeps)
  orderRoutes(router, routeDeps)
  outboxRoutes(router, routeDeps)
  syncRoutes(router, routeDeps)
  customerRoutes(router, routeDeps)
  connectionRoutes(router, routeDeps)
  runRoutes(router, routeDeps)
  opsRoutes(app, routeDeps)

  const document = buildOpenApiDocument(router.routes, { version: API_VERSION })
  app.get(`${API_PREFIX}/openapi.json`, async () => document)
  await app.register(swagger, { mode: 'static', specification: { document: document as never } })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.ready()
  return app
}
