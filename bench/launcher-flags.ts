import { readFileSync } from 'node:fs'
import path from 'node:path'

const LAUNCHER = path.join(import.meta.dirname, '..', 'bin', 'tributary.js')

/**
 * The V8 flags `bin/tributary.js` runs the CLI with (its `V8_FLAGS`). Every measured child gets them
 * too, so the bench measures the process a user runs: these flags change both memory and speed.
 * Throws when the launcher no longer declares them in that form, rather than measure silently
 * without them.
 */
export function launcherV8Flags(source: string = readFileSync(LAUNCHER, 'utf8')): string[] {
  const declaration = /const V8_FLAGS\s*=\s*\[([^\]]*)\]/.exec(source)
  if (!declaration) {
    throw new Error(
      `${LAUNCHER} declares no "const V8_FLAGS = [...]": tell bench/launcher-flags.ts where the CLI's node flags are`,
    )
  }
  return [...declaration[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((match) => match[1] ?? match[2]!)
}
