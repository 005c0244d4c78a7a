import type { Connection, Store, Tenant } from '../store/store.ts'
import { UsageError } from './args.ts'

export async function findTenant(store: Store, nameOrId: string): Promise<Tenant> {
  const tenant = (await store.tenants.getByName(nameOrId)) ?? (await store.tenants.get(nameOrId))
  if (!tenant) throw new UsageError(`no tenant named "${nameOrId}" (see: tributary tenants list)`)
  return tenant
}

export async function findConnection(store: Store, id: string): Promise<Connection> {
  const connection = await store.connections.get(id)
  if (!connection) throw new UsageError(`no connection with id "${id}" (see: tributary connections list)`)
  return connection
}
