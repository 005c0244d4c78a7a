import { formatDuration } from '../lib/duration.ts'
import type { RunCounters, SyncRun } from '../store/store.ts'

/** A plain left-aligned text table; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length)
  }
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}

export function countersSummary(c: RunCounters): string {
  return `${c.fetched} processed (${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.failed} failed)`
}

export function runSummary(run: SyncRun): string {
  const took = run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : 0
  const head = `${run.stream}: ${countersSummary(run.counters)} in ${formatDuration(took)}`
  if (run.status === 'succeeded') return head
  return `${head} — ${run.status}${run.error ? `: ${run.error}` : ''}`
}
