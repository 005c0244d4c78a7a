import { startWooSimulator, type WooSimulatorOptions } from '../connectors/woocommerce/simulator/index.ts'
import { ValidationError } from '../domain/errors.ts'
import { intFlag, parseCommandArgs, UsageError } from './args.ts'
import { waitForShutdownSignal } from './signals.ts'

const PROVIDERS = ['woocommerce'] as const

/**
 * `tributary simulate woocommerce [flags]`: runs a provider simulator on 127.0.0.1 until SIGINT or
 * SIGTERM. The first stdout line announces where it listens (the bench parses it):
 *   WooCommerce simulator listening on http://127.0.0.1:PORT key=<key> secret=<secret> orders=<N>
 * `io` is for tests: another stdout, and a promise that stops the simulator instead of a signal.
 */
export async function simulateCommand(
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stop?: Promise<unknown> } = {},
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    port: { type: 'string' },
    orders: { type: 'string' },
    customers: { type: 'string' },
    seed: { type: 'string' },
    key: { type: 'string' },
    secret: { type: 'string' },
    'latency-ms': { type: 'string' },
    'error-rate': { type: 'string' },
    'timeout-rate': { type: 'string' },
    'rate-limit': { type: 'string' },
    'mutate-per-min': { type: 'string' },
    'history-days': { type: 'string' },
  })
  const [provider, ...extra] = positionals
  if (provider === undefined || !(PROVIDERS as readonly string[]).includes(provider)) {
    const named = provider === undefined ? 'no provider given' : `unknown provider "${provider}"`
    throw new ValidationError(`${named}; supported: ${PROVIDERS.join(', ')}`, [], 'invalid_arguments')
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)

  const options: WooSimulatorOptions = {
    port: intFlag(values.port, 'port', 0),
    orders: intFlag(values.orders, 'orders', 200),
    seed: intFlag(values.seed, 'seed', 1),
    latencyMs: intFlag(values['latency-ms'], 'latency-ms', 0),
    errorRate: shareFlag(values['error-rate'], 'error-rate'),
    timeoutRate: shareFlag(values['timeout-rate'], 'timeout-rate'),
    rateLimit: numberFlag(values['rate-limit'], 'rate-limit'),
    mutatePerMin: numberFlag(values['mutate-per-min'], 'mutate-per-min'),
    historyDays: positiveFlag(values['history-days'], 'history-days', 90),
  }
  if (options.port! > 65_535) throw new UsageError(`--port expects a port from 0 to 65535, got "${values.port}"`)
  if (values.customers !== undefined) options.customers = intFlag(values.customers, 'customers', 0)
  if (values.key !== undefined) options.key = nonEmpty(values.key, 'key')
  if (values.secret !== undefined) options.secret = nonEmpty(values.secret, 'secret')

  const simulator = await startWooSimulator(options)
  const { key, secret } = simulator.credentials
  const stdout = io.stdout ?? process.stdout
  stdout.write(
    `WooCommerce simulator listening on ${simulator.url} key=${key} secret=${secret} orders=${simulator.orderCount()}\n`,
  )
  try {
    await (io.stop ?? waitForShutdownSignal())
  } finally {
    await simulator.close()
  }
  return 0
}

function numberFlag(value: string | undefined, flag: string): number {
  if (value === undefined) return 0
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new UsageError(`--${flag} expects a number ≥ 0, got "${value}"`)
  }
  return number
}

function shareFlag(value: string | undefined, flag: string): number {
  const share = numberFlag(value, flag)
  if (share > 1) throw new UsageError(`--${flag} expects a share from 0 to 1 (0.1 = 10%), got "${value}"`)
  return share
}

function positiveFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  const number = numberFlag(value, flag)
  if (number === 0) throw new UsageError(`--${flag} expects a number > 0, got "${value}"`)
  return number
}

function nonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new UsageError(`--${flag} must not be empty`)
  return value
}
