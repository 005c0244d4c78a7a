// Reads a V8 .cpuprofile (from `npm run bench -- --profile DIR`, i.e. node --cpu-prof) and prints
// where the time went: self time per function and inclusive time per function, as shares of the
// whole profile. Usage: node bench/profile-summary.ts FILE.cpuprofile [--top 25] [--filter TEXT]
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: readonly number[]
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly startTime: number
  readonly endTime: number
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface FunctionTime {
  readonly name: string
  readonly selfMs: number
  readonly totalMs: number
  readonly selfShare: number
  readonly totalShare: number
}

/** Self and inclusive time per function (name + file:line); recursion is counted once per sample. */
export function summarizeProfile(profile: CpuProfile): { totalMs: number; functions: FunctionTime[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const selfUs = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let totalUs = 0
  for (const [id, us] of selfUs) {
    totalUs += us
    const leaf = byId.get(id)!
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + us)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!)
      if (seen.has(name)) continue
      seen.add(name)
      total.set(name, (total.get(name) ?? 0) + us)
    }
  }
  const functions = [...total.keys()].map((name) => ({
    name,
    selfMs: (self.get(name) ?? 0) / 1000,
    totalMs: total.get(name)! / 1000,
    selfShare: (self.get(name) ?? 0) / totalUs,
    totalShare: total.get(name)! / totalUs,
  }))
  return { totalMs: totalUs / 1000, functions }
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const name = functionName || '(anonymous)'
  if (!url) return name
  const file = url.replace(/^file:\/\//, '')
  const shown = file.includes('/node_modules/')
    ? file.slice(file.lastIndexOf('/node_modules/') + 1)
    : path.relative(process.cwd(), file)
  return `${name} ${shown}:${lineNumber + 1}`
}

if (import.meta.main) {
  // `… | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' }, filter: { type: 'string' } },
    allowPositionals: true,
  })
  const file = positionals[0]
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.ts FILE.cpuprofile [--top 25] [--filter TEXT]\n')
    process.exit(2)
  }
  const top = Number(values.top ?? 25)
  const { totalMs, functions } = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
  const shown = values.filter ? functions.filter((f) => f.name.includes(values.filter!)) : functions
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`
  process.stdout.write(`${file}: ${(totalMs / 1000).toFixed(2)} s sampled\n\nself time\n`)
  for (const f of [...shown].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    process.stdout.write(`  ${pct(f.selfShare)}  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}\n`)
  }
  process.stdout.write('\ninclusive time\n')
  for (const f of [...shown].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) {
    process.stdout.write(`  ${pct(f.totalShare)}  ${f.totalMs.toFixed(0).padStart(7)} ms  ${f.name}\n`)
  }
}
