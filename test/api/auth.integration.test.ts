import assert from 'node:assert/strict'
import { forEachDatabase } from '../helpers/databases.ts'
import { PASSWORD, startHarness } from './harness.ts'

forEachDatabase('API auth: 401 without or with a bad token, login, refresh, roles', async (t, db) => {
  const h = await startHarness(t, db)

  const none = await h.call('GET', '/api/v1/orders', { as: null })
  assert.equal(none.status, 401)
  assert.equal(none.body.code, 'missing_token')
  assert.match(String(none.headers['content-type']), /^application\/problem\+json/)
  for (const token of ['garbage', 'eyJhbGciOiJIUzI1NiJ9.e30.x', 'trb_not-a-real-key']) {
    const bad = await h.call('GET', '/api/v1/orders', { token })
    assert.equal(bad.status, 401, token)
    assert.equal(bad.body.code, 'invalid_token')
    assert.ok(!bad.text.includes(token.slice(4)), 'the token is never echoed')
  }

  const wrong = await h.call('POST', '/api/v1/auth/login', {
    as: null,
    body: { email: 'owner@acme.test', password: 'not the password' },
  })
  assert.equal(wrong.status, 401)
  assert.equal(wrong.body.code, 'invalid_credentials')
  const unknown = await h.call('POST', '/api/v1/auth/login', { as: null, body: { email: 'nobody@x.y', password: 'x' } })
  assert.equal(unknown.body.code, 'invalid_credentials', 'an unknown email answers like a wrong password')

  // Password guessing: after 10 failures for one email, login answers 429 with Retry-After.
  for (let i = 0; i < 10; i++) {
    const guess = await h.call('POST', '/api/v1/auth/login', {
      as: null,
      body: { email: 'member@acme.test', password: `guess ${i}` },
    })
    assert.equal(guess.status, 401)
  }
  const locked = await h.call('POST', '/api/v1/auth/login', {
    as: null,
    body: { email: 'member@acme.test', password: PASSWORD },
  })
  assert.equal(locked.status, 429)
  assert.ok(Number(locked.headers['retry-after']) > 0)

  const login = await h.call('POST', '/api/v1/auth/login', {
    as: null,
    body: { email: 'OWNER@acme.test', password: PASSWORD },
  })
  assert.equal(login.status, 200)
  assert.equal(login.body.tokenType, 'Bearer')
  assert.ok(login.body.expiresIn > 0)
  // A refresh token is not an access token, and vice versa.
  assert.equal((await h.call('GET', '/api/v1/auth/me', { token: login.body.refreshToken })).status, 401)
  const refreshed = await h.call('POST', '/api/v1/auth/refresh', {
    as: null,
    body: { refreshToken: login.body.refreshToken },
  })
  assert.equal(refreshed.status, 200)
  const me = await h.call('GET', '/api/v1/auth/me', { token: refreshed.body.accessToken })
  assert.equal(me.status, 200)
  assert.equal(me.body.role, 'owner')
  assert.equal(me.body.tenantId, h.tenant.id)
  assert.ok(!JSON.stringify(me.body).includes('scrypt'), 'no password hash in a response')
  const badRefresh = await h.call('POST', '/api/v1/auth/refresh', {
    as: null,
    body: { refreshToken: login.body.accessToken },
  })
  assert.equal(badRefresh.status, 401)

  // 403 for the wrong role.
  assert.equal((await h.call('POST', '/api/v1/tenants', { as: 'owner', body: { name: 'x' } })).status, 403)
  assert.equal((await h.call('GET', '/api/v1/users', { as: 'member' })).status, 403)
  assert.equal((await h.call('POST', '/api/v1/keys', { as: 'member', body: { name: 'k' } })).status, 403)
  const created = await h.call('POST', '/api/v1/tenants', { as: 'admin', body: { name: 'initech' } })
  assert.equal(created.status, 201)
  const duplicate = await h.call('POST', '/api/v1/tenants', { as: 'admin', body: { name: 'initech' } })
  assert.equal(duplicate.status, 409)
  assert.equal(duplicate.body.code, 'tenant_name_taken')
  const tenants = await h.call('GET', '/api/v1/tenants', { as: 'admin' })
  assert.deepEqual(tenants.body.tenants.map((x: { name: string }) => x.name).sort(), ['acme', 'globex', 'initech'])
  // Tenant endpoints need a tenant: admins name it in X-Tenant-Id.
  assert.equal((await h.call('GET', '/api/v1/orders', { as: 'admin' })).body.code, 'tenant_required')
  assert.equal(
    (await h.call('GET', '/api/v1/orders', { as: 'admin', headers: { 'x-tenant-id': h.tenant.id } })).status,
    200,
  )
  assert.equal((await h.call('GET', `/api/v1/tenants/${h.other.id}`, { as: 'owner' })).status, 404)
  assert.equal((await h.call('GET', `/api/v1/tenants/${h.tenant.id}`, { as: 'member' })).status, 200)
})

