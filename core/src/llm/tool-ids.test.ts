import { upstreamSafeToolId } from './tool-ids';

describe('upstreamSafeToolId', () => {
  it('passes ids that already fit, unchanged', () => {
    for (const id of ['call_abc123', 'toolu_01A09q90qw90lq917835lq9', 'tooluse_x-Y_z']) expect(upstreamSafeToolId(id)).toBe(id);
  });

  it.each([
    ['characters outside the pattern', 'call+1/x='],
    ['a dot and a colon', 'functions.get_weather:0'],
    ['an empty id', ''],
    ['an id longer than the limit', `call_1__thought__b${'A'.repeat(300)}`],
  ])('maps %s to a fitting id, the same way every time, distinct from others', (_label, id) => {
    const mapped = upstreamSafeToolId(id);
    expect(mapped).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(mapped.length).toBeLessThanOrEqual(64);
    expect(upstreamSafeToolId(id)).toBe(mapped);
    expect(upstreamSafeToolId(`${id}x`)).not.toBe(mapped);
  });

  it('honours a smaller length limit', () => {
    expect(upstreamSafeToolId('a'.repeat(50), 40).length).toBeLessThanOrEqual(40);
    expect(upstreamSafeToolId('a'.repeat(50), 40)).toMatch(/^tool_/);
  });
});
