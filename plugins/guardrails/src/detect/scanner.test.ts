import { resolvePolicy } from '../policy/resolve';
import { compileScanner } from './scanner';

const strict = compileScanner(resolvePolicy([{ preset: 'strict' }]));
const found = (text: string) => strict.scan(text).map((s) => [s.type, text.slice(s.start, s.end)]);

describe('scanner', () => {
  it.each([
    ['mail alice.smith+tag@example.co.uk now', 'EMAIL', 'alice.smith+tag@example.co.uk'],
    ['call +1 415-555-2671 today', 'PHONE', '+1 415-555-2671'],
    ['call (212) 555-0199 today', 'PHONE', '(212) 555-0199'],
    ['Berlin: 030 12345678.', 'PHONE', '030 12345678'],
    ['card 4111 1111 1111 1111 exp', 'CREDIT_CARD', '4111 1111 1111 1111'],
    ['iban DE89 3704 0044 0532 0130 00 ok', 'IBAN', 'DE89 3704 0044 0532 0130 00'],
    ['ssn 078-05-1120.', 'US_SSN', '078-05-1120'],
    ['host 192.168.10.25 down', 'IP_ADDRESS', '192.168.10.25'],
    ['v6 2001:db8:85a3::8a2e:370:7334 up', 'IP_ADDRESS', '2001:db8:85a3::8a2e:370:7334'],
    ['mac 00:1A:2B:3C:4D:5E', 'MAC_ADDRESS', '00:1A:2B:3C:4D:5E'],
    ['I was born on March 3, 1985 in', 'DATE_OF_BIRTH', 'March 3, 1985'],
    ['DOB: 12/04/1990', 'DATE_OF_BIRTH', '12/04/1990'],
    ['passport number: X1234567', 'PASSPORT', 'X1234567'],
    ['NINO AB123456C', 'NATIONAL_ID', 'AB123456C'],
    ['eth 0x52908400098527886E0F7030069857D2E4169EE7', 'CRYPTO_WALLET', '0x52908400098527886E0F7030069857D2E4169EE7'],
    ['btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ok', 'CRYPTO_WALLET', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq ok', 'CRYPTO_WALLET', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['db postgres://admin:s3cr3t@db.internal:5432/app', 'URL_CREDENTIALS', 'postgres://admin:s3cr3t@db.internal:5432'],
    ['key AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY', 'AKIAIOSFODNN7EXAMPLE'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['password=Tr0ub4dor&3', 'GENERIC_SECRET', 'Tr0ub4dor&3'],
  ])('%s', (text, type, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it.each([
    'order 1234567890123 shipped',
    'version 1.2.3.4 released',
    'at 2024-01-15 10:30:00 UTC',
    'id 123e4567-e89b-12d3-a456-426614174000',
    'card 4111 1111 1111 1112 invalid',
    'the password is required',
    'password=********',
  ])('finds nothing in %s', (text) => {
    expect(found(text)).toEqual([]);
  });
});
