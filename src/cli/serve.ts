import { Scheduler } from '../engine/scheduler.ts'
import { SyncWorker } from '../engine/sync-worker.ts'
import type { SyncRun } from '../store/store.ts'
import { parseCommandArgs } from './args.ts'
import type { App, Command } from './app.ts'
import { waitForShutdownSignal } from './signals.ts'

/** Starts the workers, and the scheduler unless told not to; returns a stop function that drains them. */
export async function startBackground(
  app: App,
  options: { scheduler: boolean; onFinished?: (run: SyncRun) => void },
) {
  const worker = new SyncWorker(app.workerDeps(options.onFinished ? { onFinished: options.onFinished } : {}))
  const scheduler = new Scheduler({
    store: app.store,
    log: app.log.child({ component: 'scheduler' }),
    tickMs: app.config.schedulerTickMs,
    maxAttempts: app.config.runMaxAttempts,
    onQueued: () => worker.nudge(),
  })
  worker.start()
  if (options.scheduler) await scheduler.start()
  return {
    worker,
    scheduler,
    async stop() {
      await scheduler.stop()
      await worker.stop()
    },
  }
}

function backgroundCommand(name: 'serve' | 'worker', summary: string, usage: string, withScheduler: boolean): Command {
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      parseCommandArgs(args, {})
      const app = await io.openApp()
      const background = await startBackground(app, { scheduler: withScheduler })
      app.log.info(
        { worker: background.worker.id, concurrency: app.config.workerConcurrency, scheduler: withScheduler },
        `tributary ${name} started`,
      )
      const signal = await waitForShutdownSignal()
      app.log.info({ signal }, 'shutting down: no new runs; in-flight runs keep their checkpoint')
      await background.stop()
      await app.close()
      app.log.info('stopped')
      return 0
    },
  }
}

export const serveCommand = backgroundCommand(
  'serve',
  'run the scheduler and sync workers until Ctrl-C (the HTTP API joins in a later release)',
  'tributary serve',
  true,
)

export const workerCommand = backgroundCommand(
  'worker',
  'run sync workers only (scale-out: many workers, one scheduler)',
  'tributary worker',
  false,
)
