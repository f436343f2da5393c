import { PrometheusRegistry } from './registry';

describe('PrometheusRegistry', () => {
  it('adds to one series whatever the label order, and keeps distinct label sets apart', () => {
    const registry = new PrometheusRegistry();
    const requests = registry.counter('reqs', 'Requests', ['route', 'status']);
    requests.inc({ route: 'chat', status: '200' });
    requests.inc({ status: '200', route: 'chat' }, 2);
    requests.inc({ route: 'chat', status: '500' });
    expect(registry.render()).toBe(
      '# HELP reqs Requests\n# TYPE reqs counter\nreqs{route="chat",status="200"} 3\nreqs{route="chat",status="500"} 1\n',
    );
  });

  it('never merges label sets whose values only look alike once joined', () => {
    const registry = new PrometheusRegistry();
    const c = registry.counter('c', 'help');
    c.inc({ a: 'x,b=y' });
    c.inc({ a: 'x', b: 'y' });
    c.inc({ a: 'x"', b: 'y' });
    expect(registry.render().split('\n').filter((l) => l.startsWith('c{'))).toHaveLength(3);
  });

  it('counts histogram observations into cumulative buckets per series', () => {
    const registry = new PrometheusRegistry();
    const latency = registry.histogram('lat', 'Latency', [10, 100], ['route']);
    latency.observe({ route: 'a' }, 5);
    latency.observe({ route: 'a' }, 50);
    latency.observe({ route: 'a' }, 500);
    latency.observe({ route: 'b' }, 1);
    const text = registry.render();
    expect(text).toContain('lat_bucket{route="a",le="10"} 1\nlat_bucket{route="a",le="100"} 2\nlat_bucket{route="a",le="+Inf"} 3\nlat_sum{route="a"} 555\nlat_count{route="a"} 3');
    expect(text).toContain('lat_count{route="b"} 1');
  });

  it('sets gauges with and without labels', () => {
    const registry = new PrometheusRegistry();
    const g = registry.gauge('g', 'Gauge');
    g.set(undefined, 4);
    g.set(undefined, 7);
    g.set({ pool: 'x' }, 1);
    expect(registry.render()).toBe('# HELP g Gauge\n# TYPE g gauge\ng 7\ng{pool="x"} 1\n');
  });

  it('refuses a metric name registered twice', () => {
    const registry = new PrometheusRegistry();
    registry.counter('dup', 'one');
    expect(() => registry.counter('dup', 'two')).toThrow('metric dup registered twice');
  });
});
