#!/usr/bin/env node
// Launcher: Tributary runs on the Node 24 pinned in devDependencies (node:sqlite, type stripping),
// with a small young generation and a bounded old one. V8 otherwise sizes both by the machine's
// memory, and a sync that streams pages (live heap ~30 MB) then carries 100–200 MB of garbage it
// never needed (docs/benchmarks.md). NODE_OPTIONS may set either flag instead.
// When either is missing, the launcher runs itself again under the pinned Node with the flag and
// passes termination signals on, so `serve` still shuts down gracefully.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const V8_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'].filter(
  (flag) => !(process.env.NODE_OPTIONS ?? '').includes(flag.split('=')[0]),
)
const modern = Number(process.versions.node.split('.')[0]) >= 24
const tuned = V8_FLAGS.every((flag) => process.execArgv.includes(flag))

if (modern && tuned) {
  const { runCli } = await import(`${root}src/main.ts`)
  await runCli()
} else {
  const node = modern ? process.execPath : `${root}node_modules/.bin/node`
  if (!existsSync(node)) {
    process.stderr.write(`tributary needs Node.js 24 or later (this is ${process.version}); run npm install first\n`)
    process.exit(1)
  }
  const child = spawn(node, [...V8_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  // Ctrl-C reaches the child directly (same process group); sent twice it would mean "exit now".
  process.on('SIGINT', () => {})
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)))
}
