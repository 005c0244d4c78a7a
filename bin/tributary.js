#!/usr/bin/env node
// Launcher: Tributary runs on the Node 24 pinned in devDependencies (node:sqlite, type stripping).
// An older `node` on PATH re-executes this with the pinned one.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = `${root}src/main.ts`
if (Number(process.versions.node.split('.')[0]) >= 24) {
  const { runCli } = await import(main)
  await runCli()
} else {
  const pinned = `${root}node_modules/.bin/node`
  if (!existsSync(pinned)) {
    process.stderr.write(`tributary needs Node.js 24 or later (this is ${process.version}); run npm install first\n`)
    process.exit(1)
  }
  const result = spawnSync(pinned, [main, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
