import { requiresThoughtSignatures, thoughtSignatureOf, withThoughtSignature } from './thought-signature';

const ID_SAFE = /^[A-Za-z0-9_-]+$/;

describe('thought signatures in tool call ids', () => {
  it.each([
    ['standard base64 with + / and padding', 'CiQBjz1rX+abc/def0123=='],
    ['standard base64, one pad', 'Q2l+Rk/9a2Vu='],
    ['standard base64, no padding', 'QUJDRA+/QUJD'],
    ['base64url (already id-safe)', 'CiQB-jz1rX_abc'],
    ['unpadded base64url with odd length', 'abc-_x'],
    ['anything else (spaces, dots, unicode)', 'sig.with spaces/ü=x'],
  ])('round-trips %s exactly, with an id-safe id', (_label, signature) => {
    const id = withThoughtSignature('call_1', signature);
    expect(id).toMatch(ID_SAFE);
    expect(id.startsWith('call_1__thought__')).toBe(true);
    expect(thoughtSignatureOf(id)).toBe(signature);
  });

  it('leaves ids without a signature alone, and reads none from them', () => {
    expect(withThoughtSignature('call_7', undefined)).toBe('call_7');
    expect(withThoughtSignature('call_7', '')).toBe('call_7');
    expect(thoughtSignatureOf('call_7')).toBeNull();
    expect(thoughtSignatureOf('toolu_01ABC')).toBeNull();
  });

  it('keeps an upstream id with underscores intact before the marker', () => {
    const id = withThoughtSignature('fc_abc_123', 'c2lnbmF0dXJl');
    expect(id).toBe('fc_abc_123__thought__rc2lnbmF0dXJl');
    expect(thoughtSignatureOf(id)).toBe('c2lnbmF0dXJl');
  });

  it('reads nothing from a damaged or unknown encoding rather than guessing', () => {
    expect(thoughtSignatureOf('call_1__thought__zabc')).toBeNull();
    expect(thoughtSignatureOf('call_1__thought__')).toBeNull();
    expect(thoughtSignatureOf('call_1__thought__hxyz')).toBeNull();
  });
});

describe('requiresThoughtSignatures', () => {
  it.each([
    ['gemini-3-pro-preview', true],
    ['gemini-3-flash', true],
    ['models/gemini-3.1-pro', true],
    ['gemini-4-ultra', true],
    ['gemini-flash-latest', true],
    ['gemini-2.5-flash', false],
    ['gemini-2.0-flash-lite', false],
    ['gemini-1.5-pro', false],
    ['gemma-3-27b-it', false],
  ])('%s -> %s', (model, expected) => {
    expect(requiresThoughtSignatures(model)).toBe(expected);
  });
});
