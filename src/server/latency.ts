// Latency bookkeeping: per-command latency histograms (INFO latencystats,
// LATENCY HISTOGRAM) and the latency monitor's events (LATENCY LATEST,
// HISTORY, GRAPH, DOCTOR, RESET).
//
// Histograms: Redis keeps one HdrHistogram per command (1 ns .. 1 s, two
// significant figures) and records each call's duration in usec * 1000. The
// same bucket layout is reproduced here over a Float64Array so percentiles and
// the LATENCY HISTOGRAM buckets come out as Redis computes them
// (e.g. p50=1.003 for a 1 usec call, buckets 1, 2, 4, 8, 16, 33, 66 ... usec).
//
// Latency monitor: each event (command, fast-command, ...) keeps a ring of 160
// samples, one per second at most (the worst of that second), and its all-time
// maximum, exactly like Redis's latency.c.

// ---------------------------------------------------------------- histograms

const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_MASK = 255;
/** Highest recorded value, in ns (1 s), as Redis's LATENCY_HISTOGRAM_MAX_VALUE. */
const HIST_MAX = 1_000_000_000;
/** 23 buckets cover 1 ns .. 1 s with 256 sub-buckets each. */
export const HIST_LEN = (23 + 1) * SUB_BUCKET_HALF_COUNT;

function log2Ceil(v: number): number {
  // 64 - clz64(v) for v >= 1.
  return v < 0x80000000 ? 32 - Math.clz32(v) : Math.floor(Math.log2(v)) + 1;
}

function bucketIndex(v: number): number {
  return log2Ceil(v < SUB_BUCKET_MASK ? SUB_BUCKET_MASK : v < 0x80000000 ? v | SUB_BUCKET_MASK : v) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function subBucketIndex(v: number, bucket: number): number {
  return Math.floor(v / 2 ** bucket);
}

export function countsIndex(v: number): number {
  const b = bucketIndex(v);
  const sb = subBucketIndex(v, b);
  return ((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sb - SUB_BUCKET_HALF_COUNT);
}

function valueAtIndex(index: number): number {
  let b = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sb = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (b < 0) {
    sb -= SUB_BUCKET_HALF_COUNT;
    b = 0;
  }
  return sb * 2 ** b;
}

function lowestEquivalent(v: number): number {
  const b = bucketIndex(v);
  return subBucketIndex(v, b) * 2 ** b;
}

function highestEquivalent(v: number): number {
  const b = bucketIndex(v);
  const sb = subBucketIndex(v, b);
  const size = 2 ** (sb >= 2 * SUB_BUCKET_HALF_COUNT ? b + 1 : b);
  return sb * 2 ** b + size - 1;
}

/** Records one call's duration (usec, fractional) the way Redis does: whole usec * 1000, clamped to [1 ns, 1 s]. */
export function recordLatency(st: { hist: Float64Array | null }, usec: number): void {
  let h = st.hist;
  if (h === null) h = st.hist = new Float64Array(HIST_LEN);
  let ns = Math.floor(usec) * 1000;
  if (ns < 1) ns = 1;
  else if (ns > HIST_MAX) ns = HIST_MAX;
  // countsIndex() with 32-bit arithmetic (ns < 2^30 here).
  const b = 24 - Math.clz32(ns | SUB_BUCKET_MASK);
  h[((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (ns >> b) - SUB_BUCKET_HALF_COUNT]++;
}

export function histTotal(h: Float64Array): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) n += h[i];
  return n;
}

/** hdr_value_at_percentile: the highest value equivalent to the one at `p` percent, in ns. */
export function valueAtPercentile(h: Float64Array, p: number): number {
  const total = histTotal(h);
  const req = p < 100 ? p : 100;
  let atCount = Math.floor((req / 100) * total + 0.5);
  if (atCount < 1) atCount = 1;
  let sum = 0;
  let v = 0;
  for (let i = 0; i < h.length; i++) {
    sum += h[i];
    if (sum >= atCount) {
      v = valueAtIndex(i);
      break;
    }
  }
  return p === 0 ? lowestEquivalent(v) : highestEquivalent(v);
}

/**
 * LATENCY HISTOGRAM buckets: hdr's logarithmic iteration from 1024 ns by
 * powers of two; each step reports (highest equivalent value in usec,
 * cumulative count); steps that add nothing are left out, like Redis.
 */
export function cumulativeBuckets(h: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  const total = histTotal(h);
  let idx = -1;
  let cum = 0;
  let value = 0;
  let hev = 0;
  let level = 1024;
  let levelLow = lowestEquivalent(level);
  let prev = 0;
  for (;;) {
    if (!(cum < total || (idx + 1 < h.length && valueAtIndex(idx + 1) > levelLow))) break;
    let reported = false;
    for (;;) {
      if (value >= levelLow) {
        if (cum > prev) out.push([Math.floor(hev / 1000), cum]);
        prev = cum;
        level *= 2;
        levelLow = lowestEquivalent(level);
        reported = true;
        break;
      }
      idx++;
      if (idx >= h.length) break;
      cum += h[idx];
      value = valueAtIndex(idx);
      hev = highestEquivalent(value);
    }
    if (!reported) break;
  }
  return out;
}

/** Redis's "%f" then trimDoubleString: 50 -> "50", 99.9 -> "99.9". */
export function formatPercentile(p: number): string {
  let s = p.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** INFO latencystats line body: p50=1.003,p99=...,p99.9=... */
export function percentilesLine(h: Float64Array, percentiles: number[]): string {
  let s = '';
  for (let i = 0; i < percentiles.length; i++) {
    if (i > 0) s += ',';
    s += `p${formatPercentile(percentiles[i])}=${(valueAtPercentile(h, percentiles[i]) / 1000).toFixed(3)}`;
  }
  return s;
}

// ------------------------------------------------------------ latency monitor

export const LATENCY_TS_LEN = 160;

export class LatencySeries {
  idx = 0;
  max = 0;
  readonly times = new Int32Array(LATENCY_TS_LEN);
  readonly latencies = new Uint32Array(LATENCY_TS_LEN);
}

export class LatencyMonitor {
  /** Event name -> its time series, in creation order. */
  readonly events = new Map<string, LatencySeries>();

  /** latencyAddSample: one sample per second per event, keeping the worst. */
  addSample(event: string, ms: number, nowSec = Math.floor(Date.now() / 1000)): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new LatencySeries();
      this.events.set(event, ts);
    }
    if (ms > ts.max) ts.max = ms;
    const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (ts.times[prev] === nowSec) {
      if (ms > ts.latencies[prev]) ts.latencies[prev] = ms;
      return;
    }
    ts.times[ts.idx] = nowSec;
    ts.latencies[ts.idx] = ms;
    ts.idx++;
    if (ts.idx === LATENCY_TS_LEN) ts.idx = 0;
  }

  /** Resets one event (or all with null); returns how many were reset. */
  reset(event: string | null): number {
    if (event === null) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    return this.events.delete(event) ? 1 : 0;
  }

  /** Samples in time order (oldest first), skipping empty slots. */
  samples(ts: LatencySeries): [number, number][] {
    const out: [number, number][] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const i = (ts.idx + j) % LATENCY_TS_LEN;
      if (ts.times[i] === 0) continue;
      out.push([ts.times[i], ts.latencies[i]]);
    }
    return out;
  }
}

