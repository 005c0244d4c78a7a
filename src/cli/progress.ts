import type { RunProgress } from '../engine/sync-runner.ts'

/**
 * A one-line progress bar for a terminal (redrawn at most ~10 times a second); silent when the
 * stream is not a TTY, so logs and pipes stay clean.
 */
export function progressBar(out: NodeJS.WritableStream & { isTTY?: boolean }, label: string) {
  const startedAt = Date.now()
  let lastDraw = 0
  const enabled = Boolean(out.isTTY)
  return {
    update(progress: RunProgress) {
      if (!enabled) return
      const now = Date.now()
      if (now - lastDraw < 100) return
      lastDraw = now
      const done = progress.counters.fetched
      const total = progress.total ?? 0
      const rate = Math.round(done / Math.max(0.001, (now - startedAt) / 1000))
      const width = 28
      const share = total > 0 ? Math.min(1, done / total) : 0
      const bar = total > 0 ? '█'.repeat(Math.round(share * width)).padEnd(width, '░') : ''.padEnd(width, '·')
      const count = total > 0 ? `${done}/${total} ${Math.floor(share * 100)}%` : `${done}`
      out.write(`\r${label} ${bar} ${count} · ${rate}/s   `)
    },
    done() {
      if (enabled && lastDraw > 0) out.write('\r\x1b[2K')
    },
  }
}
