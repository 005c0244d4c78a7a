import { PROVIDERS, type ProviderName, STREAM_NAMES, type StreamName } from '../domain/statuses.ts'
import { defaultSettings, validateNewConnection } from '../engine/connections.ts'
import { formatDuration } from '../lib/duration.ts'
import type { Command } from './app.ts'
import { durationFlag, intFlag, parseCommandArgs, requireFlag, UsageError } from './args.ts'
import { table } from './format.ts'
import { findConnection, findTenant } from './lookup.ts'

const USAGE = `tributary connections add woocommerce --tenant T --url U --key K --secret S
                       [--name N] [--every 30m] [--lookback 10m] [--days 30] [--rate-limit 5]
                       [--streams orders,customers] [--no-startup]
  tributary connections list [--tenant T] [--json]
  tributary connections test ID
  tributary connections pause|resume|remove ID`

export const connectionsCommand: Command = {
  name: 'connections',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      tenant: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      name: { type: 'string' },
      every: { type: 'string' },
      lookback: { type: 'string' },
      days: { type: 'string' },
      'rate-limit': { type: 'string' },
      streams: { type: 'string' },
      'no-startup': { type: 'boolean' },
      json: { type: 'boolean' },
    })
    const [action, target] = positionals
    if (action === undefined) throw new UsageError(`usage: ${USAGE}`)
    if (!['add', 'list', 'test', 'pause', 'resume', 'remove'].includes(action)) {
      throw new UsageError(`unknown action "${action}"; usage: ${USAGE}`)
    }
    if (action === 'add') {
      const provider = target as ProviderName
      if (!provider || !PROVIDERS.includes(provider)) {
        throw new UsageError(`connections add needs a provider: ${PROVIDERS.join(', ')}`)
      }
    }
    const app = await io.openApp()
    try {
      const { store } = app
      switch (action) {
        case 'add': {
          const provider = target as ProviderName
          const tenant = await findTenant(store, requireFlag(values.tenant, 'tenant'))
          const streams = (values.streams?.split(',').map((s) => s.trim()) ??
            app.connectors(provider).streams) as StreamName[]
          for (const stream of streams) {
            if (!STREAM_NAMES.includes(stream)) throw new UsageError(`--streams: unknown stream "${stream}"`)
          }
          const defaults = defaultSettings(provider, streams)
          const input = validateNewConnection(app.connectors, {
            tenantId: tenant.id,
            provider,
            name: values.name ?? requireFlag(values.url, 'url'),
            endpoint: requireFlag(values.url, 'url'),
            credentials: { key: requireFlag(values.key, 'key'), secret: requireFlag(values.secret, 'secret') },
            settings: {
              ...defaults,
              intervalMs: durationFlag(values.every, 'every', defaults.intervalMs),
              lookbackMs: durationFlag(values.lookback, 'lookback', defaults.lookbackMs),
              backfillDays: intFlag(values.days, 'days', defaults.backfillDays),
              rateLimitPerSec: intFlag(values['rate-limit'], 'rate-limit', defaults.rateLimitPerSec),
              runOnStartup: !values['no-startup'],
            },
          })
          const connection = await store.connections.create(input)
          io.stdout.write(values.json ? JSON.stringify(connection) + '\n' : `${connection.id}\n`)
          return 0
        }
        case 'list': {
          const tenant = values.tenant ? await findTenant(store, values.tenant) : undefined
          const connections = await store.connections.list(tenant?.id)
          if (values.json) {
            io.stdout.write(JSON.stringify(connections, null, 2) + '\n')
          } else {
            io.stdout.write(
              table([
                ['ID', 'PROVIDER', 'STATUS', 'ENDPOINT', 'EVERY', 'STREAMS'],
                ...connections.map((c) => [
                  c.id,
                  c.provider,
                  c.status,
                  c.endpoint,
                  c.settings.intervalMs > 0 ? formatDuration(c.settings.intervalMs) : 'manual',
                  c.settings.streams.join(','),
                ]),
              ]),
            )
          }
          return 0
        }
        case 'test': {
          const connection = await store.connections.getWithCredentials((await findConnection(store, target ?? '')).id)
          await app.connectors(connection!.provider).testConnection(app.contexts.contextFor(connection!))
          io.stdout.write(`ok: ${connection!.provider} at ${connection!.endpoint} accepted the credentials\n`)
          return 0
        }
        case 'remove': {
          const connection = await findConnection(store, target ?? '')
          await store.connections.delete(connection.id)
          io.stdout.write(`removed ${connection.id}\n`)
          return 0
        }
        default: {
          const connection = await findConnection(store, target ?? '')
          await store.connections.update(connection.id, undefined, { status: action === 'pause' ? 'paused' : 'active' })
          io.stdout.write(`${action === 'pause' ? 'paused' : 'resumed'} ${connection.id}\n`)
          return 0
        }
      }
    } finally {
      await app.close()
    }
  },
}
