/**
 * WooCommerce date strings: ISO 8601 to the second, without an offset; `*_gmt` fields are UTC and
 * the others the site's local time (providers.md §2.6). The simulator keeps every time as whole
 * Unix seconds, which is also the precision of Woo's date filters.
 */

export const MINUTE = 60
export const HOUR = 3600
export const DAY = 86_400

/** `2025-06-01T12:15:22` for Unix seconds `sec`, shifted by `offsetMinutes` (0 for the `_gmt` fields). */
export function wooDate(sec: number, offsetMinutes = 0): string {
  // Formatting dates is a good part of building an order: the day part is cached in a dense array
  // (a sparse one would fall back to dictionary mode), the time part is put together from small
  // tables that stay in the CPU cache.
  const local = sec + offsetMinutes * MINUTE
  const day = Math.floor(local / DAY)
  const second = local - day * DAY
  const slot = day - FIRST_CACHED_DAY
  let dayText = slot >= 0 && slot < CACHED_DAYS ? DAY_TEXT[slot] : undefined
  if (dayText === undefined) {
    dayText = new Date(day * DAY * 1000).toISOString().slice(0, 10)
    if (slot >= 0 && slot < CACHED_DAYS) DAY_TEXT[slot] = dayText
  }
  return (
    dayText + HOUR_TEXT[Math.floor(second / HOUR)]! + SIXTY[Math.floor(second / MINUTE) % 60]! + SIXTY[second % 60]!
  )
}

/** 2000-01-01 and 100 years on. */
const FIRST_CACHED_DAY = 10_957
const CACHED_DAYS = 36_525
const DAY_TEXT: (string | undefined)[] = new Array<string | undefined>(CACHED_DAYS).fill(undefined)
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n))
const HOUR_TEXT = Array.from({ length: 24 }, (_, hour) => `T${twoDigits(hour)}`)
const SIXTY = Array.from({ length: 60 }, (_, n) => `:${twoDigits(n)}`)

/** The pair Woo sends for one instant: site-local and UTC. */
export function wooDatePair(sec: number | null, offsetMinutes: number): [string | null, string | null] {
  if (sec === null) return [null, null]
  return [wooDate(sec, offsetMinutes), wooDate(sec)]
}

// WordPress's rest_parse_date(): a date-time with a `T`, optional fraction and offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * Reads a date filter value as Unix seconds UTC. A value without an offset is a wall-clock time in
 * the compared column's zone: UTC when `datesAreGmt`, else the site's (that is what dates_are_gmt
 * switches, providers.md §2.2). A value with an offset names an instant whatever the column.
 * Fractions are dropped, as MySQL compares the columns at one-second precision. Returns undefined
 * when the value is not a date-time WordPress would accept.
 */
export function parseFilterDate(value: string, datesAreGmt: boolean, siteOffsetMinutes: number): number | undefined {
  const match = DATE_TIME.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, zone] = match
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) {
    return undefined
  }
  if (zone === undefined) return datesAreGmt ? wall : wall - siteOffsetMinutes * MINUTE
  if (zone.toUpperCase() === 'Z') return wall
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')
  return wall - sign * minutes * MINUTE
}