forEachDatabase(
  'API users and keys: owners manage their tenant; keys are shown once, hashed, revocable',
  async (t, db) => {
    const h = await startHarness(t, db)

    const user = await h.call('POST', '/api/v1/users', {
      body: { email: 'new@acme.test', password: 'long enough password', role: 'member' },
    })
    assert.equal(user.status, 201)
    assert.equal(user.body.tenantId, h.tenant.id)
    const short = await h.call('POST', '/api/v1/users', { body: { email: 'x@acme.test', password: 'short' } })
    assert.equal(short.status, 400)
    assert.deepEqual(short.body.errors, [{ path: 'password', message: 'must be at least 10 characters' }])
    const taken = await h.call('POST', '/api/v1/users', {
      body: { email: 'NEW@acme.test', password: 'long enough password' },
    })
    assert.equal(taken.status, 409)
    assert.equal(
      (
        await h.call('POST', '/api/v1/users', {
          body: { email: 'a@b.c', password: 'long enough password', role: 'admin' },
        })
      ).status,
      403,
    )
    const users = await h.call('GET', '/api/v1/users')
    assert.deepEqual(
      users.body.users.map((u: { email: string }) => u.email),
      ['member@acme.test', 'new@acme.test', 'owner@acme.test'],
    )
    // Another tenant's user is not there.
    assert.equal((await h.call('DELETE', `/api/v1/users/${user.body.id}`, { as: 'otherOwner' })).status, 404)
    assert.equal((await h.call('DELETE', `/api/v1/users/${user.body.id}`)).status, 204)

    const key = await h.call('POST', '/api/v1/keys', { body: { name: 'ci', role: 'member' } })
    assert.equal(key.status, 201)
    assert.match(key.body.key, /^trb_[A-Za-z0-9_-]{40,}$/)
    const listed = await h.call('GET', '/api/v1/keys')
    assert.equal(listed.body.keys.length, 1)
    assert.ok(!listed.text.includes(key.body.key), 'a key is never shown again')
    assert.ok(key.body.key.startsWith(listed.body.keys[0].prefix))
    const stored = JSON.stringify(await db.store.apiKeys.list(h.tenant.id))
    assert.ok(!stored.includes(key.body.key.slice(12)), 'only a hash is stored')

    const asKey = await h.call('GET', '/api/v1/orders', { token: key.body.key })
    assert.equal(asKey.status, 200)
    assert.equal((await h.call('GET', '/api/v1/keys', { token: key.body.key })).status, 403, 'a member key is a member')
    assert.equal((await h.call('DELETE', `/api/v1/keys/${key.body.id}`, { as: 'otherOwner' })).status, 404)
    assert.equal((await h.call('DELETE', `/api/v1/keys/${key.body.id}`)).status, 204)
    const revoked = await h.call('GET', '/api/v1/orders', { token: key.body.key })
    assert.equal(revoked.status, 401)
    assert.equal((await h.call('DELETE', `/api/v1/keys/${key.body.id}`)).status, 404, 'revoking twice')
  },
)

