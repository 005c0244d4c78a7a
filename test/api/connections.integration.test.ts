import assert from 'node:assert/strict'
import { startWooSimulator } from '../../src/connectors/woocommerce/simulator/index.ts'
import { forEachDatabase } from '../helpers/databases.ts'
import { startHarness } from './harness.ts'

forEachDatabase('API connections: CRUD, write-only credentials, test, pause and resume', async (t, db) => {
  const simulator = await startWooSimulator({ orders: 5, seed: 3 })
  t.after(() => simulator.close())
  const h = await startHarness(t, db)
  const { key, secret } = simulator.credentials

  const invalid = await h.call('POST', '/api/v1/connections', {
    body: { provider: 'woocommerce', name: 'Shop', endpoint: 'ftp://shop', credentials: { key } },
  })
  assert.equal(invalid.status, 400)
  assert.deepEqual(invalid.body.errors.map((e: { path: string }) => e.path).sort(), ['credentials.secret', 'endpoint'])
  const unsupported = await h.call('POST', '/api/v1/connections', {
    body: { provider: 'shopify', name: 'S', endpoint: 'https://s.example', credentials: {} },
  })
  assert.equal(unsupported.status, 400)
  assert.equal(unsupported.body.code, 'unsupported_provider')
  assert.equal(
    (
      await h.call('POST', '/api/v1/connections', {
        as: 'member',
        body: { provider: 'woocommerce', name: 'S', endpoint: simulator.url, credentials: { key, secret } },
      })
    ).status,
    403,
  )

  const created = await h.call('POST', '/api/v1/connections', {
    body: {
      provider: 'woocommerce',
      name: 'Shop',
      endpoint: `${simulator.url}/`,
      credentials: { key, secret },
      settings: { intervalMs: 60_000 },
    },
  })
  assert.equal(created.status, 201)
  assert.equal(created.body.endpoint, simulator.url)
  assert.equal(created.body.settings.intervalMs, 60_000)
  assert.deepEqual(created.body.settings.streams, ['orders', 'customers'])
  const id = created.body.id
  for (const response of [
    created,
    await h.call('GET', `/api/v1/connections/${id}`),
    await h.call('GET', '/api/v1/connections'),
  ]) {
    assert.ok(!response.text.includes(secret) && !response.text.includes('credentials'), 'credentials are write-only')
  }

  assert.deepEqual(await (await h.call('POST', `/api/v1/connections/${id}/test`)).body, {
    ok: true,
    code: null,
    message: null,
  })
  const renamed = await h.call('PATCH', `/api/v1/connections/${id}`, {
    body: { name: 'Renamed', credentials: { key, secret: 'cs_wrong' } },
  })
  assert.equal(renamed.status, 200)
  assert.equal(renamed.body.name, 'Renamed')
  const failing = await h.call('POST', `/api/v1/connections/${id}/test`)
  assert.equal(failing.body.ok, false)
  assert.equal(failing.body.code, 'provider_auth_failed')
  assert.ok(!failing.text.includes('cs_wrong'))
  assert.equal(
    (await h.call('PATCH', `/api/v1/connections/${id}`, { body: { settings: { streams: ['nope'] } } })).status,
    400,
  )
  assert.equal((await h.call('PATCH', `/api/v1/connections/${id}`, { body: { color: 'red' } })).status, 400)

  assert.equal((await h.call('POST', `/api/v1/connections/${id}/pause`)).body.status, 'paused')
  const pausedSync = await h.call('POST', '/api/v1/orders/sync', { body: { connectionId: id } })
  assert.equal(pausedSync.status, 409)
  assert.equal(pausedSync.body.code, 'connection_paused')
  assert.equal((await h.call('POST', `/api/v1/connections/${id}/resume`)).body.status, 'active')

  // Another tenant's connection id: 404 everywhere.
  for (const [method, path] of [
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/test'],
    ['POST', '/pause'],
  ] as const) {
    const response = await h.call(method, `/api/v1/connections/${id}${path}`, {
      as: 'otherOwner',
      ...(method === 'PATCH' ? { body: { name: 'x' } } : {}),
    })
    assert.equal(response.status, 404, `${method} ${path}`)
  }
  assert.equal((await h.call('DELETE', `/api/v1/connections/${id}`)).status, 204)
  assert.equal((await h.call('GET', `/api/v1/connections/${id}`)).status, 404)
})
