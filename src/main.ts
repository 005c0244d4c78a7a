import { createMetrics } from './api/metrics.ts'
import type { App, CommandIo } from './cli/app.ts'
import { COMMANDS } from './cli/commands.ts'
import { ConfigError, loadConfig } from './config/config.ts'
import { connectorFor } from './connectors/registry.ts'
import { AppError, ValidationError } from './domain/errors.ts'
import { ProviderContexts } from './engine/provider-context.ts'
import { requestSync } from './engine/sync-requests.ts'
import type { SyncWorkerDeps } from './engine/sync-worker.ts'
import { createLogger } from './lib/logger.ts'
import { openStore } from './store/kysely/open-store.ts'
import type { SyncRun } from './store/store.ts'

/** Composition root: configuration → adapters → engine → the command asked for. Only this file wires adapters. */
export async function openApp(options: { logLevel?: string; migrate?: boolean } = {}): Promise<App> {
  const config = loadConfig()
  const log = createLogger(options.logLevel ?? config.logLevel)
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    secretKey: config.secretKey,
    migrate: options.migrate ?? true,
  })
  const metrics = createMetrics()
  const contexts = new ProviderContexts(connectorFor, {
    timeoutMs: config.providerTimeoutMs,
    maxAttempts: config.providerMaxAttempts,
    log: (event) => {
      metrics.providerCalls.inc({
        provider: event.provider,
        operation: event.operation,
        outcome: event.outcome,
        status: event.status === null ? 'none' : String(event.status),
      })
      if (event.outcome === 'ok') log.debug(event, 'provider call')
      else if (event.outcome === 'retry') log.warn(event, 'provider call failed; retrying')
      else log.error(event, 'provider call gave up')
    },
  })
  const workerDeps = (overrides: Partial<SyncWorkerDeps> = {}): SyncWorkerDeps => ({
    store,
    connectors: connectorFor,
    contexts,
    log,
    settings: {
      leaseMs: config.leaseMs,
      heartbeatMs: config.heartbeatMs,
      pollMs: config.pollMs,
      safetyMarginMs: config.safetyMarginMs,
      concurrency: config.workerConcurrency,
    },
    ...overrides,
    onFinished: (run) => {
      countRecords(run)
      overrides.onFinished?.(run)
    },
  })
  // Records synced by provider and stream, counted when a run ends (its counters are final then).
  const countRecords = (run: SyncRun) => {
    void store.connections
      .get(run.connectionId)
      .then((connection) => {
        const labels = { provider: connection?.provider ?? 'unknown', stream: run.stream }
        for (const result of ['created', 'updated', 'unchanged', 'failed'] as const) {
          if (run.counters[result] > 0) metrics.recordsSynced.inc({ ...labels, result }, run.counters[result])
        }
      })
      .catch(() => {})
  }
  return {
    config,
    store,
    log,
    connectors: connectorFor,
    contexts,
    metrics,
    workerDeps,
    requestSync: (connection, stream, trigger, syncOptions) =>
      requestSync(store, {
        connection,
        stream,
        trigger,
        options: syncOptions ?? {},
        maxAttempts: config.runMaxAttempts,
      }),
    close: () => store.close(),
  }
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'tributary — keep your own database in step with your commerce platforms',
    '',
    'usage: tributary <command> [options]      (tributary <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'A first sync:',
    '  tributary tenants add acme',
    '  tributary connections add woocommerce --tenant acme --url https://shop.example.com --key ck_… --secret cs_…',
    '  tributary sync <connection id>',
    '',
    'Configuration comes from TRIBUTARY_* environment variables (see README); none is needed:',
    'data goes to ./data/tributary.db (SQLite) unless TRIBUTARY_DATABASE_URL says postgres://….',
    '',
  ].join('\n')
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('tributary 0.1.0\n')
    return 0
  }
  const entry = COMMANDS.find((c) => c.name === name)
  if (!entry) {
    io.stderr.write(`tributary: unknown command "${name}"; run tributary --help\n`)
    return 2
  }
  const command = await entry.load()
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${entry.summary}\n\nusage: ${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`tributary: ${error.message}\n`)
      return 2
    }
    if (error instanceof ValidationError) {
      io.stderr.write(`tributary ${name}: ${error.message}\n`)
      return 2
    }
    if (error instanceof AppError) {
      io.stderr.write(`tributary ${name}: ${error.message} (${error.code})\n`)
      return 1
    }
    io.stderr.write(`tributary ${name}: unexpected error — please report it\n${(error as Error).stack ?? error}\n`)
    return 1
  }
}

/** Runs the command line of this process. */
export async function runCli(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, openApp })
}

if (import.meta.main) await runCli()
