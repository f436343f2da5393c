/**
 * Snippets the names worker tags while it has nothing else to do after start-up. compromise
 * runs 3-8 times slower until V8 has compiled its many code paths: measured on this box, a
 * fresh worker took ~4 ms per ticket-sized job for its first hundred jobs and ~0.6 ms after
 * ~600 varied warm-up jobs. Varied on purpose (known and unknown names, honorifics, hyphens,
 * possessives, places, organisations, dates, contractions) so the warm paths are the ones real
 * snippets take. Written for this file; no real person is meant.
 */
export const WARM_UP_SNIPPETS: readonly string[] = [
  'Customer Jane Doe from Acme Corp wrote',
  'to Lyon for',
  'colleague Omar Bianchi at the Quito office',
  'is Ingrid Young; copy',
  'with Okafor Holdings.',
  "Dr. Sarah O'Neill-Smith visited Mexico City and São Paulo",
  'met Mr. Patel',
  'at Stanford University in California',
  'said Kwame Mensah, CEO of Nasser Labs',
  'flew from Tokyo to the Berlin office on Monday',
  "Maria's brother Jean-Luc works at IBM",
  'the University of Oxford and Harvard',
  'emailed Dmitri Volkov about the Q3 report',
  "we're meeting Priya Sharma and Arjun in Bangalore",
  'on behalf of Umbrella Health Inc.',
  'ask Chen Wei',
  'Sincerely, Laura Thompson',
  'the Amazon River near Manaus, Brazil',
  'Hi Tomasz Wójcik,',
  'from Horvath Systems Ltd',
  'in Nairobi, Kenya',
  'Ms. Aiko Tanaka said',
  'the Lisbon depot yesterday',
  'copied Beatriz Costa from',
  'Professor Alan Brooks',
  "isn't Zurich",
  'via Lufthansa to Singapore',
  'and Leila Haddad says',
];
