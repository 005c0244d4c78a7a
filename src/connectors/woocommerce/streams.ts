import { AppError, ProviderError } from '../../domain/errors.ts'
import type { Page, ReadOptions, StreamCursor } from '../connector.ts'
import { BoundarySeen, numberedPages } from '../paging.ts'
import type { WooClient } from './client.ts'
import { wooOrderExternalId } from './normalize.ts'
import type { WooCustomer, WooOrder } from './types.ts'

/** WooCommerce's largest page (providers.md §2.2). */
export const PAGE_SIZE = 100

/**
 * Where an orders read stands. Serialised into the cursor's `resume` after every page, so a read
 * that died continues from the page after the last one committed.
 */
interface OrdersPosition {
  /**
   * The listing being read. `any` (live orders) first, then, with `includeTrash`, `trash`: `any`
   * excludes trashed orders (providers.md §2.2), so a trash that happened while webhooks were lost
   * is only seen by reading the trash itself (§7.2).
   */
  readonly status: 'any' | 'trash'
  /** modified_after in ms, whole seconds, compared with a strict `>`; null reads from the beginning. */
  readonly afterMs: number | null
  readonly page: number
  /**
   * Non-null while paging through the one second after `afterMs` because more rows share it than a
   * page holds; `size` is that second's X-WP-Total when this pass through it began.
   */
  readonly cluster: { readonly size: number | null } | null
  /** Where the trash listing starts: the read's own start. */
  readonly trashAfterMs: number | null
}

/**
 * The orders stream: keyset pagination emulated on `modified_after` (providers.md §7.2). Page
 * numbers over a listing sorted by a changing field skip rows, because a modified row jumps to the
 * end and shifts the rest up (§2.2); so after each page the read restarts at page 1 with
 * modified_after = the page's newest `date_modified_gmt` − 1 s. The filter is a strict `>` at
 * one-second precision, so the restart re-reads the boundary second; BoundarySeen drops the rows
 * already yielded there. When a whole page shares the second after modified_after, moving the
 * keyset cannot make progress: the read then pages through just that second (modified_before
 * bounds it) and starts that second over if its size changes under it, since a change is what
 * shifts page numbers. Drafts (`checkout-draft`) are not orders and are skipped (§2.6).
 */
export async function* readOrders(
  client: WooClient,
  from: StreamCursor,
  options: ReadOptions,
  { includeTrash = false }: { readonly includeTrash?: boolean } = {},
): AsyncGenerator<Page<WooOrder>> {
  let position = from.resume !== null ? parseOrdersResume(from.resume) : startOfRead(options.since)
  let seen = new BoundarySeen()
  let watermarkMs: number | null = null
  let total: number | undefined

  for (;;) {
    const { status, afterMs, page, cluster } = position
    const clusterSecondMs = cluster && afterMs !== null ? afterMs + 1000 : null
    const result = await client.list<WooOrder>(
      'orders',
      {
        // Explicit although it is the default: which rows this listing hides must not depend on the release.
        status,
        // UTC values compared with the *_gmt columns; the default compares site-local times (§2.2).
        dates_are_gmt: 'true',
        modified_after: afterMs === null ? undefined : wooTime(afterMs),
        // modified_before is a strict `<`: this bounds the listing to the one second clusterSecondMs.
        modified_before: clusterSecondMs === null ? undefined : wooTime(clusterSecondMs + 1000),
        orderby: 'modified',
        order: 'asc',
        per_page: PAGE_SIZE,
        page,
      },
      status === 'trash' ? 'orders.list_trash' : 'orders.list',
      options.signal,
    )
    const rows = result.items
    // Progress: what the whole read will list. A resumed read leaves the run's first figure standing.
    if (total === undefined && result.total !== null && from.resume === null) total = result.total
    // A store that ignores status=trash answers with live orders; never take those for deletions.
    if (status === 'trash' && rows.some((row) => row?.status !== 'trash')) return

    const records: WooOrder[] = []
    let pageMaxMs: number | null = null
    for (const row of rows) {
      const id = wooOrderExternalId(row)
      const timeMs = modifiedMs(row)
      if (timeMs !== null && (pageMaxMs === null || timeMs > pageMaxMs)) pageMaxMs = timeMs
      if (id !== null && timeMs !== null && seen.has(id, timeMs, row)) continue
      if (row?.status === 'checkout-draft') continue
      records.push(row)
    }

    const next = nextPosition(position, rows.length, pageMaxMs, clusterSecondMs, result.total)
    if (next !== null) {
      // Rows after the next modified_after will be listed again: remember them, forget the rest.
      const keepAfterMs = next.afterMs ?? Number.NEGATIVE_INFINITY
      for (const row of rows) {
        const id = wooOrderExternalId(row)
        const timeMs = modifiedMs(row)
        if (id !== null && timeMs !== null && timeMs > keepAfterMs) seen.remember(id, timeMs, row)
      }
      if (next.afterMs !== null) seen.forgetUpTo(next.afterMs)
    }
    if (pageMaxMs !== null && (watermarkMs === null || pageMaxMs > watermarkMs)) watermarkMs = pageMaxMs

    // When the live listing is done the trash listing follows, if asked for; after it the read ends.
    const following: OrdersPosition | null =
      next ??
      (status === 'any' && includeTrash
        ? { status: 'trash', afterMs: position.trashAfterMs, page: 1, cluster: null, trashAfterMs: null }
        : null)
    if (rows.length > 0) {
      yield {
        records,
        cursor: {
          watermark: watermarkMs === null ? null : new Date(watermarkMs).toISOString(),
          resume: JSON.stringify(serialise(following ?? position)),
        },
        ...(total !== undefined ? { total } : {}),
      }
    }
    if (following === null) return
    if (following.status !== status) seen = new BoundarySeen()
    position = following
  }
}

