import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { buildApi } from '../../src/api/app.ts'
import { prepareDemoAccess } from '../../src/cli/demo-access.ts'
import { connectorFor } from '../../src/connectors/registry.ts'
import { ProviderContexts } from '../../src/engine/provider-context.ts'
import { requestSync } from '../../src/engine/sync-requests.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { forEachDatabase } from '../helpers/databases.ts'
import { newWooConnection, sampleOrder } from '../helpers/factories.ts'
import { seedOrders } from './harness.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

function start(dataDir: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'bin/tributary.js'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_DATABASE_URL: '',
      TRIBUTARY_SECRET_KEY: '',
      TRIBUTARY_LOG_LEVEL: 'warn',
    },
  })
}

function run(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = start(dataDir, args)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk) => (stdout += chunk))
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('tributary users add, keys create|list|revoke, and serve: the key works over HTTP; SIGTERM stops it cleanly', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-serve-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  assert.equal((await run(dir, ['tenants', 'add', 'acme'])).code, 0)
  const user = await run(dir, [
    'users',
    'add',
    '--tenant',
    'acme',
    '--email',
    'o@acme.test',
    '--password',
    'a long password',
    '--role',
    'owner',
  ])
  assert.equal(user.code, 0, user.stderr)
  const admin = await run(dir, [
    'users',
    'add',
    '--role',
    'admin',
    '--email',
    'root@x.test',
    '--password',
    'a long password',
  ])
  assert.equal(admin.code, 0, admin.stderr)
  const weak = await run(dir, ['users', 'add', '--tenant', 'acme', '--email', 'w@acme.test', '--password', 'short'])
  assert.equal(weak.code, 2)
  const created = await run(dir, ['keys', 'create', '--tenant', 'acme', '--role', 'member'])
  assert.equal(created.code, 0, created.stderr)
  const key = created.stdout.trim()
  assert.match(key, /^trb_/)
  const listed = await run(dir, ['keys', 'list', '--tenant', 'acme', '--json'])
  const keys = JSON.parse(listed.stdout) as Array<{ id: string }>
  assert.equal(keys.length, 1)
  assert.ok(!listed.stdout.includes(key))

  const server = start(dir, ['serve', '--port', '0'])
  const exited = new Promise<number | null>((resolve) => server.on('close', resolve))
  t.after(() => server.kill('SIGKILL'))
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk) => {
      output += chunk
      const match = /Tributary API: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output)
      if (match) resolve(match[1]!)
    })
    server.on('close', () => reject(new Error(`serve exited: ${output}`)))
  })
  const orders = await fetch(`${url}/api/v1/orders`, { headers: { authorization: `Bearer ${key}` } })
  assert.equal(orders.status, 200)
  assert.deepEqual(await orders.json(), { orders: [], count: 0, nextCursor: null })
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'o@acme.test', password: 'a long password' }),
  })
  assert.equal(login.status, 200)

  assert.equal((await run(dir, ['keys', 'revoke', keys[0]!.id, '--tenant', 'acme'])).code, 0)
  assert.equal((await fetch(`${url}/api/v1/orders`, { headers: { authorization: `Bearer ${key}` } })).status, 401)

  server.kill('SIGTERM')
  assert.equal(await exited, 0)
})

forEachDatabase('the demo’s printed curl line returns the demo’s orders', async (t, db) => {
  const tenant = await db.store.tenants.create('demo')
  const shop = await newWooConnection(db.store, tenant.id, { url: 'http://127.0.0.1:9', key: 'k', secret: 's' })
  await seedOrders(db.store, shop, [sampleOrder(), sampleOrder(), sampleOrder()])
  const api = await buildApi({
    store: db.store,
    connectors: connectorFor,
    contexts: new ProviderContexts(connectorFor, { timeoutMs: 1000, maxAttempts: 1 }),
    secretKey: db.secretKey,
    log: createLogger('silent'),
    requestSync: (connection, stream, trigger, options) =>
      requestSync(db.store, { connection, stream, trigger, options: options ?? {}, maxAttempts: 1 }),
  })
  t.after(() => api.close())
  await api.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`
  const access = await prepareDemoAccess(db.store, tenant, base)
  // Run what the curl line says: its header and its URL.
  const header = /-H '([^:]+): ([^']+)'/.exec(access.curl)
  const url = /'(http[^']+)'\s*$/.exec(access.curl)
  assert.ok(header && url, access.curl)
  const response = await fetch(url[1]!, { headers: { [header[1]!]: header[2]! } })
  assert.equal(response.status, 200)
  const body = (await response.json()) as { count: number; orders: unknown[] }
  assert.equal(body.count, 3)
  assert.equal(body.orders.length, 3)
  // The demo login works too, and a second demo start replaces the password.
  const login = (password: string) =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: access.email, password }),
    })
  assert.equal((await login(access.password)).status, 200)
  const again = await prepareDemoAccess(db.store, tenant, base)
  assert.notEqual(again.password, access.password)
  assert.equal((await login(access.password)).status, 401)
})
