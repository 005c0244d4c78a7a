import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { z } from 'zod'
import { ConflictError, NotFoundError, RateLimitedError } from '../../domain/errors.ts'
import { breakerStates } from '../../engine/calls/circuit-breaker.ts'
import type { SyncRequest } from '../../engine/sync-requests.ts'
import type { Connection } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { presentRun, RunJson } from '../schemas.ts'

const SyncBody = z
  .strictObject({
    connectionId: z.string().min(1).max(64).optional(),
    daysBack: z.number().int().min(1).max(3650).optional().describe('re-read what changed in the last N days'),
    full: z.boolean().optional().describe('forget the cursor and read everything again'),
  })
  .default({})

const Queued = z.object({
  runs: z.array(
    z.object({
      runId: z.string(),
      connectionId: z.string(),
      stream: z.string(),
      status: z.string(),
      created: z.boolean().describe('false when a run of this stream was already queued or running'),
    }),
  ),
})

function summary(request: SyncRequest) {
  return {
    runId: request.run.id,
    connectionId: request.run.connectionId,
    stream: request.run.stream,
    status: request.run.status,
    created: request.created,
  }
}

/** Manual sync (rate-limited per tenant), sync of every tenant (admins), and what is syncing now. */
export function syncRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps
  const limiter = new RateLimiterMemory({
    keyPrefix: 'manual-sync',
    points: deps.limits?.manualSyncs ?? 10,
    duration: deps.limits?.manualSyncWindowSec ?? 300,
  })

  const consume = async (tenantId: string) => {
    try {
      await limiter.consume(tenantId)
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection
      throw new RateLimitedError(
        `manual syncs are limited to ${deps.limits?.manualSyncs ?? 10} per ${deps.limits?.manualSyncWindowSec ?? 300} s per tenant; scheduled syncs keep running meanwhile`,
        rejection.msBeforeNext,
      )
    }
  }

  const syncConnections = async (connections: readonly Connection[], body: z.output<typeof SyncBody>) => {
    const options = { ...(body.full ? { full: true } : {}), ...(body.daysBack ? { days: body.daysBack } : {}) }
    const requests: SyncRequest[] = []
    for (const connection of connections) {
      for (const stream of connection.settings.streams) {
        requests.push(await deps.requestSync(connection, stream, 'manual', options))
      }
    }
    return requests
  }

  router.add({
    method: 'POST',
    path: '/orders/sync',
    operationId: 'syncOrders',
    summary: "Sync the caller's connections now (or one of them); limited per tenant",
    tags: ['sync'],
    access: 'member',
    body: SyncBody,
    responses: {
      202: { description: 'Runs queued', schema: Queued },
      409: { description: 'A run of that connection is already active (its id is in activeRunIds)' },
      429: { description: 'Manual sync limit reached; see Retry-After' },
    },
    async handler({ body, tenantId, reply }) {
      const tenant = tenantId()
      let connections: Connection[]
      if (body.connectionId) {
        const connection = await store.connections.get(body.connectionId, tenant)
        if (!connection) throw new NotFoundError('connection', body.connectionId)
        if (connection.status === 'paused') {
          throw new ConflictError('connection_paused', `connection ${connection.id} is paused; resume it first`)
        }
        connections = [connection]
      } else {
        connections = (await store.connections.list(tenant)).filter((c) => c.status === 'active')
        if (connections.length === 0) {
          throw new ConflictError('no_active_connections', 'this tenant has no active connection to sync')
        }
      }
      await consume(tenant)
      const requests = await syncConnections(connections, body)
      if (requests.every((r) => !r.created)) {
        const activeRunIds = requests.map((r) => r.run.id)
        throw new ConflictError(
          'sync_already_running',
          `a sync is already active for ${body.connectionId ? 'this connection' : 'every connection'} (runs ${activeRunIds.join(', ')}); follow it at GET /api/v1/sync/runs/{id}`,
          { details: { activeRunId: activeRunIds[0], activeRunIds } },
        )
      }
      reply.code(202)
      return { runs: requests.map(summary) }
    },
  })

  router.add({
    method: 'POST',
    path: '/orders/sync/all',
    operationId: 'syncAllTenants',
    summary: 'Sync every active connection of every tenant',
    tags: ['sync'],
    access: 'admin',
    body: SyncBody,
    responses: { 202: { description: 'Runs queued', schema: Queued } },
    async handler({ body, reply }) {
      const connections = (await store.connections.list()).filter((c) => c.status === 'active')
      const requests = await syncConnections(connections, { ...body, connectionId: undefined })
      reply.code(202)
      return { runs: requests.map(summary) }
    },
  })

  router.add({
    method: 'GET',
    path: '/orders/sync/status',
    operationId: 'syncStatus',
    summary: 'Active and queued runs with progress, the scheduler, and the health of each connection',
    tags: ['sync'],
    access: 'member',
    responses: {
      200: {
        description: 'Sync status',
        schema: z.object({
          active: z.array(RunJson),
          scheduler: z.object({
            running: z.boolean(),
            tickMs: z.number().nullable(),
            entries: z.array(
              z.object({ connectionId: z.string(), stream: z.string(), intervalMs: z.number(), nextDueAt: z.string() }),
            ),
          }),
          connections: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              provider: z.string(),
              status: z.string(),
              configured: z.boolean(),
              healthy: z.boolean(),
              intervalMs: z.number(),
              circuit: z.object({
                state: z.enum(['closed', 'open', 'half_open']),
                consecutiveFailures: z.number(),
                retryAt: z.string().nullable(),
              }),
              lastRun: RunJson.nullable(),
            }),
          ),
        }),
      },
    },
    async handler({ tenantId }) {
      const tenant = tenantId()
      const active = await store.runs.list({ tenantId: tenant, statuses: ['queued', 'running'], limit: 200 })
      const breakers = new Map(breakerStates().map((b) => [b.connectionId, b]))
      const connections = []
      for (const connection of await store.connections.list(tenant)) {
        const withCredentials = await store.connections.getWithCredentials(connection.id, tenant)
        let configured = false
        try {
          const fields = deps.connectors(connection.provider).credentialFields
          configured = fields.every((field) => Boolean(withCredentials?.credentials[field]))
        } catch {
          configured = false
        }
        const breaker = breakers.get(connection.id)
        const circuit = breaker
          ? { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures, retryAt: breaker.retryAt }
          : { state: 'closed' as const, consecutiveFailures: 0, retryAt: null }
        const [lastRun] = await store.runs.list({
          tenantId: tenant,
          connectionId: connection.id,
          statuses: ['succeeded', 'failed', 'dead', 'cancelled'],
          limit: 1,
        })
        const healthy =
          configured &&
          circuit.state === 'closed' &&
          (!lastRun || lastRun.status === 'succeeded' || lastRun.status === 'cancelled')
        connections.push({
          id: connection.id,
          name: connection.name,
          provider: connection.provider,
          status: connection.status,
          configured,
          healthy,
          intervalMs: connection.settings.intervalMs,
          circuit,
          lastRun: lastRun ? presentRun(lastRun) : null,
        })
      }
      const ids = new Set(connections.map((c) => c.id))
      return {
        active: active.map(presentRun),
        scheduler: {
          running: deps.scheduler?.running ?? false,
          tickMs: deps.scheduler ? (deps.schedulerTickMs ?? null) : null,
          entries: (deps.scheduler?.entries() ?? []).filter((e) => ids.has(e.connectionId)),
        },
        connections,
      }
    },
  })
}
