import { type Kysely, sql } from 'kysely'

/**
 * The first schema, portable to SQLite and PostgreSQL: text ids and ISO times, JSON as text,
 * `bigint` money (INTEGER affinity on SQLite). Tenant rows carry `tenant_id` first in their keys,
 * and reference their connection by (tenant_id, connection_id), so a row can never point into
 * another tenant and deleting a connection cascades to its children through an index prefix.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tenants_name_key', ['name'])
    .execute()

  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('credentials', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The parent key of every tenant row's (tenant_id, connection_id) reference.
    .addUniqueConstraint('connections_tenant_id_id_key', ['tenant_id', 'id'])
    .execute()

  await db.schema
    .createTable('sync_state')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('watermark', 'text')
    .addColumn('resume', 'text')
    .addColumn('last_run_id', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_state_pkey', ['connection_id', 'stream'])
    .execute()

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer')
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('error_code', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('heartbeat_at', 'text')
    .addForeignKeyConstraint(
      'sync_runs_connection_fkey',
      ['tenant_id', 'connection_id'],
      'connections',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute()
  await index(db, 'sync_runs_connection_idx', 'sync_runs', ['tenant_id', 'connection_id', 'stream', 'queued_at'])
  await index(db, 'sync_runs_tenant_queued_idx', 'sync_runs', ['tenant_id', 'queued_at'])
  await index(db, 'sync_runs_job_idx', 'sync_runs', ['job_id'])
  await db.schema
    .createIndex('sync_runs_running_idx')
    .on('sync_runs')
    .column('heartbeat_at')
    .where(sql.ref('status'), '=', sql.lit('running'))
    .execute()

  await db.schema
    .createTable('sync_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint(
      'sync_failures_connection_fkey',
      ['tenant_id', 'connection_id'],
      'connections',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute()
  await index(db, 'sync_failures_connection_idx', 'sync_failures', ['tenant_id', 'connection_id', 'created_at'])
  await index(db, 'sync_failures_run_idx', 'sync_failures', ['run_id'])

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('singleton_key', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // At most one queued/active/retry job per singleton key; finished jobs release the key.
  await db.schema
    .createIndex('jobs_singleton_key')
    .on('jobs')
    .column('singleton_key')
    .unique()
    .where(sql<boolean>`state in ('queued', 'active', 'retry')`)
    .execute()
  // Claiming reads only live jobs, so the index stays small however many finished jobs are kept.
  await db.schema
    .createIndex('jobs_claim_idx')
    .on('jobs')
    .columns(['kind', 'run_after'])
    .where(sql<boolean>`state in ('queued', 'active', 'retry')`)
    .execute()
  await index(db, 'jobs_created_idx', 'jobs', ['created_at'])

  await db.schema
    .createTable('orders')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('financial_status', 'text', (c) => c.notNull())
    .addColumn('provider_status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull())
    .addColumn('customer_external_id', 'text')
    .addColumn('customer_email', 'text')
    .addColumn('customer_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('pending_status', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('first_synced_at', 'text', (c) => c.notNull())
    .addColumn('last_synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('orders_pkey', ['tenant_id', 'id'])
    .addUniqueConstraint('orders_external_key', ['tenant_id', 'connection_id', 'external_id'])
    .addForeignKeyConstraint(
      'orders_connection_fkey',
      ['tenant_id', 'connection_id'],
      'connections',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute()
  await index(db, 'orders_created_idx', 'orders', ['tenant_id', 'created_at', 'id'])
  await index(db, 'orders_updated_idx', 'orders', ['tenant_id', 'updated_at', 'id'])
  await index(db, 'orders_status_idx', 'orders', ['tenant_id', 'status', 'created_at'])

  // Lines have no foreign key to orders, on purpose. applyPage is their only writer (it replaces
  // an order's lines with the order) and connections.delete removes them with their orders. A
  // foreign key would cost a lookup per line on the hot path, and on PostgreSQL its cached check
  // plan, made while orders is still empty, scans the tenant's orders by tenant_id alone: every
  // line of a fresh backfill then reads all orders stored before it (quadratic).
  await db.schema
    .createTable('order_lines')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('product_external_id', 'text')
    .addColumn('variant_external_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('name', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_lines_pkey', ['tenant_id', 'order_id', 'position'])
    .execute()

  await db.schema
    .createTable('customers')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('first_synced_at', 'text', (c) => c.notNull())
    .addColumn('last_synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customers_pkey', ['tenant_id', 'id'])
    .addUniqueConstraint('customers_external_key', ['tenant_id', 'connection_id', 'external_id'])
    .addForeignKeyConstraint(
      'customers_connection_fkey',
      ['tenant_id', 'connection_id'],
      'connections',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute()
  await index(db, 'customers_email_idx', 'customers', ['tenant_id', 'email'])

  // Writes back to providers (next issues): recorded in the transaction of the local change.
  // order_id has no foreign key for the reason order_lines has none; rows go with their connection.
  await db.schema
    .createTable('outbox')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    /** pending | sending | sent | failed | dead */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_pkey', ['tenant_id', 'id'])
    .addUniqueConstraint('outbox_idempotency_key', ['idempotency_key'])
    .addForeignKeyConstraint(
      'outbox_connection_fkey',
      ['tenant_id', 'connection_id'],
      'connections',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute()
  await index(db, 'outbox_order_idx', 'outbox', ['tenant_id', 'order_id'])
  await index(db, 'outbox_connection_idx', 'outbox', ['tenant_id', 'connection_id', 'created_at'])
  await db.schema
    .createIndex('outbox_due_idx')
    .on('outbox')
    .column('next_attempt_at')
    .where(sql<boolean>`state in ('pending', 'sending')`)
    .execute()
}

function index(db: Kysely<any>, name: string, table: string, columns: string[]): Promise<void> {
  return db.schema.createIndex(name).on(table).columns(columns).execute()
}
