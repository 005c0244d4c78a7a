import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTokenBucket } from './rate-limiter.ts'

/** A clock that only moves when a caller sleeps; records when each acquire returned. */
function fakeClock() {
  let time = 1_000
  const sleeps: number[] = []
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms
    },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      time += ms
    },
    sleeps,
  }
}

test('sequential calls are spaced exactly one interval apart, at the full rate', async () => {
  const clock = fakeClock()
  const bucket = createTokenBucket({ ratePerSec: 4, now: clock.now, sleep: clock.sleep })
  const times: number[] = []
  for (let i = 0; i < 9; i++) {
    await bucket.acquire()
    times.push(clock.now())
  }
  assert.deepEqual(
    times.map((t) => t - times[0]!),
    [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000],
  )
  // 8 intervals for 9 calls: utilisation is exactly the configured rate.
  assert.equal((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000), 4)
})

test('time a caller spent working counts toward its interval (no drift)', async () => {
  const clock = fakeClock()
  const bucket = createTokenBucket({ ratePerSec: 10, now: clock.now, sleep: clock.sleep })
  await bucket.acquire()
  clock.advance(60) // the request took 60 ms
  await bucket.acquire()
  assert.deepEqual(clock.sleeps, [40])
  clock.advance(250) // slower than the rate: no wait, and no catch-up burst afterwards
  await bucket.acquire()
  await bucket.acquire()
  assert.deepEqual(clock.sleeps, [40, 100])
})

test('concurrent callers reserve distinct slots', async () => {
  const clock = fakeClock()
  const waits: number[] = []
  const bucket = createTokenBucket({
    ratePerSec: 5,
    now: clock.now,
    sleep: async (ms) => {
      waits.push(ms)
    },
  })
  await Promise.all([bucket.acquire(), bucket.acquire(), bucket.acquire()])
  assert.deepEqual(waits, [200, 400])
})

test('a burst lets that many calls go at once after an idle spell, then spaces the rest', async () => {
  const clock = fakeClock()
  const bucket = createTokenBucket({ ratePerSec: 10, burst: 3, now: clock.now, sleep: clock.sleep })
  for (let i = 0; i < 5; i++) await bucket.acquire()
  assert.deepEqual(clock.sleeps, [100, 100])
})

test('pauseFor holds every caller back, then spacing resumes from the end of the pause', async () => {
  const clock = fakeClock()
  const bucket = createTokenBucket({ ratePerSec: 10, now: clock.now, sleep: clock.sleep })
  await bucket.acquire()
  bucket.pauseFor(5_000)
  await bucket.acquire()
  assert.deepEqual(clock.sleeps, [5_000])
  await bucket.acquire()
  assert.deepEqual(clock.sleeps, [5_000, 100])
})

test('a pause that arrives while a caller sleeps holds that caller too', async () => {
  const clock = fakeClock()
  let bucketRef: ReturnType<typeof createTokenBucket> | undefined
  let paused = false
  const bucket = createTokenBucket({
    ratePerSec: 10,
    now: clock.now,
    sleep: async (ms) => {
      clock.advance(ms)
      if (!paused) {
        paused = true
        bucketRef!.pauseFor(1_000)
      }
    },
  })
  bucketRef = bucket
  await bucket.acquire()
  const before = clock.now()
  await bucket.acquire()
  assert.ok(clock.now() >= before + 100 + 1_000 - 1, `released at +${clock.now() - before}ms`)
})

test('rate 0 is unlimited but still honours a pause', async () => {
  const clock = fakeClock()
  const bucket = createTokenBucket({ ratePerSec: 0, now: clock.now, sleep: clock.sleep })
  for (let i = 0; i < 100; i++) await bucket.acquire()
  assert.deepEqual(clock.sleeps, [])
  bucket.pauseFor(300)
  await bucket.acquire()
  assert.deepEqual(clock.sleeps, [300])
})

test('an aborted signal rejects with its reason', async () => {
  const bucket = createTokenBucket({ ratePerSec: 1 })
  const reason = new Error('stop')
  await assert.rejects(bucket.acquire(AbortSignal.abort(reason)), (error) => error === reason)
  await bucket.acquire()
  const controller = new AbortController()
  const waiting = bucket.acquire(controller.signal)
  controller.abort(reason)
  await assert.rejects(waiting, (error) => error === reason)
})
