import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ProviderError } from '../../domain/errors.ts'
import type { HttpRequest } from '../connector.ts'
import { signWooRequest, wooUrl } from './client.ts'

const credentials = { key: 'ck_abc', secret: 'cs_def' }
const request = (url: string): HttpRequest => ({
  method: 'GET',
  url,
  operation: 'orders.list',
  headers: { accept: 'application/json' },
})

test('URLs are built under /wp-json/wc/v3 with an RFC 3986 query, skipping empty values', () => {
  assert.equal(
    wooUrl('https://shop.example/', 'orders', {
      modified_after: '2025-06-01T10:00:00',
      status: 'any',
      page: 2,
      x: undefined,
      y: null,
    }),
    'https://shop.example/wp-json/wc/v3/orders?modified_after=2025-06-01T10%3A00%3A00&status=any&page=2',
  )
  assert.equal(wooUrl('https://example.com/shop', '/orders/7'), 'https://example.com/shop/wp-json/wc/v3/orders/7')
})

test('an https store gets HTTP Basic with the key and secret', () => {
  const signed = signWooRequest(
    { endpoint: 'https://shop.example', credentials },
    request('https://shop.example/wp-json/wc/v3/orders'),
  )
  assert.equal(signed.headers?.['authorization'], `Basic ${Buffer.from('ck_abc:cs_def').toString('base64')}`)
  assert.equal(signed.headers?.['accept'], 'application/json')
  assert.equal(signed.url, 'https://shop.example/wp-json/wc/v3/orders')
})

test('an http store gets an OAuth 1.0a HMAC-SHA256 query, never the secret', () => {
  const signed = signWooRequest(
    { endpoint: 'http://shop.example', credentials },
    request('http://shop.example/wp-json/wc/v3/orders?page=2'),
  )
  const query = new URL(signed.url).searchParams
  assert.equal(query.get('page'), '2')
  assert.equal(query.get('oauth_consumer_key'), 'ck_abc')
  assert.equal(query.get('oauth_signature_method'), 'HMAC-SHA256')
  assert.ok(query.get('oauth_signature'))
  assert.doesNotMatch(signed.url, /cs_def/)
  assert.equal(signed.headers?.['authorization'], undefined)
})

test('requests to another origin are not given the credentials', () => {
  const foreign = request('https://elsewhere.example/wp-json/wc/v3/orders')
  assert.equal(signWooRequest({ endpoint: 'https://shop.example', credentials }, foreign), foreign)
})

test('missing credentials are an auth error that says which one', () => {
  assert.throws(
    () =>
      signWooRequest(
        { endpoint: 'https://shop.example', credentials: { key: 'ck_abc' } },
        request('https://shop.example/x'),
      ),
    (error: unknown) =>
      error instanceof ProviderError &&
      error.code === 'provider_auth_failed' &&
      /no consumer secret/.test(error.message),
  )
})
