import type { BenchContext } from '../context.ts'
import { freshDatabase, seedConnection } from '../database.ts'
import { measureSync } from '../jobs.ts'
import type { RateLimitResult, RateLimitRun } from '../results.ts'
import { requestDelta, type SimulatorProcess, startSimulatorProcess } from '../simulator.ts'

/**
 * Scenario 4: the simulator allows R requests/s and the connection is told the same budget. A good
 * client spends the whole budget (utilisation ≈ 1) without provoking 429s, and no run fails.
 */
export async function runRateLimit(ctx: BenchContext): Promise<RateLimitResult> {
  const { limitPerSec, orders, warmupOrders, repeat } = ctx.plan.ratelimit
  ctx.progress(`rate limit: warm-up (${warmupOrders} orders at ${limitPerSec}/s)`)
  const warmup = await startSimulatorProcess({ orders: warmupOrders, seed: ctx.options.seed, rateLimit: limitPerSec })
  try {
    await rateLimitedRun(ctx, warmup, limitPerSec, 'rate limit warm-up')
  } finally {
    await warmup.close()
  }
  const simulator = await startSimulatorProcess({ orders, seed: ctx.options.seed, rateLimit: limitPerSec })
  const runs: RateLimitRun[] = []
  try {
    for (let i = 1; i <= repeat; i++) {
      ctx.progress(`rate limit: run ${i}/${repeat} (${orders} orders at ${limitPerSec}/s)`)
      const run = await rateLimitedRun(ctx, simulator, limitPerSec, `rate limit run ${i}`)
      ctx.progress(
        `  ${run.requestsOk} requests in ${(run.durationMs / 1000).toFixed(1)} s = ${(run.requestsOk / (run.durationMs / 1000)).toFixed(2)}/s, ${run.http429} × 429`,
      )
      runs.push(run)
    }
  } finally {
    await simulator.close()
  }
  return { limitPerSec, orders, runs }
}

async function rateLimitedRun(
  ctx: BenchContext,
  simulator: SimulatorProcess,
  limitPerSec: number,
  label: string,
): Promise<RateLimitRun> {
  const { workspace } = ctx
  const database = await freshDatabase(workspace, 'sqlite', 'ratelimit')
  try {
    const connectionId = await seedConnection(workspace, database, simulator, limitPerSec)
    const before = await simulator.stats()
    const sync = await measureSync(workspace, database, connectionId, {
      label,
      expectStoredOrders: simulator.orders,
      profileDir: ctx.options.profileDir,
    })
    const after = await simulator.stats()
    const { ok, rateLimited } = requestDelta(before, after)
    if (!sync.ok) {
      ctx.fail(sync.failure)
      return { succeeded: false, requestsOk: ok, http429: rateLimited, durationMs: Number.NaN }
    }
    return { succeeded: true, requestsOk: ok, http429: rateLimited, durationMs: sync.durationMs }
  } finally {
    await database.drop()
  }
}
