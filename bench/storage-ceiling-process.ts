// Ceiling A (storage): the orders the sync stores, already normalized, applied with store.applyPage
// page by page into a fresh database of the same schema through the same driver. Only the applyPage
// calls are timed: the pages are read from the simulator and normalized (as the engine does) before
// each call, untimed, so the figure has no HTTP and no JSON in it, and holds one page at a time.
// The rows are the very rows of the sync, in its order, which matters: index locality is most of
// an insert's cost. Prints {rows, created, applyMs, rowsPerSec, maxRssMb}.
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config/config.ts'
import { EMPTY_CURSOR } from '../src/connectors/connector.ts'
import { contentHash } from '../src/domain/content-hash.ts'
import type { Normalized, Order } from '../src/domain/entities.ts'
import { toIsoUtc } from '../src/domain/time.ts'
import { openStore } from '../src/store/kysely/open-store.ts'
import { ordersStream } from './provider-client.ts'
import { maxRssMbOfThisProcess } from './rss.ts'

export interface StorageCeilingResult {
  readonly rows: number
  readonly created: number
  readonly applyMs: number
  readonly rowsPerSec: number
  readonly maxRssMb: number
}

const { values } = parseArgs({
  options: {
    connection: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    secret: { type: 'string' },
  },
})
if (!values.connection || !values.url || !values.key || !values.secret) {
  throw new Error('usage: storage-ceiling-process.ts --connection ID --url U --key K --secret S')
}

const { stream } = ordersStream(values.url, { key: values.key, secret: values.secret })
const config = loadConfig()
const store = await openStore({ databaseUrl: config.databaseUrl, secretKey: config.secretKey, migrate: false })
try {
  const connection = await store.connections.get(values.connection)
  if (!connection) throw new Error(`connection ${values.connection} not found`)
  const run = await store.runs.create({
    tenantId: connection.tenantId,
    connectionId: connection.id,
    stream: 'orders',
    jobId: null,
    trigger: 'manual',
    attempt: 1,
    options: {},
  })
  await store.runs.markRunning(run.id, toIsoUtc(Date.now()))
  let rows = 0
  let created = 0
  let applyMs = 0
  for await (const page of stream.read(EMPTY_CURSOR, { since: null, signal: new AbortController().signal })) {
    const records: Normalized<Order>[] = page.records.map((raw) => {
      const rawJson = JSON.stringify(raw)
      return { entity: stream.normalize(raw) as Order, rawJson, hash: contentHash(rawJson) }
    })
    const began = performance.now()
    const counts = await store.applyPage(
      {
        tenantId: connection.tenantId,
        connectionId: connection.id,
        stream: 'orders',
        runId: run.id,
        records,
        failures: [],
        cursor: page.cursor,
        total: page.total,
      },
      'order',
    )
    applyMs += performance.now() - began
    rows += records.length
    created += counts.created
  }
  const result: StorageCeilingResult = {
    rows,
    created,
    applyMs,
    rowsPerSec: rows / (applyMs / 1000),
    maxRssMb: maxRssMbOfThisProcess(),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  await store.close()
}
