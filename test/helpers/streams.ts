// Stream test helpers: time-dependent reply fields masked for comparison.

import type { RespValue } from './resp.js';

/** Keys whose values are durations or times. */
const TIME_KEYS = new Set(['idle', 'inactive', 'seen-time', 'active-time']);

/**
 * Replaces time-dependent numbers by markers: values of TIME_KEYS (except
 * -1, "never"), any number that is a unix time in ms, and the idle time of
 * XPENDING entries ([id, consumer, idle, count]).
 */
export function maskTimes(v: RespValue): RespValue {
  if (typeof v === 'number' && v > 1e12) return 'TIME';
  if (v instanceof Map) {
    const m = new Map<RespValue, RespValue>();
    for (const [k, x] of v) m.set(k, typeof k === 'string' && TIME_KEYS.has(k) && x !== -1 ? 'T' : maskTimes(x));
    return m;
  }
  if (Array.isArray(v)) {
    const out = v.map(maskTimes);
    for (let i = 0; i + 1 < v.length; i += 2) {
      if (typeof v[i] === 'string' && TIME_KEYS.has(v[i] as string) && v[i + 1] !== -1) out[i + 1] = 'T';
    }
    if (v.length === 4 && typeof v[0] === 'string' && /^\d+-\d+$/.test(v[0]) && typeof v[1] === 'string' && typeof v[2] === 'number') out[2] = 'T';
    return out;
  }
  return v;
}
