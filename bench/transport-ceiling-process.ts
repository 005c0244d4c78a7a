// Ceiling B (transport): the orders pages the sync reads, fetched through the same client path
// (ProviderHttp + the connector's orders stream, which JSON-parses each page) with nothing
// normalized or stored. Prints {orders, pages, durationMs, ordersPerSec, maxRssMb}.
import { parseArgs } from 'node:util'
import { EMPTY_CURSOR } from '../src/connectors/connector.ts'
import { ordersStream } from './provider-client.ts'
import { maxRssMbOfThisProcess } from './rss.ts'

export interface TransportCeilingResult {
  readonly orders: number
  readonly pages: number
  readonly durationMs: number
  readonly ordersPerSec: number
  readonly maxRssMb: number
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    secret: { type: 'string' },
    'max-pages': { type: 'string' },
  },
})
if (!values.url || !values.key || !values.secret) {
  throw new Error('usage: transport-ceiling-process.ts --url U --key K --secret S [--max-pages P]')
}
const maxPages = values['max-pages'] ? Number(values['max-pages']) : Number.POSITIVE_INFINITY
const { stream } = ordersStream(values.url, { key: values.key, secret: values.secret })

let orders = 0
let pages = 0
const started = performance.now()
for await (const page of stream.read(EMPTY_CURSOR, { since: null, signal: new AbortController().signal })) {
  orders += page.records.length
  pages++
  if (pages >= maxPages) break
}
const durationMs = performance.now() - started
const result: TransportCeilingResult = {
  orders,
  pages,
  durationMs,
  ordersPerSec: orders / (durationMs / 1000),
  maxRssMb: maxRssMbOfThisProcess(),
}
process.stdout.write(`${JSON.stringify(result)}\n`)
