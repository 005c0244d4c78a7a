import { randomUUID } from 'node:crypto'
import { contentHash } from '../../src/domain/content-hash.ts'
import type { Customer, Normalized, Order, OrderLine } from '../../src/domain/entities.ts'
import type { Connection, ConnectionSettings, Store, SyncRun, Tenant } from '../../src/store/store.ts'

/** A tenant with a unique name (tests share no names, so parallel tests never collide). */
export function newTenant(store: Store, name?: string): Promise<Tenant> {
  return store.tenants.create(name ?? `tenant-${randomUUID().slice(0, 8)}`)
}

export const DEFAULT_TEST_SETTINGS: ConnectionSettings = Object.freeze<ConnectionSettings>({
  streams: ['orders', 'customers'],
  intervalMs: 30 * 60_000,
  lookbackMs: 10 * 60_000,
  backfillDays: 0,
  runOnStartup: true,
  rateLimitPerSec: 0,
})

/** A WooCommerce connection of `tenantId` (credentials sealed by the store like any other). */
export function newWooConnection(
  store: Store,
  tenantId: string,
  endpoint: { url: string; key: string; secret: string },
  settings: Partial<ConnectionSettings> = {},
): Promise<Connection> {
  return store.connections.create({
    tenantId,
    provider: 'woocommerce',
    name: `Woo ${endpoint.url}`,
    endpoint: endpoint.url,
    credentials: { key: endpoint.key, secret: endpoint.secret },
    settings: { ...DEFAULT_TEST_SETTINGS, ...settings },
  })
}

/** A queued manual run of `connection`'s stream, as `tributary sync` would create (pages need one). */
export function newManualRun(
  store: Store,
  connection: { tenantId: string; id: string },
  stream: 'orders' | 'customers' = 'orders',
): Promise<SyncRun> {
  return store.runs.create({
    tenantId: connection.tenantId,
    connectionId: connection.id,
    stream,
    jobId: null,
    trigger: 'manual',
    attempt: 1,
    options: {},
  })
}

let orderSequence = 1000

/**
 * A plausible normalized order: three lines, money in minor units, times ISO UTC. Every call
 * gets a fresh external id unless overridden.
 */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  const n = ++orderSequence
  const lines: OrderLine[] = [1, 2, 3].map((i) => ({
    externalId: `${n}-${i}`,
    productExternalId: `p${i}`,
    variantExternalId: i === 2 ? `v${i}` : null,
    sku: `SKU-${i}`,
    name: `Product ${i}`,
    quantity: i,
    unitPriceMinor: 1000 * i,
    totalMinor: 1000 * i * i,
  }))
  return {
    externalId: String(n),
    number: String(n),
    status: 'processing',
    financialStatus: 'paid',
    providerStatus: 'processing',
    currency: 'EUR',
    totalMinor: 14_000 + 500,
    subtotalMinor: 14_000,
    taxMinor: 0,
    shippingMinor: 500,
    discountMinor: 0,
    refundedMinor: 0,
    customerExternalId: `c${n % 97}`,
    customerEmail: `customer${n % 97}@example.com`,
    customerName: `Customer ${n % 97}`,
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    paidAt: '2025-06-01T10:00:00.000Z',
    completedAt: null,
    deletedAt: null,
    lines,
    ...overrides,
  }
}

/**
 * The order as a stream's normalize would hand it over: with the provider JSON it came from and
 * that JSON's hash. The "provider JSON" is the order itself plus optional padding (`rawBytes`,
 * to make it as large as a real WooCommerce order, ~1.5 KB).
 */
export function normalizedOrder(order: Order, options: { rawBytes?: number; raw?: unknown } = {}): Normalized<Order> {
  const raw = options.raw ?? { ...order, meta_data: padding(options.rawBytes ?? 0) }
  const rawJson = JSON.stringify(raw)
  return { entity: order, rawJson, hash: contentHash(rawJson) }
}

export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  const n = ++orderSequence
  return {
    externalId: `cust-${n}`,
    email: `person${n}@example.com`,
    firstName: 'Ada',
    lastName: `Lovelace ${n}`,
    phone: null,
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    deletedAt: null,
    ...overrides,
  }
}

export function normalizedCustomer(customer: Customer): Normalized<Customer> {
  const rawJson = JSON.stringify(customer)
  return { entity: customer, rawJson, hash: contentHash(rawJson) }
}

function padding(bytes: number): string {
  return bytes > 0 ? 'x'.repeat(bytes) : ''
}
