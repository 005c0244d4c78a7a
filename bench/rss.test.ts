import assert from 'node:assert/strict'
import { test } from 'node:test'
import { maxRssMbOfThisProcess, parseProcStatus, RssSampler, readRssMb } from './rss.ts'

test('parses VmRSS and VmHWM from /proc/<pid>/status', () => {
  const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t7\n'
  assert.deepEqual(parseProcStatus(status), { rssMb: 100, peakMb: 200 })
  assert.equal(parseProcStatus('Name:\tkthreadd\n'), undefined)
})

test('reads this process (Linux) and a sampler never reports less than what it read', {
  skip: process.platform !== 'linux',
}, () => {
  const own = readRssMb(process.pid)
  assert.ok(own && own.rssMb > 0 && own.peakMb >= own.rssMb)
  const sampler = new RssSampler(process.pid, 10_000)
  assert.ok(sampler.stop() >= own.rssMb * 0.5)
  assert.ok(maxRssMbOfThisProcess() > 0)
})

test('a process that is gone reads as undefined', () => {
  assert.equal(readRssMb(2 ** 22 + 12345), undefined)
})
