// `npm run bench`: Tributary's speed and memory as ratios of limits measured in the same run
// (issue 4, docs/benchmarks.md). Progress goes to stderr; the table and, last, the one-line summary
// to stdout. Exit code 0 when every run succeeded, 1 when one failed, 2 on bad arguments.
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { UsageError } from '../src/cli/args.ts'
import type { BenchContext } from './context.ts'
import { backfillDatabaseKind } from './database.ts'
import { MEASURED_NODE_FLAGS } from './jobs.ts'
import { describeMachine } from './machine.ts'
import { type BenchOptions, parseBenchOptions, planBench, USAGE } from './options.ts'
import { buildReport, formatTable, reportJson, summaryLine } from './report.ts'
import type { ScenarioResults } from './results.ts'
import { runBackfillRounds } from './scenarios/backfill.ts'
import { runMemory } from './scenarios/memory.ts'
import { runRateLimit } from './scenarios/rate-limit.ts'
import { Workspace } from './workspace.ts'

const RESULTS_DIR = path.join(import.meta.dirname, 'results')

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions
  try {
    options = parseBenchOptions(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`bench: ${error.message}\n${USAGE}`)
    return 2
  }
  if (options.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const plan = planBench(options)
  const machine = describeMachine()
  const startedAt = new Date()
  const loadAtStart = loadavg()[0]!
  const failures: string[] = []
  const workspace = new Workspace()
  const ctx: BenchContext = {
    options,
    plan,
    workspace,
    fail: (message) => {
      failures.push(message)
      process.stderr.write(`FAILED ${message}\n`)
    },
    progress: (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`),
  }
  ctx.progress(
    `bench on ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, load ${loadAtStart.toFixed(2)}: ` +
      `${options.only.join(', ')}` +
      `${options.smoke ? ' (smoke)' : ''}, ${options.repeat} repetition(s) after a warm-up`,
  )
  describePlan(ctx)

  const results: ScenarioResults = {}
  const selected = new Set(options.only)
  try {
    if (selected.has('backfill') || selected.has('incremental')) {
      const rounds = await runBackfillRounds(ctx, {
        backfill: selected.has('backfill'),
        incremental: selected.has('incremental'),
      })
      if (rounds.backfill) results.backfill = rounds.backfill
      if (rounds.incremental) results.incremental = rounds.incremental
    }
    if (selected.has('memory')) {
      const backfillPeaks =
        results.backfill?.database === 'sqlite' ? results.backfill.rounds.map((round) => round.peakRssMb) : undefined
      results.memory = await runMemory(ctx, backfillPeaks)
    }
    if (selected.has('ratelimit')) results.rateLimit = await runRateLimit(ctx)
  } catch (error) {
    ctx.fail(`the bench itself failed: ${(error as Error).stack ?? error}`)
  } finally {
    workspace.remove()
  }

  const report = buildReport({
    options,
    plan,
    machine,
    results,
    failures,
    startedAt,
    finishedAt: new Date(),
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0]! },
    nodeFlags: MEASURED_NODE_FLAGS,
  })
  const json = reportJson(report)
  mkdirSync(RESULTS_DIR, { recursive: true })
  // One file per day and machine (the day's latest run); a smoke never overwrites a real run's figures.
  const kept = path.join(
    RESULTS_DIR,
    `${startedAt.toISOString().slice(0, 10)}-${machine.hostname}${options.smoke ? '-smoke' : ''}.json`,
  )
  writeFileSync(kept, json)
  if (options.json) writeFileSync(options.json, json)

  process.stdout.write(`\n${formatTable(report)}\n`)
  process.stdout.write(`figures: ${path.relative(process.cwd(), kept)}${options.json ? ` and ${options.json}` : ''}`)
  const load = report.loadAverage
  process.stdout.write(` · ${report.durationSeconds} s in all · load average ${load.atStart} → ${load.atEnd}\n`)
  if (failures.length > 0)
    process.stdout.write(`${failures.length} run(s) FAILED:\n${failures.map((f) => `  ${f}\n`).join('')}`)
  process.stdout.write(`${summaryLine(report)}\n`)
  return failures.length > 0 ? 1 : 0
}

function describePlan(ctx: BenchContext): void {
  const { plan, options } = ctx
  const selected = new Set(options.only)
  ctx.progress(`  measured processes run with the CLI's node flags: ${MEASURED_NODE_FLAGS.join(' ') || '(none)'}`)
  if (selected.has('backfill')) {
    ctx.progress(
      `  backfill: ${plan.backfill.orders} orders on ${backfillDatabaseKind()}, ceilings A and B in every round`,
    )
  }
  if (selected.has('memory')) {
    ctx.progress(`  memory: N = ${plan.memory.orders} and 5×N = ${plan.memory.largeOrders} orders`)
  }
  if (selected.has('incremental')) {
    ctx.progress(`  incremental: ${plan.incremental.changed} of ${plan.incremental.orders} orders changed per round`)
  }
  if (selected.has('ratelimit')) {
    ctx.progress(`  rate limit: ${plan.ratelimit.orders} orders at ${plan.ratelimit.limitPerSec} requests/s`)
  }
}

process.exitCode = await main(process.argv.slice(2))
