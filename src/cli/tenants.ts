import type { Command } from './app.ts'
import { parseCommandArgs, UsageError } from './args.ts'
import { table } from './format.ts'

export const tenantsCommand: Command = {
  name: 'tenants',
  usage: 'tributary tenants add NAME | tributary tenants list [--json]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const [action, name] = positionals
    const app = await io.openApp()
    try {
      if (action === 'add') {
        if (!name) throw new UsageError('usage: tributary tenants add NAME')
        if (await app.store.tenants.getByName(name)) throw new UsageError(`a tenant named "${name}" already exists`)
        const tenant = await app.store.tenants.create(name)
        io.stdout.write(values.json ? JSON.stringify(tenant) + '\n' : `${tenant.id}\n`)
        return 0
      }
      if (action === 'list' || action === undefined) {
        const tenants = await app.store.tenants.list()
        if (values.json) io.stdout.write(JSON.stringify(tenants, null, 2) + '\n')
        else io.stdout.write(table([['ID', 'NAME', 'CREATED'], ...tenants.map((t) => [t.id, t.name, t.createdAt])]))
        return 0
      }
      throw new UsageError(`unknown action "${action}"; ${tenantsCommand.usage}`)
    } finally {
      await app.close()
    }
  },
}
