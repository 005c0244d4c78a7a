import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { AppError } from '../domain/errors.ts'

/**
 * Encryption at rest for credentials and webhook secrets: AES-256-GCM with a random 12-byte IV
 * (NIST SP 800-38D's recommended size) and the 16-byte auth tag, written as
 * `v1:<iv>:<tag>:<ciphertext>` in base64url. The version prefix lets a later format or key
 * rotation read old values.
 */
const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32

/** Encrypts `plaintext` with the 32-byte key; every call uses a fresh IV, so equal inputs differ. */
export function sealSecret(key: Buffer, plaintext: string): string {
  assertKey(key)
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':')
}

/**
 * Decrypts a value made by sealSecret. A value sealed under another key fails the GCM
 * authentication check: that is `secret_key_mismatch`, never garbage plaintext.
 */
export function openSecret(key: Buffer, sealed: string): string {
  assertKey(key)
  const parts = sealed.split(':')
  const [version, ivText, tagText, ciphertextText] = parts
  if (parts.length !== 4 || version !== VERSION) {
    throw new AppError(
      'secret_malformed',
      `an encrypted value in the database is not in the ${VERSION}:<iv>:<tag>:<ciphertext> format; it was not written by this version of Tributary or was altered`,
    )
  }
  const iv = Buffer.from(ivText!, 'base64url')
  const tag = Buffer.from(tagText!, 'base64url')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new AppError('secret_malformed', 'an encrypted value in the database has a bad IV or auth tag length')
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText!, 'base64url')), decipher.final()]).toString(
      'utf8',
    )
  } catch (error) {
    throw new AppError(
      'secret_key_mismatch',
      'cannot decrypt stored credentials: TRIBUTARY_SECRET_KEY (or <dataDir>/secret.key) differs from the key that encrypted the data. ' +
        'Restore the original key, or re-enter the credentials of each connection.',
      { cause: error },
    )
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new AppError('secret_key_invalid', `TRIBUTARY_SECRET_KEY must be ${KEY_BYTES} bytes, got ${key.length}`)
  }
}
