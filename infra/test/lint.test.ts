import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART, helm, NAMESPACE, RELEASE, VALUE_SETS, valueArgs } from './support/helm.ts';

describe('the chart', () => {
  it('is a v2 chart whose appVersion is a tag, for helm 3 and 4 alike', () => {
    const chart = parse(readFileSync(`${CHART}/Chart.yaml`, 'utf8'));
    expect(chart.apiVersion).toBe('v2');
    expect(chart.appVersion).toMatch(/^[\w][\w.-]*$/);
  });

  it('comments every key of values.yaml', () => {
    const lines = readFileSync(`${CHART}/values.yaml`, 'utf8').split('\n');
    const uncommented = lines.flatMap((line, index) => {
      // A key line: its own comment, or a comment on the line above (possibly a section comment).
      if (!/^\s*[\w.-]+:/.test(line)) return [];
      const above = lines[index - 1]?.trim() ?? '';
      const nestedUnderComment = /^\s+/.test(line) && /:\s*$/.test(lines[index - 1] ?? '');
      return above.startsWith('#') || line.includes(' # ') || nestedUnderComment ? [] : [line];
    });
    expect(uncommented).toEqual([]);
  });
});

describe.each(Object.entries(VALUE_SETS))('with the %s values', (_name, values) => {
  it('passes helm lint --strict', async () => {
    const result = await helm(['lint', '--strict', CHART, ...valueArgs({ values })]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('renders with helm template, including hooks and tests', async () => {
    const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...valueArgs({ values })];
    const result = await helm(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('helm.sh/hook: test');
  });
});
