import { table } from '../src/cli/format.ts'
import type { Machine } from './machine.ts'
import type { BenchOptions, BenchPlan } from './options.ts'
import type { BackfillResult, IncrementalResult, MemoryResult, RateLimitResult, ScenarioResults } from './results.ts'
import { ratio, round, type Summary, summarize } from './stats.ts'

/** The figures of one bench run, as written to --json and bench/results/. NaN is written as null. */
export interface BenchReport {
  readonly date: string
  readonly durationSeconds: number
  readonly options: {
    readonly orders: number
    readonly repeat: number
    readonly smoke: boolean
    readonly only: readonly string[]
    readonly seed: number
    /** Node flags of every measured child: the CLI's own (bin/tributary.js). */
    readonly nodeFlags: readonly string[]
  }
  readonly plan: BenchPlan
  readonly machine: Machine
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number }
  readonly backfill?: ReturnType<typeof backfillFigures>
  readonly memory?: ReturnType<typeof memoryFigures>
  readonly incremental?: ReturnType<typeof incrementalFigures>
  readonly rateLimit?: ReturnType<typeof rateLimitFigures>
  readonly failures: readonly string[]
}

export function buildReport(input: {
  options: BenchOptions
  plan: BenchPlan
  machine: Machine
  results: ScenarioResults
  failures: readonly string[]
  startedAt: Date
  finishedAt: Date
  loadAverage: { atStart: number; atEnd: number }
  nodeFlags: readonly string[]
}): BenchReport {
  const { options, results } = input
  return {
    date: input.startedAt.toISOString(),
    durationSeconds: round((input.finishedAt.getTime() - input.startedAt.getTime()) / 1000, 1),
    options: {
      orders: options.orders,
      repeat: options.repeat,
      smoke: options.smoke,
      only: options.only,
      seed: options.seed,
      nodeFlags: input.nodeFlags,
    },
    plan: input.plan,
    machine: input.machine,
    loadAverage: { atStart: round(input.loadAverage.atStart), atEnd: round(input.loadAverage.atEnd) },
    ...(results.backfill ? { backfill: backfillFigures(results.backfill) } : {}),
    ...(results.memory ? { memory: memoryFigures(results.memory) } : {}),
    ...(results.incremental ? { incremental: incrementalFigures(results.incremental) } : {}),
    ...(results.rateLimit ? { rateLimit: rateLimitFigures(results.rateLimit) } : {}),
    failures: input.failures,
  }
}

export function backfillFigures(result: BackfillResult) {
  const speed = summarize(result.rounds.map((r) => r.ordersPerSec))
  const storage = summarize(result.rounds.map((r) => r.ceilingRowsPerSec))
  const transport = summarize(result.rounds.map((r) => r.ceilingTransportPerSec))
  const ceiling = Math.min(storage.median, transport.median)
  const perRound = summarize(
    result.rounds.map((r) => ratio(r.ordersPerSec, Math.min(r.ceilingRowsPerSec, r.ceilingTransportPerSec))),
  )
  const rss = summarize(result.rounds.map((r) => r.peakRssMb))
  return {
    database: result.database,
    orders: result.orders,
    repetitions: speed.n,
    ordersPerSec: round(speed.median),
    ordersPerSecMin: round(speed.min),
    ordersPerSecMax: round(speed.max),
    wallSeconds: round(summarize(result.rounds.map((r) => r.durationMs / 1000)).median, 1),
    ceilingRowsPerSec: round(storage.median),
    ceilingTransportPerSec: round(transport.median),
    /** Which ceiling is the lower one: the limit the sync is judged against. */
    limitedBy: Number.isNaN(ceiling) ? null : storage.median <= transport.median ? 'storage' : 'transport',
    ratio: round(ratio(speed.median, ceiling)),
    ratioMin: round(perRound.min),
    ratioMax: round(perRound.max),
    /** The highest peak RSS of the syncing process over the repetitions. */
    peakRssMb: round(rss.max, 1),
    peakRssMbMedian: round(rss.median, 1),
    summaries: {
      speed,
      storage,
      transport,
      rss,
      wallSeconds: summarize(result.rounds.map((r) => r.durationMs / 1000)),
    },
    rounds: result.rounds,
  }
}

export function memoryFigures(result: MemoryResult) {
  const small = summarize(result.peaksMb)
  const large = summarize(result.largePeaksMb)
  return {
    orders: result.orders,
    largeOrders: result.largeOrders,
    peakRssMb: round(small.median, 1),
    largePeakRssMb: round(large.median, 1),
    flatnessRatio: round(ratio(large.median, small.median)),
    summaries: { small, large },
    peaksMb: result.peaksMb,
    largePeaksMb: result.largePeaksMb,
  }
}

export function incrementalFigures(result: IncrementalResult) {
  const perChanged = summarize(result.rounds.map((r) => ratio(r.examined, r.changed)))
  const seconds = summarize(result.rounds.map((r) => r.durationMs / 1000))
  const mid = (values: readonly number[]) => round(summarize(values).median)
  return {
    database: result.database,
    orders: result.orders,
    changed: mid(result.rounds.map((r) => r.changed)),
    examined: mid(result.rounds.map((r) => r.examined)),
    updated: mid(result.rounds.map((r) => r.updated)),
    examinedPerChanged: round(perChanged.median, 3),
    seconds: round(seconds.median, 2),
    summaries: { perChanged, seconds },
    rounds: result.rounds,
  }
}

