import type { BenchContext } from '../context.ts'
import { backfillDatabaseKind, freshDatabase, seedConnection } from '../database.ts'
import { measureStorageCeiling, measureSync, measureTransportCeiling } from '../jobs.ts'
import type { BackfillResult, BackfillRound, IncrementalResult, IncrementalRound } from '../results.ts'
import { startSimulatorProcess } from '../simulator.ts'

/**
 * Scenarios 1 and 3 share their rounds. A round: a fresh simulator process (same seed, same
 * orders) and a fresh database; the backfill sync in its own process; ceiling A into another fresh
 * database; ceiling B from the same simulator; then 1% of the orders changed and the incremental
 * sync on the backfilled database. A new simulator per round keeps the rounds independent: the
 * lookback re-reads whatever changed in the ten minutes before the watermark, which would include
 * the previous round's changes.
 */
export async function runBackfillRounds(
  ctx: BenchContext,
  which: { backfill: boolean; incremental: boolean },
): Promise<{ backfill?: BackfillResult; incremental?: IncrementalResult }> {
  const { plan } = ctx
  const database = backfillDatabaseKind()
  const orders = plan.backfill.orders
  const backfillRounds: BackfillRound[] = []
  const incrementalRounds: IncrementalRound[] = []
  const repeat = Math.max(which.backfill ? plan.backfill.repeat : 0, which.incremental ? plan.incremental.repeat : 0)

  ctx.progress(`backfill: warm-up round (${plan.backfill.warmupOrders} orders, ${database})`)
  await round(ctx, plan.backfill.warmupOrders, 'warm-up', which, database)
  for (let i = 1; i <= repeat; i++) {
    ctx.progress(`backfill: round ${i}/${repeat} (${orders} orders, ${database})`)
    const measured = await round(ctx, orders, `round ${i}`, which, database)
    if (measured.backfill) backfillRounds.push(measured.backfill)
    if (measured.incremental) incrementalRounds.push(measured.incremental)
  }
  return {
    ...(which.backfill ? { backfill: { database, orders, rounds: backfillRounds } } : {}),
    ...(which.incremental ? { incremental: { database, orders, rounds: incrementalRounds } } : {}),
  }
}

async function round(
  ctx: BenchContext,
  orders: number,
  label: string,
  which: { backfill: boolean; incremental: boolean },
  kind: 'sqlite' | 'postgres',
): Promise<{ backfill?: BackfillRound; incremental?: IncrementalRound }> {
  const { workspace, options } = ctx
  const simulator = await startSimulatorProcess({ orders, seed: options.seed })
  const cleanups: (() => Promise<void>)[] = [() => simulator.close()]
  try {
    const database = await freshDatabase(workspace, kind, 'backfill')
    cleanups.push(() => database.drop())
    const connectionId = await seedConnection(workspace, database, simulator, 0)
    const sync = await measureSync(workspace, database, connectionId, {
      label: `backfill ${label}`,
      expectStoredOrders: orders,
      profileDir: options.profileDir,
    })
    if (!sync.ok) {
      ctx.fail(sync.failure)
      return {}
    }
    ctx.progress(
      `  sync ${Math.round(sync.ordersPerSec)} orders/s, ${(sync.durationMs / 1000).toFixed(1)} s, peak RSS ${sync.peakRssMb.toFixed(0)} MB`,
    )

    let backfill: BackfillRound | undefined
    if (which.backfill) {
      const ceilingDb = await freshDatabase(workspace, kind, 'ceiling')
      cleanups.push(() => ceilingDb.drop())
      const ceilingConnection = await seedConnection(workspace, ceilingDb, simulator, 0)
      const storage = await measureStorageCeiling(
        workspace,
        ceilingDb,
        ceilingConnection,
        simulator,
        `ceiling A ${label}`,
      )
      if (!storage.ok) ctx.fail(storage.failure)
      await ceilingDb.drop()
      const transport = await measureTransportCeiling(workspace, simulator, `ceiling B ${label}`, orders)
      if (!transport.ok) ctx.fail(transport.failure)
      const storageRate = storage.ok ? storage.rowsPerSec : Number.NaN
      const transportRate = transport.ok ? transport.ordersPerSec : Number.NaN
      ctx.progress(`  ceiling A ${Math.round(storageRate)} rows/s · ceiling B ${Math.round(transportRate)} orders/s`)
      backfill = {
        ordersPerSec: sync.ordersPerSec,
        durationMs: sync.durationMs,
        peakRssMb: sync.peakRssMb,
        ceilingRowsPerSec: storageRate,
        ceilingTransportPerSec: transportRate,
      }
    }

    let incremental: IncrementalRound | undefined
    if (which.incremental) {
      const changed = await simulator.mutate(Math.max(1, Math.round(orders / 100)))
      const run = await measureSync(workspace, database, connectionId, {
        label: `incremental ${label}`,
        profileDir: options.profileDir,
      })
      if (!run.ok) ctx.fail(run.failure)
      else if (run.counters.updated < changed) {
        ctx.fail(`incremental ${label}: ${changed} orders changed but the run updated only ${run.counters.updated}`)
      } else {
        incremental = {
          changed,
          examined: run.counters.fetched,
          updated: run.counters.updated,
          durationMs: run.durationMs,
        }
        ctx.progress(
          `  incremental: ${changed} changed, ${run.counters.fetched} examined, ${(run.durationMs / 1000).toFixed(2)} s`,
        )
      }
    }
    return { ...(backfill ? { backfill } : {}), ...(incremental ? { incremental } : {}) }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
}
