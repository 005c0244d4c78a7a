import { buildApi } from '../api/app.ts'
import { OutboxDispatcher } from '../engine/outbox-dispatcher.ts'
import { Scheduler } from '../engine/scheduler.ts'
import { SyncWorker } from '../engine/sync-worker.ts'
import type { SyncRun } from '../store/store.ts'
import type { App, Command } from './app.ts'
import { intFlag, parseCommandArgs } from './args.ts'
import { waitForShutdownSignal } from './signals.ts'

/**
 * Starts the sync workers and the outbox dispatcher, and the scheduler unless told not to; returns
 * a stop function that drains them.
 */
export async function startBackground(app: App, options: { scheduler: boolean; onFinished?: (run: SyncRun) => void }) {
  const worker = new SyncWorker(app.workerDeps(options.onFinished ? { onFinished: options.onFinished } : {}))
  const scheduler = new Scheduler({
    store: app.store,
    log: app.log.child({ component: 'scheduler' }),
    tickMs: app.config.schedulerTickMs,
    maxAttempts: app.config.runMaxAttempts,
    onQueued: () => worker.nudge(),
  })
  const dispatcher = new OutboxDispatcher({
    store: app.store,
    connectors: app.connectors,
    contexts: app.contexts,
    log: app.log.child({ component: 'outbox' }),
  })
  worker.start()
  dispatcher.start()
  if (options.scheduler) await scheduler.start()
  return {
    worker,
    scheduler,
    dispatcher,
    async stop() {
      await scheduler.stop()
      await dispatcher.stop()
      await worker.stop()
    },
  }
}

/**
 * Serves the HTTP API on host:port; a manual sync through it nudges the local worker. Returns the
 * URL and a close() that stops accepting requests and lets those in flight finish.
 */
export async function startApiServer(
  app: App,
  background: Awaited<ReturnType<typeof startBackground>>,
  options: { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const api = await buildApi({
    store: app.store,
    connectors: app.connectors,
    contexts: app.contexts,
    secretKey: app.config.secretKey,
    log: app.log,
    metrics: app.metrics,
    scheduler: background.scheduler,
    schedulerTickMs: app.config.schedulerTickMs,
    onOutboxEntry: () => background.dispatcher.nudge(),
    async requestSync(connection, stream, trigger, syncOptions) {
      const request = await app.requestSync(connection, stream, trigger, syncOptions)
      background.worker.nudge()
      return request
    },
  })
  await api.listen({ host: options.host, port: options.port })
  const address = api.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return { url: `http://${host}:${port}`, close: () => api.close() }
}

export const serveCommand: Command = {
  name: 'serve',
  usage: 'tributary serve [--port 3000] [--host 127.0.0.1]   (or TRIBUTARY_PORT / TRIBUTARY_HOST)',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' } })
    const app = await io.openApp()
    try {
      const port = intFlag(values.port, 'port', app.config.port, 0)
      const host = values.host ?? app.config.host
      const background = await startBackground(app, { scheduler: true })
      let server: Awaited<ReturnType<typeof startApiServer>>
      try {
        server = await startApiServer(app, background, { host, port })
      } catch (error) {
        await background.stop()
        throw error
      }
      app.log.info(
        { url: server.url, worker: background.worker.id, concurrency: app.config.workerConcurrency },
        'tributary serve started',
      )
      io.stdout.write(`Tributary API: ${server.url}/api/v1 · docs ${server.url}/docs\n`)
      const signal = await waitForShutdownSignal()
      app.log.info({ signal }, 'shutting down: no new requests or runs; in-flight runs keep their checkpoint')
      // Stop taking requests first (in-flight ones finish), then drain the workers.
      await server.close()
      await background.stop()
      app.log.info('stopped')
      return 0
    } finally {
      await app.close()
    }
  },
}

export const workerCommand: Command = {
  name: 'worker',
  usage: 'tributary worker',
  async run(args, io) {
    parseCommandArgs(args, {})
    const app = await io.openApp()
    const background = await startBackground(app, { scheduler: false })
    app.log.info(
      { worker: background.worker.id, concurrency: app.config.workerConcurrency, scheduler: false },
      'tributary worker started',
    )
    const signal = await waitForShutdownSignal()
    app.log.info({ signal }, 'shutting down: no new runs; in-flight runs keep their checkpoint')
    await background.stop()
    await app.close()
    app.log.info('stopped')
    return 0
  },
}