forEachDatabase(
  'API errors: problem+json for bad JSON, wrong types, unknown fields, 413, 415, unknown routes',
  async (t, db) => {
    const h = await startHarness(t, db, { limits: { bodyLimitBytes: 2048 } })
    const send = (payload: string, contentType = 'application/json') =>
      h.api.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { authorization: `Bearer ${h.tokens.owner}`, 'content-type': contentType },
        payload,
      })

    const badJson = await send('{"email": ')
    assert.equal(badJson.statusCode, 400)
    assert.equal(badJson.json().code, 'invalid_json')
    assert.match(String(badJson.headers['content-type']), /^application\/problem\+json/)

    const tooLarge = await send(JSON.stringify({ email: 'x'.repeat(4000) }))
    assert.equal(tooLarge.statusCode, 413)
    assert.equal(tooLarge.json().code, 'body_too_large')

    const wrongType = await send('email=a', 'application/x-www-form-urlencoded')
    assert.equal(wrongType.statusCode, 415)
    assert.equal(wrongType.json().code, 'unsupported_media_type')

    const fields = await send(JSON.stringify({ email: 42, password: 'long enough password', extra: true }))
    assert.equal(fields.statusCode, 400)
    const body = fields.json()
    assert.equal(body.code, 'invalid_body')
    assert.deepEqual(body.errors.map((e: { path: string }) => e.path).sort(), ['body.email', 'body.extra'])
    for (const key of ['type', 'title', 'status', 'detail', 'code', 'requestId']) assert.ok(key in body, key)

    const query = await h.call('GET', '/api/v1/orders?limit=abc&status=shipped&createdAtMin=yesterday')
    assert.equal(query.status, 400)
    assert.equal(query.body.code, 'invalid_query')
    assert.deepEqual(query.body.errors.map((e: { path: string }) => e.path).sort(), [
      'query.createdAtMin',
      'query.limit',
      'query.status.0',
    ])

    // PostgreSQL cannot store NUL in text: refused as bad input on both databases, never a 500.
    const nul = await h.call('GET', '/api/v1/sync/runs/%00')
    assert.equal(nul.status, 400)
    assert.equal(nul.body.code, 'invalid_path')
    const nulBody = await h.call('POST', '/api/v1/auth/login', {
      as: null,
      body: { email: 'a\u0000@b.c', password: 'x' },
    })
    assert.equal(nulBody.status, 400)
    assert.deepEqual(nulBody.body.errors, [{ path: 'body.email', message: 'must not contain NUL characters' }])

    const route = await h.call('GET', '/api/v1/nope')
    assert.equal(route.status, 404)
    assert.equal(route.body.code, 'route_not_found')
    const noBody = await h.call('POST', '/api/v1/sync/runs/some-id/cancel', { body: { unexpected: 1 } })
    assert.equal(noBody.status, 400)
    assert.deepEqual(noBody.body.errors, [{ path: 'body', message: 'must be empty' }])
  },
)

forEachDatabase('API over a real socket: health, readiness, metrics, OpenAPI and docs', async (t, db) => {
  const h = await startHarness(t, db)
  await h.api.listen({ host: '127.0.0.1', port: 0 })
  const address = h.api.server.address()
  assert.ok(address && typeof address === 'object')
  const base = `http://127.0.0.1:${address.port}`
  assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' })
  const ready = await fetch(`${base}/readyz`)
  assert.equal(ready.status, 200)
  await h.call('GET', '/api/v1/orders')
  const metrics = await (await fetch(`${base}/metrics`)).text()
  assert.match(metrics, /tributary_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/orders"/)
  assert.match(metrics, /tributary_sync_runs\{status="running"\} 0/)
  const orders = await fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${h.tokens.member}` } })
  assert.equal(orders.status, 200)
  assert.ok(orders.headers.get('x-request-id'))
  const docs = await fetch(`${base}/docs`)
  assert.equal(docs.status, 200)
  assert.match(await docs.text(), /swagger-ui/i)
  const openapi = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { openapi: string }
  assert.equal(openapi.openapi, '3.1.0')
})
