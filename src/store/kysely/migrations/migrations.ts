import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './0001-initial.ts'
import * as auth from './0002-auth.ts'

/**
 * Every migration, in order, in code (no directory scanning: works the same from a bundle, a
 * test or the CLI). Names never change once shipped; append new ones.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_auth': auth,
})

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
}

/** The names in order; test helpers key the PostgreSQL template database by them. */
export function migrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort()
}
