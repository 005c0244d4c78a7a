/**
 * Row types of the tables, as Kysely sees them. Identical on both dialects: ids and times are
 * text (ISO 8601 UTC, which sorts correctly and round-trips unchanged), JSON is text, money and
 * counters are integers (PostgreSQL int8 is parsed to a JS number in dialects/postgres.ts).
 */
export interface Database {
  tenants: TenantRow
  connections: ConnectionRow
  sync_state: SyncStateRow
  sync_runs: SyncRunRow
  sync_failures: SyncFailureRow
  jobs: JobRow
  orders: OrderRow
  order_lines: OrderLineRow
  customers: CustomerRow
  outbox: OutboxRow
  users: UserRow
  api_keys: ApiKeyRow
}

export interface TenantRow {
  id: string
  name: string
  created_at: string
}

export interface ConnectionRow {
  id: string
  tenant_id: string
  provider: string
  name: string
  endpoint: string
  /** sealSecret(JSON of the credentials): never plaintext at rest. */
  credentials: string
  /** JSON of ConnectionSettings. */
  settings: string
  status: string
  created_at: string
  updated_at: string
}

export interface SyncStateRow {
  connection_id: string
  stream: string
  watermark: string | null
  resume: string | null
  last_run_id: string | null
  last_success_at: string | null
  updated_at: string
}

export interface SyncRunRow {
  id: string
  tenant_id: string
  connection_id: string
  stream: string
  job_id: string | null
  trigger: string
  status: string
  attempt: number
  pages: number
  fetched: number
  created: number
  updated: number
  unchanged: number
  failed: number
  total: number | null
  /** JSON object. */
  options: string
  error: string | null
  error_code: string | null
  queued_at: string
  started_at: string | null
  finished_at: string | null
  heartbeat_at: string | null
}

export interface SyncFailureRow {
  id: string
  tenant_id: string
  connection_id: string
  stream: string
  run_id: string
  external_id: string | null
  raw: string
  error: string
  created_at: string
}

export interface JobRow {
  id: string
  kind: string
  tenant_id: string | null
  singleton_key: string | null
  /** JSON object. */
  payload: string
  state: string
  attempts: number
  max_attempts: number
  run_after: string
  locked_by: string | null
  locked_until: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}

export interface OrderRow {
  tenant_id: string
  id: string
  connection_id: string
  external_id: string
  number: string | null
  status: string
  financial_status: string
  provider_status: string
  currency: string
  total_minor: number
  subtotal_minor: number
  tax_minor: number
  shipping_minor: number
  discount_minor: number
  refunded_minor: number
  customer_external_id: string | null
  customer_email: string | null
  customer_name: string | null
  created_at: string
  updated_at: string
  paid_at: string | null
  completed_at: string | null
  deleted_at: string | null
  /** A status written through the outbox and not yet confirmed by the provider. */
  pending_status: string | null
  /** The provider's JSON, exactly as hashed. */
  raw: string
  hash: string
  first_synced_at: string
  last_synced_at: string
}

/**
 * Every column of orders. The sync writes all but pending_status (the outbox's); lists read all but
 * raw. Column lists derive from this one (and CUSTOMER_COLUMNS below), so a new column cannot be
 * missed by one of them.
 */
export const ORDER_COLUMNS = [
  'tenant_id',
  'id',
  'connection_id',
  'external_id',
  'number',
  'status',
  'financial_status',
  'provider_status',
  'currency',
  'total_minor',
  'subtotal_minor',
  'tax_minor',
  'shipping_minor',
  'discount_minor',
  'refunded_minor',
  'customer_external_id',
  'customer_email',
  'customer_name',
  'created_at',
  'updated_at',
  'paid_at',
  'completed_at',
  'deleted_at',
  'pending_status',
  'raw',
  'hash',
  'first_synced_at',
  'last_synced_at',
] as const satisfies readonly (keyof OrderRow)[]

export type OrderColumn = (typeof ORDER_COLUMNS)[number]

/** `true` only when `Listed` names every column of `Row`; the checks below fail to compile otherwise. */
type ListsEveryColumn<Row, Listed> = [Exclude<keyof Row, Listed>] extends [never] ? true : never

const everyOrderColumnListed: ListsEveryColumn<OrderRow, OrderColumn> = true
void everyOrderColumnListed

export interface OrderLineRow {
  tenant_id: string
  order_id: string
  position: number
  external_id: string
  product_external_id: string | null
  variant_external_id: string | null
  sku: string | null
  name: string | null
  quantity: number
  unit_price_minor: number
  total_minor: number
}

export interface CustomerRow {
  tenant_id: string
  id: string
  connection_id: string
  external_id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  phone: string | null
  created_at: string | null
  updated_at: string | null
  deleted_at: string | null
  raw: string
  hash: string
  first_synced_at: string
  last_synced_at: string
}

/** Every column of customers. The sync writes all of them; lists read all but raw. */
export const CUSTOMER_COLUMNS = [
  'tenant_id',
  'id',
  'connection_id',
  'external_id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'created_at',
  'updated_at',
  'deleted_at',
  'raw',
  'hash',
  'first_synced_at',
  'last_synced_at',
] as const satisfies readonly (keyof CustomerRow)[]

export type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number]

const everyCustomerColumnListed: ListsEveryColumn<CustomerRow, CustomerColumn> = true
void everyCustomerColumnListed

export interface OutboxRow {
  tenant_id: string
  id: string
  connection_id: string
  kind: string
  order_id: string | null
  /** JSON object. */
  payload: string
  idempotency_key: string
  state: string
  attempts: number
  next_attempt_at: string
  last_error: string | null
  /** The provider's answer (JSON text) once sent. */
  response: string | null
  created_at: string
  updated_at: string
}

export interface UserRow {
  id: string
  /** null for platform admins. */
  tenant_id: string | null
  /** Lower-cased. */
  email: string
  /** scrypt$N$r$p$salt$hash (src/api/auth/passwords.ts). */
  password_hash: string
  role: string
  created_at: string
  updated_at: string
}

export interface ApiKeyRow {
  id: string
  tenant_id: string
  name: string
  role: string
  prefix: string
  /** SHA-256 hex of the whole key. */
  hash: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}
