import type { StreamCursor } from '../connectors/connector.ts'
import type { Customer, Normalized, NormalizeFailure, Order } from '../domain/entities.ts'
import type { JobRepository } from '../queue/queue.ts'
import type {
  FinancialStatus,
  OrderStatus,
  ProviderName,
  RunStatus,
  RunTrigger,
  StreamName,
} from '../domain/statuses.ts'

/** All ids are text (UUID v7-like, sortable by creation); all times ISO 8601 UTC strings. */

export interface Tenant {
  readonly id: string
  readonly name: string
  readonly createdAt: string
}

export interface ConnectionSettings {
  readonly streams: readonly StreamName[]
  /** Scheduled incremental sync interval; 0 disables scheduling. */
  readonly intervalMs: number
  /** How far before the watermark an incremental read starts (providers.md §7.2). */
  readonly lookbackMs: number
  /** The first backfill reads this many days back; 0 = everything. */
  readonly backfillDays: number
  readonly runOnStartup: boolean
  /** Provider requests per second this connection may make (0 = no limit). */
  readonly rateLimitPerSec: number
}

export const CONNECTION_STATUSES = ['active', 'paused'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]

export interface Connection {
  readonly id: string
  readonly tenantId: string
  readonly provider: ProviderName
  readonly name: string
  readonly endpoint: string
  readonly settings: ConnectionSettings
  readonly status: ConnectionStatus
  readonly createdAt: string
  readonly updatedAt: string
}

export interface ConnectionWithCredentials extends Connection {
  /** Decrypted; never leaves the process. */
  readonly credentials: Readonly<Record<string, string>>
}

export interface NewConnection {
  readonly tenantId: string
  readonly provider: ProviderName
  readonly name: string
  readonly endpoint: string
  readonly credentials: Readonly<Record<string, string>>
  readonly settings: ConnectionSettings
}

export interface SyncState {
  readonly connectionId: string
  readonly stream: StreamName
  readonly cursor: StreamCursor
  readonly lastRunId: string | null
  readonly lastSuccessAt: string | null
  readonly updatedAt: string
}

export interface RunCounters {
  readonly pages: number
  readonly fetched: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly failed: number
}

export const ZERO_COUNTERS: RunCounters = Object.freeze({
  pages: 0,
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
})

export interface SyncRun {
  readonly id: string
  readonly tenantId: string
  readonly connectionId: string
  readonly stream: StreamName
  readonly jobId: string | null
  readonly trigger: RunTrigger
  readonly status: RunStatus
  /** Which attempt of its job this run is (1-based). */
  readonly attempt: number
  readonly counters: RunCounters
  /** Provider's total for the read when known (progress = fetched / total). */
  readonly total: number | null
  /** Options the run was asked for: { full?: boolean, days?: number }. */
  readonly options: Readonly<Record<string, unknown>>
  readonly error: string | null
  readonly errorCode: string | null
  readonly queuedAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
  readonly heartbeatAt: string | null
}

export interface NewRun {
  readonly tenantId: string
  readonly connectionId: string
  readonly stream: StreamName
  readonly jobId: string | null
  readonly trigger: RunTrigger
  readonly attempt: number
  readonly options: Readonly<Record<string, unknown>>
  readonly status?: RunStatus
}

export interface RunFilter {
  readonly tenantId?: string
  readonly connectionId?: string
  readonly stream?: StreamName
  readonly statuses?: readonly RunStatus[]
  readonly limit?: number
}

/** An order as stored: the normalized fields plus bookkeeping. */
export interface StoredOrder extends Order {
  readonly id: string
  readonly tenantId: string
  readonly connectionId: string
  readonly hash: string
  readonly firstSyncedAt: string
  readonly lastSyncedAt: string
}

export interface StoredOrderWithRaw extends StoredOrder {
  readonly raw: unknown
}

export interface StoredCustomer extends Customer {
  readonly id: string
  readonly tenantId: string
  readonly connectionId: string
  readonly hash: string
  readonly firstSyncedAt: string
  readonly lastSyncedAt: string
}

export interface OrderFilter {
  readonly connectionId?: string
  readonly statuses?: readonly OrderStatus[]
  readonly financialStatuses?: readonly FinancialStatus[]
  readonly createdAtMin?: string
  readonly createdAtMax?: string
  readonly updatedAtMin?: string
  readonly updatedAtMax?: string
  readonly customerEmail?: string
  /** Matches the order number or the customer email. */
  readonly q?: string
  readonly includeDeleted?: boolean
}

