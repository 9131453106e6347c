// A latency histogram with HdrHistogram's bucket layout (the one
// redis-benchmark reports from: its equivalent-value ranges decide the
// printed values, e.g. 100 µs prints as 0.103 ms). Counts live in a
// SharedArrayBuffer so benchmark threads record into one histogram with
// Atomics.

export class Histogram {
  readonly lowest: number;
  readonly highest: number;
  readonly unitMagnitude: number;
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketCount: number;
  readonly subBucketHalfCount: number;
  readonly subBucketMask: number;
  readonly bucketCount: number;
  readonly countsLen: number;
  readonly counts: Int32Array;
  /** [total count, min value (-1: none), max value] */
  readonly meta: Int32Array;

  constructor(lowest: number, highest: number, sigfigs: number, shared?: { counts: SharedArrayBuffer; meta: SharedArrayBuffer }) {
    this.lowest = lowest;
    this.highest = highest;
    const largestSingleUnit = 2 * Math.pow(10, sigfigs);
    const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
    this.subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
    this.unitMagnitude = Math.floor(Math.log2(lowest));
    this.subBucketCount = 2 ** (this.subBucketHalfCountMagnitude + 1);
    this.subBucketHalfCount = this.subBucketCount / 2;
    this.subBucketMask = (this.subBucketCount - 1) * 2 ** this.unitMagnitude;
    let smallestUntrackable = this.subBucketCount * 2 ** this.unitMagnitude;
    let buckets = 1;
    while (smallestUntrackable <= highest) {
      smallestUntrackable *= 2;
      buckets++;
    }
    this.bucketCount = buckets;
    this.countsLen = (buckets + 1) * this.subBucketHalfCount;
    if (shared) {
      this.counts = new Int32Array(shared.counts);
      this.meta = new Int32Array(shared.meta);
    } else {
      this.counts = new Int32Array(new SharedArrayBuffer(this.countsLen * 4));
      this.meta = new Int32Array(new SharedArrayBuffer(12));
      this.meta[1] = -1;
    }
  }

  /** The shared memory, for another thread to record into. */
  buffers(): { counts: SharedArrayBuffer; meta: SharedArrayBuffer } {
    return { counts: this.counts.buffer as SharedArrayBuffer, meta: this.meta.buffer as SharedArrayBuffer };
  }

  private bucketIndex(v: number): number {
    // The bit length of v | mask (64 - clz64 in C).
    const pow2ceiling = bitLength(orNumber(v, this.subBucketMask));
    return pow2ceiling - this.unitMagnitude - (this.subBucketHalfCountMagnitude + 1);
  }

  private subBucketIndex(v: number, bucket: number): number {
    return Math.floor(v / 2 ** (bucket + this.unitMagnitude));
  }

  private countsIndex(bucket: number, sub: number): number {
    return (bucket + 1) * this.subBucketHalfCount + (sub - this.subBucketHalfCount);
  }

  valueAtIndex(index: number): number {
    let bucket = Math.floor(index / this.subBucketHalfCount) - 1;
    let sub = (index % this.subBucketHalfCount) + this.subBucketHalfCount;
    if (bucket < 0) {
      sub -= this.subBucketHalfCount;
      bucket = 0;
    }
    return sub * 2 ** (bucket + this.unitMagnitude);
  }

  sizeOfEquivalentRange(v: number): number {
    const bucket = this.bucketIndex(v);
    const sub = this.subBucketIndex(v, bucket);
    const adjusted = sub >= this.subBucketCount ? bucket + 1 : bucket;
    return 2 ** (this.unitMagnitude + adjusted);
  }

  lowestEquivalent(v: number): number {
    const bucket = this.bucketIndex(v);
    const sub = this.subBucketIndex(v, bucket);
    return sub * 2 ** (bucket + this.unitMagnitude);
  }

  highestEquivalent(v: number): number {
    return this.lowestEquivalent(v) + this.sizeOfEquivalentRange(v) - 1;
  }

  medianEquivalent(v: number): number {
    return this.lowestEquivalent(v) + Math.floor(this.sizeOfEquivalentRange(v) / 2);
  }

  /** Records a value (µs) `n` times; false when it is out of range. */
  record(v: number, n = 1): boolean {
    if (v < 0) return false;
    const bucket = this.bucketIndex(v);
    const idx = this.countsIndex(bucket, this.subBucketIndex(v, bucket));
    if (idx < 0 || idx >= this.countsLen) return false;
    Atomics.add(this.counts, idx, n);
    Atomics.add(this.meta, 0, n);
    // min ignores zeros, as HdrHistogram's does.
    if (v !== 0) {
      for (;;) {
        const cur = Atomics.load(this.meta, 1);
        if (cur !== -1 && cur <= v) break;
        if (Atomics.compareExchange(this.meta, 1, cur, v) === cur) break;
      }
    }
    for (;;) {
      const cur = Atomics.load(this.meta, 2);
      if (cur >= v) break;
      if (Atomics.compareExchange(this.meta, 2, cur, v) === cur) break;
    }
    return true;
  }

