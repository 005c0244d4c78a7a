import { currencyExponent } from '../../../domain/money.ts'

/**
 * Money formatting on the hot path of serving orders: the same output as domain/money.ts's
 * formatMinorUnits ("59.90", "1250" for JPY), without its generality.
 */

export function formatMinor(amountMinor: number, currency: string): string {
  if (currency === 'JPY') return String(amountMinor)
  if (currency === 'USD' || currency === 'EUR') {
    const sign = amountMinor < 0 ? '-' : ''
    const abs = Math.abs(amountMinor)
    const cents = abs % 100
    return `${sign}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
  }
  const exponent = currencyExponent(currency)
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0')
  const sign = amountMinor < 0 ? '-' : ''
  return exponent === 0 ? sign + digits : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
}

/** Minor units as a float in major units (Woo's line `price` is a PHP float). */
export function minorToMajor(amountMinor: number, currency: string): number {
  if (currency === 'JPY') return amountMinor
  if (currency === 'USD' || currency === 'EUR') return amountMinor / 100
  return amountMinor / 10 ** currencyExponent(currency)
}
