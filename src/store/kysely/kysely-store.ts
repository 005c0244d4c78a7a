import { type Kysely, Migrator } from 'kysely'
import type { Customer, Normalized, Order } from '../../domain/entities.ts'
import type { JobRepository } from '../../queue/queue.ts'
import type {
  ApiKeyRepository,
  ApplyPageInput,
  ConnectionRepository,
  CustomerRepository,
  OrderRepository,
  OutboxRepository,
  PageCounts,
  RunRepository,
  Store,
  SyncStateRepository,
  TenantRepository,
  UserRepository,
} from '../store.ts'
import { applyPageInTransaction, mergeRecordsInTransaction } from './apply-page.ts'
import { BulkSql } from './bulk-sql.ts'
import { migrationProvider } from './migrations/migrations.ts'
import { KyselyApiKeyRepository } from './repositories/api-keys.ts'
import { KyselyConnectionRepository } from './repositories/connections.ts'
import { KyselyCustomerRepository } from './repositories/customers.ts'
import { KyselyJobRepository } from './repositories/jobs.ts'
import { KyselyOrderRepository } from './repositories/orders.ts'
import { KyselyOutboxRepository } from './repositories/outbox.ts'
import { KyselyRunRepository } from './repositories/runs.ts'
import { KyselySyncStateRepository } from './repositories/sync-state.ts'
import { KyselyTenantRepository } from './repositories/tenants.ts'
import { KyselyUserRepository } from './repositories/users.ts'
import type { Database } from './schema.ts'
import { rootScope, type Scope, type StoreContext } from './scope.ts'

/** What a store and the stores of its transactions share. */
interface Shared {
  readonly root: Kysely<Database>
  readonly context: StoreContext
  readonly bulk: BulkSql
  readonly migrator: Migrator
  closed: boolean
}

/**
 * The Store port over Kysely. The root store runs each call on its own (autocommit, or a
 * transaction where a call needs one); transaction(fn) hands fn a store bound to one transaction,
 * and calls on that store, nested transaction() included, join it.
 *
 * Inside fn use only the store fn receives. On SQLite the transaction holds the process's one
 * connection, so fn awaiting a call on the root store would wait for itself forever.
 */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres'
  readonly tenants: TenantRepository
  readonly users: UserRepository
  readonly apiKeys: ApiKeyRepository
  readonly connections: ConnectionRepository
  readonly syncState: SyncStateRepository
  readonly runs: RunRepository
  readonly orders: OrderRepository
  readonly customers: CustomerRepository
  readonly jobs: JobRepository
  readonly outbox: OutboxRepository
  readonly #shared: Shared
  readonly #scope: Scope

  static open(root: Kysely<Database>, context: StoreContext): KyselyStore {
    const migrator = new Migrator({ db: root, provider: migrationProvider })
    const shared: Shared = { root, context, bulk: new BulkSql(context.dialect), migrator, closed: false }
    return new KyselyStore(shared, rootScope(root, context))
  }

  private constructor(shared: Shared, scope: Scope) {
    this.#shared = shared
    this.#scope = scope
    this.dialect = shared.context.dialect
    this.tenants = new KyselyTenantRepository(scope)
    this.users = new KyselyUserRepository(scope)
    this.apiKeys = new KyselyApiKeyRepository(scope)
    this.connections = new KyselyConnectionRepository(scope)
    this.syncState = new KyselySyncStateRepository(scope)
    this.runs = new KyselyRunRepository(scope)
    this.orders = new KyselyOrderRepository(scope)
    this.customers = new KyselyCustomerRepository(scope)
    this.jobs = new KyselyJobRepository(scope)
    this.outbox = new KyselyOutboxRepository(scope)
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#scope.inTransaction) return fn(this)
    return this.#scope.transaction((scope) => fn(new KyselyStore(this.#shared, scope)))
  }

  applyPage(
    input: ApplyPageInput<Order> | ApplyPageInput<Customer>,
    entity: 'order' | 'customer',
  ): Promise<PageCounts> {
    return this.#scope.transaction((scope) => applyPageInTransaction(scope, this.#shared.bulk, input, entity))
  }

  applyRecords(
    input: { tenantId: string; connectionId: string; records: readonly Normalized<Order>[] },
    entity: 'order',
  ): Promise<Omit<PageCounts, 'failed'>> {
    return this.#scope.transaction((scope) => mergeRecordsInTransaction(scope, this.#shared.bulk, input, entity))
  }

  async migrate(): Promise<string[]> {
    const { error, results } = await this.#shared.migrator.migrateToLatest()
    if (error) throw error
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  }

  async isMigrated(): Promise<boolean> {
    const migrations = await this.#shared.migrator.getMigrations()
    return migrations.every((m) => m.executedAt !== undefined)
  }

  /** Closes the pool or file. Idempotent; on a transaction's store it does nothing. */
  async close(): Promise<void> {
    if (this.#scope.inTransaction || this.#shared.closed) return
    this.#shared.closed = true
    await this.#shared.root.destroy()
  }
}
