import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { startWooSimulator } from '../src/connectors/woocommerce/simulator/index.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

/** Runs `tributary …` as a user would, in its own process, with its own data dir. */
function tributary(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/tributary.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function dataDir(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-cli-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('a newcomer syncs a store from the CLI alone: tenant, connection, sync, status, runs', async (t) => {
  const sim = await startWooSimulator({ orders: 640, seed: 9 })
  t.after(() => sim.close())
  const dir = dataDir(t)

  const tenant = await tributary(dir, ['tenants', 'add', 'acme'])
  assert.equal(tenant.code, 0, tenant.stderr)
  const added = await tributary(dir, [
    'connections',
    'add',
    'woocommerce',
    '--tenant',
    'acme',
    '--url',
    sim.url,
    '--key',
    sim.credentials.key,
    '--secret',
    sim.credentials.secret,
    '--every',
    '30m',
    '--lookback',
    '10m',
  ])
  assert.equal(added.code, 0, added.stderr)
  const connectionId = added.stdout.trim()
  assert.match(connectionId, /^[0-9a-f-]{36}$/)

  const sync = await tributary(dir, ['sync', connectionId, '--stream', 'orders'])
  assert.equal(sync.code, 0, sync.stderr)
  // Every listed order plus the trashed ones (stored as tombstones), all new, none failed.
  const summary = /^orders: (\d+) processed \((\d+) created, 0 updated, 0 unchanged, 0 failed\) in \d/.exec(sync.stdout)
  assert.ok(summary, sync.stdout)
  assert.equal(summary[1], summary[2])
  assert.ok(Number(summary[1]) > sim.orderCount(), 'the trash listing is read too')

  const status = await tributary(dir, ['status', '--json'])
  assert.equal(status.code, 0, status.stderr)
  const [connection] = JSON.parse(status.stdout)
  const orders = connection.streams.find((s: { stream: string }) => s.stream === 'orders')
  // The stored count equals the store's own X-WP-Total.
  const response = await fetch(
    `${sim.url}/wp-json/wc/v3/orders?per_page=1&consumer_key=${sim.credentials.key}&consumer_secret=${sim.credentials.secret}`,
  )
  assert.equal(orders.records, Number(response.headers.get('x-wp-total')))
  assert.equal(orders.lastRun.status, 'succeeded')

  const runs = await tributary(dir, ['runs', '--json'])
  assert.equal(JSON.parse(runs.stdout).length, 1)
  assert.doesNotMatch(status.stdout + runs.stdout, new RegExp(sim.credentials.secret), 'no secret is printed')
})

test('bad arguments get a one-line error and a non-zero exit, not a stack trace', async (t) => {
  const dir = dataDir(t)
  const cases: [string[], RegExp][] = [
    [
      ['connections', 'add', 'woocommerce', '--tenant', 'nobody', '--url', 'http://x', '--key', 'k', '--secret', 's'],
      /no tenant named "nobody"/,
    ],
    [['connections', 'add', 'magento'], /needs a provider: woocommerce/],
    [['sync'], /usage: tributary sync/],
    [['sync', 'no-such-id'], /no connection with id "no-such-id"/],
    [['sync', 'x', '--days', 'soon'], /--days expects a whole number/],
    [['runs', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ]
  for (const [args, message] of cases) {
    const result = await tributary(dir, args)
    assert.equal(result.code, 2, `${args.join(' ')} → ${result.code}: ${result.stderr}`)
    assert.match(result.stderr, message)
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${result.stderr}`)
  }
  const help = await tributary(dir, ['--help'])
  assert.equal(help.code, 0)
  for (const command of ['demo', 'serve', 'sync', 'tenants', 'connections', 'runs', 'status', 'migrate', 'simulate']) {
    assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`))
  }
})

test('the demo backfills the simulated store completely (--once)', async (t) => {
  const dir = dataDir(t)
  const demo = await tributary(dir, ['demo', '--orders', '300', '--once'])
  assert.equal(demo.code, 0, demo.stderr)
  assert.match(demo.stdout, /stored orders: (\d+) · simulator X-WP-Total: \1 · complete/)
  assert.match(demo.stdout, new RegExp(`data: sqlite:${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
})
