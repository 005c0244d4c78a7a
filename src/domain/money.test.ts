import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NormalizeError } from './errors.ts'
import { currencyExponent, formatMinorUnits, toMinorUnits } from './money.ts'

test('decimal strings become integer minor units by the currency exponent', () => {
  assert.equal(toMinorUnits('59.90', 'EUR'), 5990)
  assert.equal(toMinorUnits('0.10', 'USD'), 10)
  assert.equal(toMinorUnits('1250', 'JPY'), 1250)
  assert.equal(toMinorUnits('1.234', 'KWD'), 1234)
  assert.equal(toMinorUnits('-2.04', 'USD'), -204)
  assert.equal(toMinorUnits('.5', 'USD'), 50)
  assert.equal(toMinorUnits('7', 'usd'), 700)
})

test('numbers are read by their digits, not by float maths', () => {
  assert.equal(toMinorUnits(24.95, 'USD'), 2495)
  assert.equal(toMinorUnits(0.1 + 0.2, 'USD'), 30)
  assert.equal(toMinorUnits(1.005, 'USD'), 101)
})

test('extra digits round half away from zero', () => {
  assert.equal(toMinorUnits('10.005', 'USD'), 1001)
  assert.equal(toMinorUnits('10.004', 'USD'), 1000)
  assert.equal(toMinorUnits('-10.005', 'USD'), -1001)
  assert.equal(toMinorUnits('12.5', 'JPY'), 13)
})

test('garbage is a NormalizeError naming the field', () => {
  for (const bad of ['', 'abc', '1,50', '1.2.3', '--1', 'NaN']) {
    assert.throws(
      () => toMinorUnits(bad, 'USD', 'total'),
      (error: unknown) => {
        assert.ok(error instanceof NormalizeError)
        assert.equal(error.field, 'total')
        return true
      },
    )
  }
  assert.throws(() => toMinorUnits(Number.NaN, 'USD'), NormalizeError)
})

test('minor units format back to a decimal string', () => {
  assert.equal(formatMinorUnits(5990, 'EUR'), '59.90')
  assert.equal(formatMinorUnits(5, 'USD'), '0.05')
  assert.equal(formatMinorUnits(-204, 'USD'), '-2.04')
  assert.equal(formatMinorUnits(1250, 'JPY'), '1250')
  assert.equal(formatMinorUnits(1234, 'BHD'), '1.234')
  assert.equal(currencyExponent('IRR'), 2)
})
