import { createHash, randomBytes } from 'node:crypto'

/** Every API key starts with this, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'trb_'

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

/** A new key: shown once; only its hash and first characters are stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url')
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) }
}
