import type { FastifyInstance } from 'fastify'
import type { RouteDeps } from '../app.ts'
import { PROBLEM_CONTENT_TYPE, problem } from '../problem.ts'

/** Liveness, readiness and Prometheus metrics: unauthenticated, outside /api/v1 (ops tooling expects them at the root). */
export function opsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  deps.metrics.onScrape(async () => ({
    runsByStatus: await deps.store.runs.countByStatus(),
    outboxByState: await deps.store.outbox.countByState(),
  }))

  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (request, reply) => {
    try {
      if (await deps.store.isMigrated()) return { status: 'ready', database: 'reachable', migrations: 'current' }
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem(503, 'not_ready', 'migrations are pending: run tributary migrate', request.id))
    } catch (error) {
      deps.log.warn({ err: error }, 'readiness check failed')
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem(503, 'not_ready', 'the database is not reachable', request.id))
    }
  })

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics()
    return reply.type(deps.metrics.registry.contentType).send(text)
  })
}
