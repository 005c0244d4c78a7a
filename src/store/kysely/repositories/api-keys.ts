import type { Selectable } from 'kysely'
import { newId } from '../../../lib/ids.ts'
import type { ApiKey, ApiKeyRepository } from '../../store.ts'
import type { ApiKeyRow } from '../schema.ts'
import { nowIso, type Scope } from '../scope.ts'

/** API keys, stored as SHA-256 hashes; every read but the hash lookup is tenant-scoped. */
export class KyselyApiKeyRepository implements ApiKeyRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async create(input: {
    tenantId: string
    name: string
    role: ApiKey['role']
    prefix: string
    hash: string
  }): Promise<ApiKey> {
    const { db, context } = this.#scope
    const row: ApiKeyRow = {
      id: newId(context.clock()),
      tenant_id: input.tenantId,
      name: input.name,
      role: input.role,
      prefix: input.prefix,
      hash: input.hash,
      created_at: nowIso(context),
      last_used_at: null,
      revoked_at: null,
    }
    await db.insertInto('api_keys').values(row).execute()
    return toApiKey(row)
  }

  async getByHash(hash: string): Promise<ApiKey | undefined> {
    const row = await this.#scope.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst()
    return row && toApiKey(row)
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const rows = await this.#scope.db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toApiKey)
  }

  async revoke(id: string, tenantId: string): Promise<boolean> {
    const result = await this.#scope.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso(this.#scope.context) })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async touch(id: string, at: string): Promise<void> {
    await this.#scope.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
  }
}

function toApiKey(row: Selectable<ApiKeyRow>): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    role: row.role as ApiKey['role'],
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }
}
