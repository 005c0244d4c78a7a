import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { ValidationError } from '../../domain/errors.ts'
import { parseDatabaseUrl } from './open-store.ts'

test('sqlite URLs name a file (resolved) or memory', () => {
  assert.deepEqual(parseDatabaseUrl('sqlite:./data/t.db'), { dialect: 'sqlite', path: path.resolve('data/t.db') })
  assert.deepEqual(parseDatabaseUrl('sqlite:/var/lib/t.db'), { dialect: 'sqlite', path: '/var/lib/t.db' })
  assert.deepEqual(parseDatabaseUrl('sqlite:///var/lib/t.db'), { dialect: 'sqlite', path: '/var/lib/t.db' })
  assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' })
})

test('postgres and postgresql URLs pass through', () => {
  for (const url of ['postgres://u:p@db:5432/app', 'postgresql://localhost/app']) {
    assert.deepEqual(parseDatabaseUrl(url), { dialect: 'postgres', connectionString: url })
  }
})

test('anything else names TRIBUTARY_DATABASE_URL and the expected forms, never the value', () => {
  for (const bad of ['mysql://secret-host/db', 'sqlite:', 'postgres://', '/just/a/path.db', '']) {
    assert.throws(
      () => parseDatabaseUrl(bad),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError)
        assert.equal(error.code, 'invalid_database_url')
        assert.match(error.message, /^TRIBUTARY_DATABASE_URL: .*expected sqlite:<path> .* or postgres:\/\//)
        assert.doesNotMatch(error.message, /secret-host/)
        assert.equal(error.errors[0]?.path, 'TRIBUTARY_DATABASE_URL')
        return true
      },
    )
  }
})
