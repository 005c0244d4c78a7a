import type { Command } from './app.ts'

export interface CommandEntry {
  readonly name: string
  readonly summary: string
  /** Imported on use: a `sync` process never loads the HTTP server or the simulators (less memory). */
  load(): Promise<Command>
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'start a simulated WooCommerce store, backfill it, then keep syncing while it changes',
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  {
    name: 'serve',
    summary: 'serve the HTTP API and run the scheduler and sync workers until Ctrl-C',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'worker',
    summary: 'run sync workers only (scale-out: many workers, one scheduler)',
    load: async () => (await import('./serve.ts')).workerCommand,
  },
  {
    name: 'sync',
    summary: 'sync a connection now, in the foreground, and print what changed',
    load: async () => (await import('./sync.ts')).syncCommand,
  },
  { name: 'tenants', summary: 'add or list tenants', load: async () => (await import('./tenants.ts')).tenantsCommand },
  {
    name: 'users',
    summary: 'add or list API users (passwords are stored as scrypt hashes)',
    load: async () => (await import('./users.ts')).usersCommand,
  },
  {
    name: 'keys',
    summary: 'create, list or revoke API keys (a key is printed once; only its hash is stored)',
    load: async () => (await import('./keys.ts')).keysCommand,
  },
  {
    name: 'connections',
    summary: 'add, list, test, pause, resume or remove store connections',
    load: async () => (await import('./connections.ts')).connectionsCommand,
  },
  {
    name: 'runs',
    summary: 'list recent sync runs with their counters and errors',
    load: async () => (await import('./runs.ts')).runsCommand,
  },
  {
    name: 'status',
    summary: 'show every connection with its record counts, last run and cursor',
    load: async () => (await import('./status.ts')).statusCommand,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations (also done at every start)',
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'simulate',
    summary: 'run a provider simulator (woocommerce) on a local port',
    load: async () => ({
      name: 'simulate',
      usage:
        'tributary simulate woocommerce [--port 8080] [--orders 2000] [--seed 1] [--key K] [--secret S]\n' +
        '                               [--latency-ms N] [--error-rate 0.1] [--timeout-rate 0.01] [--rate-limit 5]\n' +
        '                               [--mutate-per-min M] [--history-days 90]',
      run: async (args) => (await import('./simulate.ts')).simulateCommand(args),
    }),
  },
]
