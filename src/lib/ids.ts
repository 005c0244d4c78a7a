import { randomFillSync } from 'node:crypto'

/** Random bytes drawn 4 KB at a time: a backfill makes an id per order, and a draw per id showed in profiles. */
const pool = Buffer.alloc(4096)
let used = pool.length

/**
 * A UUID v7: 48 bits of Unix milliseconds then random bits, so ids sort by creation time, which
 * keeps B-tree inserts at the end of the index (both SQLite and PostgreSQL like that).
 */
export function newId(now = Date.now()): string {
  if (used + 16 > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const bytes = Buffer.from(pool.subarray(used, used + 16))
  used += 16
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