const monitors = new WeakMap<object, LatencyMonitor>();
/** The latency monitor of a server (created on first use). */
export function latencyMonitor(server: object): LatencyMonitor {
  let m = monitors.get(server);
  if (m === undefined) {
    m = new LatencyMonitor();
    monitors.set(server, m);
  }
  return m;
}

// -------------------------------------------------------------------- GRAPH

/**
 * LATENCY GRAPH: Redis's sparkline of the event's samples (latency.c
 * latencyCommandGenSparkeline + sparkline.c), 80 columns, 4 rows of
 * characters ('_' low ... '#' high) plus the "age" labels under each column.
 */
export function latencyGraph(event: string, ts: LatencySeries): string {
  const now = Math.floor(Date.now() / 1000);
  let min = 0;
  let max = 0;
  const seq: { value: number; label: string }[] = [];
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const i = (ts.idx + j) % LATENCY_TS_LEN;
    if (ts.times[i] === 0) continue;
    const elapsed = now - ts.times[i];
    let label: string;
    if (elapsed < 60) label = `${elapsed}s`;
    else if (elapsed < 3600) label = `${Math.floor(elapsed / 60)}m`;
    else if (elapsed < 3600 * 24) label = `${Math.floor(elapsed / 3600)}h`;
    else label = `${Math.floor(elapsed / (3600 * 24))}d`;
    const v = ts.latencies[i];
    if (seq.length === 0) min = max = v;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    seq.push({ value: v, label });
  }
  let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
  graph += '-'.repeat(80) + '\n';
  graph += sparklineRender(seq, min, max, 80, 4);
  return graph;
}

const CHARSET_LEN = 3;
const CHARSET_FILL = '_o#';
const LABEL_MARGIN_TOP = 1;

/** sparklineRender with SPARKLINE_FILL, as latency.c calls it. */
function sparklineRender(seq: { value: number; label: string }[], min: number, max: number, columns: number, rows: number): string {
  let out = '';
  for (let j = 0; j < seq.length; j += columns) {
    const sub = Math.min(seq.length - j, columns);
    if (j !== 0) out += '\n';
    out += renderRange(seq, min, max, rows, j, sub);
  }
  return out;
}

function renderRange(seq: { value: number; label: string }[], min: number, max: number, rows: number, offset: number, len: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET_LEN * rows;
  let out = '';
  let row = 0;
  let loop = true;
  while (loop) {
    loop = false;
    const chars: string[] = new Array<string>(len).fill(' ');
    for (let j = 0; j < len; j++) {
      const s = seq[j + offset];
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * CHARSET_LEN;
        loop = true;
        if (charidx >= 0 && charidx < CHARSET_LEN) chars[j] = CHARSET_FILL[charidx];
        else if (charidx >= CHARSET_LEN) chars[j] = '|';
      } else {
        if (row - rows < LABEL_MARGIN_TOP) {
          loop = true;
          break;
        }
        const labelChar = row - rows - LABEL_MARGIN_TOP;
        if (s.label.length > labelChar) {
          loop = true;
          chars[j] = s.label[labelChar];
        }
      }
    }
    if (loop) {
      row++;
      out += chars.join('') + '\n';
    }
  }
  return out;
}
