import assert from 'node:assert/strict'
import { Validator } from '@seriousme/openapi-schema-validator'
import fc from 'fast-check'
import { mountedRoutesOf } from '../../src/api/app.ts'
import { forEachDatabase } from '../helpers/databases.ts'
import { newWooConnection, sampleOrder } from '../helpers/factories.ts'
import { seedOrders, startHarness } from './harness.ts'

type Operation = { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown }
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> }

forEachDatabase(
  'the OpenAPI document is valid OpenAPI 3.1 and lists every route',
  async (t, db) => {
    const h = await startHarness(t, db)
    const document = (await h.call('GET', '/api/v1/openapi.json', { as: null })).body as Document
    const validator = new Validator()
    const result = await validator.validate(document as never)
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2))
    assert.equal(validator.version, '3.1')

    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    )
    const mounted = mountedRoutesOf(h.api)
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
    assert.ok(mounted.length >= 30, `expected the whole API, got ${mounted.length} routes`)
    assert.deepEqual(
      mounted.filter((route) => !documented.has(route)),
      [],
      'mounted but not documented',
    )
    assert.deepEqual(
      [...documented].filter((route) => !mounted.includes(route)),
      [],
      'documented but not mounted',
    )
  },
  { dialects: ['sqlite'] },
)

/** Text that tends to break parsers and SQL: quotes, wildcards, unicode, huge numbers, dates. */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "'",
    '"',
    '%',
    '_',
    '\\',
    '\u0000',
    '💥',
    '-1',
    '0',
    '1e309',
    'NaN',
    '2025-13-45T99:99:99Z',
    '__proto__',
    'constructor',
    '[]',
    '{}',
    'a,b,,c',
  ),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
)

forEachDatabase(
  'property: random paths, query strings and bodies on every route never answer 5xx',
  async (t, db) => {
    const h = await startHarness(t, db, { limits: { manualSyncs: 1000 } })
    const shop = await newWooConnection(db.store, h.tenant.id, { url: 'http://127.0.0.1:9', key: 'k', secret: 's' })
    await seedOrders(db.store, shop, [sampleOrder(), sampleOrder({ currency: 'JPY' })])
    const realOrderId = (await db.store.orders.list(h.tenant.id))[0]!.id
    const document = (await h.call('GET', '/api/v1/openapi.json', { as: null })).body as Document
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    )
    const route = fc.constantFrom(...routes.filter((r) => !r.path.endsWith('/events')))
    const query = (operation: Operation) =>
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(...(operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), 'junk'),
            fc.string(),
          ),
          nasty,
        ),
        { maxLength: 5 },
      )
    const body = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom(
          'email',
          'password',
          'name',
          'role',
          'provider',
          'endpoint',
          'credentials',
          'settings',
          'connectionId',
          'daysBack',
          'full',
          'refreshToken',
          'status',
        ),
        fc.oneof(nasty, fc.jsonValue()),
      ),
      fc.string().map((text) => ({ raw: text })),
    )
    const who = fc.constantFrom<'owner' | 'member' | 'admin' | null>('owner', 'member', 'admin', null)
    const id = fc.oneof(nasty, fc.constant(realOrderId), fc.constant(shop.id))

    await fc.assert(
      fc.asyncProperty(
        route.chain((r) => fc.tuple(fc.constant(r), query(r.operation), body, who, id)),
        async ([r, pairs, payload, as, idValue]) => {
          const path = r.path.replace('{id}', encodeURIComponent(idValue) || 'x')
          const search = new URLSearchParams(pairs).toString()
          const raw =
            payload && typeof payload === 'object' && 'raw' in payload ? (payload as { raw: string }).raw : undefined
          const response = await h.api.inject({
            method: r.method as 'GET',
            url: `${path}${search ? `?${search}` : ''}`,
            headers: {
              ...(as ? { authorization: `Bearer ${h.tokens[as]}` } : {}),
              ...(as === 'admin' ? { 'x-tenant-id': h.tenant.id } : {}),
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { payload: raw ?? JSON.stringify(payload) } : {}),
          })
          assert.ok(
            response.statusCode < 500,
            `${r.method} ${path}?${search} ${raw ?? JSON.stringify(payload)} → ${response.statusCode} ${response.body}`,
          )
          if (response.statusCode >= 400) assert.match(String(response.headers['content-type']), /problem\+json/)
        },
      ),
      { numRuns: 400 },
    )
  },
  { timeout: 170_000 },
)
