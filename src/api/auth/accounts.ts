import { ValidationError } from '../../domain/errors.ts'
import type { ApiKey, Store, User, UserRole } from '../../store/store.ts'
import { generateApiKey } from './api-keys.ts'
import { checkPasswordStrength, hashPassword } from './passwords.ts'

/** Creates a user with a scrypt-hashed password; admins have no tenant, everyone else exactly one. */
export async function createUser(
  store: Store,
  input: { tenantId: string | null; email: string; password: string; role: UserRole },
): Promise<User> {
  if (input.role === 'admin' && input.tenantId !== null) {
    throw new ValidationError('admins belong to no tenant; drop the tenant or pick owner/member', [
      { path: 'role', message: 'admin users have no tenant' },
    ])
  }
  if (input.role !== 'admin' && input.tenantId === null) {
    throw new ValidationError(`a ${input.role} belongs to a tenant; name it`, [
      { path: 'tenant', message: 'is required' },
    ])
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) {
    throw new ValidationError(`"${input.email}" is not an email address`, [
      { path: 'email', message: 'not an email address' },
    ])
  }
  checkPasswordStrength(input.password)
  return store.users.create({
    tenantId: input.tenantId,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
  })
}

/** A new API key for a tenant: the returned `key` is the only time it is ever visible. */
export async function createApiKey(
  store: Store,
  input: { tenantId: string; name: string; role: ApiKey['role'] },
): Promise<{ apiKey: ApiKey; key: string }> {
  const { key, prefix, hash } = generateApiKey()
  const apiKey = await store.apiKeys.create({
    tenantId: input.tenantId,
    name: input.name,
    role: input.role,
    prefix,
    hash,
  })
  return { apiKey, key }
}
