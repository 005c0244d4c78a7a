import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NormalizeError } from '../../domain/errors.ts'
import { normalizeWooCustomer, normalizeWooOrder, setWarningSink, wooOrderExternalId } from './normalize.ts'
import type { WooCustomer, WooOrder } from './types.ts'

/** The example order of providers.md §2.6, verbatim. */
const EXAMPLE = JSON.parse(`{"id":727,"number":"727","status":"processing","currency":"USD",
 "date_created":"2025-06-01T12:15:22","date_created_gmt":"2025-06-01T09:15:22",
 "date_modified":"2025-06-02T14:03:10","date_modified_gmt":"2025-06-02T11:03:10",
 "date_paid_gmt":"2025-06-01T09:16:02","date_completed_gmt":null,
 "total":"59.90","total_tax":"0.00","shipping_total":"10.00","discount_total":"0.00",
 "customer_id":26,"payment_method":"stripe","transaction_id":"pi_3PXYZ",
 "billing":{"first_name":"Ana","last_name":"Silva","email":"ana@example.com"},
 "line_items":[{"id":315,"product_id":93,"variation_id":0,"sku":"TEE-RED-M","quantity":2,
   "price":24.95,"subtotal":"49.90","total":"49.90"}],"refunds":[]}`) as WooOrder

const order = (overrides: Partial<WooOrder> | Record<string, unknown>): WooOrder =>
  ({ ...EXAMPLE, ...overrides }) as WooOrder

function throwsField(fn: () => unknown, field: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof NormalizeError, `expected NormalizeError, got ${String(error)}`)
    assert.equal(error.field, field)
    assert.ok(error.message.startsWith(`${field}: `))
    return true
  })
}

test('the providers.md example normalizes field by field', () => {
  assert.deepEqual(normalizeWooOrder(EXAMPLE), {
    externalId: '727',
    number: '727',
    status: 'processing',
    financialStatus: 'paid',
    providerStatus: 'processing',
    currency: 'USD',
    totalMinor: 5990,
    subtotalMinor: 4990,
    taxMinor: 0,
    shippingMinor: 1000,
    discountMinor: 0,
    refundedMinor: 0,
    customerExternalId: '26',
    customerEmail: 'ana@example.com',
    customerName: 'Ana Silva',
    // *_gmt are UTC; the site-local fields are ignored.
    createdAt: '2025-06-01T09:15:22.000Z',
    updatedAt: '2025-06-02T11:03:10.000Z',
    paidAt: '2025-06-01T09:16:02.000Z',
    completedAt: null,
    deletedAt: null,
    lines: [
      {
        externalId: '315',
        productExternalId: '93',
        variantExternalId: null,
        sku: 'TEE-RED-M',
        name: null,
        quantity: 2,
        unitPriceMinor: 2495,
        totalMinor: 4990,
      },
    ],
  })
})

test('JPY amounts have no minor digits', () => {
  const normalized = normalizeWooOrder(
    order({
      currency: 'JPY',
      total: '6480',
      shipping_total: '500',
      line_items: [{ ...EXAMPLE.line_items[0]!, price: 2990, subtotal: '5980', total: '5980' }],
    }),
  )
  assert.equal(normalized.totalMinor, 6480)
  assert.equal(normalized.shippingMinor, 500)
  assert.equal(normalized.lines[0]?.unitPriceMinor, 2990)
  assert.equal(normalized.subtotalMinor, 5980)
})

test('a guest order (customer_id 0) has no customer id and is identified by its billing email', () => {
  const normalized = normalizeWooOrder(
    order({ customer_id: 0, billing: { first_name: 'Bo', last_name: '', email: 'bo@example.com' } }),
  )
  assert.equal(normalized.customerExternalId, null)
  assert.equal(normalized.customerEmail, 'bo@example.com')
  assert.equal(normalized.customerName, 'Bo')
})

test('refunds below the total are partially_refunded and keep the status; at the total they are refunded', () => {
  const partial = normalizeWooOrder(
    order({
      status: 'completed',
      refunds: [
        { id: 1, reason: '', total: '-10.00' },
        { id: 2, reason: 'x', total: '-5.50' },
      ],
    }),
  )
  assert.equal(partial.status, 'completed')
  assert.equal(partial.financialStatus, 'partially_refunded')
  assert.equal(partial.refundedMinor, 1550)
  const full = normalizeWooOrder(order({ status: 'refunded', refunds: [{ id: 3, reason: '', total: '-59.90' }] }))
  assert.deepEqual([full.status, full.financialStatus, full.refundedMinor], ['refunded', 'refunded', 5990])
})

