// The WooCommerce simulator in its own process, with a control channel on stdin so the bench can
// change orders mid-run (`tributary simulate` has none). Same first line as the CLI; then one reply
// line per command:
//   mutate N  → ok <N>          (N existing orders get a new date_modified, as a merchant's edits)
//   stats     → {"requests":…}  (the simulator's request counters, as JSON)
//   count     → ok <orders>
// It stops on SIGTERM, SIGINT or the end of stdin.
import { parseArgs } from 'node:util'
import { startWooSimulator } from '../src/connectors/woocommerce/simulator/index.ts'

const { values } = parseArgs({
  options: {
    orders: { type: 'string' },
    seed: { type: 'string' },
    'rate-limit': { type: 'string' },
  },
})

const simulator = await startWooSimulator({
  port: 0,
  orders: Number(values.orders ?? 2000),
  seed: Number(values.seed ?? 1),
  ...(values['rate-limit'] ? { rateLimit: Number(values['rate-limit']) } : {}),
})
const { key, secret } = simulator.credentials
process.stdout.write(
  `WooCommerce simulator listening on ${simulator.url} key=${key} secret=${secret} orders=${simulator.orderCount()}\n`,
)

let closing = false
async function shutdown() {
  if (closing) return
  closing = true
  await simulator.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)

let buffered = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk: string) => {
  buffered += chunk
  let newline = buffered.indexOf('\n')
  while (newline >= 0) {
    const line = buffered.slice(0, newline).trim()
    buffered = buffered.slice(newline + 1)
    if (line) process.stdout.write(`${answer(line)}\n`)
    newline = buffered.indexOf('\n')
  }
})
process.stdin.on('end', shutdown)

function answer(line: string): string {
  const [command, argument] = line.split(/\s+/)
  try {
    if (command === 'mutate') {
      const wanted = Number(argument)
      const changed = simulator.mutateOrders(wanted) as unknown
      return `ok ${typeof changed === 'number' ? changed : Array.isArray(changed) ? changed.length : wanted}`
    }
    if (command === 'stats') return JSON.stringify(simulator.stats)
    if (command === 'count') return `ok ${simulator.orderCount()}`
    return `error unknown command "${command}" (mutate N, stats, count)`
  } catch (error) {
    return `error ${(error as Error).message.replace(/\n/g, ' ')}`
  }
}
