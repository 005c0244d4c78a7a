import path from 'node:path'
import { LineChild } from './child.ts'

const SCRIPT = path.join(import.meta.dirname, 'simulator-process.ts')

export interface SimulatorStats {
  readonly requests: number
  readonly byStatus: Readonly<Record<string, number>>
  readonly rateLimited: number
}

/** The bench's handle on a simulator running in its own process. */
export interface SimulatorProcess {
  readonly url: string
  readonly credentials: { readonly key: string; readonly secret: string }
  readonly orders: number
  readonly pid: number
  /** Changes `count` existing orders (new date_modified); resolves with how many changed. */
  mutate(count: number): Promise<number>
  stats(): Promise<SimulatorStats>
  close(): Promise<void>
}

const FIRST_LINE = /listening on (\S+) key=(\S+) secret=(\S+) orders=(\d+)/

export function parseAnnouncement(line: string): { url: string; key: string; secret: string; orders: number } {
  const match = FIRST_LINE.exec(line)
  if (!match) throw new Error(`unexpected first line from the simulator: ${line}`)
  return { url: match[1]!, key: match[2]!, secret: match[3]!, orders: Number(match[4]) }
}

export async function startSimulatorProcess(options: {
  orders: number
  seed: number
  rateLimit?: number
}): Promise<SimulatorProcess> {
  const args = ['--orders', String(options.orders), '--seed', String(options.seed)]
  if (options.rateLimit) args.push('--rate-limit', String(options.rateLimit))
  const child = await LineChild.start(SCRIPT, args, { env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' } })
  const { url, key, secret, orders } = parseAnnouncement(child.firstLine)
  const reply = async (command: string) => {
    const line = await child.command(command)
    if (line.startsWith('error')) throw new Error(`simulator: ${line.slice(6)}`)
    return line
  }
  return {
    url,
    credentials: { key, secret },
    orders,
    pid: child.process.pid!,
    mutate: async (count) => Number((await reply(`mutate ${count}`)).slice(3)),
    stats: async () => JSON.parse(await reply('stats')) as SimulatorStats,
    close: () => child.close(),
  }
}

/** 2xx and 429 answers between two stats snapshots. */
export function requestDelta(before: SimulatorStats, after: SimulatorStats): { ok: number; rateLimited: number } {
  const count = (stats: SimulatorStats, match: (status: number) => boolean) =>
    Object.entries(stats.byStatus ?? {}).reduce((sum, [status, n]) => (match(Number(status)) ? sum + n : sum), 0)
  const is2xx = (status: number) => status >= 200 && status < 300
  const rateLimited =
    (after.rateLimited ?? count(after, (s) => s === 429)) - (before.rateLimited ?? count(before, (s) => s === 429))
  const ok = count(after, is2xx) - count(before, is2xx)
  return { ok, rateLimited }
}
