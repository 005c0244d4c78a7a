/** WooCommerce REST v3 JSON as the connector reads it and the simulator serves it (providers.md §2). */

export const WOO_ORDER_STATUSES = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
  'trash',
  'checkout-draft',
] as const
export type WooOrderStatus = (typeof WOO_ORDER_STATUSES)[number]

export interface WooAddress {
  first_name: string
  last_name: string
  company?: string
  address_1?: string
  address_2?: string
  city?: string
  state?: string
  postcode?: string
  country?: string
  email?: string
  phone?: string
}

export interface WooLineItem {
  id: number
  name: string
  product_id: number
  variation_id: number
  quantity: number
  tax_class?: string
  subtotal: string
  subtotal_tax?: string
  total: string
  total_tax?: string
  sku: string
  /** A number, unlike the totals (providers.md §2.6). */
  price: number
}

export interface WooRefundRef {
  id: number
  reason: string
  /** Negative decimal string, e.g. "-10.00". */
  total: string
}

export interface WooOrder {
  id: number
  parent_id: number
  number: string
  order_key: string
  created_via: string
  version: string
  status: WooOrderStatus
  currency: string
  /** Site-local, no offset. */
  date_created: string
  /** UTC, no offset. */
  date_created_gmt: string
  date_modified: string
  date_modified_gmt: string
  discount_total: string
  discount_tax: string
  shipping_total: string
  shipping_tax: string
  cart_tax: string
  total: string
  total_tax: string
  prices_include_tax: boolean
  customer_id: number
  customer_note: string
  billing: WooAddress
  shipping: WooAddress
  payment_method: string
  payment_method_title: string
  transaction_id: string
  date_paid: string | null
  date_paid_gmt: string | null
  date_completed: string | null
  date_completed_gmt: string | null
  cart_hash: string
  line_items: WooLineItem[]
  refunds: WooRefundRef[]
  meta_data: { id: number; key: string; value: unknown }[]
}

export interface WooCustomer {
  id: number
  date_created: string
  date_created_gmt: string
  date_modified: string | null
  date_modified_gmt: string | null
  email: string
  first_name: string
  last_name: string
  role: string
  username: string
  billing: WooAddress
  shipping: WooAddress
  is_paying_customer: boolean
  avatar_url: string
}

/** WooCommerce's error body: `{"code","message","data":{"status"}}`. */
export interface WooError {
  code: string
  message: string
  data: { status: number; params?: Record<string, string>; details?: Record<string, unknown> }
}
