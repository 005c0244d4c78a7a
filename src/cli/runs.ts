import { formatDuration } from '../lib/duration.ts'
import type { Command } from './app.ts'
import { intFlag, parseCommandArgs } from './args.ts'
import { table } from './format.ts'
import { findConnection } from './lookup.ts'

export const runsCommand: Command = {
  name: 'runs',
  usage: 'tributary runs [--connection C] [--limit 20] [--json]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      connection: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    })
    const limit = intFlag(values.limit, 'limit', 20, 1)
    const app = await io.openApp({ logLevel: 'warn' })
    try {
      const connectionId = values.connection ? (await findConnection(app.store, values.connection)).id : undefined
      const runs = await app.store.runs.list({ ...(connectionId ? { connectionId } : {}), limit })
      if (values.json) {
        io.stdout.write(JSON.stringify(runs, null, 2) + '\n')
        return 0
      }
      io.stdout.write(
        table([
          [
            'RUN',
            'CONNECTION',
            'STREAM',
            'TRIGGER',
            'STATUS',
            'TRY',
            'FETCHED',
            'NEW',
            'UPD',
            'SAME',
            'FAIL',
            'STARTED',
            'TOOK',
            'ERROR',
          ],
          ...runs.map((r) => [
            r.id,
            r.connectionId.slice(0, 13),
            r.stream,
            r.trigger,
            r.status,
            String(r.attempt),
            String(r.counters.fetched),
            String(r.counters.created),
            String(r.counters.updated),
            String(r.counters.unchanged),
            String(r.counters.failed),
            r.startedAt ?? '-',
            r.startedAt && r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '-',
            r.error ? r.error.slice(0, 80) : '',
          ]),
        ]),
      )
      return 0
    } finally {
      await app.close()
    }
  },
}
