/** Canonical time format for everything we store: ISO 8601 UTC with milliseconds and `Z`. */
export function toIsoUtc(date: Date | number): string {
  return new Date(date).toISOString()
}

/**
 * Reads a provider time. `assumeUtc` is for offset-less strings that the provider documents as UTC
 * (WooCommerce `*_gmt`). Returns null for null/empty; throws on garbage.
 */
export function parseProviderTime(value: string | null | undefined, assumeUtc: boolean): string | null {
  if (value === null || value === undefined || value === '') return null
  // Fast path for the common offset-less UTC second ("2025-06-02T11:03:10"): it is read once per
  // time field of every record, and building Dates showed up in backfill profiles.
  if (value.length === 19 && PLAIN_SECOND.test(value)) {
    // Date.parse would roll "02-30" over into March; refuse what no calendar has.
    if (!isValidCalendarTime(value)) throw new RangeError(`not a time: ${JSON.stringify(value)}`)
    if (assumeUtc) return `${value}.000Z`
  }
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(value)
  const text = hasOffset || !assumeUtc ? value : `${value}Z`
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${JSON.stringify(value)}`)
  return new Date(ms).toISOString()
}

const PLAIN_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/

function isValidCalendarTime(value: string): boolean {
  const month = Number(value.slice(5, 7))
  const day = Number(value.slice(8, 10))
  if (month < 1 || month > 12 || day < 1) return false
  const year = Number(value.slice(0, 4))
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return (
    day <= daysInMonth &&
    Number(value.slice(11, 13)) < 24 &&
    Number(value.slice(14, 16)) < 60 &&
    Number(value.slice(17, 19)) < 60
  )
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString()
}
