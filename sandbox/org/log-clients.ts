import { hash } from './random.js';

/** Where a request came from: the System Log's `client.geographicalContext` and `securityContext` for one place. */
export interface Place {
  readonly city: string;
  readonly state: string;
  readonly country: string;
  readonly postalCode: string;
  readonly lat: number;
  readonly lon: number;
  /** First two IPv4 octets of the place's ISP, and the ISP itself. */
  readonly net: readonly [number, number];
  readonly isp: string;
  readonly asNumber: number;
  readonly domain: string;
}

export const PLACES: readonly Place[] = [
  place('San Francisco', 'California', 'United States', '94107', 37.7757, -122.3952, [73, 15], 'Comcast Cable', 7922),
  place('New York', 'New York', 'United States', '10001', 40.7506, -73.9971, [98, 116], 'Verizon Fios', 701),
  place('Austin', 'Texas', 'United States', '78701', 30.2711, -97.7437, [24, 28], 'Charter Communications', 20115),
  place('London', 'England', 'United Kingdom', 'EC1A', 51.5164, -0.093, [81, 2], 'British Telecommunications', 2856),
  place('Munich', 'Bavaria', 'Germany', '80331', 48.1374, 11.5755, [91, 64], 'Deutsche Telekom AG', 3320),
  place('Paris', 'Ile-de-France', 'France', '75001', 48.8638, 2.3364, [82, 64], 'Orange S.A.', 3215),
  place('São Paulo', 'Sao Paulo', 'Brazil', '01000', -23.5475, -46.6361, [177, 32], 'Claro NXT', 28573),
  place('Tokyo', 'Tokyo', 'Japan', '100-0001', 35.6895, 139.6917, [126, 0], 'NTT Communications', 4713),
  place('Zurich', 'Zurich', 'Switzerland', '8001', 47.3769, 8.5417, [85, 0], 'Swisscom', 3303),
  place('Bengaluru', 'Karnataka', 'India', '560001', 12.9719, 77.5937, [49, 36], 'Bharti Airtel', 24560),
  place('Toronto', 'Ontario', 'Canada', 'M5H', 43.6532, -79.3832, [142, 112], 'Rogers Communications', 812),
  place('Sydney', 'New South Wales', 'Australia', '2000', -33.8678, 151.2073, [101, 160], 'Telstra', 1221),
  place('Singapore', 'Singapore', 'Singapore', '018956', 1.2897, 103.8501, [116, 86], 'Singtel', 7473),
  place('Lagos', 'Lagos', 'Nigeria', '100001', 6.4541, 3.3947, [105, 112], 'MTN Nigeria', 29465),
];

const FALLBACK_PLACE = place(
  'Reston',
  'Virginia',
  'United States',
  '20190',
  38.9586,
  -77.357,
  [52, 4],
  'Amazon',
  14618,
);

/** The place at position k (mod the pool). */
export function placeAt(k: number): Place {
  return PLACES[k % PLACES.length] ?? FALLBACK_PLACE;
}

function place(
  city: string,
  state: string,
  country: string,
  postalCode: string,
  lat: number,
  lon: number,
  net: readonly [number, number],
  isp: string,
  asNumber: number,
): Place {
  const domain = `${
    isp
      .split(' ')[0]
      ?.toLowerCase()
      .replace(/[^a-z]/g, '') ?? 'isp'
  }.net`;
  return { city, state, country, postalCode, lat, lon, net, isp, asNumber, domain };
}

export interface Agent {
  readonly rawUserAgent: string;
  readonly os: string;
  readonly browser: string;
  readonly device: 'Computer' | 'Mobile' | 'Unknown';
}

export const AGENTS: readonly Agent[] = [
  {
    rawUserAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    os: 'Mac OS X',
    browser: 'CHROME',
    device: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    os: 'Windows 10',
    browser: 'EDGE_CHROMIUM',
    device: 'Computer',
  },
  {
    rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    os: 'Windows 10',
    browser: 'FIREFOX',
    device: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    os: 'Mac OS X',
    browser: 'SAFARI',
    device: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    os: 'iOS',
    browser: 'MOBILE_SAFARI',
    device: 'Mobile',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    os: 'Android',
    browser: 'CHROME',
    device: 'Mobile',
  },
  { rawUserAgent: 'OktaVerify/9.28.0 (iOS 18.1; iPhone15,2)', os: 'iOS', browser: 'UNKNOWN', device: 'Mobile' },
  {
    rawUserAgent: 'okta-sdk-nodejs/7.1.1 node/20.11.0 linux/6.1.0',
    os: 'Linux',
    browser: 'UNKNOWN',
    device: 'Unknown',
  },
];

/** The agent at position k (mod `among`, default all): the first six are browsers and phones, the others tools. */
export function agentAt(k: number, among = AGENTS.length): Agent {
  return AGENTS[k % Math.min(among, AGENTS.length)] ?? FALLBACK_AGENT;
}

const FALLBACK_AGENT: Agent = { rawUserAgent: 'Mozilla/5.0', os: 'Unknown', browser: 'UNKNOWN', device: 'Unknown' };

/** The client block of an event from `place` with `agent`, and an IPv4 address inside the place's ISP. */
export function clientOf(seed: number, key: number, where: Place, agent: Agent): Record<string, unknown> {
  const ip = `${where.net[0]}.${where.net[1]}.${hash(seed, 90, key, 1) % 256}.${1 + (hash(seed, 90, key, 2) % 254)}`;
  return {
    userAgent: { rawUserAgent: agent.rawUserAgent, os: agent.os, browser: agent.browser },
    zone: 'null',
    device: agent.device,
    ipAddress: ip,
    geographicalContext: geo(where),
  };
}

export function geo(where: Place): Record<string, unknown> {
  return {
    city: where.city,
    state: where.state,
    country: where.country,
    postalCode: where.postalCode,
    geolocation: { lat: where.lat, lon: where.lon },
  };
}

export function securityContextOf(where: Place, isProxy: boolean): Record<string, unknown> {
  return { asNumber: where.asNumber, asOrg: where.isp.toLowerCase(), isp: where.isp, domain: where.domain, isProxy };
}