/** The next request of the same listing, or null when the listing has been read to its end. */
function nextPosition(
  position: OrdersPosition,
  fetched: number,
  pageMaxMs: number | null,
  clusterSecondMs: number | null,
  total: number | null,
): OrdersPosition | null {
  if (position.cluster && clusterSecondMs !== null) {
    const { size } = position.cluster
    if (size !== null && total !== null && total !== size) {
      // Rows joined or left this second between two pages, so page numbers may have shifted past a
      // row: read the second again from its first page (rows already yielded are dropped as seen).
      return { ...position, page: 1, cluster: { size: null } }
    }
    // A row past the second means the store ignored modified_before; either way the second is done.
    if (fetched < PAGE_SIZE || (pageMaxMs !== null && pageMaxMs > clusterSecondMs)) {
      return { ...position, afterMs: clusterSecondMs, page: 1, cluster: null }
    }
    return { ...position, page: position.page + 1, cluster: { size: size ?? total } }
  }
  if (fetched < PAGE_SIZE) return null
  if (pageMaxMs === null) {
    throw new ProviderError(
      'provider_bad_response',
      'woocommerce listed a full page of orders without a readable date_modified_gmt, so the read cannot move past them — check the store for a plugin that rewrites order JSON',
      { provider: 'woocommerce', retryable: false },
    )
  }
  const candidateMs = floorToSecond(pageMaxMs) - 1000
  if (position.afterMs === null || candidateMs > position.afterMs) return { ...position, afterMs: candidateMs, page: 1 }
  // The whole page is the one second after modified_after: page through that second alone.
  return { ...position, page: 1, cluster: { size: null } }
}

function startOfRead(since: string | null): OrdersPosition {
  let afterMs: number | null = null
  if (since !== null) {
    const sinceMs = Date.parse(since)
    if (Number.isNaN(sinceMs))
      throw new AppError(
        'invalid_cursor',
        `the orders read was asked to start at ${JSON.stringify(since)}, which is not a time`,
      )
    // "Changed at or after since" under a strict `>` at whole seconds: start one second earlier.
    afterMs = floorToSecond(sinceMs) - 1000
  }
  return { status: 'any', afterMs, page: 1, cluster: null, trashAfterMs: afterMs }
}

interface SerialisedPosition {
  readonly v: 1
  readonly status: 'any' | 'trash'
  readonly after: string | null
  readonly page: number
  readonly cluster: { readonly size: number | null } | null
  readonly trashAfter: string | null
}

