import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

// The layering of STYLE.md §1, read from import lines: a forbidden edge fails with its file and line.
const SRC = path.resolve(import.meta.dirname, '../src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

interface Edge {
  readonly from: string
  readonly to: string
  readonly line: number
}

function importsOf(file: string): Edge[] {
  const from = path.relative(SRC, file)
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const match = /^\s*(?:import|export)\b[^'"]*from\s+['"](\.[^'"]+)['"]/.exec(text)
      if (!match) return []
      return [{ from, to: path.relative(SRC, path.resolve(path.dirname(file), match[1]!)), line: index + 1 }]
    })
}

const startsWith = (prefix: string) => (p: string) => p === prefix || p.startsWith(prefix + '/')
const isDomain = startsWith('domain')
const isLib = startsWith('lib')
const PORTS = ['connectors/connector.ts', 'store/store.ts', 'queue/queue.ts']
const providerOf = (p: string) => /^connectors\/([^/]+)\//.exec(p)?.[1]

/** Returns why an edge is forbidden, or undefined when it is allowed. */
function violation({ from, to }: Edge): string | undefined {
  if (isDomain(from) && !isDomain(to)) return 'domain/ imports only domain/'
  if ((startsWith('config')(from) || isLib(from)) && !startsWith(from.split('/')[0]!)(to)) {
    return `${from.split('/')[0]}/ imports nothing else from src/`
  }
  const provider = providerOf(from)
  if (provider) {
    const allowed =
      isDomain(to) ||
      isLib(to) ||
      to === 'connectors/connector.ts' ||
      to === 'connectors/paging.ts' ||
      providerOf(to) === provider
    if (!allowed) return 'a connector imports domain/, lib/, connector.ts, paging.ts and its own folder only'
  }
  if (startsWith('engine')(from)) {
    const allowed = isDomain(to) || isLib(to) || PORTS.includes(to) || startsWith('engine')(to)
    if (!allowed) return 'engine/ knows ports, never adapters or providers by name'
  }
  if (startsWith('store')(from) || startsWith('queue')(from)) {
    const allowed = isDomain(to) || isLib(to) || PORTS.includes(to) || startsWith(from.split('/')[0]!)(to)
    if (!allowed) return `${from.split('/')[0]}/ imports domain/, lib/ and the ports only`
  }
  if (
    (startsWith('cli')(from) || startsWith('api')(from)) &&
    (startsWith('store/kysely')(to) || startsWith('queue/embedded')(to))
  ) {
    return 'only main.ts wires adapters'
  }
  return undefined
}

test('imports follow the layering of STYLE.md', () => {
  const files = sourceFiles(SRC)
  assert.ok(files.length > 20, `expected the source tree under ${SRC}`)
  const broken = files
    .flatMap(importsOf)
    .map((edge) => ({ edge, why: violation(edge) }))
    .filter((v) => v.why !== undefined)
    .map(({ edge, why }) => `src/${edge.from}:${edge.line} imports src/${edge.to} — ${why}`)
  assert.deepEqual(broken, [])
})

test('the layering check catches a forbidden edge', () => {
  assert.ok(violation({ from: 'domain/money.ts', to: 'store/store.ts', line: 1 }))
  assert.ok(violation({ from: 'connectors/woocommerce/streams.ts', to: 'connectors/shopify/client.ts', line: 1 }))
  assert.ok(violation({ from: 'engine/sync-runner.ts', to: 'store/kysely/open-store.ts', line: 1 }))
  assert.ok(violation({ from: 'cli/sync.ts', to: 'store/kysely/open-store.ts', line: 1 }))
  assert.equal(violation({ from: 'engine/sync-runner.ts', to: 'store/store.ts', line: 1 }), undefined)
})
