import { z } from 'zod'
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts'
import type { UserRole } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import { createApiKey, createUser } from '../auth/accounts.ts'
import type { Router } from '../routing.ts'
import { ApiKeyJson, IdParams, presentApiKey, presentTenant, presentUser, TenantJson, UserJson } from '../schemas.ts'

/** Tenants (admins), and the users and API keys of a tenant (its owners, or admins). */
export function tenantRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps

  router.add({
    method: 'GET',
    path: '/tenants',
    operationId: 'listTenants',
    summary: 'List tenants',
    tags: ['tenants'],
    access: 'admin',
    responses: { 200: { description: 'Tenants', schema: z.object({ tenants: z.array(TenantJson) }) } },
    async handler() {
      return { tenants: (await store.tenants.list()).map(presentTenant) }
    },
  })

  router.add({
    method: 'POST',
    path: '/tenants',
    operationId: 'createTenant',
    summary: 'Create a tenant',
    tags: ['tenants'],
    access: 'admin',
    body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
    responses: { 201: { description: 'The tenant', schema: TenantJson } },
    async handler({ body, reply }) {
      const tenant = await store.tenants.create(body.name)
      reply.code(201)
      return presentTenant(tenant)
    },
  })

  router.add({
    method: 'GET',
    path: '/tenants/{id}',
    operationId: 'getTenant',
    summary: 'One tenant (your own, or any for admins)',
    tags: ['tenants'],
    access: 'member',
    params: IdParams,
    responses: { 200: { description: 'The tenant', schema: TenantJson } },
    async handler({ params, principal }) {
      const visible = principal.tenantId === null || principal.tenantId === params.id
      const tenant = visible ? await store.tenants.get(params.id) : undefined
      if (!tenant) throw new NotFoundError('tenant', params.id)
      return presentTenant(tenant)
    },
  })

  router.add({
    method: 'GET',
    path: '/users',
    operationId: 'listUsers',
    summary: "List the tenant's users",
    tags: ['users'],
    access: 'owner',
    responses: { 200: { description: 'Users', schema: z.object({ users: z.array(UserJson) }) } },
    async handler({ tenantId }) {
      return { users: (await store.users.list(tenantId())).map(presentUser) }
    },
  })

  router.add({
    method: 'POST',
    path: '/users',
    operationId: 'createUser',
    summary: 'Add a user to the tenant (admins may add admins, who have no tenant)',
    tags: ['users'],
    access: 'owner',
    body: z.strictObject({
      email: z.string().trim().min(3).max(320),
      password: z.string().min(1).max(1024),
      role: z.enum(['admin', 'owner', 'member']).default('member'),
    }),
    responses: { 201: { description: 'The user', schema: UserJson } },
    async handler({ body, principal, tenantId, reply }) {
      const role: UserRole = body.role
      if (role === 'admin' && principal.role !== 'admin') {
        throw new ForbiddenError('forbidden', 'only admins can add admins')
      }
      const tenant = role === 'admin' ? null : tenantId()
      if (tenant !== null && !(await store.tenants.get(tenant))) throw new NotFoundError('tenant', tenant)
      const user = await createUser(store, { tenantId: tenant, email: body.email, password: body.password, role })
      reply.code(201)
      return presentUser(user)
    },
  })

  router.add({
    method: 'DELETE',
    path: '/users/{id}',
    operationId: 'deleteUser',
    summary: 'Remove a user of the tenant',
    tags: ['users'],
    access: 'owner',
    params: IdParams,
    responses: { 204: { description: 'Removed' } },
    async handler({ params, principal, tenantId }) {
      if (params.id === principal.id) {
        throw new ValidationError('you cannot remove yourself', [{ path: 'params.id', message: 'is you' }])
      }
      if (!(await store.users.delete(params.id, tenantId()))) throw new NotFoundError('user', params.id)
      return undefined
    },
  })

  router.add({
    method: 'GET',
    path: '/keys',
    operationId: 'listApiKeys',
    summary: "List the tenant's API keys (never the keys themselves)",
    tags: ['keys'],
    access: 'owner',
    responses: { 200: { description: 'Keys', schema: z.object({ keys: z.array(ApiKeyJson) }) } },
    async handler({ tenantId }) {
      return { keys: (await store.apiKeys.list(tenantId())).map(presentApiKey) }
    },
  })

  router.add({
    method: 'POST',
    path: '/keys',
    operationId: 'createApiKey',
    summary: 'Create an API key; the key is in this answer only',
    tags: ['keys'],
    access: 'owner',
    body: z.strictObject({
      name: z.string().trim().min(1).max(100),
      role: z.enum(['owner', 'member']).default('member'),
    }),
    responses: {
      201: { description: 'The key, shown once', schema: ApiKeyJson.extend({ key: z.string() }) },
    },
    async handler({ body, tenantId, reply }) {
      const tenant = tenantId()
      if (!(await store.tenants.get(tenant))) throw new NotFoundError('tenant', tenant)
      const { apiKey, key } = await createApiKey(store, { tenantId: tenant, name: body.name, role: body.role })
      reply.code(201)
      return { ...presentApiKey(apiKey), key }
    },
  })

  router.add({
    method: 'DELETE',
    path: '/keys/{id}',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    tags: ['keys'],
    access: 'owner',
    params: IdParams,
    responses: { 204: { description: 'Revoked' } },
    async handler({ params, tenantId }) {
      if (!(await store.apiKeys.revoke(params.id, tenantId()))) throw new NotFoundError('API key', params.id)
      return undefined
    },
  })
}
