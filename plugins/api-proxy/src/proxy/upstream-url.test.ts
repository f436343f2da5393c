import { GatewayError } from '@portcullis/core';
import { buildUpstreamUrl, splitProxyUrl } from './upstream-url';

const build = (over: Partial<Parameters<typeof buildUpstreamUrl>[0]>) =>
  buildUpstreamUrl({ upstream: 'https://api.github.com', rawRest: '', rawQuery: '', preserveQuery: true, ...over }).toString();

describe('splitProxyUrl', () => {
  it('takes the raw rest and query after the slug', () => {
    expect(splitProxyUrl('/api/p1/proxy/gh/user/repos?per_page=5')).toEqual({ rawRest: '/user/repos', rawQuery: 'per_page=5' });
    expect(splitProxyUrl('/api/p1/proxy/gh')).toEqual({ rawRest: '', rawQuery: '' });
    expect(splitProxyUrl('/api/p1/proxy/gl/projects/group%2Fproj')).toEqual({ rawRest: '/projects/group%2Fproj', rawQuery: '' });
  });
  it('refuses URLs that are not proxy URLs', () => {
    expect(() => splitProxyUrl('/api/p1/v1/chat')).toThrow(GatewayError);
  });
});

describe('buildUpstreamUrl', () => {
  it('appends the rest to the upstream base path', () => {
    expect(build({ rawRest: '/user/repos' })).toBe('https://api.github.com/user/repos');
    expect(build({ upstream: 'https://h.example/v2/', rawRest: '/items' })).toBe('https://h.example/v2/items');
    expect(build({ upstream: 'https://h.example/v2', rawRest: '' })).toBe('https://h.example/v2');
  });
  it('keeps percent-encoding as sent', () => {
    expect(build({ upstream: 'https://gitlab.com/api/v4', rawRest: '/projects/group%2Fproj' })).toBe('https://gitlab.com/api/v4/projects/group%2Fproj');
  });
  it('strips a prefix only at a segment boundary', () => {
    expect(build({ rawRest: '/gh/user', stripPrefix: '/gh' })).toBe('https://api.github.com/user');
    expect(build({ rawRest: '/ghost/user', stripPrefix: '/gh' })).toBe('https://api.github.com/ghost/user');
    expect(build({ rawRest: '/gh', stripPrefix: '/gh/' })).toBe('https://api.github.com/');
  });
  it('merges or drops the client query', () => {
    expect(build({ upstream: 'https://h.example/x?api-version=1', rawRest: '/y', rawQuery: 'a=1&b=2' })).toBe('https://h.example/x/y?api-version=1&a=1&b=2');
    expect(build({ rawRest: '/y', rawQuery: 'a=1', preserveQuery: false })).toBe('https://api.github.com/y');
  });
  it.each([['/../admin'], ['/a/./b'], ['/a/%2e%2e/b'], ['/a/%2E%2E'], ['/a/..%2Fadmin'], ['/a/..%5cadmin']])('refuses dot segments: %s', (rawRest) => {
    expect(() => build({ rawRest })).toThrow(expect.objectContaining({ code: 'GW_ERR_REQUEST_INVALID' }));
  });
  it('refuses malformed percent-encoding', () => {
    expect(() => build({ rawRest: '/a/%zz' })).toThrow(expect.objectContaining({ code: 'GW_ERR_REQUEST_INVALID' }));
  });
});
