import type { StreamCursor } from '../connectors/connector.ts'
import type { Customer, Normalized, NormalizeFailure, Order } from '../domain/entities.ts'
import type {
  FinancialStatus,
  OrderStatus,
  ProviderName,
  RunStatus,
  RunTrigger,
  StreamName,
} from '../domain/statuses.ts'
import type { JobRepository } from '../queue/queue.ts'

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
  /** A status written back through the outbox and not yet confirmed by the provider. */
  readonly pendingStatus?: string | null
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
  readonly customerExternalId?: string
  /** Matches the order number or the customer email. */
  readonly q?: string
  readonly includeDeleted?: boolean
}

export interface OrderListOptions extends OrderFilter {
  readonly orderBy?: 'created_at' | 'updated_at' | 'total' | 'number'
  readonly order?: 'asc' | 'desc'
  readonly limit?: number
  readonly offset?: number
  /**
   * Keyset paging: only orders after this one in the sort (its sort value and id), so deep pages
   * cost what the first does. For orderBy created_at, updated_at and total; ignored for number.
   */
  readonly after?: { readonly value: string | number; readonly id: string }
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
    patch: Partial<Pick<NewConnection, 'name' | 'endpoint' | 'credentials' | 'settings'>> & {
      status?: ConnectionStatus
    },
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
  /** How many runs are in each status (for metrics); tenantId undefined = all tenants. */
  countByStatus(tenantId?: string): Promise<Record<string, number>>
  /** Runs stuck in `running` whose heartbeat is older than `before` (their process died). */
  listStale(before: string): Promise<SyncRun[]>
}

export interface OrderStats {
  readonly byStatus: Readonly<Record<string, number>>
  /** One entry per currency: amounts are never summed across currencies. Cancelled and failed orders are left out. */
  readonly revenue: ReadonlyArray<{ currency: string; orders: number; grossMinor: number; refundedMinor: number }>
}

export interface OrderRepository {
  count(tenantId: string, filter?: OrderFilter): Promise<number>
  stats(tenantId: string, filter?: OrderFilter): Promise<OrderStats>
  list(tenantId: string, options?: OrderListOptions): Promise<StoredOrder[]>
  get(tenantId: string, id: string): Promise<StoredOrderWithRaw | undefined>
  getByExternalId(tenantId: string, connectionId: string, externalId: string): Promise<StoredOrderWithRaw | undefined>
}

export interface CustomerRepository {
  count(tenantId: string, filter?: { connectionId?: string }): Promise<number>
  list(
    tenantId: string,
    options?: { connectionId?: string; limit?: number; offset?: number },
  ): Promise<StoredCustomer[]>
  get(tenantId: string, id: string): Promise<(StoredCustomer & { raw: unknown }) | undefined>
}

export const USER_ROLES = ['admin', 'owner', 'member'] as const
/** admin: every tenant (no tenant of its own); owner: manages its tenant; member: reads and syncs. */
export type UserRole = (typeof USER_ROLES)[number]

export interface User {
  readonly id: string
  /** null for platform admins. */
  readonly tenantId: string | null
  readonly email: string
  readonly role: UserRole
  readonly createdAt: string
}

export interface UserWithPasswordHash extends User {
  /** Never leaves the auth code. */
  readonly passwordHash: string
}

export interface NewUser {
  readonly tenantId: string | null
  readonly email: string
  readonly passwordHash: string
  readonly role: UserRole
}

export interface UserRepository {
  /** Throws ConflictError `email_taken` when the (case-insensitive) email is in use. */
  create(input: NewUser): Promise<User>
  /** For login only: the user with this email, any tenant. */
  getByEmailForLogin(email: string): Promise<UserWithPasswordHash | undefined>
  /** tenantId undefined = any tenant (admin use). */
  get(id: string, tenantId?: string): Promise<User | undefined>
  list(tenantId?: string): Promise<User[]>
  delete(id: string, tenantId?: string): Promise<boolean>
}

export interface ApiKey {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly role: Exclude<UserRole, 'admin'>
  /** The first characters of the key, to recognise it. */
  readonly prefix: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

export interface ApiKeyRepository {
  create(input: { tenantId: string; name: string; role: ApiKey['role']; prefix: string; hash: string }): Promise<ApiKey>
  /** The key with this SHA-256 hash, revoked or not. */
  getByHash(hash: string): Promise<ApiKey | undefined>
  list(tenantId: string): Promise<ApiKey[]>
  /** False when no unrevoked key of this tenant has the id. */
  revoke(id: string, tenantId: string): Promise<boolean>
  touch(id: string, at: string): Promise<void>
}

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const
/** pending → sending (claimed, leased) → sent | pending again (retry) | failed (rejected) | dead (attempts used up). */
export type OutboxState = (typeof OUTBOX_STATES)[number]

export interface OutboxEntry {
  readonly id: string
  readonly tenantId: string
  readonly connectionId: string
  /** `order_status` for now. */
  readonly kind: string
  readonly orderId: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly idempotencyKey: string
  readonly state: OutboxState
  readonly attempts: number
  /** When a pending entry is due; while sending, when its lease ends. */
  readonly nextAttemptAt: string
  readonly lastError: string | null
  readonly response: unknown
  readonly createdAt: string
  readonly updatedAt: string
}

export interface OutboxRepository {
  /**
   * Records an order status write: sets the order's pending_status and adds the entry. Call it in
   * a transaction so both land or neither. Undefined when the order is not the tenant's.
   */
  enqueueOrderStatus(input: { tenantId: string; orderId: string; status: string }): Promise<OutboxEntry | undefined>
  /** Takes up to `limit` due entries (pending and due, or sending with an expired lease) with a lease. */
  claimDue(leaseMs: number, limit: number): Promise<OutboxEntry[]>
  /** Ends the entry `sent` with the provider's answer and clears its order's pending_status. */
  markSent(id: string, tenantId: string, response: unknown): Promise<void>
  /** Back to pending, due at `nextAttemptAt`. */
  markRetry(id: string, tenantId: string, error: string, nextAttemptAt: string): Promise<void>
  /** Ends the entry and clears its order's pending_status (the order stays as the provider has it). */
  markFinal(id: string, tenantId: string, state: 'failed' | 'dead', error: string): Promise<void>
  get(id: string, tenantId: string): Promise<OutboxEntry | undefined>
  list(
    tenantId: string,
    filter?: { states?: readonly OutboxState[]; orderId?: string; limit?: number },
  ): Promise<OutboxEntry[]>
  /** A failed or dead entry goes back to pending (attempts reset) and re-marks its order; undefined otherwise. */
  retry(id: string, tenantId: string): Promise<OutboxEntry | undefined>
  countByState(): Promise<Record<string, number>>
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  readonly tenants: TenantRepository
  readonly users: UserRepository
  readonly apiKeys: ApiKeyRepository
  readonly connections: ConnectionRepository
  readonly syncState: SyncStateRepository
  readonly runs: RunRepository
  readonly orders: OrderRepository
  readonly customers: CustomerRepository
  /** The durable job queue, store-backed in embedded mode (queue/queue.ts). */
  readonly jobs: JobRepository
  readonly outbox: OutboxRepository
  /**
   * Merges provider records outside a sync run (the order a provider returns after a write): the
   * same merge rule and upsert as applyPage, without touching cursors or runs.
   */
  applyRecords(
    input: { tenantId: string; connectionId: string; records: readonly Normalized<Order>[] },
    entity: 'order',
  ): Promise<Omit<PageCounts, 'failed'>>
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
