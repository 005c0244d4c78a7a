import type { ApiMetrics } from '../api/metrics.ts'
import type { Config } from '../config/config.ts'
import type { ConnectorRegistry } from '../connectors/connector.ts'
import type { RunTrigger, StreamName } from '../domain/statuses.ts'
import type { ProviderContexts } from '../engine/provider-context.ts'
import type { SyncOptions, SyncRequest } from '../engine/sync-requests.ts'
import type { SyncWorkerDeps } from '../engine/sync-worker.ts'
import type { Logger } from '../lib/logger.ts'
import type { Connection, Store } from '../store/store.ts'

/** What commands get from the composition root (main.ts), opened only when a command needs it. */
export interface App {
  readonly config: Config
  readonly store: Store
  readonly log: Logger
  readonly connectors: ConnectorRegistry
  readonly contexts: ProviderContexts
  /** Prometheus metrics of this process (GET /metrics). */
  readonly metrics: ApiMetrics
  workerDeps(overrides?: Partial<SyncWorkerDeps>): SyncWorkerDeps
  requestSync(
    connection: Connection,
    stream: StreamName,
    trigger: RunTrigger,
    options?: SyncOptions,
  ): Promise<SyncRequest>
  close(): Promise<void>
}

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
  readonly openApp: (options?: { logLevel?: string; migrate?: boolean }) => Promise<App>
}

export interface Command {
  readonly name: string
  readonly usage: string
  run(args: string[], io: CommandIo): Promise<number>
}
