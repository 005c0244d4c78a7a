import { randomBytes } from 'node:crypto'
import { createApiKey, createUser } from '../api/auth/accounts.ts'
import type { Store, Tenant } from '../store/store.ts'

export const DEMO_EMAIL = 'demo@tributary.local'

export interface DemoAccess {
  readonly email: string
  readonly password: string
  readonly apiKey: string
  /** A ready command that lists the demo's orders. */
  readonly curl: string
  readonly ordersUrl: string
}

/**
 * A fresh demo login and API key on every demo start: the owner user is recreated with a new
 * generated password (never a fixed one), and a new key is created for the printed curl line.
 */
export async function prepareDemoAccess(store: Store, tenant: Tenant, baseUrl: string): Promise<DemoAccess> {
  const existing = await store.users.getByEmailForLogin(DEMO_EMAIL)
  if (existing) await store.users.delete(existing.id)
  const password = randomBytes(12).toString('base64url')
  await createUser(store, { tenantId: tenant.id, email: DEMO_EMAIL, password, role: 'owner' })
  const { key } = await createApiKey(store, {
    tenantId: tenant.id,
    name: `demo ${new Date().toISOString()}`,
    role: 'member',
  })
  const ordersUrl = `${baseUrl}/api/v1/orders?limit=5`
  return {
    email: DEMO_EMAIL,
    password,
    apiKey: key,
    ordersUrl,
    curl: `curl -s -H 'Authorization: Bearer ${key}' '${ordersUrl}'`,
  }
}
