import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'tributary-config-'))

test('no configuration gives the embedded default and generates a 0600 secret key', () => {
  const cwd = tempDir()
  const config = loadConfig({}, cwd)
  assert.equal(config.dataDir, path.join(cwd, 'data'))
  assert.equal(config.databaseUrl, `sqlite:${path.join(cwd, 'data', 'tributary.db')}`)
  assert.equal(config.secretKey.length, 32)
  assert.equal(config.secretKeySource, 'generated')
  const keyFile = path.join(cwd, 'data', 'secret.key')
  assert.equal(statSync(keyFile).mode & 0o777, 0o600)
  const again = loadConfig({}, cwd)
  assert.equal(again.secretKeySource, 'file')
  assert.deepEqual(again.secretKey, config.secretKey)
  assert.equal(readFileSync(keyFile, 'utf8').trim(), config.secretKey.toString('hex'))
})

test('every bad key is listed with what was expected, never its value', () => {
  const cwd = tempDir()
  assert.throws(
    () =>
      loadConfig(
        { TRIBUTARY_DATABASE_URL: 'mysql://secret-host', TRIBUTARY_PORT: 'abc', TRIBUTARY_SECRET_KEY: 'short' },
        cwd,
      ),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.issues.length, 3)
      assert.match(error.message, /TRIBUTARY_DATABASE_URL: expected sqlite:<path> or postgres:\/\//)
      assert.match(error.message, /TRIBUTARY_PORT/)
      assert.match(error.message, /TRIBUTARY_SECRET_KEY: expected 32 bytes/)
      assert.doesNotMatch(error.message, /secret-host|short/)
      return true
    },
  )
})

test('a config file is read, and the environment wins over it', () => {
  const cwd = tempDir()
  writeFileSync(path.join(cwd, 'tributary.config.json'), JSON.stringify({ port: 4000, logLevel: 'debug' }))
  const config = loadConfig({ TRIBUTARY_PORT: '5000' }, cwd)
  assert.equal(config.port, 5000)
  assert.equal(config.logLevel, 'debug')
  writeFileSync(path.join(cwd, 'tributary.config.json'), JSON.stringify({ prot: 1 }))
  assert.throws(() => loadConfig({}, cwd), /unknown key "prot"/)
})
