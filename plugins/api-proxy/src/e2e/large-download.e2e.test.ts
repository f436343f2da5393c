import { get } from 'node:http';
import { startProxyWorld, TOKENS, type ProxyWorld } from './__fixtures__/world';

/** Downloads through the gateway, counting and discarding bytes; samples RSS while it runs. */
function download(url: string, token: string): Promise<{ status: number; bytes: number; peakRss: number; ms: number }> {
  const started = Date.now();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ status: res.statusCode ?? 0, bytes, peakRss: Math.max(peakRss, process.memoryUsage.rss()), ms: Date.now() - started });
      });
      res.on('error', reject);
    }).on('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
  });
}

const GiB = 1024 * 1024 * 1024;

describe('streaming download through the proxy', () => {
  let world: ProxyWorld;
  beforeAll(async () => {
    world = await startProxyWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('moves 1 GiB generated on the fly with flat memory (RSS grows < 100 MB)', async () => {
    // Warm up pools, JIT and buffers so the baseline is the steady state, not a cold process.
    await download(world.proxyUrl('plain', `/big?bytes=${16 * 1024 * 1024}`), TOKENS.app);
    const baseline = process.memoryUsage.rss();
    // The mock, the gateway and the client share this process: the growth bounds all three.
    const result = await download(world.proxyUrl('plain', `/big?bytes=${GiB}`), TOKENS.app);
    expect(result.status).toBe(200);
    expect(result.bytes).toBe(GiB);
    expect(result.peakRss - baseline).toBeLessThan(100 * 1024 * 1024);
    // eslint-disable-next-line no-console
    console.log(`1 GiB through the proxy in ${result.ms} ms; RSS growth ${((result.peakRss - baseline) / 1024 / 1024).toFixed(1)} MB`);
  }, 60_000);
});
