import { z } from 'zod'
import { ConflictError, NotFoundError } from '../../domain/errors.ts'
import { isTerminalRunStatus, RUN_STATUSES, STREAM_NAMES } from '../../domain/statuses.ts'
import type { SyncRun } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { IdParams, listParam, presentRun, RunJson } from '../schemas.ts'

/** Sync run history, cancellation and live progress (Server-Sent Events). */
export function runRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps

  const load = async (id: string, tenantId: string): Promise<SyncRun> => {
    const run = await store.runs.get(id, tenantId)
    if (!run) throw new NotFoundError('run', id)
    return run
  }

  router.add({
    method: 'GET',
    path: '/sync/runs',
    operationId: 'listRuns',
    summary: 'Sync runs, newest first',
    tags: ['sync'],
    access: 'member',
    query: z.strictObject({
      connectionId: z.string().min(1).max(64).optional(),
      stream: z.enum(STREAM_NAMES).optional(),
      status: listParam(RUN_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: { description: 'Runs', schema: z.object({ runs: z.array(RunJson) }) } },
    async handler({ query, tenantId }) {
      const runs = await store.runs.list({
        tenantId: tenantId(),
        ...(query.connectionId ? { connectionId: query.connectionId } : {}),
        ...(query.stream ? { stream: query.stream } : {}),
        ...(query.status ? { statuses: query.status } : {}),
        limit: query.limit,
      })
      return { runs: runs.map(presentRun) }
    },
  })

  router.add({
    method: 'GET',
    path: '/sync/runs/{id}',
    operationId: 'getRun',
    summary: 'One sync run with its counters and progress',
    tags: ['sync'],
    access: 'member',
    params: IdParams,
    responses: { 200: { description: 'The run', schema: RunJson } },
    async handler({ params, tenantId }) {
      return presentRun(await load(params.id, tenantId()))
    },
  })

  router.add({
    method: 'POST',
    path: '/sync/runs/{id}/cancel',
    operationId: 'cancelRun',
    summary: 'Cancel a queued or running run (a running one stops at its next heartbeat; pages already applied stay)',
    tags: ['sync'],
    access: 'member',
    params: IdParams,
    responses: {
      200: { description: 'The cancelled run', schema: RunJson },
      409: { description: 'The run already ended' },
    },
    async handler({ params, tenantId }) {
      const tenant = tenantId()
      const run = await load(params.id, tenant)
      if (isTerminalRunStatus(run.status)) {
        throw new ConflictError('run_finished', `run ${run.id} already ended ${run.status}`, {
          details: { runStatus: run.status },
        })
      }
      await store.transaction(async (tx) => {
        // Cancelling the job takes its lease away, so a worker holding it stops at its next heartbeat.
        if (run.jobId) await tx.jobs.cancel(run.jobId)
        await tx.runs.finish(run.id, 'cancelled', new Date(deps.now()).toISOString(), {
          code: 'cancelled',
          message: 'cancelled through the API',
        })
      })
      return presentRun(await load(run.id, tenant))
    },
  })

  router.add({
    method: 'GET',
    path: '/sync/runs/{id}/events',
    operationId: 'runEvents',
    summary: 'Live progress of a run as Server-Sent Events (`progress` events, then `end`)',
    tags: ['sync'],
    access: 'member',
    params: IdParams,
    responses: {
      200: { description: 'An event stream of the run as JSON', contentType: 'text/event-stream', schema: RunJson },
    },
    async handler({ params, tenantId, request, reply }) {
      const tenant = tenantId()
      let run = await load(params.id, tenant)
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      })
      let closed = false
      request.raw.on('close', () => {
        closed = true
      })
      const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      const pollMs = deps.eventsPollMs ?? 500
      let last = ''
      try {
        for (;;) {
          const json = JSON.stringify(presentRun(run))
          if (json !== last) {
            send('progress', JSON.parse(json))
            last = json
          }
          if (isTerminalRunStatus(run.status)) {
            send('end', { status: run.status })
            break
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs))
          if (closed || deps.closing.aborted) break
          const current = await store.runs.get(run.id, tenant)
          if (!current) break
          run = current
        }
      } catch (error) {
        deps.log.warn({ err: error, runId: run.id }, 'run events stream failed')
        send('error', { code: 'internal_error', requestId: request.id })
      }
      raw.end()
      return undefined
    },
  })
}
