import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { simulateCommand } from '../../../cli/simulate.ts'
import { ValidationError } from '../../../domain/errors.ts'

const MAIN = path.resolve(import.meta.dirname, '../../../main.ts')
// The line the bench parses (bench/simulator.ts).
const FIRST_LINE =
  /^WooCommerce simulator listening on (http:\/\/127\.0\.0\.1:\d+) key=(\S+) secret=(\S+) orders=(\d+)$/

test('`tributary simulate woocommerce` announces itself on one line, serves, and stops on SIGTERM', async (t) => {
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'simulate',
      'woocommerce',
      '--orders',
      '120',
      '--seed',
      '4',
      '--key',
      'ck_cli',
      '--secret',
      'cs_cli',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  t.after(() => void child.kill('SIGKILL'))
  let stdout = ''
  child.stdout.setEncoding('utf8')
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')))
    })
    child.once('exit', (code) => reject(new Error(`exited ${code} before announcing`)))
  })
  const match = FIRST_LINE.exec(firstLine)
  assert.ok(match, firstLine)
  const [, url, key, secret, orders] = match
  assert.deepEqual([key, secret, orders], ['ck_cli', 'cs_cli', '120'])
  const response = await fetch(`${url}/wp-json/wc/v3/orders?consumer_key=${key}&consumer_secret=${secret}`)
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('x-wp-total'), '120')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  assert.equal(code, 0)
  assert.equal(stdout.trim().split('\n').length, 1, 'nothing else on stdout')
})

test('bad arguments exit 2 with a one-line message naming the flag', async () => {
  const run = async (...args: string[]) => {
    const child = spawn(process.execPath, [MAIN, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const [code] = await once(child, 'exit')
    return { code, stderr: stderr.trim() }
  }
  const results = await Promise.all([
    run('woocommerce', '--orders', 'many'),
    run('woocommerce', '--error-rate', '1.5'),
    run('woocommerce', '--colour', 'blue'),
    run('shopify'),
  ])
  for (const result of results) assert.equal(result.code, 2)
  assert.match(results[0]!.stderr, /--orders expects a whole number/)
  assert.match(results[1]!.stderr, /--error-rate expects a share from 0 to 1/)
  assert.match(results[2]!.stderr, /--colour/)
  assert.match(results[3]!.stderr, /unknown provider "shopify"; supported: woocommerce/)
  for (const result of results) assert.equal(result.stderr.split('\n').length, 1, result.stderr)
})

test('simulateCommand runs in-process until told to stop', async () => {
  const stdout = new PassThrough()
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const running = simulateCommand(['woocommerce', '--orders', '30', '--rate-limit', '50'], { stdout, stop: stopped })
  const [chunk] = (await once(stdout, 'data')) as [Buffer]
  const match = FIRST_LINE.exec(chunk.toString().trim())
  assert.ok(match)
  assert.equal(match[4], '30')
  stop()
  assert.equal(await running, 0)
  await assert.rejects(simulateCommand(['paypal']), ValidationError)
  await assert.rejects(simulateCommand([]), /no provider given; supported: woocommerce/)
})
