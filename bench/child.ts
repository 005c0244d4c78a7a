import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { RssSampler } from './rss.ts'

export interface ChildRun<T> {
  /** The last stdout line that parsed as JSON, undefined when the child printed none. */
  readonly result: T | undefined
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** From spawn to exit, start-up included. */
  readonly wallMs: number
  /** Highest RSS seen by polling /proc (0 when unavailable). */
  readonly sampledPeakRssMb: number
  /** The end of the child's stderr, for the failure message. */
  readonly stderrTail: string
}

export interface ChildOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** Flags for node itself, before the script (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[]
  readonly timeoutMs?: number
}

const STDERR_TAIL_CHARS = 4000

/**
 * Runs one bench child (`node <script> <args>`) to its end. Children measure themselves and print
 * one JSON line; every child is a fresh process so its peak RSS belongs to one measured job only.
 */
export function runJsonChild<T>(
  script: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildRun<T>> {
  const started = performance.now()
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const sampler = new RssSampler(child.pid!)
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    // Only whole lines matter and the result is the last one: keep the buffer short.
    if (stdout.length > 1_000_000) stdout = stdout.slice(-100_000)
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)
  })
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      sampler.stop()
      if (timer) clearTimeout(timer)
      reject(error)
    })
    child.once('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer)
      resolve({
        result: lastJsonLine<T>(stdout),
        exitCode,
        signal,
        wallMs: performance.now() - started,
        sampledPeakRssMb: sampler.stop(),
        stderrTail: stderr.trim(),
      })
    })
  })
}

export function lastJsonLine<T>(text: string): T | undefined {
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim()
    if (!line.startsWith('{')) continue
    try {
      return JSON.parse(line) as T
    } catch {
      // not JSON after all: keep looking upwards
    }
  }
  return undefined
}

/**
 * A long-lived child that announces itself on its first stdout line and then answers one line per
 * command written to its stdin (the simulator process). Commands are answered in order.
 */
export class LineChild {
  readonly process: ChildProcess
  readonly firstLine: string
  readonly #lines: AsyncIterator<string>
  readonly #stderr: () => string
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(child: ChildProcess, firstLine: string, lines: AsyncIterator<string>, stderr: () => string) {
    this.process = child
    this.firstLine = firstLine
    this.#lines = lines
    this.#stderr = stderr
  }

  get stderrTail(): string {
    return this.#stderr()
  }

  static async start(script: string, args: readonly string[], options: ChildOptions = {}): Promise<LineChild> {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)
    })
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`${script} exited (${signal ?? code}) before it was ready:\n${stderr.trim()}`)),
      )
      child.once('error', reject)
    })
    const timeoutMs = options.timeoutMs ?? 300_000
    const first = await Promise.race([
      lines.next(),
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]).catch((error) => {
      child.kill('SIGKILL')
      throw error
    })
    exited.catch(() => undefined)
    if (first.done) throw new Error(`${script} closed its output before it was ready:\n${stderr.trim()}`)
    return new LineChild(child, first.value, lines, () => stderr.trim())
  }

  /** Writes one command line and resolves with the reply line. */
  command(line: string): Promise<string> {
    const reply = this.#queue.then(async () => {
      this.process.stdin!.write(`${line}\n`)
      const next = await this.#lines.next()
      if (next.done) throw new Error(`the child closed its output while answering "${line}":\n${this.stderrTail}`)
      return next.value
    })
    this.#queue = reply.catch(() => undefined)
    return reply
  }

  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  async close(): Promise<void> {
    const child = this.process
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}
