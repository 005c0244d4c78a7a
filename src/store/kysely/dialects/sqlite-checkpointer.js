import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { parentPort, workerData } from 'node:worker_threads'

/**
 * Worker thread: checkpoints the WAL of every SQLite file the process has open, off the main
 * thread. A checkpoint copies WAL frames into the database and fsyncs it; done inside COMMIT (the
 * default wal_autocheckpoint) it stalls the event loop and cost the sync hot path half its time.
 * PASSIVE checkpoints never block the writer and give way to another process's checkpoint.
 *
 * Messages: { open: path } and { close: path }. Replies { closed: path } once it let go of a file.
 */
interface Watched {
  readonly db: DatabaseSync
  readonly checkpoint: StatementSync
}

const { intervalMs } = workerData as { intervalMs: number }
const watched = new Map<string, Watched>()

setInterval(() => {
  for (const { checkpoint } of watched.values()) {
    try {
      checkpoint.get()
    } catch {
      // SQLITE_BUSY (another connection is checkpointing) or a vanished file: try next tick.
    }
  }
}, intervalMs)

parentPort!.on('message', (message: { open?: string; close?: string }) => {
  if (message.open !== undefined && !watched.has(message.open)) {
    try {
      const db = new DatabaseSync(message.open)
      db.exec('pragma busy_timeout = 1000')
      watched.set(message.open, { db, checkpoint: db.prepare('pragma wal_checkpoint(passive)') })
    } catch {
      // Without the helper the main connection's wal_autocheckpoint still bounds the WAL.
    }
  }
  if (message.close !== undefined) {
    watched.get(message.close)?.db.close()
    watched.delete(message.close)
    parentPort!.postMessage({ closed: message.close })
  }
})
