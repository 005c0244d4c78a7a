import type { Selectable } from 'kysely'
import { ConflictError } from '../../../domain/errors.ts'
import { newId } from '../../../lib/ids.ts'
import type { Tenant, TenantRepository } from '../../store.ts'
import type { TenantRow } from '../schema.ts'
import { nowIso, type Scope } from '../scope.ts'

export class KyselyTenantRepository implements TenantRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async create(name: string): Promise<Tenant> {
    const { db, context } = this.#scope
    const row: TenantRow = { id: newId(context.clock()), name, created_at: nowIso(context) }
    // ON CONFLICT DO NOTHING instead of catching the violation: on PostgreSQL a failed statement
    // would poison the caller's transaction.
    const inserted = await db
      .insertInto('tenants')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!inserted) throw new ConflictError('tenant_name_taken', `a tenant named "${name}" already exists`)
    return toTenant(inserted)
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.#scope.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTenant(row)
  }

  async getByName(name: string): Promise<Tenant | undefined> {
    const row = await this.#scope.db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst()
    return row && toTenant(row)
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.#scope.db.selectFrom('tenants').selectAll().orderBy('name').orderBy('id').execute()
    return rows.map(toTenant)
  }
}

function toTenant(row: Selectable<TenantRow>): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at }
}
