import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { test } from 'node:test'
import { ValidationError } from '../../domain/errors.ts'
import { isWooPing, parseWooWebhook, verifyWooWebhook } from './webhooks.ts'

const SECRET = 'whsec-test'
// Not re-serialised: the signature covers these exact bytes, spacing included.
const BODY = Buffer.from('{"id":727, "status":"completed","date_modified_gmt":"2025-06-02T11:03:10"}')
const sign = (body: Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64')

const headers = (extra: Record<string, string> = {}) => ({
  'x-wc-webhook-source': 'https://shop.example/',
  'x-wc-webhook-topic': 'order.updated',
  'x-wc-webhook-resource': 'order',
  'x-wc-webhook-event': 'updated',
  'x-wc-webhook-signature': sign(BODY),
  'x-wc-webhook-id': '12',
  'x-wc-webhook-delivery-id': 'a1b2c3',
  ...extra,
})

test('a signature over the exact body bytes verifies', () => {
  assert.equal(verifyWooWebhook(BODY, headers(), SECRET), true)
  assert.equal(verifyWooWebhook(BODY, new Headers(headers()), SECRET), true, 'fetch Headers work too')
  assert.equal(
    verifyWooWebhook(BODY, { 'X-WC-Webhook-Signature': sign(BODY) }, SECRET),
    true,
    'names are case-insensitive',
  )
})

test('a wrong secret, a changed byte, a missing or truncated signature all fail', () => {
  assert.equal(verifyWooWebhook(BODY, headers(), 'other'), false)
  const reformatted = Buffer.from(JSON.stringify(JSON.parse(BODY.toString())))
  assert.equal(
    verifyWooWebhook(reformatted, headers(), SECRET),
    false,
    'the same JSON re-serialised is not the signed body',
  )
  const { 'x-wc-webhook-signature': _, ...unsigned } = headers()
  assert.equal(verifyWooWebhook(BODY, unsigned, SECRET), false)
  assert.equal(verifyWooWebhook(BODY, headers({ 'x-wc-webhook-signature': sign(BODY).slice(0, 10) }), SECRET), false)
  assert.equal(verifyWooWebhook(BODY, headers(), ''), false)
})

test('a delivery parses into its topic, ids and payload', () => {
  const parsed = parseWooWebhook(BODY, headers())
  assert.equal(parsed.kind, 'event')
  if (parsed.kind !== 'event') return
  assert.deepEqual(
    { ...parsed, eventKey: undefined },
    {
      kind: 'event',
      topic: 'order.updated',
      resource: 'order',
      event: 'updated',
      deliveryId: 'a1b2c3',
      webhookId: '12',
      source: 'https://shop.example/',
      payload: { id: 727, status: 'completed', date_modified_gmt: '2025-06-02T11:03:10' },
      externalId: '727',
      eventKey: undefined,
    },
  )
})

test('the event key marks a redelivery as a duplicate but not a different payload in the same second', () => {
  const first = parseWooWebhook(BODY, headers())
  const again = parseWooWebhook(BODY, headers({ 'x-wc-webhook-delivery-id': 'other' }))
  const changed = Buffer.from(BODY.toString().replace('completed', 'refunded'))
  const sameSecond = parseWooWebhook(changed, headers())
  assert.ok(first.kind === 'event' && again.kind === 'event' && sameSecond.kind === 'event')
  assert.equal(first.eventKey, again.eventKey)
  assert.notEqual(first.eventKey, sameSecond.eventKey)
})

test('the unsigned ping is recognised', () => {
  const ping = Buffer.from('webhook_id=12')
  const pingHeaders = { 'content-type': 'application/x-www-form-urlencoded' }
  assert.equal(isWooPing(ping, pingHeaders), true)
  assert.deepEqual(parseWooWebhook(ping, pingHeaders), { kind: 'ping', webhookId: '12' })
  assert.equal(isWooPing(BODY, headers()), false)
})

test('a deleted resource carries only its id', () => {
  const body = Buffer.from('{"id":727}')
  const parsed = parseWooWebhook(
    body,
    headers({ 'x-wc-webhook-topic': 'order.deleted', 'x-wc-webhook-event': 'deleted' }),
  )
  assert.ok(parsed.kind === 'event')
  assert.deepEqual([parsed.event, parsed.externalId], ['deleted', '727'])
})

test('anything else is an invalid_webhook ValidationError', () => {
  const invalid = (error: unknown) => error instanceof ValidationError && error.code === 'invalid_webhook'
  assert.throws(() => parseWooWebhook(Buffer.from('hello'), { 'content-type': 'text/plain' }), invalid)
  assert.throws(() => parseWooWebhook(Buffer.from('not json'), headers()), invalid)
  assert.throws(() => parseWooWebhook(Buffer.from('[1,2]'), headers()), invalid)
})