test('each known status maps as providers.md §7.1 says', () => {
  const cases: Array<[string, string | null, string, string]> = [
    ['pending', null, 'pending', 'pending'],
    ['on-hold', null, 'on_hold', 'pending'],
    ['completed', '2025-06-01T09:16:02', 'completed', 'paid'],
    ['failed', null, 'failed', 'failed'],
    // A cancelled order is voided unless it had been paid.
    ['cancelled', null, 'cancelled', 'voided'],
    ['cancelled', '2025-06-01T09:16:02', 'cancelled', 'paid'],
  ]
  for (const [status, paid, expected, financial] of cases) {
    const normalized = normalizeWooOrder(order({ status, date_paid_gmt: paid }))
    assert.deepEqual([normalized.status, normalized.financialStatus], [expected, financial], `${status} paid=${paid}`)
  }
})

test('a trashed order is a tombstone dated by its modification, keeping its data', () => {
  const trashed = normalizeWooOrder(order({ status: 'trash' }))
  assert.equal(trashed.deletedAt, '2025-06-02T11:03:10.000Z')
  assert.equal(trashed.providerStatus, 'trash')
  assert.equal(trashed.totalMinor, 5990)
  // Without the pre-trash status the payment decides; WordPress's trash meta, when exposed, wins.
  assert.equal(trashed.status, 'processing')
  const withMeta = normalizeWooOrder(
    order({ status: 'trash', meta_data: [{ id: 9, key: '_wp_trash_meta_status', value: 'wc-completed' }] }),
  )
  assert.equal(withMeta.status, 'completed')
})

test('an unknown status keeps the raw word, follows the payment, and is reported once per value', () => {
  const notices: string[] = []
  const restore = setWarningSink((message) => notices.push(message))
  try {
    const paid = normalizeWooOrder(order({ status: 'shipped-partially' }))
    assert.deepEqual(
      [paid.providerStatus, paid.status, paid.financialStatus],
      ['shipped-partially', 'processing', 'paid'],
    )
    const unpaid = normalizeWooOrder(order({ status: 'shipped-partially', date_paid_gmt: null }))
    assert.deepEqual([unpaid.status, unpaid.financialStatus], ['pending', 'pending'])
    normalizeWooOrder(order({ status: 'awaiting-pickup' }))
    assert.equal(notices.length, 2)
    assert.match(notices[0]!, /"shipped-partially" is not mapped/)
  } finally {
    restore()
  }
})

test('missing or malformed required fields throw a NormalizeError naming the field', () => {
  throwsField(() => normalizeWooOrder(order({ id: 'abc' })), 'id')
  throwsField(() => normalizeWooOrder(order({ status: undefined })), 'status')
  throwsField(() => normalizeWooOrder(order({ currency: 'dollars' })), 'currency')
  throwsField(() => normalizeWooOrder(order({ total: '59,90' })), 'total')
  throwsField(() => normalizeWooOrder(order({ date_modified_gmt: undefined })), 'date_modified_gmt')
  throwsField(() => normalizeWooOrder(order({ date_created_gmt: 'yesterday' })), 'date_created_gmt')
  throwsField(() => normalizeWooOrder(order({ line_items: null })), 'line_items')
  throwsField(
    () => normalizeWooOrder(order({ line_items: [{ ...EXAMPLE.line_items[0]!, price: 'n/a' }] })),
    'line_items[0].price',
  )
  throwsField(() => normalizeWooOrder(order({ refunds: [{ id: 1, reason: '', total: null }] })), 'refunds[0].total')
  throwsField(() => normalizeWooOrder(order({ status: 'checkout-draft' })), 'status')
  throwsField(() => normalizeWooOrder(null as unknown as WooOrder), 'order')
})

test('external ids are read without normalizing the rest', () => {
  assert.equal(wooOrderExternalId(EXAMPLE), '727')
  assert.equal(wooOrderExternalId({ id: 0 }), null)
  assert.equal(wooOrderExternalId(null), null)
})

test('a customer normalizes; one never edited takes its creation as its latest version', () => {
  const customer = {
    id: 26,
    date_created: '2025-01-01T12:00:00',
    date_created_gmt: '2025-01-01T09:00:00',
    date_modified: null,
    date_modified_gmt: null,
    email: 'ana@example.com',
    first_name: 'Ana',
    last_name: 'Silva',
    role: 'customer',
    username: 'ana',
    billing: { first_name: 'Ana', last_name: 'Silva', phone: '+351 900 000 000' },
    shipping: { first_name: '', last_name: '' },
    is_paying_customer: true,
    avatar_url: '',
  } satisfies WooCustomer
  assert.deepEqual(normalizeWooCustomer(customer), {
    externalId: '26',
    email: 'ana@example.com',
    firstName: 'Ana',
    lastName: 'Silva',
    phone: '+351 900 000 000',
    createdAt: '2025-01-01T09:00:00.000Z',
    updatedAt: '2025-01-01T09:00:00.000Z',
    deletedAt: null,
  })
  throwsField(() => normalizeWooCustomer({ ...customer, date_modified_gmt: 'soon' }), 'date_modified_gmt')
})
