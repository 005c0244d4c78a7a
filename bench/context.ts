import type { BenchOptions, BenchPlan } from './options.ts'
import type { Workspace } from './workspace.ts'

/** What every scenario gets: the sizes, where to put files, and where to record a failed run. */
export interface BenchContext {
  readonly options: BenchOptions
  readonly plan: BenchPlan
  readonly workspace: Workspace
  /** A failed run: recorded, printed, and the bench exits non-zero. */
  fail(message: string): void
  /** A progress line on stderr (stdout carries the table and the summary). */
  progress(message: string): void
}
