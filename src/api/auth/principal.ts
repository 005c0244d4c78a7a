import { AuthError, ForbiddenError, ValidationError } from '../../domain/errors.ts'
import type { Store, UserRole } from '../../store/store.ts'
import { hashApiKey, looksLikeApiKey } from './api-keys.ts'
import type { TokenService } from './tokens.ts'

/** Who is calling: a logged-in user (JWT) or a machine (API key). */
export interface Principal {
  readonly kind: 'user' | 'api_key'
  /** The user's or the key's id. */
  readonly id: string
  readonly role: UserRole
  /** null for platform admins. */
  readonly tenantId: string | null
}

export type Access = 'public' | 'member' | 'owner' | 'admin'

const RANK: Record<UserRole, number> = { member: 1, owner: 2, admin: 3 }

/** Reads `Authorization: Bearer <JWT or trb_ key>`; the role and tenant come from the store, not the token. */
export async function authenticate(
  store: Store,
  tokens: TokenService,
  authorization: string | undefined,
  now: () => number,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (!match) {
    throw new AuthError(
      'missing_token',
      'send Authorization: Bearer <token> (log in at POST /api/v1/auth/login, or use an API key)',
    )
  }
  const token = match[1]!
  if (looksLikeApiKey(token)) {
    const key = await store.apiKeys.getByHash(hashApiKey(token))
    if (!key || key.revokedAt !== null) throw new AuthError('invalid_token', 'the API key is not valid or was revoked')
    // Write the last use at most once a minute: a busy key must not turn every read into a write.
    const at = now()
    if (key.lastUsedAt === null || Date.parse(key.lastUsedAt) < at - 60_000) {
      await store.apiKeys.touch(key.id, new Date(at).toISOString())
    }
    return { kind: 'api_key', id: key.id, role: key.role, tenantId: key.tenantId }
  }
  const userId = await tokens.verify(token, 'access')
  const user = await store.users.get(userId)
  if (!user) throw new AuthError('invalid_token', 'the user of this token no longer exists')
  return { kind: 'user', id: user.id, role: user.role, tenantId: user.tenantId }
}

export function authorize(principal: Principal, access: Access): void {
  if (access === 'public') return
  const needed: UserRole = access
  if (RANK[principal.role] < RANK[needed]) {
    throw new ForbiddenError('forbidden', `this needs the ${needed} role; you are ${principal.role}`)
  }
}

/**
 * The tenant a request acts on: the caller's own; platform admins name one with `X-Tenant-Id`.
 * Repositories scope every query by it, so another tenant's id simply is not found.
 */
export function tenantOf(principal: Principal, tenantHeader: string | string[] | undefined): string {
  if (principal.tenantId !== null) return principal.tenantId
  const header = Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader
  if (!header) {
    throw new ValidationError(
      'admins act on a tenant by naming it in the X-Tenant-Id header',
      [{ path: 'headers.x-tenant-id', message: 'is required for admin users on tenant endpoints' }],
      'tenant_required',
    )
  }
  return header
}
