import type { MetricsRegistry } from '../spec/plugin';

type Labels = Record<string, string> | undefined;
/**
 * The series a label set belongs to. Runs on every request (counter + histogram), so it avoids
 * entries arrays and locale-aware sorting: names in code-unit order, values JSON-quoted so that
 * no value can make two different label sets collide.
 */
const key = (labels: Labels): string => {
  if (!labels) return '';
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let out = '';
  for (const name of names) out += `${name}=${JSON.stringify(labels[name])},`;
  return out;
};
const fmt = (labels: Labels, extra?: [string, string]): string => {
  const entries = [...Object.entries(labels ?? {}), ...(extra ? [extra] : [])];
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

interface Family {
  render(): string;
}

/**
 * A small Prometheus registry: counters, gauges and fixed-bucket histograms, one per gateway
 * instance (two gateways in one process keep separate metrics).
 */
export class PrometheusRegistry implements MetricsRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string, _labelNames?: readonly string[]): { inc(labels?: Labels, value?: number): void } {
    const values = new Map<string, { labels: Labels; value: number }>();
    this.register(name, () => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${[...values.values()].map((v) => `${name}${fmt(v.labels)} ${v.value}`).join('\n')}`);
    return {
      inc(labels?: Labels, value = 1) {
        const k = key(labels);
        const cur = values.get(k);
        if (cur) cur.value += value;
        else values.set(k, { labels, value });
      },
    };
  }

  gauge(name: string, help: string, _labelNames?: readonly string[]): { set(labels: Labels, value: number): void } {
    const values = new Map<string, { labels: Labels; value: number }>();
    this.register(name, () => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${[...values.values()].map((v) => `${name}${fmt(v.labels)} ${v.value}`).join('\n')}`);
    return {
      set(labels: Labels, value: number) {
        values.set(key(labels), { labels, value });
      },
    };
  }

  histogram(name: string, help: string, buckets: readonly number[], _labelNames?: readonly string[]): { observe(labels: Labels, value: number): void } {
    const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
    this.register(name, () => {
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
      for (const s of series.values()) {
        let cumulative = 0;
        buckets.forEach((b, i) => {
          cumulative += s.counts[i]!;
          lines.push(`${name}_bucket${fmt(s.labels, ['le', String(b)])} ${cumulative}`);
        });
        lines.push(`${name}_bucket${fmt(s.labels, ['le', '+Inf'])} ${s.count}`, `${name}_sum${fmt(s.labels)} ${s.sum}`, `${name}_count${fmt(s.labels)} ${s.count}`);
      }
      return lines.join('\n');
    });
    return {
      observe(labels: Labels, value: number) {
        const k = key(labels);
        let s = series.get(k);
        if (!s) series.set(k, (s = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }));
        const i = buckets.findIndex((b) => value <= b);
        if (i >= 0) s.counts[i]! += 1;
        s.sum += value;
        s.count += 1;
      },
    };
  }

  render(): string {
    return `${[...this.families.values()].map((f) => f.render()).join('\n')}\n`;
  }

  private register(name: string, render: () => string): Family {
    if (this.families.has(name)) throw new Error(`metric ${name} registered twice`);
    const family = { render };
    this.families.set(name, family);
    return family;
  }
}
