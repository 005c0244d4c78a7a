import { RateLimiterMemory } from 'rate-limiter-flexible'
import { z } from 'zod'
import { AuthError, RateLimitedError } from '../../domain/errors.ts'
import type { RouteDeps } from '../app.ts'
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/passwords.ts'
import type { Router } from '../routing.ts'
import { presentUser, UserJson } from '../schemas.ts'

const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().describe('seconds until the access token expires'),
  tokenType: z.literal('Bearer'),
})

/** Failed logins allowed per email in the window before login is refused for the rest of it. */
const LOGIN_FAILURES = 10
const LOGIN_WINDOW_SEC = 15 * 60

export function authRoutes(router: Router, deps: RouteDeps): void {
  // Password guessing is slowed per account; scrypt alone makes each guess cost ~50 ms of CPU.
  const failures = new RateLimiterMemory({ keyPrefix: 'login', points: LOGIN_FAILURES, duration: LOGIN_WINDOW_SEC })

  router.add({
    method: 'POST',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Log in with email and password; answers a JWT access token and a refresh token',
    tags: ['auth'],
    access: 'public',
    body: z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
    responses: { 200: { description: 'Tokens', schema: TokenPair } },
    async handler({ body }) {
      const key = body.email.trim().toLowerCase()
      const record = await failures.get(key)
      if (record && record.consumedPoints >= LOGIN_FAILURES) {
        throw new RateLimitedError(
          'too many failed logins for this email; wait before trying again',
          record.msBeforeNext,
        )
      }
      const user = await deps.store.users.getByEmailForLogin(body.email)
      // Verify against a dummy hash when the email is unknown: the answer takes as long either way.
      const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH)
      if (!user || !ok) {
        await failures.penalty(key, 1)
        throw new AuthError('invalid_credentials', 'the email or the password is wrong')
      }
      await failures.delete(key)
      return deps.tokens.issue(user)
    },
  })

  router.add({
    method: 'POST',
    path: '/auth/refresh',
    operationId: 'refresh',
    summary: 'Trade a refresh token for a new token pair',
    tags: ['auth'],
    access: 'public',
    body: z.strictObject({ refreshToken: z.string().min(1).max(4096) }),
    responses: { 200: { description: 'Tokens', schema: TokenPair } },
    async handler({ body }) {
      const userId = await deps.tokens.verify(body.refreshToken, 'refresh')
      const user = await deps.store.users.get(userId)
      if (!user) throw new AuthError('invalid_token', 'the user of this token no longer exists')
      return deps.tokens.issue(user)
    },
  })

  router.add({
    method: 'GET',
    path: '/auth/me',
    operationId: 'me',
    summary: 'Who the token belongs to',
    tags: ['auth'],
    access: 'member',
    responses: {
      200: {
        description: 'The caller',
        schema: z.object({
          kind: z.enum(['user', 'api_key']),
          id: z.string(),
          role: z.string(),
          tenantId: z.string().nullable(),
          user: UserJson.nullable(),
        }),
      },
    },
    async handler({ principal }) {
      const user = principal.kind === 'user' ? await deps.store.users.get(principal.id) : undefined
      return { ...principal, user: user ? presentUser(user) : null }
    },
  })
}
