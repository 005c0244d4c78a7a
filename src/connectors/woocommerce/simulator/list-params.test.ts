import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseCustomerListQuery, parseOrderListQuery } from './list-params.ts'
import { parseQuery } from './query-string.ts'

const orders = (query: string) => parseOrderListQuery(parseQuery(query).params, 180)

test('defaults: page 1, 10 per page, newest first by date, every listed status', () => {
  const parsed = orders('')
  assert.ok(parsed.ok)
  assert.deepEqual(
    { ...parsed.query },
    {
      page: 1,
      perPage: 10,
      offset: undefined,
      order: 'desc',
      orderby: 'date',
      statuses: 'any',
      createdAfter: undefined,
      createdBefore: undefined,
      modifiedAfter: undefined,
      modifiedBefore: undefined,
      include: [],
      exclude: [],
      customer: undefined,
      product: undefined,
      search: undefined,
    },
  )
})

test('per_page outside 1..100 is a 400 rest_invalid_param naming the parameter', () => {
  for (const perPage of ['0', '101', '-5']) {
    const parsed = orders(`per_page=${perPage}`)
    assert.ok(!parsed.ok)
    assert.deepEqual(parsed.error, {
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page',
      data: {
        status: 400,
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
        details: {
          per_page: {
            code: 'rest_out_of_bounds',
            message: 'per_page must be between 1 (inclusive) and 100 (inclusive)',
            data: null,
          },
        },
      },
    })
  }
  assert.ok(orders('per_page=1').ok)
  assert.ok(orders('per_page=100').ok)
})

test('every bad parameter is named at once', () => {
  const parsed = orders('page=0&per_page=abc&status=shipped&orderby=price&after=yesterday&dates_are_gmt=maybe')
  assert.ok(!parsed.ok)
  assert.equal(parsed.error.message, 'Invalid parameter(s): page, per_page, orderby, status, dates_are_gmt, after')
  assert.equal(parsed.error.data.params!['per_page'], 'per_page is not of type integer.')
  assert.match(parsed.error.data.params!['status']!, /^status\[0\] is not one of any, trash, pending, /)
  assert.equal(parsed.error.data.params!['after'], 'Invalid date.')
})

test('status takes a comma list or an array; any wins', () => {
  const comma = orders('status=processing,completed')
  assert.ok(comma.ok)
  assert.deepEqual(comma.query.statuses, ['processing', 'completed'])
  const array = orders('status%5B0%5D=trash&status[1]=failed&status[0]=trash')
  assert.ok(array.ok)
  assert.deepEqual(array.query.statuses, ['trash', 'failed'])
  const any = orders('status[]=any&status[]=trash')
  assert.ok(any.ok)
  assert.equal(any.query.statuses, 'any')
})

test('date filters compare site-local columns unless dates_are_gmt', () => {
  const local = orders('modified_after=2025-06-01T12:00:00')
  const gmt = orders('modified_after=2025-06-01T12:00:00&dates_are_gmt=true')
  assert.ok(local.ok && gmt.ok)
  assert.equal(gmt.query.modifiedAfter! - local.query.modifiedAfter!, 3 * 3600)
})

test('customers list by name ascending for the customer role by default', () => {
  const parsed = parseCustomerListQuery(parseQuery('').params)
  assert.ok(parsed.ok)
  assert.equal(parsed.query.orderby, 'name')
  assert.equal(parsed.query.order, 'asc')
  assert.equal(parsed.query.role, 'customer')
  const bad = parseCustomerListQuery(parseQuery('role=boss&per_page=101').params)
  assert.ok(!bad.ok)
  assert.equal(bad.error.message, 'Invalid parameter(s): per_page, role')
})