function serialise(position: OrdersPosition): SerialisedPosition {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    v: 1,
    status: position.status,
    after: iso(position.afterMs),
    page: position.page,
    cluster: position.cluster,
    trashAfter: iso(position.trashAfterMs),
  }
}

function parseOrdersResume(resume: string): OrdersPosition {
  try {
    const value = JSON.parse(resume) as Partial<SerialisedPosition>
    const time = (iso: unknown) => {
      if (iso === null) return null
      const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN
      if (Number.isNaN(ms)) throw new Error(`bad time ${JSON.stringify(iso)}`)
      return ms
    }
    const cluster = value.cluster
    if (
      value.v !== 1 ||
      (value.status !== 'any' && value.status !== 'trash') ||
      !Number.isSafeInteger(value.page) ||
      value.page! < 1 ||
      (cluster !== null &&
        (typeof cluster !== 'object' || (cluster.size !== null && !Number.isSafeInteger(cluster.size))))
    ) {
      throw new Error('unexpected shape')
    }
    return {
      status: value.status,
      afterMs: time(value.after),
      page: value.page!,
      cluster: cluster ? { size: cluster.size } : null,
      trashAfterMs: time(value.trashAfter ?? null),
    }
  } catch (error) {
    throw invalidResume('orders', resume, error)
  }
}

/**
 * The customers stream: a full scan on every run, since customers cannot be filtered by
 * modification time (providers.md §2.2, §7.2). Ordered by ascending id, which edits do not
 * reorder, so page numbers are safe; `role=all` because the default lists only the `customer` role.
 */
export async function* readCustomers(
  client: WooClient,
  from: StreamCursor,
  options: ReadOptions,
): AsyncGenerator<Page<WooCustomer>> {
  const firstPage = from.resume !== null ? parseCustomersResume(from.resume) : 1
  let watermarkMs: number | null = null
  let total: number | undefined
  const fetchPage = async (page: number) => {
    const query = { orderby: 'id', order: 'asc', per_page: PAGE_SIZE, role: 'all', page }
    return client.list<WooCustomer>('customers', query, 'customers.list', options.signal)
  }
  for await (const page of numberedPages(fetchPage, { firstPage, pageSize: PAGE_SIZE })) {
    if (total === undefined && page.total !== null) total = page.total
    for (const customer of page.items) {
      const timeMs = parseGmt(customer?.date_modified_gmt) ?? parseGmt(customer?.date_created_gmt)
      if (timeMs !== null && (watermarkMs === null || timeMs > watermarkMs)) watermarkMs = timeMs
    }
    yield {
      records: page.items,
      cursor: {
        watermark: watermarkMs === null ? null : new Date(watermarkMs).toISOString(),
        resume: JSON.stringify({ v: 1, page: page.page + 1 }),
      },
      ...(total !== undefined ? { total } : {}),
    }
  }
}

function parseCustomersResume(resume: string): number {
  try {
    const value = JSON.parse(resume) as { v?: unknown; page?: unknown }
    if (value.v !== 1 || !Number.isSafeInteger(value.page) || (value.page as number) < 1)
      throw new Error('unexpected shape')
    return value.page as number
  } catch (error) {
    throw invalidResume('customers', resume, error)
  }
}

function invalidResume(stream: string, resume: string, error: unknown): AppError {
  return new AppError(
    'invalid_cursor',
    `the saved resume point of the WooCommerce ${stream} stream (${resume.slice(0, 100)}) is not one this version wrote — run the stream once with --full to start it over`,
    { cause: error, details: { stream } },
  )
}

/** `2025-06-02T11:03:10` (UTC, no offset, as the *_gmt fields are written) for the date filters. */
function wooTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

function modifiedMs(row: WooOrder | null | undefined): number | null {
  return parseGmt(row?.date_modified_gmt)
}

/** WooCommerce `*_gmt` values are UTC without an offset (providers.md §2.6). */
function parseGmt(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`)
  return Number.isNaN(ms) ? null : ms
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000
}
