import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { forEachDatabase } from '../../../../test/helpers/databases.ts'
import type { JobRepository } from '../../../queue/queue.ts'

/** A clock the test moves by hand; shared by the [sqlite] and [postgres] runs (they run in turn). */
let now = 0
const clock = () => now
const START = Date.parse('2025-06-01T00:00:00.000Z')
const at = (ms: number) => new Date(START + ms).toISOString()

forEachDatabase(
  'a singleton key holds one live job; a finished job frees it',
  async (_t, { store }) => {
    now = START
    const input = { kind: 'sync', tenantId: null, singletonKey: 'sync:c1:orders', payload: { n: 1 } }
    const first = await store.jobs.enqueue(input)
    const second = await store.jobs.enqueue({ ...input, payload: { n: 2 } })
    assert.equal(first.created, true)
    assert.equal(second.created, false)
    assert.equal(second.job.id, first.job.id)
    assert.deepEqual(second.job.payload, { n: 1 })
    assert.equal((await store.jobs.getActiveBySingletonKey('sync:c1:orders'))?.id, first.job.id)
    assert.equal((await store.jobs.enqueue({ ...input, singletonKey: 'sync:c1:customers' })).created, true)

    const claimed = await store.jobs.claimById(first.job.id, 'w1', 1000)
    assert.equal((await store.jobs.enqueue(input)).created, false, 'an active job still holds the key')
    await store.jobs.complete(claimed!.id, 'w1')
    assert.equal(await store.jobs.getActiveBySingletonKey('sync:c1:orders'), undefined)
    const third = await store.jobs.enqueue(input)
    assert.equal(third.created, true)
    assert.notEqual(third.job.id, first.job.id)

    // The key's check runs inside the caller's transaction too (requestSync enqueues in one).
    const inTransaction = await store.transaction((tx) => tx.jobs.enqueue(input))
    assert.equal(inTransaction.created, false)
  },
  { clock },
)

forEachDatabase(
  'claim, heartbeat and complete; nothing is claimed twice or early',
  async (_t, { store }) => {
    now = START
    const { job } = await store.jobs.enqueue({ kind: 'sync', tenantId: 't1', payload: {}, maxAttempts: 3 })
    await store.jobs.enqueue({ kind: 'sync', tenantId: 't1', payload: {}, runAfter: at(60_000) })
    await store.jobs.enqueue({ kind: 'outbox', tenantId: 't1', payload: {} })
    assert.equal(job.state, 'queued')
    assert.equal(job.maxAttempts, 3)
    assert.equal((await store.jobs.enqueue({ kind: 'x', tenantId: null, payload: {} })).job.maxAttempts, 5)

    const claimed = await store.jobs.claim(['sync'], 'w1', 30_000)
    assert.equal(claimed?.id, job.id)
    assert.equal(claimed?.state, 'active')
    assert.equal(claimed?.attempts, 1)
    assert.equal(claimed?.lockedBy, 'w1')
    assert.equal(claimed?.lockedUntil, at(30_000))
    assert.equal(await store.jobs.claim(['sync'], 'w2', 30_000), undefined, 'the other one is not due yet')
    assert.equal(await store.jobs.claim([], 'w2', 30_000), undefined)

    now = START + 20_000
    assert.equal(await store.jobs.heartbeat(job.id, 'w1', 30_000), true)
    assert.equal((await store.jobs.get(job.id))?.lockedUntil, at(50_000))
    assert.equal(await store.jobs.heartbeat(job.id, 'w2', 30_000), false, 'only the holder heartbeats')
    await store.jobs.complete(job.id, 'w2')
    assert.equal((await store.jobs.get(job.id))?.state, 'active', 'only the holder completes')
    await store.jobs.complete(job.id, 'w1')
    const done = await store.jobs.get(job.id)
    assert.equal(done?.state, 'completed')
    assert.equal(done?.lockedBy, null)
    assert.equal(await store.jobs.heartbeat(job.id, 'w1', 30_000), false, 'a finished job has no lease')
    now = START + 60_000
    assert.equal((await store.jobs.claim(['sync'], 'w2', 1000))?.runAfter, at(60_000))
    assert.deepEqual(
      (await store.jobs.list({ states: ['completed'] })).map((j) => j.id),
      [job.id],
    )
    assert.equal((await store.jobs.list({ kinds: ['outbox'] })).length, 1)
  },
  { clock },
)

forEachDatabase(
  'an expired lease is taken over; the old holder is told it lost the job',
  async (_t, { store }) => {
    now = START
    const { job } = await store.jobs.enqueue({ kind: 'sync', tenantId: null, payload: {}, maxAttempts: 2 })
    await store.jobs.claim(['sync'], 'dead-worker', 10_000)
    now = START + 9_999
    assert.equal(await store.jobs.claim(['sync'], 'rescuer', 10_000), undefined)
    assert.equal(await store.jobs.claimById(job.id, 'rescuer', 10_000), undefined)
    now = START + 10_001
    const taken = await store.jobs.claimById(job.id, 'rescuer', 10_000)
    assert.equal(taken?.lockedBy, 'rescuer')
    assert.equal(taken?.attempts, 2)
    assert.equal(await store.jobs.heartbeat(job.id, 'dead-worker', 10_000), false)
    assert.equal(await store.jobs.fail(job.id, 'dead-worker', 'late', { retryable: true, retryDelayMs: 0 }), 'active')

    // Its last attempt's worker dies too: with no attempt left the job is dead, not claimed.
    now = START + 30_000
    assert.equal(await store.jobs.claim(['sync'], 'third', 10_000), undefined)
    const dead = await store.jobs.get(job.id)
    assert.equal(dead?.state, 'dead')
    assert.match(dead?.lastError ?? '', /lease expired/)
  },
  { clock },
)

