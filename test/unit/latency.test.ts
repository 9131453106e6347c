// The latency histogram (HdrHistogram layout, as Redis's INFO latencystats and
// LATENCY HISTOGRAM compute it) and the latency monitor's event series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countsIndex, recordLatency, valueAtPercentile, cumulativeBuckets, percentilesLine, formatPercentile, LatencyMonitor, latencyGraph } from '../../src/server/latency.js';

function hist(usecs: number[]): { hist: Float64Array | null } {
  const st = { hist: null as Float64Array | null };
  for (const u of usecs) recordLatency(st, u);
  return st;
}

test('percentiles are hdr highest-equivalent values of whole usec * 1000 ns', () => {
  // Redis reports 1 usec as 1.003, 2 usec as 2.007, 0 usec as 0.001 (clamped to 1 ns).
  assert.equal(valueAtPercentile(hist([1]).hist!, 50), 1003);
  assert.equal(valueAtPercentile(hist([2.7]).hist!, 50), 2007);
  assert.equal(valueAtPercentile(hist([0.4]).hist!, 50), 1);
  assert.equal(valueAtPercentile(hist([10]).hist!, 99.9), 10047);
  const h = hist([...Array(98).fill(1), 100, 1000]).hist!;
  assert.equal(percentilesLine(h, [50, 99, 99.9]), 'p50=1.003,p99=100.351,p99.9=1003.519');
  // Durations above 1 s are clamped to 1 s.
  assert.equal(valueAtPercentile(hist([5e6]).hist!, 100), 1002438655);
});

test('recordLatency puts each value in the hdr bucket of countsIndex', () => {
  for (const usec of [0, 1, 2, 3, 7, 100, 127, 128, 255, 256, 999, 4096, 65535, 1e5, 999999, 1e6, 2e6]) {
    const st = hist([usec]);
    const ns = Math.min(Math.max(Math.floor(usec) * 1000, 1), 1e9);
    assert.equal(st.hist![countsIndex(ns)], 1, `usec ${usec}`);
  }
});

test('LATENCY HISTOGRAM buckets: powers of two from 1 usec, cumulative, empty steps left out', () => {
  assert.deepEqual(cumulativeBuckets(hist([0, 1, 1]).hist!), [[1, 3]]);
  assert.deepEqual(cumulativeBuckets(hist([1, 2, 3, 4, 5, 16, 32, 33, 60]).hist!), [
    [1, 1],
    [2, 2],
    [4, 4],
    [8, 5],
    [16, 6],
    [33, 8],
    [66, 9],
  ]);
  assert.deepEqual(cumulativeBuckets(hist([1000]).hist!), [[1056, 1]]);
});

test('percentile labels are printed like Redis (%f, trailing zeros trimmed)', () => {
  assert.equal(formatPercentile(50), '50');
  assert.equal(formatPercentile(99.9), '99.9');
  assert.equal(formatPercentile(99.99), '99.99');
  assert.equal(formatPercentile(0), '0');
});

test('latency monitor: one sample per second keeps the worst; max is all-time', () => {
  const m = new LatencyMonitor();
  m.addSample('command', 5, 1000);
  m.addSample('command', 3, 1000);
  m.addSample('command', 9, 1000);
  m.addSample('command', 2, 1001);
  const ts = m.events.get('command')!;
  assert.deepEqual(m.samples(ts), [
    [1000, 9],
    [1001, 2],
  ]);
  assert.equal(ts.max, 9);
  // The ring keeps the last 160 seconds.
  for (let i = 0; i < 200; i++) m.addSample('fast-command', i + 1, 2000 + i);
  const f = m.samples(m.events.get('fast-command')!);
  assert.equal(f.length, 160);
  assert.deepEqual(f[0], [2040, 41]);
  assert.equal(m.reset('nope'), 0);
  assert.equal(m.reset('command'), 1);
  assert.equal(m.reset(null), 1);
  assert.equal(m.events.size, 0);
});

test('LATENCY GRAPH renders like Redis for a single sample', () => {
  const m = new LatencyMonitor();
  m.addSample('command', 1, Math.floor(Date.now() / 1000));
  const g = latencyGraph('command', m.events.get('command')!);
  assert.equal(g, `command - high 1 ms, low 1 ms (all time high 1 ms)\n${'-'.repeat(80)}\n \n \n \n_\n \n0\ns\n`);
});

test('LATENCY GRAPH renders like Redis for several samples (captured from the reference)', () => {
  const m = new LatencyMonitor();
  const now = Math.floor(Date.now() / 1000);
  m.addSample('command', 5, now - 4);
  m.addSample('command', 30, now - 3);
  m.addSample('command', 12, now - 2);
  m.addSample('command', 2, now);
  const g = latencyGraph('command', m.events.get('command')!);
  assert.equal(g, `command - high 30 ms, low 2 ms (all time high 30 ms)\n${'-'.repeat(80)}\n #  \n |  \n |o \no||_\n    \n4320\nssss\n`);
});
