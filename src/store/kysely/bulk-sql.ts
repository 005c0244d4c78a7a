/**
 * Builds the hot path's multi-row statements as text, once per (shape, row count): the same page
 * size yields the same SQL every page, so SQLite reuses its prepared statement and nothing is
 * recompiled. Identifiers are fixed by the callers (never user input).
 */
export class BulkSql {
  readonly #dialect: 'sqlite' | 'postgres'
  readonly #cache = new Map<string, string>()

  constructor(dialect: 'sqlite' | 'postgres') {
    this.#dialect = dialect
  }

  /**
   * `insert into table (columns) values (…), (…) <suffix>` for `rows` rows. `suffix` is an
   * ON CONFLICT clause or empty.
   */
  insert(table: string, columns: readonly string[], rows: number, suffix = ''): string {
    const key = `i|${table}|${columns.length}|${rows}|${suffix}`
    let text = this.#cache.get(key)
    if (text === undefined) {
      const tuples: string[] = []
      let next = 1
      for (let row = 0; row < rows; row++) {
        const slots: string[] = []
        for (let column = 0; column < columns.length; column++) slots.push(this.#slot(next++))
        tuples.push(`(${slots.join(',')})`)
      }
      text = `insert into ${table} (${columns.join(', ')}) values ${tuples.join(',')}${suffix ? ` ${suffix}` : ''}`
      this.#remember(key, text)
    }
    return text
  }

  /** A statement with `?` parameters, renumbered to `$n` for PostgreSQL. */
  plain(text: string): string {
    if (this.#dialect === 'sqlite') return text
    const key = `p|${text}`
    let out = this.#cache.get(key)
    if (out === undefined) {
      let next = 1
      out = text.replace(/\?/g, () => `$${next++}`)
      this.#remember(key, out)
    }
    return out
  }

  #slot(n: number): string {
    return this.#dialect === 'sqlite' ? '?' : `$${n}`
  }

  #remember(key: string, text: string): void {
    // Page sizes repeat, so few shapes exist; the bound only guards against a pathological caller.
    if (this.#cache.size >= 512) this.#cache.clear()
    this.#cache.set(key, text)
  }
}

/**
 * Splits `items` into chunks small enough that `perItem` parameters each (plus `fixed`) fit, with
 * sizes that are powers of two (largest first). Every distinct row count is a distinct statement to
 * prepare and cache; with free sizes a long backfill (line counts vary page to page) filled the
 * statement cache with hundreds of large statements and memory grew with the run. Powers of two
 * keep it to a handful per table, for at most one extra statement per halving.
 */
export function chunksFor<T>(items: readonly T[], perItem: number, maxParameters: number, fixed = 0): T[][] {
  const fitting = Math.max(1, Math.min(1024, Math.floor((maxParameters - fixed) / perItem)))
  let size = 2 ** Math.floor(Math.log2(fitting))
  const chunks: T[][] = []
  let start = 0
  while (start < items.length) {
    while (size > items.length - start) size /= 2
    chunks.push(items.slice(start, start + size))
    start += size
  }
  return chunks
}
