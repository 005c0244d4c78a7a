import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Where one bench run keeps its files (a temp dir, removed at the end) and the configuration every
 * child gets: only the TRIBUTARY_* variables the bench sets, so a developer's own configuration
 * (a PostgreSQL URL, a log level) cannot leak into a measurement.
 */
export class Workspace {
  readonly dir: string
  readonly secretKey: Buffer
  #databases = 0

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'tributary-bench-'))
    this.secretKey = randomBytes(32)
  }

  /** A unique name for the next fresh database (file or PostgreSQL database). */
  nextDatabaseName(label: string): string {
    return `bench_${process.pid}_${++this.#databases}_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`
  }

  childEnv(databaseUrl: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {}
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TRIBUTARY_')) env[name] = value
    return {
      ...env,
      TRIBUTARY_DATABASE_URL: databaseUrl,
      TRIBUTARY_DATA_DIR: this.dir,
      TRIBUTARY_SECRET_KEY: this.secretKey.toString('hex'),
      TRIBUTARY_LOG_LEVEL: 'warn',
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
