import { readFileSync } from 'node:fs'

/** process.resourceUsage().maxRSS is in kibibytes; the bench reports mebibytes. */
export function maxRssMbOfThisProcess(): number {
  return process.resourceUsage().maxRSS / 1024
}

/**
 * Resident set of another process from /proc/<pid>/status (Linux): `VmRSS` now and `VmHWM`, its
 * peak so far. undefined where /proc is missing or the process is gone.
 */
export function readRssMb(pid: number): { rssMb: number; peakMb: number } | undefined {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined
  }
  return parseProcStatus(status)
}

export function parseProcStatus(status: string): { rssMb: number; peakMb: number } | undefined {
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)
    return match ? Number(match[1]) : undefined
  }
  const rss = kib('VmRSS')
  if (rss === undefined) return undefined
  return { rssMb: rss / 1024, peakMb: (kib('VmHWM') ?? rss) / 1024 }
}

/**
 * Polls a child's RSS while it runs: a second opinion on the peak the child reports itself, and
 * the only one when a child dies before it can report.
 */
export class RssSampler {
  readonly #pid: number
  readonly #timer: NodeJS.Timeout
  #peakMb = 0

  constructor(pid: number, intervalMs = 250) {
    this.#pid = pid
    this.#timer = setInterval(() => this.sample(), intervalMs)
    this.#timer.unref()
    this.sample()
  }

  sample(): void {
    const reading = readRssMb(this.#pid)
    if (reading) this.#peakMb = Math.max(this.#peakMb, reading.peakMb, reading.rssMb)
  }

  /** Stops polling; the highest value seen (0 when /proc gave nothing). */
  stop(): number {
    clearInterval(this.#timer)
    return this.#peakMb
  }
}
