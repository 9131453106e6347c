// Clock reads for the hot path.
//
// The global `performance` is a lazy getter and its now() checks its receiver
// on every call; a bound reference to the perf_hooks object skips both
// (~50 ns instead of ~110 ns per read, and the dispatch path reads it once
// per command).

import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds with sub-microsecond precision (performance.now). */
export const monotonicMs: () => number = performance.now.bind(performance);

/** Wall-clock microseconds since the epoch (Redis's ustime()). */
export function wallMicros(): number {
  return Math.floor((performance.timeOrigin + monotonicMs()) * 1000);
}
