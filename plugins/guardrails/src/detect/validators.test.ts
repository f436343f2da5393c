import { base58CheckValid, bech32Valid, cardNumberValid, ibanValid, jwtHeaderValid, luhnValid, shannonEntropy, ssnValid } from './validators';

describe('validators', () => {
  it('luhn and card prefixes', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(cardNumberValid('378282246310005')).toBe(true);
    expect(cardNumberValid('0000000000000000')).toBe(false); // Luhn-valid, no issuer
  });
  it('iban mod-97 and country length', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('XX89370400440532013000')).toBe(false);
  });
  it('ssn area/group/serial rules', () => {
    expect(ssnValid('078', '05', '1120')).toBe(true);
    for (const [a, g, s] of [['000', '12', '3456'], ['666', '12', '3456'], ['900', '12', '3456'], ['123', '00', '4567'], ['123', '45', '0000']]) {
      expect(ssnValid(a!, g!, s!)).toBe(false);
    }
  });
  it('crypto checksums', () => {
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(true);
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3')).toBe(false);
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0')).toBe(false); // 0 is not base58
    expect(bech32Valid('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe(true);
    expect(bech32Valid('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdw')).toBe(false);
  });
  it('jwt header and entropy', () => {
    expect(jwtHeaderValid(Buffer.from('{"alg":"HS256"}').toString('base64url'))).toBe(true);
    expect(jwtHeaderValid(Buffer.from('{"typ":"JWT"}').toString('base64url'))).toBe(false);
    expect(jwtHeaderValid('not-base64-json')).toBe(false);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
