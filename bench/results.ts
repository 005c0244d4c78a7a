import type { DatabaseKind } from './database.ts'

/** One measured repetition of the backfill scenario: the sync and both ceilings, taken back to back. */
export interface BackfillRound {
  readonly ordersPerSec: number
  readonly durationMs: number
  readonly peakRssMb: number
  /** Ceiling A, rows/s of applyPage alone. NaN when it failed. */
  readonly ceilingRowsPerSec: number
  /** Ceiling B, orders/s of fetch + JSON.parse alone. NaN when it failed. */
  readonly ceilingTransportPerSec: number
}

export interface BackfillResult {
  readonly database: DatabaseKind
  readonly orders: number
  readonly rounds: readonly BackfillRound[]
}

export interface MemoryResult {
  readonly orders: number
  readonly largeOrders: number
  /** Peak RSS (MB) of each sync of `orders`, and of each sync of `largeOrders`. */
  readonly peaksMb: readonly number[]
  readonly largePeaksMb: readonly number[]
}

export interface IncrementalRound {
  /** Orders the simulator changed before the run. */
  readonly changed: number
  /** Orders the run read (counters.fetched): the changed ones plus the lookback overlap. */
  readonly examined: number
  /** Orders the run found changed (counters.updated). */
  readonly updated: number
  readonly durationMs: number
}

export interface IncrementalResult {
  readonly database: DatabaseKind
  readonly orders: number
  readonly rounds: readonly IncrementalRound[]
}

export interface RateLimitRun {
  readonly succeeded: boolean
  /** Requests the simulator answered 2xx during the run. */
  readonly requestsOk: number
  readonly http429: number
  readonly durationMs: number
}

export interface RateLimitResult {
  readonly limitPerSec: number
  readonly orders: number
  readonly runs: readonly RateLimitRun[]
}

export interface ScenarioResults {
  backfill?: BackfillResult
  memory?: MemoryResult
  incremental?: IncrementalResult
  rateLimit?: RateLimitResult
}
