/** Median, min and max of a scenario's repetitions (the median resists one noisy run on a shared machine). */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly n: number
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((value) => Number.isFinite(value))
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 }
  const sorted = [...finite].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length }
}

/** a / b, or NaN when either is missing or b is zero (printed as "n/a", stored as null). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN
  return a / b
}

/** Rounds for display and JSON: integers above 100, else `digits` decimals; NaN stays NaN. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value
  if (Math.abs(value) >= 100) return Math.round(value)
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
