import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type ApiDeps, buildApi } from '../../src/api/app.ts'
import { createApiKey, createUser } from '../../src/api/auth/accounts.ts'
import { connectorFor } from '../../src/connectors/registry.ts'
import { ProviderContexts } from '../../src/engine/provider-context.ts'
import { requestSync } from '../../src/engine/sync-requests.ts'
import { createLogger } from '../../src/lib/logger.ts'
import type { Store, Tenant, UserRole } from '../../src/store/store.ts'
import type { TestDatabase } from '../helpers/databases.ts'

export const PASSWORD = 'correct horse battery'

export interface Harness {
  readonly api: FastifyInstance
  readonly store: Store
  readonly deps: ApiDeps
  /** A tenant with an owner and a member, and a second tenant with its own owner. */
  readonly tenant: Tenant
  readonly other: Tenant
  readonly tokens: { admin: string; owner: string; member: string; otherOwner: string }
  /** Sends a request with a token (a role name of `tokens`, a raw token, or none). */
  call(
    method: string,
    url: string,
    options?: { as?: keyof Harness['tokens'] | null; token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Record<string, unknown>; body: any; text: string }>
}

async function login(api: FastifyInstance, email: string): Promise<string> {
  const response = await api.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  })
  if (response.statusCode !== 200) throw new Error(`login of ${email} failed: ${response.body}`)
  return response.json().accessToken
}

/** The API over a test database, with users of every role. Closed in t.after. */
export async function startHarness(
  t: TestContext,
  db: TestDatabase,
  overrides: Partial<ApiDeps> = {},
): Promise<Harness> {
  const { store } = db
  const contexts = new ProviderContexts(connectorFor, { timeoutMs: 5_000, maxAttempts: 4 })
  const deps: ApiDeps = {
    store,
    connectors: connectorFor,
    contexts,
    secretKey: db.secretKey,
    log: createLogger('silent'),
    requestSync: (connection, stream, trigger, options) =>
      requestSync(store, { connection, stream, trigger, options: options ?? {}, maxAttempts: 3 }),
    eventsPollMs: 50,
    ...overrides,
  }
  const api = await buildApi(deps)
  t.after(() => api.close())
  const tenant = await store.tenants.create('acme')
  const other = await store.tenants.create('globex')
  const users: Array<[string, string | null, UserRole]> = [
    ['admin@example.com', null, 'admin'],
    ['owner@acme.test', tenant.id, 'owner'],
    ['member@acme.test', tenant.id, 'member'],
    ['owner@globex.test', other.id, 'owner'],
  ]
  for (const [email, tenantId, role] of users) await createUser(store, { email, tenantId, role, password: PASSWORD })
  const tokens = {
    admin: await login(api, 'admin@example.com'),
    owner: await login(api, 'owner@acme.test'),
    member: await login(api, 'member@acme.test'),
    otherOwner: await login(api, 'owner@globex.test'),
  }
  return {
    api,
    store,
    deps,
    tenant,
    other,
    tokens,
    async call(method, url, options = {}) {
      const token = options.token ?? (options.as === null ? undefined : tokens[options.as ?? 'owner'])
      const response = await api.inject({
        method: method as 'GET',
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
        ...(options.body !== undefined ? { payload: options.body as object } : {}),
      })
      const text = response.body
      let body: unknown
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = undefined
      }
      return { status: response.statusCode, headers: response.headers, body, text }
    },
  }
}

export { createApiKey }

/** Stores orders (and customers) through the normal merge path, as a sync run would. */
export async function seedOrders(
  store: Store,
  connection: { tenantId: string; id: string },
  orders: readonly import('../../src/domain/entities.ts').Order[],
  customers: readonly import('../../src/domain/entities.ts').Customer[] = [],
): Promise<void> {
  const { newManualRun, normalizedCustomer, normalizedOrder } = await import('../helpers/factories.ts')
  const run = await newManualRun(store, connection)
  const base = { tenantId: connection.tenantId, connectionId: connection.id, runId: run.id, failures: [] }
  await store.applyPage(
    {
      ...base,
      stream: 'orders',
      records: orders.map((o) => normalizedOrder(o)),
      cursor: { watermark: null, resume: null },
    },
    'order',
  )
  if (customers.length > 0) {
    await store.applyPage(
      {
        ...base,
        stream: 'customers',
        records: customers.map((c) => normalizedCustomer(c)),
        cursor: { watermark: null, resume: null },
      },
      'customer',
    )
  }
  await store.runs.finish(run.id, 'succeeded', new Date().toISOString())
}
