import { createHash } from 'node:crypto'

/** A short, stable hash of a record's serialised provider JSON; equal hashes mean nothing changed. */
export function contentHash(rawJson: string): string {
  return createHash('sha1').update(rawJson).digest('base64url')
}
