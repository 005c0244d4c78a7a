import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { RunCounters } from '../src/store/store.ts'
import { type ChildRun, runJsonChild } from './child.ts'
import type { BenchDatabase } from './database.ts'
import { launcherV8Flags } from './launcher-flags.ts'
import type { SimulatorProcess } from './simulator.ts'
import type { StorageCeilingResult } from './storage-ceiling-process.ts'
import type { SyncProcessResult } from './sync-process.ts'
import type { TransportCeilingResult } from './transport-ceiling-process.ts'
import type { Workspace } from './workspace.ts'

const HERE = import.meta.dirname
/** The sync and both ceilings run with the flags the CLI runs with (bin/tributary.js). */
export const MEASURED_NODE_FLAGS: readonly string[] = launcherV8Flags()
/** A child that takes longer than this is stuck, not slow (1,000,000 orders take a few minutes). */
const CHILD_TIMEOUT_MS = 30 * 60_000

/** Every measured job either gives its figures or says, in one line, why it failed. */
export type Measured<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly failure: string }

export interface SyncMeasurement {
  readonly status: string
  readonly counters: RunCounters
  readonly durationMs: number
  readonly ordersPerSec: number
  /** Peak RSS of the syncing process: its own maxRSS, or what /proc showed if higher. */
  readonly peakRssMb: number
  readonly wallMs: number
}

export interface SyncJobOptions {
  readonly label: string
  /**
   * A backfill must leave exactly `storedOrders` live orders for the connection (the simulator's
   * X-WP-Total) and read at least as many; it may read a few more (the trash listing, rows read
   * again at a keyset boundary), which count in orders/s like any record the run processed.
   */
  readonly expectStoredOrders?: number
  readonly profileDir?: string | undefined
}

/** One sync run of the orders stream in a fresh child process (bench/sync-process.ts). */
export async function measureSync(
  workspace: Workspace,
  database: BenchDatabase,
  connectionId: string,
  options: SyncJobOptions,
): Promise<Measured<SyncMeasurement>> {
  const nodeFlags = [...MEASURED_NODE_FLAGS]
  if (options.profileDir) {
    // One folder per run: the main thread and the SQLite checkpointer thread each write a profile.
    const dir = path.join(options.profileDir, options.label.replace(/[^a-z0-9]+/gi, '-'))
    mkdirSync(dir, { recursive: true })
    nodeFlags.push('--cpu-prof', '--cpu-prof-dir', dir)
  }
  const child = await runJsonChild<SyncProcessResult>(
    path.join(HERE, 'sync-process.ts'),
    ['--connection', connectionId],
    {
      env: workspace.childEnv(database.url),
      cwd: workspace.dir,
      nodeFlags,
      timeoutMs: CHILD_TIMEOUT_MS,
    },
  )
  const result = child.result
  if (!result)
    return { ok: false, failure: `${options.label}: the sync process printed no result (${describeExit(child)})` }
  if (result.status !== 'succeeded') {
    return {
      ok: false,
      failure: `${options.label}: run ${result.status}: ${result.errorCode ?? ''} ${result.error ?? ''}`.trim(),
    }
  }
  const expected = options.expectStoredOrders
  if (expected !== undefined && (result.storedOrders !== expected || result.counters.fetched < expected)) {
    return {
      ok: false,
      failure: `${options.label}: ${result.storedOrders} orders stored after reading ${result.counters.fetched}; the simulator serves ${expected}`,
    }
  }
  return {
    ok: true,
    status: result.status,
    counters: result.counters,
    durationMs: result.durationMs,
    ordersPerSec: result.counters.fetched / (result.durationMs / 1000),
    peakRssMb: Math.max(result.maxRssMb, child.sampledPeakRssMb),
    wallMs: child.wallMs,
  }
}

/** Ceiling A in a fresh child (bench/storage-ceiling-process.ts): the same rows as the sync, storage timed alone. */
export async function measureStorageCeiling(
  workspace: Workspace,
  database: BenchDatabase,
  connectionId: string,
  simulator: SimulatorProcess,
  label: string,
): Promise<Measured<StorageCeilingResult>> {
  const child = await runJsonChild<StorageCeilingResult>(
    path.join(HERE, 'storage-ceiling-process.ts'),
    ['--connection', connectionId, ...simulatorArgs(simulator)],
    {
      env: workspace.childEnv(database.url),
      cwd: workspace.dir,
      nodeFlags: MEASURED_NODE_FLAGS,
      timeoutMs: CHILD_TIMEOUT_MS,
    },
  )
  const result = child.result
  if (!result || child.exitCode !== 0) return { ok: false, failure: `${label}: ${describeExit(child)}` }
  if (result.rows < simulator.orders) {
    return { ok: false, failure: `${label}: applied ${result.rows} rows, the simulator serves ${simulator.orders}` }
  }
  return { ok: true, ...result }
}

/** Ceiling B in a fresh child (bench/transport-ceiling-process.ts); maxPages limits a warm-up read. */
export async function measureTransportCeiling(
  workspace: Workspace,
  simulator: SimulatorProcess,
  label: string,
  expectOrders: number | undefined,
  maxPages?: number,
): Promise<Measured<TransportCeilingResult>> {
  const args = simulatorArgs(simulator)
  if (maxPages !== undefined) args.push('--max-pages', String(maxPages))
  const child = await runJsonChild<TransportCeilingResult>(path.join(HERE, 'transport-ceiling-process.ts'), args, {
    nodeFlags: MEASURED_NODE_FLAGS,
    env: workspace.childEnv('sqlite::memory:'),
    cwd: workspace.dir,
    timeoutMs: CHILD_TIMEOUT_MS,
  })
  const result = child.result
  if (!result || child.exitCode !== 0) return { ok: false, failure: `${label}: ${describeExit(child)}` }
  if (expectOrders !== undefined && result.orders < expectOrders) {
    return { ok: false, failure: `${label}: read ${result.orders} orders, expected at least ${expectOrders}` }
  }
  return { ok: true, ...result }
}

function simulatorArgs(simulator: SimulatorProcess): string[] {
  return ['--url', simulator.url, '--key', simulator.credentials.key, '--secret', simulator.credentials.secret]
}

function describeExit(child: ChildRun<unknown>): string {
  const how = child.signal ? `killed by ${child.signal}` : `exit code ${child.exitCode}`
  const tail = child.stderrTail.split('\n').slice(-8).join('\n')
  return tail ? `${how}:\n${tail}` : how
}
