import type { Selectable } from 'kysely'
import type { CustomerRepository, StoredCustomer } from '../../store.ts'
import { CUSTOMER_COLUMNS, type CustomerColumn, type CustomerRow } from '../schema.ts'
import { parseJson, type Scope } from '../scope.ts'

const DEFAULT_LIMIT = 100

/** Reads of synced customers, scoped by tenant_id in every query. Deleted customers are listed. */
export class KyselyCustomerRepository implements CustomerRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async count(tenantId: string, filter: { connectionId?: string } = {}): Promise<number> {
    let query = this.#scope.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('tenant_id', '=', tenantId)
    if (filter.connectionId !== undefined) query = query.where('connection_id', '=', filter.connectionId)
    const row = await query.executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async list(
    tenantId: string,
    options: { connectionId?: string; limit?: number; offset?: number } = {},
  ): Promise<StoredCustomer[]> {
    let query = this.#scope.db.selectFrom('customers').select(LIST_COLUMNS).where('tenant_id', '=', tenantId)
    if (options.connectionId !== undefined) query = query.where('connection_id', '=', options.connectionId)
    const rows = await query
      .orderBy('id')
      .limit(options.limit ?? DEFAULT_LIMIT)
      .offset(options.offset ?? 0)
      .execute()
    return rows.map(toStoredCustomer)
  }

  async get(tenantId: string, id: string): Promise<(StoredCustomer & { raw: unknown }) | undefined> {
    const row = await this.#scope.db
      .selectFrom('customers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && { ...toStoredCustomer(row), raw: parseJson<unknown>(row.raw) }
  }
}

/** Every column but raw: lists stay light; raw comes with get(). */
const LIST_COLUMNS = CUSTOMER_COLUMNS.filter((column): column is Exclude<CustomerColumn, 'raw'> => column !== 'raw')

function toStoredCustomer(row: Omit<Selectable<CustomerRow>, 'raw'>): StoredCustomer {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    externalId: row.external_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    hash: row.hash,
    firstSyncedAt: row.first_synced_at,
    lastSyncedAt: row.last_synced_at,
  }
}
