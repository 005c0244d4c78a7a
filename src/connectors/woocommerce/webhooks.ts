import { createHmac, timingSafeEqual } from 'node:crypto'
import { contentHash } from '../../domain/content-hash.ts'
import { ValidationError } from '../../domain/errors.ts'

/** Node's IncomingHttpHeaders or a fetch Headers; names are matched case-insensitively. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

export type WooWebhook =
  /** Saving a webhook in WooCommerce posts this unsigned; answer 200 or the admin sees an error (§2.5). */
  | { readonly kind: 'ping'; readonly webhookId: string }
  | {
      readonly kind: 'event'
      /** `order.updated`, `customer.deleted`, … */
      readonly topic: string
      readonly resource: string
      readonly event: string
      /** Not unique: it hashes the webhook id with the current second (§2.5). Never dedupe on it alone. */
      readonly deliveryId: string | null
      readonly webhookId: string | null
      /** The store's home URL. */
      readonly source: string | null
      /** The resource's REST JSON; `*.deleted` carries only `{"id"}`. */
      readonly payload: Record<string, unknown>
      readonly externalId: string | null
      /**
       * Identifies a delivery for the inbox's duplicate check: webhook, topic, resource id and a hash
       * of the body, so a redelivery is a duplicate but a different payload in the same second is not.
       */
      readonly eventKey: string
    }

function header(headers: WebhookHeaders, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name)
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower || value === undefined) continue
    return typeof value === 'string' ? value : (value[0] ?? null)
  }
  return null
}

/**
 * Checks `X-WC-Webhook-Signature` = base64(HMAC-SHA256(secret, exact body bytes)) (providers.md §2.5)
 * over the raw bytes, before anything parses them, in constant time.
 */
export function verifyWooWebhook(rawBody: Buffer, headers: WebhookHeaders, secret: string): boolean {
  const given = header(headers, 'x-wc-webhook-signature')?.trim()
  if (!given || !secret) return false
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'))
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

const PING = /^webhook_id=(\d+)$/

/** The unsigned ping WooCommerce sends when a webhook is saved: a form body and no topic header. */
export function isWooPing(rawBody: Buffer, headers: WebhookHeaders): boolean {
  return header(headers, 'x-wc-webhook-topic') === null && PING.test(rawBody.toString('utf8').trim())
}

/** Reads a delivery (after verifyWooWebhook) or a ping. Throws ValidationError `invalid_webhook` for anything else. */
export function parseWooWebhook(rawBody: Buffer, headers: WebhookHeaders): WooWebhook {
  const text = rawBody.toString('utf8')
  const topic = header(headers, 'x-wc-webhook-topic')
  if (topic === null) {
    const ping = PING.exec(text.trim())
    if (ping) return { kind: 'ping', webhookId: ping[1]! }
    throw invalid(
      'the request has no X-WC-Webhook-Topic header and is not a WooCommerce ping',
      'headers.x-wc-webhook-topic',
    )
  }
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    throw invalid(`the ${topic} body is not JSON`, 'body')
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw invalid(`the ${topic} body is not a JSON object`, 'body')
  }
  const [topicResource = '', topicEvent = ''] = topic.split('.')
  const record = payload as Record<string, unknown>
  const id = record['id']
  const externalId = typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : null
  const webhookId = header(headers, 'x-wc-webhook-id')
  return {
    kind: 'event',
    topic,
    resource: header(headers, 'x-wc-webhook-resource') ?? topicResource,
    event: header(headers, 'x-wc-webhook-event') ?? topicEvent,
    deliveryId: header(headers, 'x-wc-webhook-delivery-id'),
    webhookId,
    source: header(headers, 'x-wc-webhook-source'),
    payload: record,
    externalId,
    eventKey: `${webhookId ?? '-'}:${topic}:${externalId ?? '-'}:${contentHash(text)}`,
  }
}

function invalid(message: string, path: string): ValidationError {
  return new ValidationError(message, [{ path, message }], 'invalid_webhook')
}
