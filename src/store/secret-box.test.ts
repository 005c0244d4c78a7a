import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { AppError } from '../domain/errors.ts'
import { openSecret, sealSecret } from './secret-box.ts'

const key = randomBytes(32)

test('a sealed secret opens with the same key and hides its plaintext', () => {
  const sealed = sealSecret(key, '{"secret":"cs_live_123"}')
  assert.match(sealed, /^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/)
  assert.doesNotMatch(sealed, /cs_live_123/)
  assert.equal(openSecret(key, sealed), '{"secret":"cs_live_123"}')
})

test('every seal uses a fresh IV', () => {
  assert.notEqual(sealSecret(key, 'same'), sealSecret(key, 'same'))
})

test('another key fails with secret_key_mismatch naming TRIBUTARY_SECRET_KEY', () => {
  const sealed = sealSecret(key, 'x')
  assert.throws(
    () => openSecret(randomBytes(32), sealed),
    (error: unknown) =>
      error instanceof AppError && error.code === 'secret_key_mismatch' && /TRIBUTARY_SECRET_KEY/.test(error.message),
  )
})

test('tampered or foreign values fail clearly', () => {
  const [v, iv, tag, data] = sealSecret(key, 'hello').split(':')
  const flipped = `${v}:${iv}:${tag}:${Buffer.from('jello').toString('base64url')}${data!.slice(7)}`
  assert.throws(() => openSecret(key, flipped), { code: 'secret_key_mismatch' })
  assert.throws(() => openSecret(key, 'plain text'), { code: 'secret_malformed' })
  assert.throws(() => openSecret(key, `v2:${iv}:${tag}:${data}`), { code: 'secret_malformed' })
  assert.throws(() => sealSecret(Buffer.alloc(16), 'x'), { code: 'secret_key_invalid' })
})
