import type { WooAddress } from '../types.ts'
import { cumulativeWeights, Rng, STREAMS } from './random.ts'

/**
 * Who buys: names, addresses and the country that decides currency and tax. A registered
 * customer's profile derives from (seed, customer id) and a guest's from (seed, guest index), so
 * every order of one buyer carries the same billing details without storing them.
 */

/** [display, ascii for the e-mail address]. Some awkward ones on purpose. */
type Name = readonly [string, string]

const FIRST_NAMES: readonly Name[] = [
  ['Ana', 'ana'],
  ['James', 'james'],
  ['Mary', 'mary'],
  ['Liam', 'liam'],
  ['Olivia', 'olivia'],
  ['Noah', 'noah'],
  ['Emma', 'emma'],
  ['Lucas', 'lucas'],
  ['Sophia', 'sophia'],
  ['Mateo', 'mateo'],
  ['Chloé', 'chloe'],
  ['José', 'jose'],
  ['Zoë', 'zoe'],
  ['Łukasz', 'lukasz'],
  ['Søren', 'soren'],
  ['Aoife', 'aoife'],
  ['Yuki', 'yuki'],
  ['Hannah', 'hannah'],
  ['Ethan', 'ethan'],
  ['Amara', 'amara'],
  ['Priya', 'priya'],
  ['Mohammed', 'mohammed'],
  ['Fatima', 'fatima'],
  ['Wei', 'wei'],
  ['Isabella', 'isabella'],
  ['Jack', 'jack'],
  ['Mia', 'mia'],
  ['Leo', 'leo'],
  ['Ava', 'ava'],
  ['Jürgen', 'jurgen'],
  ['Renée', 'renee'],
  ['Nguyễn Thị', 'nguyen'],
  ["D'Andre", 'dandre'],
  ['Grace', 'grace'],
  ['Oscar', 'oscar'],
  ['Elif', 'elif'],
  ['Siobhán', 'siobhan'],
  ['Björn', 'bjorn'],
]

const LAST_NAMES: readonly Name[] = [
  ['Silva', 'silva'],
  ['Smith', 'smith'],
  ['Johnson', 'johnson'],
  ['Williams', 'williams'],
  ['Brown', 'brown'],
  ['Garcia', 'garcia'],
  ['Martínez', 'martinez'],
  ['Müller', 'muller'],
  ['Dubois', 'dubois'],
  ['Rossi', 'rossi'],
  ["O'Connor", 'oconnor'],
  ['van der Berg', 'vanderberg'],
  ['Nowak', 'nowak'],
  ['Jensen', 'jensen'],
  ['Tanaka', 'tanaka'],
  ['Sato', 'sato'],
  ['Kim', 'kim'],
  ['Patel', 'patel'],
  ['Okafor', 'okafor'],
  ['Nguyen', 'nguyen'],
  ['Cohen', 'cohen'],
  ['Kowalski', 'kowalski'],
  ['Fernández', 'fernandez'],
  ['Lefèvre', 'lefevre'],
  ['Andersson', 'andersson'],
  ['Yılmaz', 'yilmaz'],
  ['王', 'wang'],
  ['Smith-Jones', 'smithjones'],
  ['Murphy', 'murphy'],
  ['Taylor', 'taylor'],
  ['Lee', 'lee'],
  ['Walker', 'walker'],
  ['Hall', 'hall'],
]

interface Region {
  readonly state: string
  /** Sales tax or VAT on goods and shipping, as a fraction. */
  readonly taxRate: number
  readonly cities: readonly string[]
}

export interface Country {
  readonly code: string
  readonly currency: 'USD' | 'EUR' | 'JPY'
  readonly regions: readonly Region[]
  readonly streets: readonly string[]
  /** House number after the street, as in most of Europe. */
  readonly numberAfterStreet: boolean
  readonly postcode: (rng: Rng) => string
  readonly phone: (rng: Rng) => string
}

const digits = (rng: Rng, count: number) => rng.token(count, '0123456789')

const US: Country = {
  code: 'US',
  currency: 'USD',
  regions: [
    { state: 'CA', taxRate: 0.0725, cities: ['Los Angeles', 'San Francisco', 'San Diego', 'Oakland'] },
    { state: 'NY', taxRate: 0.08875, cities: ['New York', 'Buffalo', 'Rochester'] },
    { state: 'TX', taxRate: 0.0625, cities: ['Austin', 'Houston', 'Dallas'] },
    { state: 'WA', taxRate: 0.065, cities: ['Seattle', 'Spokane'] },
    { state: 'OR', taxRate: 0, cities: ['Portland', 'Eugene'] },
    { state: 'IL', taxRate: 0.0625, cities: ['Chicago', 'Springfield'] },
    { state: 'FL', taxRate: 0.06, cities: ['Miami', 'Orlando', 'Tampa'] },
  ],
  streets: ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Sunset Blvd', 'Elm St', '2nd Ave', 'Park Rd'],
  numberAfterStreet: false,
  postcode: (rng) => digits(rng, 5),
  phone: (rng) => `+1 202-555-0${digits(rng, 3)}`,
}