export function rateLimitFigures(result: RateLimitResult) {
  const measured = result.runs.filter((r) => r.succeeded)
  const achieved = summarize(measured.map((r) => r.requestsOk / (r.durationMs / 1000)))
  const utilisation = summarize(measured.map((r) => r.requestsOk / (r.durationMs / 1000) / result.limitPerSec))
  return {
    limitPerSec: result.limitPerSec,
    orders: result.orders,
    repetitions: result.runs.length,
    achievedPerSec: round(achieved.median),
    utilisation: round(utilisation.median, 3),
    utilisationMin: round(utilisation.min, 3),
    http429: result.runs.reduce((sum, r) => sum + r.http429, 0),
    failedRuns: result.runs.length - measured.length,
    summaries: { achieved, utilisation },
    runs: result.runs,
  }
}

/** JSON with NaN/Infinity as null (JSON.stringify would do that too, but silently). */
export function reportJson(report: BenchReport): string {
  return `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`
}

export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  if (Math.abs(value) >= 100) return String(Math.round(value))
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

type Row = readonly string[]
const cells = (s: Summary): string[] => [formatFigure(s.median), formatFigure(s.min), formatFigure(s.max)]
const NONE = ['', '']

/** The table of median / min / max with, per scenario, the ceiling measured in the same run and the ratio to it. */
export function formatTable(report: BenchReport): string {
  const rows: Row[] = [['scenario', 'figure', 'median', 'min', 'max', 'ceiling', 'ratio']]
  const { backfill, memory, incremental, rateLimit } = report
  if (backfill) {
    const s = backfill.summaries
    const ceiling = Math.min(s.storage.median, s.transport.median)
    const name = `backfill (${backfill.database}, ${backfill.orders} orders)`
    rows.push([name, 'orders/s', ...cells(s.speed), formatFigure(ceiling), formatFigure(backfill.ratio)])
    rows.push(['', 'wall s', ...cells(s.wallSeconds), ...NONE])
    rows.push(['', 'peak RSS MB', ...cells(s.rss), ...NONE])
    rows.push(['  ceiling A: storage', 'rows/s', ...cells(s.storage), ...NONE])
    rows.push(['  ceiling B: transport', 'orders/s', ...cells(s.transport), ...NONE])
  }
  if (memory) {
    const { small, large } = memory.summaries
    rows.push([`memory (${memory.orders} orders)`, 'peak RSS MB', ...cells(small), ...NONE])
    rows.push([
      `memory (${memory.largeOrders} orders)`,
      'peak RSS MB',
      ...cells(large),
      '',
      formatFigure(memory.flatnessRatio),
    ])
  }
  if (incremental) {
    const { perChanged, seconds } = incremental.summaries
    const name = `incremental (${incremental.changed} of ${incremental.orders} changed)`
    rows.push([name, 'examined/changed', ...cells(perChanged), ...NONE])
    rows.push(['', 'run s', ...cells(seconds), ...NONE])
  }
  if (rateLimit) {
    const { achieved } = rateLimit.summaries
    const name = `rate limit (${rateLimit.limitPerSec}/s, ${rateLimit.orders} orders)`
    rows.push([
      name,
      'requests/s',
      ...cells(achieved),
      String(rateLimit.limitPerSec),
      formatFigure(rateLimit.utilisation),
    ])
    rows.push(['', '429s (total)', String(rateLimit.http429), '', '', ...NONE])
    rows.push(['', 'failed runs', String(rateLimit.failedRuns), '', '', ...NONE])
  }
  const notes: string[] = []
  if (backfill)
    notes.push(`backfill ratio = orders/s ÷ min(ceiling A, ceiling B) (limited by ${backfill.limitedBy ?? 'n/a'})`)
  if (memory) notes.push('memory ratio = peak RSS at 5×N ÷ peak RSS at N (flat ≈ 1.0)')
  if (rateLimit) notes.push('rate-limit ratio = achieved 2xx requests/s ÷ the limit (utilisation)')
  return table(rows) + notes.map((note) => `  ${note}\n`).join('')
}

/** The run's last line, e.g. `backfill 31234 orders/s (ratio 0.66 of ceiling 47000) · peak RSS 142 MB · …`. */
export function summaryLine(report: BenchReport): string {
  const parts: string[] = []
  const { backfill, memory, incremental, rateLimit } = report
  if (backfill) {
    const ceiling = Math.min(backfill.ceilingRowsPerSec, backfill.ceilingTransportPerSec)
    parts.push(
      `backfill ${formatFigure(backfill.ordersPerSec)} orders/s (ratio ${formatFigure(backfill.ratio)} of ceiling ${formatFigure(ceiling)})`,
    )
    parts.push(`peak RSS ${formatFigure(backfill.peakRssMb)} MB`)
  }
  if (memory) {
    parts.push(
      `flatness ${formatFigure(memory.flatnessRatio)} (${formatFigure(memory.largePeakRssMb)} MB at ${memory.largeOrders})`,
    )
  }
  if (incremental) parts.push(`incremental ${formatFigure(incremental.examinedPerChanged)} examined/changed`)
  if (rateLimit) {
    parts.push(
      `rate-limit utilisation ${formatFigure(rateLimit.utilisation)} (${rateLimit.http429} × 429, ${rateLimit.failedRuns} failed)`,
    )
  }
  if (report.failures.length > 0) parts.push(`${report.failures.length} FAILED`)
  return parts.join(' · ')
}
