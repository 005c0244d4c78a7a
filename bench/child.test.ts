import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { LineChild, lastJsonLine, runJsonChild } from './child.ts'

test('the result is the last JSON line, whatever came before', () => {
  assert.deepEqual(lastJsonLine('progress\n{"a":1}\n{"b":2}\n\n'), { b: 2 })
  assert.deepEqual(lastJsonLine('{"a":1}\n{not json\n'), { a: 1 })
  assert.equal(lastJsonLine('no json here\n'), undefined)
})

test('runJsonChild returns the child result, exit code, stderr and a peak RSS', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-child-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const script = path.join(dir, 'child.ts')
  writeFileSync(
    script,
    `console.log('hello'); console.error('to stderr'); console.log(JSON.stringify({ n: Number(process.argv[2]) * 2 })); process.exitCode = 3`,
  )
  const run = await runJsonChild<{ n: number }>(script, ['21'])
  assert.deepEqual(run.result, { n: 42 })
  assert.equal(run.exitCode, 3)
  assert.equal(run.stderrTail, 'to stderr')
  assert.ok(run.wallMs > 0)
  if (process.platform === 'linux') assert.ok(run.sampledPeakRssMb > 0)
})

test('a LineChild announces itself, answers commands in order and stops on close', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-line-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const script = path.join(dir, 'echo.ts')
  writeFileSync(
    script,
    `import { createInterface } from 'node:readline'
console.log('ready on 127.0.0.1')
for await (const line of createInterface({ input: process.stdin })) console.log('echo ' + line)`,
  )
  const child = await LineChild.start(script, [])
  t.after(() => child.close())
  assert.equal(child.firstLine, 'ready on 127.0.0.1')
  const replies = await Promise.all([child.command('one'), child.command('two'), child.command('three')])
  assert.deepEqual(replies, ['echo one', 'echo two', 'echo three'])
  await child.close()
  assert.notEqual(child.process.exitCode ?? child.process.signalCode, null)
})

test('a LineChild that dies before announcing itself is an error with its stderr', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-line-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const script = path.join(dir, 'dies.ts')
  writeFileSync(script, `console.error('cannot start: port in use'); process.exit(1)`)
  await assert.rejects(LineChild.start(script, []), /cannot start: port in use/)
})
