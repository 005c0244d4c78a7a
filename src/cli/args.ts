import { type ParseArgsConfig, parseArgs } from 'node:util'
import { ValidationError } from '../domain/errors.ts'
import { parseDuration } from '../lib/duration.ts'

export class UsageError extends ValidationError {
  constructor(message: string) {
    super(message, [], 'invalid_arguments')
  }
}

type Options = NonNullable<ParseArgsConfig['options']>

/** parseArgs, strict, with node's messages turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '').split('\n')[0]!)
  }
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}`)
  return value
}

export function durationFlag(value: string | undefined, flag: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs
  const ms = parseDuration(value)
  if (ms === undefined) throw new UsageError(`--${flag} expects a duration like 30s, 10m, 1h or 2d, got "${value}"`)
  return ms
}

export function intFlag(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`--${flag} expects a whole number ≥ ${min}, got "${value}"`)
  }
  return number
}
