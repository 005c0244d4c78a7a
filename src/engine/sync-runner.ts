import type { ConnectorContext, Page, Stream, StreamCursor } from '../connectors/connector.ts'
import { EMPTY_CURSOR } from '../connectors/connector.ts'
import { contentHash } from '../domain/content-hash.ts'
import type { Customer, Normalized, NormalizeFailure, Order } from '../domain/entities.ts'
import { coerceError } from '../domain/errors.ts'
import { addMs, toIsoUtc } from '../domain/time.ts'
import { prefetch } from '../lib/prefetch.ts'
import type { ConnectionWithCredentials, RunCounters, Store, SyncRun } from '../store/store.ts'
import type { SyncOptions } from './sync-requests.ts'

export interface RunSyncInput {
  readonly store: Store
  readonly stream: Stream
  readonly context: ConnectorContext
  readonly connection: ConnectionWithCredentials
  readonly run: SyncRun
  readonly signal: AbortSignal
  readonly now: () => number
  /** The watermark never passes the run's start minus this. */
  readonly safetyMarginMs: number
  /** Called after every committed page with the run's running totals. */
  readonly onProgress?: (progress: RunProgress) => void
}

export interface RunProgress {
  readonly counters: RunCounters
  readonly total: number | null
}

export type RunOutcome =
  | { readonly status: 'succeeded'; readonly counters: RunCounters }
  | { readonly status: 'failed'; readonly counters: RunCounters; readonly error: Error }

/**
 * Pulls one stream of one connection: reads pages from the checkpoint, normalizes them and applies
 * each page together with its cursor in one transaction. Only a read to the end is `succeeded`
 * (its cursor then drops `resume`); on any error the checkpoint of the last committed page stays and
 * the error is returned for the caller to decide on retries. The run row is finished here only on
 * success, atomically with the final cursor.
 */
export async function runSync(input: RunSyncInput): Promise<RunOutcome> {
  const { store, stream, connection, run } = input
  const runStartedAt = input.now()
  const watermarkCap = toIsoUtc(runStartedAt - input.safetyMarginMs)
  let counters: RunCounters = { ...run.counters }
  let total: number | null = run.total

  try {
    const state = await store.syncState.get(connection.id, stream.name)
    const options = run.options as SyncOptions
    const stored = state?.cursor ?? EMPTY_CURSOR
    const { from, since } = planRead(stored, options, connection.settings, stream.incremental, runStartedAt)
    let watermark = options.full ? null : stored.watermark

    // Normalizing is part of the step read ahead, so page N+1 is fetched, parsed and normalized
    // while page N is written (the store's writes run off the event loop).
    const pages = normalizedPages(stream, stream.read(from, { since, signal: input.signal }))
    for await (const { page, records, failures } of prefetch(pages)) {
      watermark = laterOf(watermark, capAt(page.cursor.watermark, watermarkCap))
      const cursor: StreamCursor = { watermark, resume: page.cursor.resume }
      const counts = await store.applyPage(
        {
          tenantId: connection.tenantId,
          connectionId: connection.id,
          stream: stream.name,
          runId: run.id,
          records: records as Normalized<Order>[] & Normalized<Customer>[],
          failures,
          cursor,
          total: page.total,
        },
        stream.entity,
      )
      counters = {
        pages: counters.pages + 1,
        fetched: counters.fetched + records.length + failures.length,
        created: counters.created + counts.created,
        updated: counters.updated + counts.updated,
        unchanged: counters.unchanged + counts.unchanged,
        failed: counters.failed + counts.failed,
      }
      if (page.total !== undefined) total = page.total
      input.onProgress?.({ counters, total })
      input.signal.throwIfAborted()
    }

    const finishedAt = toIsoUtc(input.now())
    await store.transaction(async (tx) => {
      await tx.syncState.saveCursor(connection.id, stream.name, { watermark, resume: null }, run.id)
      await tx.syncState.markSuccess(connection.id, stream.name, run.id, finishedAt)
      await tx.runs.finish(run.id, 'succeeded', finishedAt, null)
    })
    return { status: 'succeeded', counters }
  } catch (error) {
    return { status: 'failed', counters, error: coerceError(error) }
  }
}

/**
 * Where a read starts. A saved `resume` continues an unfinished read as it was; otherwise an
 * incremental stream reads from the watermark minus the lookback, and the first read goes back
 * `backfillDays` (0 = everything). `--full` forgets the cursor; `--days N` re-reads N days.
 */
export function planRead(
  stored: StreamCursor,
  options: SyncOptions,
  settings: { lookbackMs: number; backfillDays: number },
  incremental: boolean,
  now: number,
): { from: StreamCursor; since: string | null } {
  const daysAgo = (days: number) => toIsoUtc(now - days * 86_400_000)
  if (options.full) return { from: EMPTY_CURSOR, since: null }
  if (options.days !== undefined)
    return { from: { watermark: stored.watermark, resume: null }, since: daysAgo(options.days) }
  if (stored.resume !== null) return { from: stored, since: null }
  if (!incremental) return { from: stored, since: null }
  if (stored.watermark !== null) return { from: stored, since: addMs(stored.watermark, -settings.lookbackMs) }
  return { from: stored, since: settings.backfillDays > 0 ? daysAgo(settings.backfillDays) : null }
}

async function* normalizedPages(stream: Stream, pages: AsyncIterable<Page<unknown>>) {
  for await (const page of pages) yield { page, ...normalizePage(stream, page) }
}

function normalizePage(stream: Stream, page: Page<unknown>) {
  const records: Normalized<Order | Customer>[] = []
  const failures: NormalizeFailure[] = []
  for (const raw of page.records) {
    const rawJson = JSON.stringify(raw)
    try {
      records.push({ entity: stream.normalize(raw), rawJson, hash: contentHash(rawJson) })
    } catch (error) {
      failures.push({ externalId: safeExternalId(stream, raw), rawJson, error: coerceError(error).message })
    }
  }
  return { records, failures }
}

function safeExternalId(stream: Stream, raw: unknown): string | null {
  try {
    return stream.externalId(raw)
  } catch {
    return null
  }
}

function capAt(value: string | null, cap: string): string | null {
  if (value === null) return null
  return value > cap ? cap : value
}

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return a > b ? a : b
}
