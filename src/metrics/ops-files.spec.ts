import { readFileSync } from 'node:fs';
import { MetricsService } from './metrics.service.js';

/** The alert rules and the dashboard in ops/ may only use metrics the app really exports, with their real labels. */
describe('ops/ alert rules and dashboard', () => {
  const metrics = new MetricsService();
  const exported = new Map<string, string[]>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const labels = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
    exported.set(metric.name, labels);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.set(`${metric.name}${suffix}`, [...labels, 'le']);
  }
  const files = ['ops/prometheus-alerts.yml', 'ops/grafana-dashboard.json'];

  it.each(files)('%s names only exported metrics', (file) => {
    const text = readFileSync(file, 'utf8');
    const used = [...new Set([...text.matchAll(/\becommerce_[a-z_]+/g)].map((m) => m[0]))];
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });

  it.each(files)('%s groups and filters only by labels those metrics have', (file) => {
    const text = readFileSync(file, 'utf8');
    const problems: string[] = [];
    for (const match of text.matchAll(/\b(ecommerce_[a-z_]+)\{([^}]*)\}/g)) {
      for (const label of [...match[2].matchAll(/(\w+)\s*(?:=|!=|=~|!~)/g)].map((m) => m[1])) {
        if (!exported.get(match[1])?.includes(label)) problems.push(`${match[1]} has no label ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
