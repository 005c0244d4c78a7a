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
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(value)
  const text = hasOffset || !assumeUtc ? value : `${value}Z`
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${JSON.stringify(value)}`)
  return new Date(ms).toISOString()
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString()
}
