// `npm test`: runs every *.test.ts under src/ and test/ with node:test, after saying which
// PostgreSQL/Redis-backed tests will run. Without PostgreSQL they are skipped, and named as such;
// with TRIBUTARY_REQUIRE_PG=1 (CI) an unreachable PostgreSQL fails the run instead.
import { spawn } from 'node:child_process'
import { connect } from 'node:net'

const pgUrl = new URL(process.env['TRIBUTARY_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test')
const required = process.env['TRIBUTARY_REQUIRE_PG'] === '1'

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

const pgUp = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432))
const where = `${pgUrl.hostname}:${pgUrl.port || 5432}`
if (!pgUp && required) {
  console.error(`PostgreSQL is required (TRIBUTARY_REQUIRE_PG=1) but unreachable at ${where}`)
  process.exit(1)
}
console.log(
  pgUp
    ? `PostgreSQL at ${where}: every [postgres] test variant runs${required ? ' (required)' : ''}`
    : `PostgreSQL unreachable at ${where}: every [postgres] test is SKIPPED (set TRIBUTARY_REQUIRE_PG=1 to make them mandatory)`,
)

const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/**/*.test.ts', 'test/**/*.test.ts']
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=180000', ...patterns], {
  stdio: 'inherit',
  env: process.env,
})
child.on('exit', (code, signal) => {
  if (!pgUp) console.log(`note: PostgreSQL tests were skipped (unreachable at ${where})`)
  process.exit(code ?? (signal ? 1 : 0))
})
