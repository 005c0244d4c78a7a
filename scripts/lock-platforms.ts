// Records every platform build of Biome in package-lock.json. The registry this project installs
// from carries only the Linux builds, so npm leaves the others out of the lock, and `npm ci`
// (which checks the lock against every optional dependency) then refuses to install. The entries
// added here are optional and platform-filtered, so no install ever fetches them on another OS.
// Run after changing dependencies: node scripts/lock-platforms.ts
import { readFileSync, writeFileSync } from 'node:fs'

interface LockEntry {
  version: string
  optionalDependencies?: Record<string, string>
  [key: string]: unknown
}

const LOCK = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(LOCK, 'utf8')) as { packages: Record<string, LockEntry> }
const biome = lock.packages['node_modules/@biomejs/biome']
if (!biome?.optionalDependencies) throw new Error('@biomejs/biome is not in package-lock.json')

let added = 0
for (const [name, version] of Object.entries(biome.optionalDependencies)) {
  const key = `node_modules/${name}`
  if (lock.packages[key]) continue
  const [os, cpu, libc] = name.replace('@biomejs/cli-', '').split('-') as [string, string, string | undefined]
  lock.packages[key] = {
    version,
    cpu: [cpu],
    dev: true,
    license: 'MIT OR Apache-2.0',
    optional: true,
    os: [os],
    ...(libc ? { libc: [libc] } : {}),
    engines: { node: '>=14.21.3' },
  }
  added++
}
const [root, ...rest] = Object.entries(lock.packages)
lock.packages = Object.fromEntries([root!, ...rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))])
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n')
console.log(`package-lock.json: ${added} platform entr${added === 1 ? 'y' : 'ies'} of @biomejs/biome added`)
