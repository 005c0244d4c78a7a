import { cumulativeWeights } from './random.ts'

/**
 * The simulated shop's products. Fixed (not seeded): a store's catalogue does not change with the
 * data seed. Prices are USD cents; other currencies convert from them (see pricing in order-factory).
 * A few awkward values on purpose: unicode names, a product without a SKU, a variation without one.
 */

export interface Variant {
  /** The line item's product_id. */
  readonly productId: number
  /** 0 for simple products. */
  readonly variationId: number
  /** Woo's line item name: "Product - Attr, Attr" for variations. */
  readonly name: string
  /** May be '' (Woo allows products without a SKU). */
  readonly sku: string
  readonly priceCents: number
}

interface ProductSpec {
  readonly name: string
  readonly sku: string
  readonly priceCents: number
  readonly popularity: number
  /** Attribute values crossed into variations, e.g. [['Red','Blue'],['S','M']]. */
  readonly attributes?: readonly (readonly string[])[]
}

const PRODUCTS: readonly ProductSpec[] = [
  {
    name: 'Classic Tee',
    sku: 'TEE',
    priceCents: 2495,
    popularity: 14,
    attributes: [
      ['Red', 'Black', 'White'],
      ['S', 'M', 'L', 'XL'],
    ],
  },
  {
    name: 'Hoodie',
    sku: 'HOOD',
    priceCents: 5900,
    popularity: 7,
    attributes: [
      ['Grey', 'Navy'],
      ['S', 'M', 'L'],
    ],
  },
  { name: 'Café Crème Mug', sku: 'MUG-CREME', priceCents: 1450, popularity: 10 },
  { name: 'Beanie', sku: 'BEANIE', priceCents: 1900, popularity: 5, attributes: [['Mustard', 'Forest', 'Charcoal']] },
  { name: 'Canvas Tote Bag', sku: 'TOTE', priceCents: 1800, popularity: 8 },
  { name: 'Sticker Pack (10)', sku: 'STK-10', priceCents: 600, popularity: 12 },
  { name: 'Poster — Night Market', sku: 'PST-NIGHT', priceCents: 2200, popularity: 4, attributes: [['A3', 'A2']] },
  { name: 'Enamel Pin', sku: '', priceCents: 900, popularity: 6 },
  { name: 'Notebook A5 Dot Grid', sku: 'NB-A5-DOT', priceCents: 1200, popularity: 7 },
  { name: 'Gift Card', sku: 'GIFT', priceCents: 2500, popularity: 3, attributes: [['$25', '$50', '$100']] },
  { name: 'Ærø Wool Scarf', sku: 'SCARF-AERO', priceCents: 4500, popularity: 3 },
  { name: 'Tシャツ Limited Edition', sku: 'TEE-JP-LTD', priceCents: 3900, popularity: 2, attributes: [['M', 'L']] },
  { name: 'Water Bottle 750ml', sku: 'BTL-750', priceCents: 2800, popularity: 6 },
  { name: 'Socks "Stripes" 3-Pack', sku: 'SOCK-3', priceCents: 1600, popularity: 6, attributes: [['S/M', 'L/XL']] },
  { name: 'Coffee Beans: Ethiopia Yirgacheffe 250g', sku: 'BEAN-ETH', priceCents: 1350, popularity: 9 },
  { name: 'Desk Lamp', sku: 'LAMP-01', priceCents: 7900, popularity: 2 },
  {
    name: 'Phone Case',
    sku: 'CASE',
    priceCents: 2100,
    popularity: 5,
    attributes: [['iPhone 15', 'iPhone 16', 'Pixel 9']],
  },
  { name: 'Candle (Fig & Cedar)', sku: 'CNDL-FIG', priceCents: 2400, popularity: 4 },
]

/** Variation ids start above every product id, as in WordPress where both are posts. */
const FIRST_PRODUCT_ID = 11
const FIRST_VARIATION_ID = 101

function buildVariants(): Variant[] {
  const variants: Variant[] = []
  let variationId = FIRST_VARIATION_ID
  PRODUCTS.forEach((product, index) => {
    const productId = FIRST_PRODUCT_ID + index
    if (!product.attributes) {
      variants.push({ productId, variationId: 0, name: product.name, sku: product.sku, priceCents: product.priceCents })
      return
    }
    for (const combination of crossProduct(product.attributes)) {
      const sku = combination.map((value) => value.replace(/[^A-Za-z0-9]+/g, '').toUpperCase()).join('-')
      // The second tee variation has no SKU of its own, so Woo shows the parent's: two lines, one SKU.
      const ownSku =
        product.sku === 'TEE' && variationId === FIRST_VARIATION_ID + 1 ? product.sku : `${product.sku}-${sku}`
      variants.push({
        productId,
        variationId: variationId++,
        name: `${product.name} - ${combination.join(', ')}`,
        sku: ownSku,
        priceCents: variationPrice(product.priceCents, combination),
      })
    }
  })
  return variants
}

/** Gift cards cost their face value; bigger sizes cost a little more. */
function variationPrice(basePriceCents: number, combination: readonly string[]): number {
  const faceValue = combination.find((value) => value.startsWith('$'))
  if (faceValue) return Number(faceValue.slice(1)) * 100
  return combination.some((value) => value === 'XL' || value === 'A2' || value === 'L/XL')
    ? basePriceCents + 300
    : basePriceCents
}

function crossProduct(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((value) => [...prefix, value])), [[]])
}

export const VARIANTS: readonly Variant[] = buildVariants()

/** Popularity per variant: a product's popularity shared among its variations. */
export const VARIANT_CUMULATIVE: readonly number[] = cumulativeWeights(
  VARIANTS.map((variant) => {
    const product = PRODUCTS[variant.productId - FIRST_PRODUCT_ID]!
    const siblings = VARIANTS.filter((other) => other.productId === variant.productId).length
    return product.popularity / siblings
  }),
)
