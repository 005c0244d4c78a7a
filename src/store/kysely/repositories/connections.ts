import type { Selectable } from 'kysely'
import type { ProviderName } from '../../../domain/statuses.ts'
import { newId } from '../../../lib/ids.ts'
import { openSecret, sealSecret } from '../../secret-box.ts'
import type {
  Connection,
  ConnectionRepository,
  ConnectionSettings,
  ConnectionStatus,
  ConnectionWithCredentials,
  NewConnection,
} from '../../store.ts'
import type { ConnectionRow } from '../schema.ts'
import { nowIso, parseJson, type Scope } from '../scope.ts'

type ConnectionPatch = Parameters<ConnectionRepository['update']>[2]

/**
 * Connections with their credentials sealed at rest (secret-box.ts). Only getWithCredentials
 * decrypts; every other read leaves the sealed column out of the query altogether.
 */
export class KyselyConnectionRepository implements ConnectionRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async create(input: NewConnection): Promise<Connection> {
    const { db, context } = this.#scope
    const now = nowIso(context)
    const row: ConnectionRow = {
      id: newId(context.clock()),
      tenant_id: input.tenantId,
      provider: input.provider,
      name: input.name,
      endpoint: input.endpoint,
      credentials: sealSecret(context.secretKey, JSON.stringify(input.credentials)),
      settings: JSON.stringify(input.settings),
      status: 'active',
      created_at: now,
      updated_at: now,
    }
    await db.insertInto('connections').values(row).execute()
    return toConnection(row)
  }

  async get(id: string, tenantId?: string): Promise<Connection | undefined> {
    let query = this.#scope.db.selectFrom('connections').select(PUBLIC_COLUMNS).where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.executeTakeFirst()
    return row && toConnection(row)
  }

  async getWithCredentials(id: string, tenantId?: string): Promise<ConnectionWithCredentials | undefined> {
    let query = this.#scope.db.selectFrom('connections').selectAll().where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.executeTakeFirst()
    if (!row) return undefined
    const credentials = parseJson<Record<string, string>>(openSecret(this.#scope.context.secretKey, row.credentials))
    return { ...toConnection(row), credentials: Object.freeze(credentials) }
  }

  async list(tenantId?: string): Promise<Connection[]> {
    let query = this.#scope.db.selectFrom('connections').select(PUBLIC_COLUMNS)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const rows = await query.orderBy('created_at').orderBy('id').execute()
    return rows.map(toConnection)
  }

  async update(id: string, tenantId: string | undefined, patch: ConnectionPatch): Promise<Connection | undefined> {
    const { context } = this.#scope
    const changes: Partial<ConnectionRow> = { updated_at: nowIso(context) }
    if (patch.name !== undefined) changes.name = patch.name
    if (patch.endpoint !== undefined) changes.endpoint = patch.endpoint
    if (patch.settings !== undefined) changes.settings = JSON.stringify(patch.settings)
    if (patch.status !== undefined) changes.status = patch.status
    if (patch.credentials !== undefined) {
      changes.credentials = sealSecret(context.secretKey, JSON.stringify(patch.credentials))
    }
    let query = this.#scope.db.updateTable('connections').set(changes).where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.returning(PUBLIC_COLUMNS).executeTakeFirst()
    return row && toConnection(row)
  }

  /**
   * Deletes the connection with everything synced through it: order lines here (they have no
   * foreign key, see the migration), the rest by ON DELETE CASCADE.
   */
  async delete(id: string, tenantId?: string): Promise<boolean> {
    return this.#scope.transaction(async ({ db }) => {
      let query = db.selectFrom('connections').select('tenant_id').where('id', '=', id)
      if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
      const connection = await query.executeTakeFirst()
      if (!connection) return false
      await db
        .deleteFrom('order_lines')
        .where('tenant_id', '=', connection.tenant_id)
        .where('order_id', 'in', (eb) =>
          eb
            .selectFrom('orders')
            .select('orders.id')
            .where('orders.tenant_id', '=', connection.tenant_id)
            .where('orders.connection_id', '=', id),
        )
        .execute()
      await db.deleteFrom('connections').where('id', '=', id).execute()
      return true
    })
  }
}

const PUBLIC_COLUMNS = [
  'id',
  'tenant_id',
  'provider',
  'name',
  'endpoint',
  'settings',
  'status',
  'created_at',
  'updated_at',
] as const

function toConnection(row: Omit<Selectable<ConnectionRow>, 'credentials'>): Connection {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    provider: row.provider as ProviderName,
    name: row.name,
    endpoint: row.endpoint,
    settings: parseJson<ConnectionSettings>(row.settings),
    status: row.status as ConnectionStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
