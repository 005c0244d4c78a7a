import { createApiKey } from '../api/auth/accounts.ts'
import type { Command } from './app.ts'
import { parseCommandArgs, requireFlag, UsageError } from './args.ts'
import { table } from './format.ts'
import { findTenant } from './lookup.ts'

export const keysCommand: Command = {
  name: 'keys',
  usage:
    'tributary keys create --tenant T [--role member|owner] [--name N] [--json]\n' +
    '       tributary keys list --tenant T [--json]\n' +
    '       tributary keys revoke ID --tenant T',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      tenant: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    })
    const [action, id] = positionals
    const app = await io.openApp()
    try {
      const tenant = await findTenant(app.store, requireFlag(values.tenant, 'tenant'))
      if (action === 'create') {
        const role = values.role ?? 'member'
        if (role !== 'member' && role !== 'owner') throw new UsageError('--role must be member or owner')
        const { apiKey, key } = await createApiKey(app.store, {
          tenantId: tenant.id,
          role,
          name: values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`,
        })
        if (values.json) io.stdout.write(`${JSON.stringify({ ...apiKey, key })}\n`)
        else {
          io.stdout.write(`${key}\n`)
          io.stderr.write(`API key ${apiKey.id} (${role}) for tenant "${tenant.name}" — shown once; store it now\n`)
        }
        return 0
      }
      if (action === 'list' || action === undefined) {
        const keys = await app.store.apiKeys.list(tenant.id)
        if (values.json) io.stdout.write(`${JSON.stringify(keys, null, 2)}\n`)
        else {
          io.stdout.write(
            table([
              ['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'],
              ...keys.map((k) => [
                k.id,
                k.name,
                k.role,
                `${k.prefix}…`,
                k.createdAt,
                k.lastUsedAt ?? '-',
                k.revokedAt ?? '-',
              ]),
            ]),
          )
        }
        return 0
      }
      if (action === 'revoke') {
        if (!id) throw new UsageError('usage: tributary keys revoke ID --tenant T')
        if (!(await app.store.apiKeys.revoke(id, tenant.id))) {
          throw new UsageError(
            `tenant "${tenant.name}" has no active key ${id} (see: tributary keys list --tenant ${tenant.name})`,
          )
        }
        io.stdout.write(`revoked ${id}\n`)
        return 0
      }
      throw new UsageError(`unknown action "${action}"; ${keysCommand.usage}`)
    } finally {
      await app.close()
    }
  },
}
