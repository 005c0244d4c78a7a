import { breakerStates } from '../engine/calls/circuit-breaker.ts'
import type { App, Command } from './app.ts'
import { parseCommandArgs } from './args.ts'
import { countersSummary } from './format.ts'

/** Per connection: provider, records per stream, last run and cursor. */
export async function collectStatus(app: App) {
  const { store } = app
  const connections = await store.connections.list()
  const breakers = new Map(breakerStates().map((b) => [b.connectionId, b.state]))
  return Promise.all(
    connections.map(async (connection) => {
      const states = new Map((await store.syncState.list(connection.id)).map((s) => [s.stream, s]))
      const streams = await Promise.all(
        connection.settings.streams.map(async (stream) => {
          const records =
            stream === 'orders'
              ? await store.orders.count(connection.tenantId, { connectionId: connection.id })
              : await store.customers.count(connection.tenantId, { connectionId: connection.id })
          const [lastRun] = await store.runs.list({ connectionId: connection.id, stream, limit: 1 })
          const state = states.get(stream)
          return {
            stream,
            records,
            cursor: state?.cursor ?? null,
            lastSuccessAt: state?.lastSuccessAt ?? null,
            lastRun: lastRun ?? null,
          }
        }),
      )
      return {
        id: connection.id,
        tenantId: connection.tenantId,
        provider: connection.provider,
        endpoint: connection.endpoint,
        status: connection.status,
        circuit: breakers.get(connection.id) ?? 'closed',
        streams,
      }
    }),
  )
}

export const statusCommand: Command = {
  name: 'status',
  usage: 'tributary status [--json]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const app = await io.openApp({ logLevel: 'warn' })
    try {
      const status = await collectStatus(app)
      if (values.json) {
        io.stdout.write(JSON.stringify(status, null, 2) + '\n')
        return 0
      }
      if (status.length === 0) io.stdout.write('no connections yet (see: tributary connections add --help)\n')
      for (const connection of status) {
        io.stdout.write(`${connection.id}  ${connection.provider}  ${connection.endpoint}  [${connection.status}]\n`)
        for (const s of connection.streams) {
          const run = s.lastRun
          const last = run
            ? `last run ${run.status} ${run.finishedAt ?? run.startedAt ?? run.queuedAt}: ${countersSummary(run.counters)}`
            : 'never run'
          io.stdout.write(`  ${s.stream.padEnd(10)} ${String(s.records).padStart(8)} records · ${last}\n`)
          if (run?.error) io.stdout.write(`  ${''.padEnd(10)} error: ${run.error}\n`)
          io.stdout.write(
            `  ${''.padEnd(10)} cursor: watermark ${s.cursor?.watermark ?? '-'}${s.cursor?.resume ? `, resumes at ${s.cursor.resume}` : ''}\n`,
          )
        }
      }
      return 0
    } finally {
      await app.close()
    }
  },
}
