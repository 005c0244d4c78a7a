import type { BenchContext } from '../context.ts'
import { freshDatabase, seedConnection } from '../database.ts'
import { measureSync } from '../jobs.ts'
import type { MemoryResult } from '../results.ts'
import { startSimulatorProcess } from '../simulator.ts'

/**
 * Scenario 2: peak RSS of the syncing process for a backfill of N and of 5×N orders (SQLite). A
 * sync that streams pages holds the same memory whatever the store's size; the ratio shows it.
 */
export async function runMemory(ctx: BenchContext, backfillPeaksMb?: readonly number[]): Promise<MemoryResult> {
  const { orders, largeOrders, repeat } = ctx.plan.memory
  const peaksMb = await peaksFor(ctx, orders, repeat)
  // By default 5×N is the backfill size: its rounds measured exactly this (a fresh sync process
  // into a fresh SQLite file), so they are reused rather than paid for twice.
  const reuse = backfillPeaksMb !== undefined && backfillPeaksMb.length > 0 && largeOrders === ctx.plan.backfill.orders
  if (reuse) ctx.progress(`memory: ${largeOrders} orders: the peaks of the ${backfillPeaksMb.length} backfill round(s)`)
  const largePeaksMb = reuse ? [...backfillPeaksMb] : await peaksFor(ctx, largeOrders, repeat)
  return { orders, largeOrders, peaksMb, largePeaksMb }
}

async function peaksFor(ctx: BenchContext, orders: number, repeat: number): Promise<number[]> {
  const { workspace, options } = ctx
  const simulator = await startSimulatorProcess({ orders, seed: options.seed })
  const peaks: number[] = []
  try {
    for (let i = 1; i <= repeat; i++) {
      ctx.progress(`memory: ${orders} orders, run ${i}/${repeat}`)
      const database = await freshDatabase(workspace, 'sqlite', 'memory')
      try {
        const connectionId = await seedConnection(workspace, database, simulator, 0)
        const sync = await measureSync(workspace, database, connectionId, {
          label: `memory ${orders} run ${i}`,
          expectStoredOrders: orders,
          profileDir: options.profileDir,
        })
        if (!sync.ok) {
          ctx.fail(sync.failure)
          continue
        }
        ctx.progress(`  peak RSS ${sync.peakRssMb.toFixed(1)} MB (${Math.round(sync.ordersPerSec)} orders/s)`)
        peaks.push(sync.peakRssMb)
      } finally {
        await database.drop()
      }
    }
  } finally {
    await simulator.close()
  }
  return peaks
}
