import type { Command } from './app.ts'
import { parseCommandArgs } from './args.ts'

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'tributary migrate',
  async run(args, io) {
    parseCommandArgs(args, {})
    const app = await io.openApp({ logLevel: 'warn', migrate: false })
    try {
      const applied = await app.store.migrate()
      io.stdout.write(applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'database is up to date\n')
      io.stdout.write(`database: ${describeDatabase(app.config.databaseUrl)}\n`)
      return 0
    } finally {
      await app.close()
    }
  },
}

/** The database URL without a password, for printing. */
export function describeDatabase(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@')
}
