import type { StreamName } from '../domain/statuses.ts'
import { isTerminalRunStatus, STREAM_NAMES } from '../domain/statuses.ts'
import { executeSyncJob } from '../engine/sync-worker.ts'
import { newId } from '../lib/ids.ts'
import { sleep } from '../lib/sleep.ts'
import type { SyncRun } from '../store/store.ts'
import type { App, Command, CommandIo } from './app.ts'
import { intFlag, parseCommandArgs, UsageError } from './args.ts'
import { runSummary } from './format.ts'
import { findConnection } from './lookup.ts'
import { progressBar } from './progress.ts'

export const syncCommand: Command = {
  name: 'sync',
  usage: 'tributary sync CONNECTION [--stream orders|customers] [--days N] [--full] [--json]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      stream: { type: 'string' },
      days: { type: 'string' },
      full: { type: 'boolean' },
      json: { type: 'boolean' },
    })
    const [connectionId, extra] = positionals
    if (!connectionId || extra) throw new UsageError(`usage: ${syncCommand.usage}`)
    if (values.stream && !STREAM_NAMES.includes(values.stream as StreamName)) {
      throw new UsageError(`--stream must be one of ${STREAM_NAMES.join(', ')}`)
    }
    if (values.full && values.days) throw new UsageError('--full and --days cannot be combined')
    const days = values.days === undefined ? undefined : intFlag(values.days, 'days', 0, 1)
    const app = await io.openApp({ logLevel: 'warn' })
    const interrupt = new AbortController()
    const onSignal = () => interrupt.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const connection = await findConnection(app.store, connectionId)
      const streams = values.stream ? [values.stream as StreamName] : connection.settings.streams
      let ok = true
      for (const stream of streams) {
        const options = values.full ? { full: true } : days !== undefined ? { days } : {}
        const run = await syncStream(app, io, connection.id, stream, options, interrupt.signal)
        if (values.json) io.stdout.write(JSON.stringify(run) + '\n')
        else io.stdout.write(runSummary(run) + '\n')
        if (run.status !== 'succeeded') ok = false
        if (interrupt.signal.aborted) return 130
      }
      return ok ? 0 : 1
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await app.close()
    }
  },
}

/**
 * Queues the run like any other trigger (so it never overlaps a run of the same stream elsewhere),
 * then claims and executes it here. If another process already runs it, follows that run instead.
 */
async function syncStream(
  app: App,
  io: CommandIo,
  connectionId: string,
  stream: StreamName,
  options: { full?: boolean; days?: number },
  interrupt: AbortSignal,
): Promise<SyncRun> {
  const connection = await findConnection(app.store, connectionId)
  const request = await app.requestSync(connection, stream, 'manual', options)
  const workerId = `cli:${process.pid}:${newId().slice(-8)}`
  const job = await app.store.jobs.claimById(request.job.id, workerId, app.config.leaseMs)
  const bar = progressBar(io.stderr, stream)
  try {
    if (job) {
      return await executeSyncJob(
        app.workerDeps({ onProgress: (_run, progress) => bar.update(progress) }),
        job,
        workerId,
        interrupt,
      )
    }
    io.stderr.write(`${stream}: a run is already in progress (run ${request.run.id}); following it\n`)
    for (;;) {
      const run = (await app.store.runs.get(request.run.id))!
      if (isTerminalRunStatus(run.status)) return run
      bar.update({ counters: run.counters, total: run.total })
      await sleep(500, interrupt).catch(() => undefined)
      if (interrupt.aborted) return run
    }
  } finally {
    bar.done()
  }
}