  get totalCount(): number {
    return Atomics.load(this.meta, 0);
  }

  reset(): void {
    this.counts.fill(0);
    Atomics.store(this.meta, 0, 0);
    Atomics.store(this.meta, 1, -1);
    Atomics.store(this.meta, 2, 0);
  }

  min(): number {
    if (this.counts[0] > 0) return 0;
    const m = this.meta[1];
    if (m === -1) return 2 ** 63;
    return this.lowestEquivalent(m);
  }

  max(): number {
    const m = this.meta[2];
    return m === 0 ? 0 : this.highestEquivalent(m);
  }

  mean(): number {
    const total = this.totalCount;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < this.countsLen && count < total; i++) {
      const c = this.counts[i];
      if (c !== 0) {
        count += c;
        sum += c * this.medianEquivalent(this.valueAtIndex(i));
      }
    }
    return sum / total;
  }

  valueAtPercentile(p: number): number {
    const requested = p < 100 ? p : 100;
    let countAt = Math.floor((requested / 100) * this.totalCount + 0.5);
    countAt = countAt > 0 ? countAt : 1;
    let value = 0;
    let sum = 0;
    for (let i = 0; i < this.countsLen; i++) {
      sum += this.counts[i];
      if (sum >= countAt) {
        value = this.valueAtIndex(i);
        break;
      }
    }
    return p === 0 ? this.lowestEquivalent(value) : this.highestEquivalent(value);
  }

  /**
   * HdrHistogram's percentile iteration (1 tick per half distance): 0%,
   * 50%, 75%, 87.5%, ... then 100%; each step the bucket reached and the
   * cumulative count.
   */
  *percentiles(): Generator<{ percentile: number; highest: number; cumulative: number }> {
    const it = new BasicIter(this);
    let toIterate = 0;
    let reported = 0;
    let seenLast = false;
    for (;;) {
      if (!it.hasNext()) {
        if (seenLast) return;
        seenLast = true;
        yield { percentile: 100, highest: it.highestEquivalent, cumulative: it.cumulative };
        continue;
      }
      if (it.index === -1 && !it.next()) return;
      let found = false;
      do {
        const current = (100 * it.cumulative) / this.totalCount;
        if (it.count !== 0 && toIterate <= current) {
          const percentile = toIterate;
          reported = percentile;
          const temp = Math.trunc(Math.log(100 / (100 - toIterate)) / Math.log(2)) + 1;
          const halfDistance = Math.trunc(Math.pow(2, temp));
          toIterate += 100 / halfDistance;
          found = true;
          yield { percentile, highest: it.highestEquivalent, cumulative: it.cumulative };
          break;
        }
      } while (it.next());
      if (!found) {
        // Ran out of buckets: the C iterator reports the step anyway.
        yield { percentile: reported, highest: it.highestEquivalent, cumulative: it.cumulative };
      }
    }
  }

  /**
   * Linear iteration in steps of `units` µs; `units(highest)` may change
   * the step size for the steps after the one just returned.
   */
  *linear(units: number, adjust: (highest: number) => number): Generator<{ highest: number; cumulative: number }> {
    const it = new BasicIter(this);
    let level = units;
    let levelLowest = this.lowestEquivalent(level);
    for (;;) {
      if (!(it.hasNext() || (it.index < this.countsLen && this.valueAtIndex(it.index + 1) > levelLowest))) return;
      for (;;) {
        if (it.value >= levelLowest) {
          level += units;
          levelLowest = this.lowestEquivalent(level);
          yield { highest: it.highestEquivalent, cumulative: it.cumulative };
          units = adjust(it.highestEquivalent);
          break;
        }
        if (!it.move()) {
          yield { highest: it.highestEquivalent, cumulative: it.cumulative };
          break;
        }
      }
    }
  }
}

class BasicIter {
  index = -1;
  count = 0;
  cumulative = 0;
  value = 0;
  highestEquivalent = 0;
  private readonly total: number;

  constructor(private readonly h: Histogram) {
    this.total = h.totalCount;
  }

  hasNext(): boolean {
    return this.cumulative < this.total;
  }

  move(): boolean {
    this.index++;
    if (this.index >= this.h.countsLen) return false;
    this.count = this.h.counts[this.index];
    this.cumulative += this.count;
    this.value = this.h.valueAtIndex(this.index);
    this.highestEquivalent = this.h.highestEquivalent(this.value);
    return true;
  }

  next(): boolean {
    return this.hasNext() && this.move();
  }
}

function bitLength(x: number): number {
  if (x < 2 ** 32) return 32 - Math.clz32(x);
  return BigInt(Math.trunc(x)).toString(2).length;
}

/** v | mask for values beyond 32 bits. */
function orNumber(v: number, mask: number): number {
  if (v < 2 ** 31 && mask < 2 ** 31) return v | mask;
  return Number(BigInt(Math.trunc(v)) | BigInt(mask));
}
