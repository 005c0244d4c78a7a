import { hkdfSync } from 'node:crypto'
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import { AuthError } from '../../domain/errors.ts'
import type { User } from '../../store/store.ts'

export const ACCESS_TOKEN_TTL_SEC = 15 * 60
export const REFRESH_TOKEN_TTL_SEC = 30 * 24 * 3600
const ISSUER = 'tributary'

export type TokenKind = 'access' | 'refresh'

export interface TokenPair {
  readonly accessToken: string
  readonly refreshToken: string
  /** Seconds until the access token expires. */
  readonly expiresIn: number
  readonly tokenType: 'Bearer'
}

/**
 * Signs and checks the API's JWTs (HS256). The signing key is derived from TRIBUTARY_SECRET_KEY
 * with HKDF under its own label, so it is never the key that seals credentials.
 */
export class TokenService {
  readonly #key: Uint8Array
  readonly #now: () => number

  constructor(secretKey: Buffer, now: () => number = Date.now) {
    this.#key = new Uint8Array(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'tributary/api/jwt-hs256', 32))
    this.#now = now
  }

  async issue(user: User): Promise<TokenPair> {
    return {
      accessToken: await this.#sign(user, 'access', ACCESS_TOKEN_TTL_SEC),
      refreshToken: await this.#sign(user, 'refresh', REFRESH_TOKEN_TTL_SEC),
      expiresIn: ACCESS_TOKEN_TTL_SEC,
      tokenType: 'Bearer',
    }
  }

  /** The user id of a valid token of this kind; AuthError `invalid_token` otherwise (never says why in detail). */
  async verify(token: string, kind: TokenKind): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.#now()),
      })
      if (payload['typ'] !== kind || typeof payload.sub !== 'string') throw new Error('wrong token kind')
      return payload.sub
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired
      throw new AuthError(
        expired ? 'token_expired' : 'invalid_token',
        expired
          ? `the ${kind} token has expired; ${kind === 'access' ? 'refresh it at POST /api/v1/auth/refresh' : 'log in again'}`
          : `the ${kind} token is not valid`,
      )
    }
  }

  #sign(user: User, kind: TokenKind, ttlSec: number): Promise<string> {
    const now = Math.floor(this.#now() / 1000)
    return new SignJWT({ typ: kind, role: user.role, tid: user.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSec)
      .setJti(crypto.randomUUID())
      .sign(this.#key)
  }
}
