import { startWooSimulator } from '../connectors/woocommerce/simulator/index.ts'
import { defaultSettings } from '../engine/connections.ts'
import { executeSyncJob } from '../engine/sync-worker.ts'
import { formatDuration } from '../lib/duration.ts'
import type { App, Command, CommandIo } from './app.ts'
import { durationFlag, intFlag, parseCommandArgs } from './args.ts'
import { prepareDemoAccess } from './demo-access.ts'
import { runSummary } from './format.ts'
import { describeDatabase } from './migrate.ts'
import { progressBar } from './progress.ts'
import { startApiServer, startBackground } from './serve.ts'
import { waitForShutdownSignal } from './signals.ts'

const DEMO_TENANT = 'demo'

export const demoCommand: Command = {
  name: 'demo',
  usage: 'tributary demo [--orders 2000] [--seed 7] [--every 15s] [--mutate-per-min 120] [--port 3000] [--once]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      orders: { type: 'string' },
      seed: { type: 'string' },
      every: { type: 'string' },
      'mutate-per-min': { type: 'string' },
      once: { type: 'boolean' },
      port: { type: 'string' },
    })
    const orders = intFlag(values.orders, 'orders', 2000, 1)
    const seed = intFlag(values.seed, 'seed', 7)
    const everyMs = durationFlag(values.every, 'every', 15_000)
    const mutatePerMin = intFlag(values['mutate-per-min'], 'mutate-per-min', 120)

    const simulator = await startWooSimulator({ orders, seed })
    io.stdout.write(`WooCommerce simulator: ${simulator.url} (${simulator.orderCount()} orders, seed ${seed})\n`)
    const app = await io.openApp({ logLevel: 'warn' })
    try {
      const connection = await freshDemoConnection(app, simulator.url, simulator.credentials, everyMs)
      io.stdout.write(`tenant "${DEMO_TENANT}", connection ${connection.id}\n\nbackfill:\n`)
      for (const stream of connection.settings.streams) {
        const run = await foregroundRun(app, io, connection.id, stream)
        io.stdout.write(`  ${runSummary(run)}\n`)
        if (run.status !== 'succeeded') return 1
      }
      const stored = await app.store.orders.count(connection.tenantId, { connectionId: connection.id })
      const served = simulator.orderCount()
      io.stdout.write(
        `\nstored orders: ${stored} · simulator X-WP-Total: ${served} · ${stored === served ? 'complete' : 'MISMATCH'}\n`,
      )
      io.stdout.write(`data: ${describeDatabase(app.config.databaseUrl)}\n`)
      io.stdout.write(`look around: npm run tributary -- status · npm run tributary -- runs\n`)
      if (values.once) return stored === served ? 0 : 1

      const mutator = setInterval(() => simulator.mutateOrders(Math.max(1, Math.round(mutatePerMin / 12))), 5000)
      const background = await startBackground(app, {
        scheduler: true,
        onFinished: (run) => io.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${runSummary(run)}\n`),
      })
      let server: Awaited<ReturnType<typeof startApiServer>>
      try {
        server = await startApiServer(app, background, {
          host: app.config.host,
          port: intFlag(values.port, 'port', app.config.port, 0),
        })
      } catch (error) {
        clearInterval(mutator)
        await background.stop()
        throw error
      }
      const tenant = (await app.store.tenants.get(connection.tenantId))!
      const access = await prepareDemoAccess(app.store, tenant, server.url)
      io.stdout.write(
        `\nHTTP API: ${server.url}/api/v1 · docs: ${server.url}/docs\n` +
          `login:    POST ${server.url}/api/v1/auth/login {"email":"${access.email}","password":"${access.password}"}\n` +
          `try:      ${access.curl}\n`,
      )
      io.stdout.write(
        `\nsyncing every ${formatDuration(everyMs)} while the store changes (~${mutatePerMin} orders/min); Ctrl-C to stop\n`,
      )
      await waitForShutdownSignal()
      clearInterval(mutator)
      await server.close()
      await background.stop()
      io.stdout.write('\nstopped; every run above kept its checkpoint\n')
      return 0
    } finally {
      await app.close()
      await simulator.close()
    }
  },
}

/** The demo starts clean each time: the simulator is new, so the previous demo connection goes. */
async function freshDemoConnection(
  app: App,
  url: string,
  credentials: { key: string; secret: string },
  everyMs: number,
) {
  const tenant = (await app.store.tenants.getByName(DEMO_TENANT)) ?? (await app.store.tenants.create(DEMO_TENANT))
  for (const old of await app.store.connections.list(tenant.id)) await app.store.connections.delete(old.id, tenant.id)
  return app.store.connections.create({
    tenantId: tenant.id,
    provider: 'woocommerce',
    name: 'Demo store (simulated)',
    endpoint: url,
    credentials,
    settings: { ...defaultSettings('woocommerce', ['orders', 'customers']), intervalMs: everyMs, runOnStartup: false },
  })
}

async function foregroundRun(app: App, io: CommandIo, connectionId: string, stream: 'orders' | 'customers') {
  const connection = (await app.store.connections.get(connectionId))!
  const request = await app.requestSync(connection, stream, 'backfill')
  const workerId = `demo:${process.pid}`
  const job = (await app.store.jobs.claimById(request.job.id, workerId, app.config.leaseMs))!
  const bar = progressBar(io.stderr, `  ${stream}`)
  try {
    return await executeSyncJob(
      app.workerDeps({ onProgress: (_run, progress) => bar.update(progress) }),
      job,
      workerId,
      new AbortController().signal,
    )
  } finally {
    bar.done()
  }
}