const COUNTRIES: readonly Country[] = [
  US,
  {
    code: 'CA',
    currency: 'USD',
    regions: [
      { state: 'QC', taxRate: 0, cities: ['Montréal', 'Québec'] },
      { state: 'ON', taxRate: 0, cities: ['Toronto', 'Ottawa'] },
    ],
    streets: ['Rue Sainte-Catherine', 'Queen St W', 'Bank St'],
    numberAfterStreet: false,
    postcode: (rng) => `H${digits(rng, 1)}X ${digits(rng, 1)}A${digits(rng, 1)}`,
    phone: (rng) => `+1 514-555-0${digits(rng, 3)}`,
  },
  {
    code: 'GB',
    currency: 'USD',
    regions: [{ state: '', taxRate: 0, cities: ['London', 'Manchester', 'Edinburgh'] }],
    streets: ['High Street', 'Station Road', 'Church Lane'],
    numberAfterStreet: false,
    postcode: (rng) => `SW${digits(rng, 1)} ${digits(rng, 1)}AA`,
    phone: (rng) => `+44 20 7946 0${digits(rng, 3)}`,
  },
  {
    code: 'DE',
    currency: 'EUR',
    regions: [
      { state: 'BE', taxRate: 0.19, cities: ['Berlin'] },
      { state: 'BY', taxRate: 0.19, cities: ['München', 'Nürnberg'] },
    ],
    streets: ['Hauptstraße', 'Schillerstraße', 'Gartenweg', 'Bahnhofstraße'],
    numberAfterStreet: true,
    postcode: (rng) => digits(rng, 5),
    phone: (rng) => `+49 30 ${digits(rng, 8)}`,
  },
  {
    code: 'FR',
    currency: 'EUR',
    regions: [{ state: '', taxRate: 0.2, cities: ['Paris', 'Lyon', 'Marseille'] }],
    streets: ['Rue de la Paix', 'Avenue des Champs-Élysées', 'Rue du Faubourg'],
    numberAfterStreet: false,
    postcode: (rng) => `75${digits(rng, 3)}`,
    phone: (rng) => `+33 1 ${digits(rng, 8)}`,
  },
  {
    code: 'ES',
    currency: 'EUR',
    regions: [
      { state: 'C', taxRate: 0.21, cities: ['A Coruña', 'Santiago de Compostela'] },
      { state: 'M', taxRate: 0.21, cities: ['Madrid'] },
    ],
    streets: ['Calle Mayor', 'Avenida de la Constitución'],
    numberAfterStreet: true,
    postcode: (rng) => `28${digits(rng, 3)}`,
    phone: (rng) => `+34 91 ${digits(rng, 7)}`,
  },
  {
    code: 'NL',
    currency: 'EUR',
    regions: [{ state: '', taxRate: 0.21, cities: ['Amsterdam', 'Utrecht', 'Rotterdam'] }],
    streets: ['Prinsengracht', 'Damrak', 'Kalverstraat'],
    numberAfterStreet: true,
    postcode: (rng) => `10${digits(rng, 2)} AB`,
    phone: (rng) => `+31 20 ${digits(rng, 7)}`,
  },
  {
    code: 'JP',
    currency: 'JPY',
    regions: [
      { state: 'JP13', taxRate: 0.1, cities: ['渋谷区', 'Shinjuku-ku'] },
      { state: 'JP27', taxRate: 0.1, cities: ['大阪市'] },
    ],
    streets: ['Dogenzaka', '神南', 'Umeda'],
    numberAfterStreet: false,
    postcode: (rng) => `150-${digits(rng, 4)}`,
    phone: (rng) => `+81 3-${digits(rng, 4)}-${digits(rng, 4)}`,
  },
]

// Mostly US dollars, some euros, a few yen (providers.md §2.6: JPY has no decimals).
const COUNTRY_CUMULATIVE = cumulativeWeights([74, 3, 4, 6, 4, 2, 2, 5])
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example']
const COMPANIES = ['Acme Corp', 'Globex GmbH', 'Initech LLC', 'Umbrella S.A.', 'Stark & Wayne Ltd', 'Café Müller KG']

export interface Profile {
  readonly address: WooAddress & { email: string; phone: string }
  readonly country: Country
  readonly region: Region
}

/** A registered customer's profile; stable per (seed, customerId). */
export function customerProfile(seed: number, customerId: number): Profile {
  return profile(Rng.of(seed, customerId, STREAMS.person), `${customerId}`)
}

/** A guest's profile; guests are told apart by their e-mail address only (providers.md §2.6). */
export function guestProfile(seed: number, guestIndex: number): Profile {
  return profile(Rng.of(seed, guestIndex, STREAMS.guest), `g${guestIndex}`)
}

function profile(rng: Rng, emailTag: string): Profile {
  const [first, firstAscii] = rng.pick(FIRST_NAMES)
  const [last, lastAscii] = rng.pick(LAST_NAMES)
  const country = rng.pickWeighted(COUNTRIES, COUNTRY_CUMULATIVE)
  const region = rng.pick(country.regions)
  const street = rng.pick(country.streets)
  const number = String(rng.between(1, 2400))
  const company = rng.chance(0.08) ? rng.pick(COMPANIES) : ''
  return {
    country,
    region,
    address: {
      first_name: first,
      last_name: last,
      company,
      address_1: country.numberAfterStreet ? `${street} ${number}` : `${number} ${street}`,
      address_2: rng.chance(0.2) ? `Apt ${rng.between(1, 40)}${rng.pick(['', 'A', 'B'])}` : '',
      city: rng.pick(region.cities),
      state: region.state,
      postcode: country.postcode(rng),
      country: country.code,
      email: `${firstAscii}.${lastAscii}${emailTag}@${rng.pick(EMAIL_DOMAINS)}`,
      phone: country.phone(rng),
    },
  }
}

/** The shipping address Woo stores: billing's fields without the e-mail address. */
export function shippingOf(billing: WooAddress & { phone: string }): WooAddress {
  return {
    first_name: billing.first_name,
    last_name: billing.last_name,
    company: billing.company ?? '',
    address_1: billing.address_1 ?? '',
    address_2: billing.address_2 ?? '',
    city: billing.city ?? '',
    state: billing.state ?? '',
    postcode: billing.postcode ?? '',
    country: billing.country ?? '',
    phone: billing.phone,
  }
}
