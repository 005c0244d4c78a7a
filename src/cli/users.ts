import { createUser } from '../api/auth/accounts.ts'
import { USER_ROLES, type UserRole } from '../store/store.ts'
import type { Command } from './app.ts'
import { parseCommandArgs, requireFlag, UsageError } from './args.ts'
import { table } from './format.ts'
import { findTenant } from './lookup.ts'

export const usersCommand: Command = {
  name: 'users',
  usage:
    'tributary users add --tenant T --email E --password P [--role owner|member]\n' +
    '       tributary users add --role admin --email E --password P   (platform admin, no tenant)\n' +
    '       tributary users list [--tenant T] [--json]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      tenant: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    })
    const [action] = positionals
    const app = await io.openApp()
    try {
      if (action === 'add') {
        const role = (values.role ?? 'member') as UserRole
        if (!USER_ROLES.includes(role)) throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`)
        if (role === 'admin' && values.tenant) throw new UsageError('admins belong to no tenant; drop --tenant')
        const tenantId =
          role === 'admin' ? null : (await findTenant(app.store, requireFlag(values.tenant, 'tenant'))).id
        const user = await createUser(app.store, {
          tenantId,
          email: requireFlag(values.email, 'email'),
          password: requireFlag(values.password, 'password'),
          role,
        })
        io.stdout.write(values.json ? `${JSON.stringify(user)}\n` : `${user.id}\n`)
        return 0
      }
      if (action === 'list' || action === undefined) {
        const tenantId = values.tenant ? (await findTenant(app.store, values.tenant)).id : undefined
        const users = await app.store.users.list(tenantId)
        if (values.json) io.stdout.write(`${JSON.stringify(users, null, 2)}\n`)
        else {
          io.stdout.write(
            table([
              ['ID', 'EMAIL', 'ROLE', 'TENANT', 'CREATED'],
              ...users.map((u) => [u.id, u.email, u.role, u.tenantId ?? '-', u.createdAt]),
            ]),
          )
        }
        return 0
      }
      throw new UsageError(`unknown action "${action}"; ${usersCommand.usage}`)
    } finally {
      await app.close()
    }
  },
}
