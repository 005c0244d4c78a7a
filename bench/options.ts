import { intFlag, parseCommandArgs, UsageError } from '../src/cli/args.ts'

export const SCENARIOS = ['backfill', 'memory', 'incremental', 'ratelimit'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export interface BenchOptions {
  /** Orders the backfill and incremental scenarios sync. */
  readonly orders: number
  readonly only: readonly ScenarioName[]
  /** Measured repetitions per scenario (after one warm-up). */
  readonly repeat: number
  /** CI: tiny sizes, one repetition, seconds in all. */
  readonly smoke: boolean
  readonly json: string | undefined
  readonly seed: number
  /** Requests/s the rate-limited simulator allows and the connection is told. */
  readonly rateLimit: number
  /** Base N of the memory-flatness scenario (it also syncs 5×N); undefined = chosen from --orders. */
  readonly memoryOrders: number | undefined
  /** Directory for `--cpu-prof` profiles of every sync child; undefined = no profiling. */
  readonly profileDir: string | undefined
  readonly help: boolean
}

export const USAGE = `usage: npm run bench -- [--orders 200000] [--only backfill|memory|incremental|ratelimit] [--repeat 3]
                      [--json FILE] [--smoke] [--seed 42] [--rate-limit 5] [--memory-orders N] [--profile DIR]

  --orders N         orders served by the simulator and synced in the backfill and incremental scenarios
  --only NAME        run one scenario (or a comma list); default: all
  --repeat K         measured repetitions per scenario after a warm-up (default 3)
  --json FILE        also write the figures as JSON to FILE (they always go to bench/results/)
  --smoke            CI: tiny sizes, one repetition; exits non-zero if any run fails
  --rate-limit R     requests/s of the rate-limited scenario (default 5)
  --memory-orders N  N of the memory-flatness scenario, which syncs N and 5×N orders (default: --orders ÷ 5,
                     so that 5×N is the size the backfill scenario measures anyway)
  --profile DIR      run every sync child under node --cpu-prof, writing profiles to DIR
`

/** Parses the bench's command line; throws UsageError (exit 2) with a one-line message. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseCommandArgs([...argv], {
    orders: { type: 'string' },
    only: { type: 'string' },
    repeat: { type: 'string' },
    json: { type: 'string' },
    smoke: { type: 'boolean' },
    seed: { type: 'string' },
    'rate-limit': { type: 'string' },
    'memory-orders': { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see --help`)
  const smoke = values.smoke ?? false
  return {
    orders: intFlag(values.orders, 'orders', smoke ? 2000 : 200_000, 100),
    only: parseOnly(values.only),
    repeat: intFlag(values.repeat, 'repeat', smoke ? 1 : 3, 1),
    smoke,
    json: values.json,
    seed: intFlag(values.seed, 'seed', 42),
    rateLimit: intFlag(values['rate-limit'], 'rate-limit', 5, 1),
    memoryOrders:
      values['memory-orders'] === undefined ? undefined : intFlag(values['memory-orders'], 'memory-orders', 0, 100),
    profileDir: values.profile,
    help: values.help ?? false,
  }
}

function parseOnly(value: string | undefined): readonly ScenarioName[] {
  if (value === undefined) return SCENARIOS
  const names = value.split(',').map((name) => name.trim())
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new UsageError(`--only expects ${SCENARIOS.join(', ')} (or a comma list), got "${name}"`)
    }
  }
  return SCENARIOS.filter((name) => names.includes(name))
}

/** Sizes of each scenario, derived from the options; printed before the run so a reader knows what ran. */
export interface BenchPlan {
  readonly backfill: { readonly orders: number; readonly warmupOrders: number; readonly repeat: number }
  readonly memory: { readonly orders: number; readonly largeOrders: number; readonly repeat: number }
  readonly incremental: { readonly orders: number; readonly changed: number; readonly repeat: number }
  readonly ratelimit: {
    readonly limitPerSec: number
    readonly orders: number
    readonly warmupOrders: number
    readonly repeat: number
  }
}

/** The default run must finish in under 10 minutes on a 2-core machine; sizes here are what keeps it so. */
export function planBench(options: BenchOptions): BenchPlan {
  const { orders, repeat, smoke, rateLimit } = options
  // 5×N = --orders by default, so the backfill rounds already measured the large size (the same
  // fresh-process sync into a fresh SQLite file) and the 10-minute budget pays only for N.
  const memoryOrders = options.memoryOrders ?? Math.max(100, Math.round(orders / 5))
  // ~15 s of reading at R requests/s and 100 orders per page (a couple of seconds in a smoke).
  const rateSeconds = smoke ? 2 : 15
  return {
    backfill: { orders, warmupOrders: Math.min(orders, smoke ? 200 : 2000), repeat },
    memory: { orders: memoryOrders, largeOrders: memoryOrders * 5, repeat },
    incremental: { orders, changed: Math.max(1, Math.round(orders / 100)), repeat },
    ratelimit: {
      limitPerSec: rateLimit,
      orders: rateLimit * 100 * rateSeconds,
      warmupOrders: rateLimit * 100,
      repeat,
    },
  }
}
