/** Name pools for generated people; a share of them is non-ASCII on purpose (encoders and CSV must cope). */
export const FIRST_NAMES: readonly string[] = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
  'Tim',
  'Frances',
  'Edsger',
  'Katherine',
  'Donald',
  'Hedy',
  'John',
  'Mary',
  'James',
  'Sophie',
  'Lucas',
  'Emma',
  'Noah',
  'Olivia',
  'Liam',
  'José',
  'Zoë',
  'Renée',
  'Søren',
  'Björn',
  'Ñuño',
  'Chloé',
  'Łukasz',
  'Çağla',
  'Đorđe',
  '李',
  'さくら',
  'Владимир',
  'Σοφία',
  'محمد',
  'हर्ष',
  '민준',
  'Ngozi',
  'Aroha',
  'Tūī',
];

export const LAST_NAMES: readonly string[] = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Allen',
  'Dijkstra',
  'Johnson',
  'Knuth',
  'Lamarr',
  'Smith',
  'Brown',
  'Garcia',
  'Miller',
  'Davis',
  'Martin',
  "O'Brien",
  'van der Berg',
  'Müller',
  'Ødegaard',
  'Núñez',
  'Žižek',
  'Brontë',
  'Ñúñez',
  'Kowalczyk',
  '王',
  '山田',
  'Иванова',
  'Παπαδόπουλος',
  'الفارسي',
  'शर्मा',
  '김',
  'Okafor',
  'Ngata',
  'Nguyễn',
];

export const DEPARTMENTS: readonly string[] = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Human Resources',
  'Legal',
  'Support',
  'Operations',
  'Research',
];

export const TITLES: readonly string[] = [
  'Engineer',
  'Senior Engineer',
  'Manager',
  'Director',
  'Analyst',
  'Account Executive',
  'Designer',
  'Recruiter',
];

export const CITIES: readonly { city: string; state: string; countryCode: string; timezone: string; locale: string }[] =
  [
    { city: 'San Francisco', state: 'CA', countryCode: 'US', timezone: 'America/Los_Angeles', locale: 'en_US' },
    { city: 'New York', state: 'NY', countryCode: 'US', timezone: 'America/New_York', locale: 'en_US' },
    { city: 'London', state: 'England', countryCode: 'GB', timezone: 'Europe/London', locale: 'en_GB' },
    { city: 'München', state: 'Bayern', countryCode: 'DE', timezone: 'Europe/Berlin', locale: 'de_DE' },
    { city: 'São Paulo', state: 'SP', countryCode: 'BR', timezone: 'America/Sao_Paulo', locale: 'pt_BR' },
    { city: '東京', state: '東京都', countryCode: 'JP', timezone: 'Asia/Tokyo', locale: 'ja_JP' },
    { city: 'Zürich', state: 'ZH', countryCode: 'CH', timezone: 'Europe/Zurich', locale: 'de_CH' },
  ];

export const SKILLS: readonly string[] = ['typescript', 'go', 'sql', 'kubernetes', 'okta', 'aws', 'excel', 'design'];

const slugs = new Map<string, string>();

/** ASCII local part for logins: strip accents, drop what is left outside [a-z0-9]. Memoized (names come from pools). */
export function asciiSlug(name: string, fallback: string): string {
  const key = `${name}\u0000${fallback}`;
  const cached = slugs.get(key);
  if (cached !== undefined) return cached;
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const result = slug.length > 0 ? slug : fallback;
  if (slugs.size < 10_000) slugs.set(key, result);
  return result;
}

/** Login slugs parallel to the name pools, computed once. */
export const FIRST_NAME_SLUGS: readonly string[] = FIRST_NAMES.map((n) => asciiSlug(n, 'user'));
export const LAST_NAME_SLUGS: readonly string[] = LAST_NAMES.map((n) => asciiSlug(n, 'person'));