forEachDatabase(
  'retryable failures retry after the delay until attempts run out; others fail at once',
  async (_t, { store }) => {
    now = START
    const { job } = await store.jobs.enqueue({ kind: 'sync', tenantId: null, payload: {}, maxAttempts: 2 })
    await store.jobs.claim(['sync'], 'w', 60_000)
    assert.equal(await store.jobs.fail(job.id, 'w', 'HTTP 503', { retryable: true, retryDelayMs: 5000 }), 'retry')
    const retry = await store.jobs.get(job.id)
    assert.equal(retry?.runAfter, at(5000))
    assert.equal(retry?.lastError, 'HTTP 503')
    assert.equal(retry?.lockedBy, null)
    assert.equal(await store.jobs.claim(['sync'], 'w', 60_000), undefined, 'not before the delay')
    assert.equal((await store.jobs.enqueue({ kind: 'sync', tenantId: null, payload: {} })).created, true)
    now = START + 5000
    const again = await store.jobs.claimById(job.id, 'w', 60_000)
    assert.equal(again?.attempts, 2)
    assert.equal(await store.jobs.fail(job.id, 'w', 'HTTP 503 again', { retryable: true, retryDelayMs: 5000 }), 'dead')
    assert.equal((await store.jobs.get(job.id))?.state, 'dead')

    const other = await store.jobs.claim(['sync'], 'w', 60_000)
    assert.equal(
      await store.jobs.fail(other!.id, 'w', 'bad credentials', { retryable: false, retryDelayMs: 0 }),
      'failed',
    )
    assert.equal((await store.jobs.get(other!.id))?.state, 'failed')
    await assert.rejects(store.jobs.fail('missing', 'w', 'x', { retryable: true, retryDelayMs: 0 }), {
      code: 'not_found',
    })

    const { job: cancelled } = await store.jobs.enqueue({ kind: 'sync', tenantId: null, payload: {} })
    assert.equal(await store.jobs.cancel(cancelled.id), true)
    assert.equal(await store.jobs.cancel(cancelled.id), false)
    assert.equal(await store.jobs.claim(['sync'], 'w', 1000), undefined)
  },
  { clock },
)

const JOBS = 120

/** Claims until none is left; "works" a few ms per job so every claimer gets turns. */
async function claimLoop(jobs: JobRepository, workerId: string): Promise<string[]> {
  const claimed: string[] = []
  for (;;) {
    const job = await jobs.claim(['race'], workerId, 60_000)
    if (!job) return claimed
    claimed.push(job.id)
    await new Promise((resolve) => setTimeout(resolve, 3))
    await jobs.complete(job.id, workerId)
  }
}

const OPEN_STORE = new URL('../open-store.ts', import.meta.url).href

/** The same loop in another process, on the same database. */
const CHILD = `
const { openStore } = await import(${JSON.stringify(OPEN_STORE)})
const store = await openStore({ databaseUrl: process.env.DB_URL, secretKey: Buffer.from(process.env.KEY, 'hex'), migrate: false })
process.stdout.write('ready\\n')
await new Promise((resolve) => process.stdin.once('data', resolve))
const loop = async (id) => {
  const claimed = []
  for (;;) {
    const job = await store.jobs.claim(['race'], id, 60000)
    if (!job) return claimed
    claimed.push(job.id)
    await new Promise((resolve) => setTimeout(resolve, 3))
    await store.jobs.complete(job.id, id)
  }
}
const claimed = (await Promise.all([loop('child-a'), loop('child-b')])).flat()
await store.close()
process.stdout.write(JSON.stringify(claimed) + '\\n')
`

forEachDatabase('concurrent claimers in two processes never get the same job', async (t, db) => {
  const { store } = db
  const ids = new Set<string>()
  for (let i = 0; i < JOBS; i++)
    ids.add((await store.jobs.enqueue({ kind: 'race', tenantId: null, payload: { i } })).job.id)

  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, DB_URL: db.databaseUrl, KEY: db.secretKey.toString('hex') },
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
  })
  t.after(() => void child.kill())
  let output = ''
  child.stdout.setEncoding('utf8')
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk
      if (output.startsWith('ready\n')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`the child exited early (${code})`)))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await ready
  child.stdin.end('go\n')

  const mine = await Promise.all([1, 2, 3, 4].map((n) => claimLoop(store.jobs, `parent-${n}`)))
  assert.equal(await exited, 0)
  const theirs = JSON.parse(output.slice('ready\n'.length)) as string[]
  const all = [...mine.flat(), ...theirs]
  assert.equal(new Set(all).size, all.length, 'no job was claimed twice')
  assert.deepEqual(new Set(all), ids, 'every job was claimed')
  assert.ok(
    theirs.length > 0 && mine.flat().length > 0,
    `both processes claimed (${mine.flat().length}/${theirs.length})`,
  )
  const completed = await store.jobs.list({ kinds: ['race'], states: ['completed'], limit: 1000 })
  assert.equal(completed.length, JOBS)
  assert.ok(completed.every((job) => job.attempts === 1))
})
