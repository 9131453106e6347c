// The derived wall clock (monotonic + offset) must agree with the system
// clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicMs, wallMs, wallMsAt, wallMicros, resyncWallClock } from '../../src/util/clock.js';

test('derived wall clock stays within 2 ms of Date.now()', () => {
  resyncWallClock();
  for (let i = 0; i < 1000; i++) {
    const before = Date.now();
    const w = wallMs();
    const after = Date.now();
    assert.ok(Number.isInteger(w));
    assert.ok(w >= before - 2 && w <= after + 2, `${w} not within [${before}, ${after}] +- 2`);
  }
  const m = monotonicMs();
  assert.ok(Math.abs(wallMsAt(m) - Date.now()) <= 2);
  assert.ok(Math.abs(wallMicros() / 1000 - Date.now()) <= 2);
});
