import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { ValidationError } from '../../domain/errors.ts'

/** scrypt cost parameters (OWASP's minimum for scrypt: N=2^14, r=8, p=1). Stored with each hash. */
const N = 16384
const R = 8
const P = 1
const KEY_LENGTH = 64

export const MIN_PASSWORD_LENGTH = 10

function derive(password: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ])
  }
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P, KEY_LENGTH)
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length)
  return timingSafeEqual(key, expected)
}

/** A hash of nothing in particular: login verifies against it when the email is unknown, so timing does not tell. */
export const DUMMY_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`
