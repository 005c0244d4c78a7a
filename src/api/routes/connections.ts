import { z } from 'zod'
import { AppError, NotFoundError, ProviderError } from '../../domain/errors.ts'
import { PROVIDERS, STREAM_NAMES } from '../../domain/statuses.ts'
import { forgetBreaker } from '../../engine/calls/circuit-breaker.ts'
import { defaultSettings, validateNewConnection } from '../../engine/connections.ts'
import type { Connection, ConnectionStatus, NewConnection } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { ConnectionJson, IdParams, presentConnection } from '../schemas.ts'

const Credentials = z
  .record(z.string().min(1).max(100), z.string().max(4096))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 fields')
  .describe('write-only: never returned')

const SettingsPatch = z.strictObject({
  streams: z.array(z.enum(STREAM_NAMES)).min(1).max(STREAM_NAMES.length).optional(),
  intervalMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3_600_000)
    .optional(),
  lookbackMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3_600_000)
    .optional(),
  backfillDays: z.number().int().min(0).max(36_500).optional(),
  runOnStartup: z.boolean().optional(),
  rateLimitPerSec: z.number().min(0).max(10_000).optional(),
})

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function connectionRoutes(router: Router, deps: RouteDeps): void {
  const { store, connectors } = deps

  const load = async (id: string, tenantId: string): Promise<Connection> => {
    const connection = await store.connections.get(id, tenantId)
    if (!connection) throw new NotFoundError('connection', id)
    return connection
  }

  router.add({
    method: 'GET',
    path: '/connections',
    operationId: 'listConnections',
    summary: 'List connections (credentials are never returned)',
    tags: ['connections'],
    access: 'member',
    responses: { 200: { description: 'Connections', schema: z.object({ connections: z.array(ConnectionJson) }) } },
    async handler({ tenantId }) {
      return { connections: (await store.connections.list(tenantId())).map(presentConnection) }
    },
  })

  router.add({
    method: 'POST',
    path: '/connections',
    operationId: 'createConnection',
    summary: 'Connect a store',
    tags: ['connections'],
    access: 'owner',
    body: z.strictObject({
      provider: z.enum(PROVIDERS),
      name: z.string().trim().min(1).max(200),
      endpoint: z.string().min(1).max(2000),
      credentials: Credentials,
      settings: SettingsPatch.optional(),
    }),
    responses: { 201: { description: 'The connection', schema: ConnectionJson } },
    async handler({ body, tenantId, reply }) {
      const tenant = tenantId()
      if (!(await store.tenants.get(tenant))) throw new NotFoundError('tenant', tenant)
      const connector = connectors(body.provider)
      const settings = {
        ...defaultSettings(body.provider, connector.streams),
        ...withoutUndefined(body.settings ?? {}),
      }
      const input: NewConnection = validateNewConnection(connectors, {
        tenantId: tenant,
        provider: body.provider,
        name: body.name,
        endpoint: body.endpoint,
        credentials: body.credentials,
        settings,
      })
      const connection = await store.connections.create(input)
      reply.code(201)
      return presentConnection(connection)
    },
  })

  router.add({
    method: 'GET',
    path: '/connections/{id}',
    operationId: 'getConnection',
    summary: 'One connection',
    tags: ['connections'],
    access: 'member',
    params: IdParams,
    responses: { 200: { description: 'The connection', schema: ConnectionJson } },
    async handler({ params, tenantId }) {
      return presentConnection(await load(params.id, tenantId()))
    },
  })

  router.add({
    method: 'PATCH',
    path: '/connections/{id}',
    operationId: 'updateConnection',
    summary: 'Change a connection (name, endpoint, credentials, settings)',
    tags: ['connections'],
    access: 'owner',
    params: IdParams,
    body: z.strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      endpoint: z.string().min(1).max(2000).optional(),
      credentials: Credentials.optional(),
      settings: SettingsPatch.optional(),
    }),
    responses: { 200: { description: 'The connection', schema: ConnectionJson } },
    async handler({ params, body, tenantId }) {
      const tenant = tenantId()
      const current = await store.connections.getWithCredentials(params.id, tenant)
      if (!current) throw new NotFoundError('connection', params.id)
      const merged = validateNewConnection(connectors, {
        tenantId: tenant,
        provider: current.provider,
        name: body.name ?? current.name,
        endpoint: body.endpoint ?? current.endpoint,
        credentials: body.credentials ?? current.credentials,
        settings: { ...current.settings, ...withoutUndefined(body.settings ?? {}) },
      })
      const updated = await store.connections.update(params.id, tenant, {
        name: merged.name,
        endpoint: merged.endpoint,
        settings: merged.settings,
        ...(body.credentials ? { credentials: merged.credentials } : {}),
      })
      if (!updated) throw new NotFoundError('connection', params.id)
      return presentConnection(updated)
    },
  })

  router.add({
    method: 'DELETE',
    path: '/connections/{id}',
    operationId: 'deleteConnection',
    summary: 'Delete a connection and everything synced through it',
    tags: ['connections'],
    access: 'owner',
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, tenantId }) {
      if (!(await store.connections.delete(params.id, tenantId()))) throw new NotFoundError('connection', params.id)
      forgetBreaker(params.id)
      return undefined
    },
  })

  router.add({
    method: 'POST',
    path: '/connections/{id}/test',
    operationId: 'testConnection',
    summary: "Check the connection's credentials against the provider",
    tags: ['connections'],
    access: 'owner',
    params: IdParams,
    responses: {
      200: {
        description: 'Whether the provider accepted the credentials',
        schema: z.object({ ok: z.boolean(), code: z.string().nullable(), message: z.string().nullable() }),
      },
    },
    async handler({ params, tenantId }) {
      const connection = await store.connections.getWithCredentials(params.id, tenantId())
      if (!connection) throw new NotFoundError('connection', params.id)
      const connector = connectors(connection.provider)
      try {
        await connector.testConnection(deps.contexts.contextFor(connection, AbortSignal.timeout(30_000)))
        return { ok: true, code: null, message: null }
      } catch (error) {
        // The test itself worked: the answer is the provider's verdict, not a failed request.
        if (error instanceof ProviderError || error instanceof AppError) {
          return { ok: false, code: error.code, message: error.message }
        }
        throw error
      }
    },
  })

  const setStatus = (status: ConnectionStatus, verb: string) =>
    router.add({
      method: 'POST',
      path: `/connections/{id}/${verb}`,
      operationId: `${verb}Connection`,
      summary: status === 'paused' ? 'Pause scheduled syncs of a connection' : 'Resume a paused connection',
      tags: ['connections'],
      access: 'owner',
      params: IdParams,
      responses: { 200: { description: 'The connection', schema: ConnectionJson } },
      async handler({ params, tenantId }) {
        const updated = await store.connections.update(params.id, tenantId(), { status })
        if (!updated) throw new NotFoundError('connection', params.id)
        return presentConnection(updated)
      },
    })
  setStatus('paused', 'pause')
  setStatus('active', 'resume')
}
