import { contentHash } from '../domain/content-hash.ts'

/** One provider page as paging helpers see it. */
export interface NumberedPage<T> {
  readonly items: readonly T[]
  /** The provider's count for the whole listing, when it says (X-WP-Total). */
  readonly total: number | null
}

/**
 * Walks numbered pages from `firstPage` until one comes back shorter than `pageSize`. For listings
 * whose order is stable under change (ascending ids): on a listing sorted by a changing field page
 * numbers skip rows (providers.md §2.2), so use a keyset there.
 */
export async function* numberedPages<T>(
  fetchPage: (page: number) => Promise<NumberedPage<T>>,
  options: { readonly firstPage: number; readonly pageSize: number },
): AsyncGenerator<NumberedPage<T> & { readonly page: number; readonly last: boolean }> {
  for (let page = Math.max(1, options.firstPage); ; page++) {
    const result = await fetchPage(page)
    const last = result.items.length < options.pageSize
    if (result.items.length > 0) yield { ...result, page, last }
    if (last) return
  }
}

/**
 * The rows a time-keyset read has already passed at its boundary. A provider that filters with a
 * strict `>` at one-second precision makes every restart re-read the boundary second; this keeps
 * those rows (and nothing older) so each version is yielded once per read. Keyed on the row's id and
 * content hash rather than its timestamp alone: a different payload with an equal timestamp is a
 * new version and must not be dropped (DESIGN.md, traps).
 */
export class BoundarySeen {
  readonly #rows = new Map<string, number>()
  #newestMs = Number.NEGATIVE_INFINITY

  get size(): number {
    return this.#rows.size
  }

  /** Whether this exact version of the row was already read. */
  has(id: string, timeMs: number, row: unknown): boolean {
    // Nothing newer than the newest remembered row can have been read: skip the hashing.
    if (timeMs > this.#newestMs) return false
    return this.#rows.has(keyOf(id, row))
  }

  remember(id: string, timeMs: number, row: unknown): void {
    this.#rows.set(keyOf(id, row), timeMs)
    if (timeMs > this.#newestMs) this.#newestMs = timeMs
  }

  /** Drops rows at or before `timeMs`: a read filtering `> timeMs` cannot return them again. */
  forgetUpTo(timeMs: number): void {
    for (const [key, at] of this.#rows) if (at <= timeMs) this.#rows.delete(key)
  }
}

function keyOf(id: string, row: unknown): string {
  return `${id}\u0000${contentHash(JSON.stringify(row))}`
}