export interface OrderListOptions extends OrderFilter {
  readonly orderBy?: 'created_at' | 'updated_at' | 'total' | 'number'
  readonly order?: 'asc' | 'desc'
  readonly limit?: number
  readonly offset?: number
}

export interface PageCounts {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly failed: number
}

export interface ApplyPageInput<E extends Order | Customer> {
  readonly tenantId: string
  readonly connectionId: string
  readonly stream: StreamName
  readonly runId: string
  readonly records: readonly Normalized<E>[]
  readonly failures: readonly NormalizeFailure[]
  /** Saved with the records; the run's counters and progress move in the same transaction. */
  readonly cursor: StreamCursor
  readonly total?: number | undefined
}

export interface TenantRepository {
  create(name: string): Promise<Tenant>
  get(id: string): Promise<Tenant | undefined>
  getByName(name: string): Promise<Tenant | undefined>
  list(): Promise<Tenant[]>
}

export interface ConnectionRepository {
  create(input: NewConnection): Promise<Connection>
  /** tenantId undefined = any tenant (admin and engine use). */
  get(id: string, tenantId?: string): Promise<Connection | undefined>
  getWithCredentials(id: string, tenantId?: string): Promise<ConnectionWithCredentials | undefined>
  list(tenantId?: string): Promise<Connection[]>
  update(
    id: string,
    tenantId: string | undefined,
    patch: Partial<Pick<NewConnection, 'name' | 'endpoint' | 'credentials' | 'settings'>> & { status?: ConnectionStatus },
  ): Promise<Connection | undefined>
  delete(id: string, tenantId?: string): Promise<boolean>
}

export interface SyncStateRepository {
  get(connectionId: string, stream: StreamName): Promise<SyncState | undefined>
  list(connectionId: string): Promise<SyncState[]>
  /** Replaces the cursor (e.g. `--full` clears it, a finished run drops `resume`). */
  saveCursor(connectionId: string, stream: StreamName, cursor: StreamCursor, runId: string | null): Promise<void>
  markSuccess(connectionId: string, stream: StreamName, runId: string, at: string): Promise<void>
}

export interface RunRepository {
  create(input: NewRun): Promise<SyncRun>
  get(id: string, tenantId?: string): Promise<SyncRun | undefined>
  list(filter: RunFilter): Promise<SyncRun[]>
  /** The newest run of a job (the current attempt). */
  latestForJob(jobId: string): Promise<SyncRun | undefined>
  markRunning(id: string, at: string): Promise<void>
  heartbeat(id: string, at: string): Promise<void>
  finish(id: string, status: RunStatus, at: string, error?: { message: string; code: string } | null): Promise<void>
  /** Runs stuck in `running` whose heartbeat is older than `before` (their process died). */
  listStale(before: string): Promise<SyncRun[]>
}

export interface OrderRepository {
  count(tenantId: string, filter?: OrderFilter): Promise<number>
  list(tenantId: string, options?: OrderListOptions): Promise<StoredOrder[]>
  get(tenantId: string, id: string): Promise<StoredOrderWithRaw | undefined>
  getByExternalId(tenantId: string, connectionId: string, externalId: string): Promise<StoredOrderWithRaw | undefined>
}

export interface CustomerRepository {
  count(tenantId: string, filter?: { connectionId?: string }): Promise<number>
  list(tenantId: string, options?: { connectionId?: string; limit?: number; offset?: number }): Promise<StoredCustomer[]>
  get(tenantId: string, id: string): Promise<(StoredCustomer & { raw: unknown }) | undefined>
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  readonly tenants: TenantRepository
  readonly connections: ConnectionRepository
  readonly syncState: SyncStateRepository
  readonly runs: RunRepository
  readonly orders: OrderRepository
  readonly customers: CustomerRepository
  /** The durable job queue, store-backed in embedded mode (queue/queue.ts). */
  readonly jobs: JobRepository
  /** Runs fn in one transaction; the Store it receives is bound to that transaction. Nested calls join it. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>
  /**
   * Applies one page in ONE transaction: upserts each record by (connection, external id) under the
   * merge rule, keeps failures with their raw JSON, saves the cursor, and adds the counts and
   * progress to the run. A crash loses at most this page, never skips one.
   */
  applyPage(input: ApplyPageInput<Order> | ApplyPageInput<Customer>, entity: 'order' | 'customer'): Promise<PageCounts>
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>
  /** True when no migration is pending. */
  isMigrated(): Promise<boolean>
  close(): Promise<void>
}
