import type { Selectable } from 'kysely'
import { ConflictError } from '../../../domain/errors.ts'
import { newId } from '../../../lib/ids.ts'
import type { NewUser, User, UserRepository, UserRole, UserWithPasswordHash } from '../../store.ts'
import type { UserRow } from '../schema.ts'
import { nowIso, type Scope } from '../scope.ts'

/** API users. Tenant-scoped reads take the tenant id; undefined means any tenant (admins). */
export class KyselyUserRepository implements UserRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async create(input: NewUser): Promise<User> {
    const { db, context } = this.#scope
    const at = nowIso(context)
    const row: UserRow = {
      id: newId(context.clock()),
      tenant_id: input.tenantId,
      email: input.email.trim().toLowerCase(),
      password_hash: input.passwordHash,
      role: input.role,
      created_at: at,
      updated_at: at,
    }
    // ON CONFLICT DO NOTHING: a failed statement would poison a PostgreSQL transaction.
    const inserted = await db
      .insertInto('users')
      .values(row)
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!inserted) throw new ConflictError('email_taken', `a user with the email ${row.email} already exists`)
    return toUser(inserted)
  }

  async getByEmailForLogin(email: string): Promise<UserWithPasswordHash | undefined> {
    const row = await this.#scope.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst()
    return row && { ...toUser(row), passwordHash: row.password_hash }
  }

  async get(id: string, tenantId?: string): Promise<User | undefined> {
    let query = this.#scope.db.selectFrom('users').selectAll().where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.executeTakeFirst()
    return row && toUser(row)
  }

  async list(tenantId?: string): Promise<User[]> {
    let query = this.#scope.db.selectFrom('users').selectAll()
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const rows = await query.orderBy('email').execute()
    return rows.map(toUser)
  }

  async delete(id: string, tenantId?: string): Promise<boolean> {
    let query = this.#scope.db.deleteFrom('users').where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const result = await query.executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

function toUser(row: Selectable<UserRow>): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    role: row.role as UserRole,
    createdAt: row.created_at,
  }
}
