import { GatewayError } from '@portcullis/core';
import { parseSlugRequest } from './slug-request';

const paramOf = (body: unknown): string | null => {
  try {
    parseSlugRequest(body);
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'GW_ERR_REQUEST_INVALID') return err.param;
    throw err;
  }
  throw new Error('expected GW_ERR_REQUEST_INVALID');
};

describe('parseSlugRequest', () => {
  it('reads input, variables and stream with defaults', () => {
    expect(parseSlugRequest({ input: 'hi' })).toEqual({ input: 'hi', variables: {}, stream: false });
    expect(parseSlugRequest({ input: { a: 1 }, variables: { x: 1 }, stream: true })).toEqual({ input: { a: 1 }, variables: { x: 1 }, stream: true });
  });

  it('refuses bodies that are not objects', () => {
    expect(paramOf('hi')).toBeNull();
    expect(paramOf([1])).toBeNull();
    expect(paramOf(null)).toBeNull();
  });

  it('refuses variables that are not an object', () => {
    expect(paramOf({ input: 'x', variables: ['a'] })).toBe('variables');
    expect(paramOf({ input: 'x', variables: 'a' })).toBe('variables');
  });

  it('refuses a stream flag that is not a boolean', () => {
    expect(paramOf({ input: 'x', stream: 'yes' })).toBe('stream');
  });

  it('refuses unknown keys, naming them', () => {
    expect(paramOf({ input: 'x', variabels: {} })).toBe('variabels');
  });
});
