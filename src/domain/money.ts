import { NormalizeError } from './errors.ts'

/** ISO 4217 exponents that differ from 2 (providers.md: never assume cents). */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
}

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?$/

/**
 * Converts a provider decimal ("59.90", 24.95, "-2.04") to integer minor units of `currency`,
 * rounding half away from zero past the currency's exponent. Works on the digits, never on floats.
 */
export function toMinorUnits(value: string | number, currency: string, field = 'amount'): number {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim()
  const match = DECIMAL.exec(text)
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new NormalizeError(field, `expected a decimal amount, got ${JSON.stringify(value)}`)
  }
  const exponent = currencyExponent(currency)
  const whole = match[2] || '0'
  const fraction = (match[3] ?? '').padEnd(exponent + 1, '0')
  let minor = Number(whole) * 10 ** exponent + Number(fraction.slice(0, exponent) || '0')
  if (Number(fraction[exponent]) >= 5) minor += 1
  if (!Number.isSafeInteger(minor)) throw new NormalizeError(field, `amount ${text} is too large`)
  return match[1] ? -minor : minor
}

function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) return 'NaN'
  // toFixed avoids exponent notation for the magnitudes money takes.
  return Math.abs(value) < 1e-6 ? '0' : value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '')
}

/** Formats minor units as a decimal string ("5990", "EUR" → "59.90"). */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency)
  const sign = amountMinor < 0 ? '-' : ''
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0')
  if (exponent === 0) return sign + digits
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
}
