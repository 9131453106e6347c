// A run suspended after any budget and resumed gives the same result as a
// run to completion: every chunk of the Lua corpus (test/lua/) is run in
// slices of 1, 2, 3, 7 and 50 units and compared with an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, normalize, runSpinel } from '../helpers/lua.js';
import { newLuaState, loadLua, LuaError, type HostFunction, PENDING, NONE } from '../../src/scripting/lua/index.js';

const chunks = loadCorpus();

for (const budget of [1, 2, 3, 7, 50]) {
  test(`corpus in slices of ${budget}`, () => {
    let differ = 0;
    const messages: string[] = [];
    for (const c of chunks) {
      const whole = runSpinel([c]);
      const sliced = runSpinel([c], budget);
      if (normalize(whole.output) !== normalize(sliced.output) || whole.failure !== sliced.failure) {
        differ++;
        if (messages.length < 5) messages.push(`${c.file}: ${c.name}\n--- whole\n${whole.output}--- sliced\n${sliced.output}${sliced.failure ?? ''}`);
      }
    }
    assert.equal(differ, 0, messages.join('\n'));
  });
}

test('a loop without calls still yields', () => {
  const L = newLuaState();
  const fn = loadLua(L, 'local n = 0 while true do n = n + 1 if n == 100000 then return n end end', '=t');
  const run = L.start(fn, []);
  let slices = 0;
  while (run.step(1000) === 'suspended') slices++;
  assert.equal(run.status, 'done');
  assert.deepEqual(run.results, [100000]);
  assert.ok(slices >= 99, `only ${slices} slices`);
});

test('an infinite loop can be abandoned', () => {
  const L = newLuaState();
  const fn = loadLua(L, 'while true do end', '=t');
  const run = L.start(fn, []);
  for (let i = 0; i < 10; i++) assert.equal(run.step(1000), 'suspended');
  run.abort();
  // the state is usable again
  const g = loadLua(L, 'return 1 + 1', '=t');
  assert.deepEqual(L.callFunction(g, []), [2]);
});

test('a host function can suspend the run and get its results later', () => {
  const L = newLuaState();
  const pending: string[] = [];
  const wait: HostFunction = (L, args) => {
    pending.push(String(args[0]));
    L.requestSuspend();
    return PENDING;
  };
  L.globals.setStr('wait', wait);
  const fn = loadLua(L, 'local a = wait("x") local b = wait("y") .. "!" return a .. b, select("#", wait("z"))', '=t');
  const run = L.start(fn, []);
  assert.equal(run.step(1e6), 'suspended');
  assert.deepEqual(pending, ['x']);
  run.resumeWith(['A']);
  assert.equal(run.step(1e6), 'suspended');
  run.resumeWith(['B', 'extra']);
  assert.equal(run.step(1e6), 'suspended');
  run.resumeWith(NONE);
  assert.equal(run.step(1e6), 'done');
  assert.deepEqual(run.results, ['AB!', 0]);
});

test('a host function cannot suspend inside a C-call boundary', () => {
  const L = newLuaState();
  L.globals.setStr('wait', ((L) => {
    L.requestSuspend();
    return PENDING;
  }) as HostFunction);
  const fn = loadLua(L, 'return pcall(table.sort, {2, 1}, function(a, b) wait() return a < b end)', '=t');
  const r = L.callFunction(fn, []);
  assert.equal(r[0], false);
  assert.match(String(r[1]), /attempt to suspend across a C-call boundary/);
});

test('errors end the run with the error value', () => {
  const L = newLuaState();
  const run = L.start(loadLua(L, 'local t = nil\nreturn t.x', '=t'), []);
  assert.equal(run.step(1e6), 'error');
  assert.ok(run.error instanceof LuaError);
  assert.equal(run.error!.value, "t:2: attempt to index local 't' (a nil value)");
});

test('an error handler runs where the error happened', () => {
  const L = newLuaState();
  const handler = loadLua(L, 'local e = ... return "handled: " .. e', '=h');
  const run = L.start(loadLua(L, 'error("boom")', '=t'), [], handler);
  assert.equal(run.step(1e6), 'error');
  assert.equal(run.error!.value, 'handled: t:1: boom');
});

test('a memory guard fails a run between slices', () => {
  let calls = 0;
  const L = newLuaState({ memoryExceeded: () => ++calls > 3 });
  const run = L.start(loadLua(L, 'local t = {} while true do t[#t + 1] = {} end', '=t'), []);
  let s: string;
  do s = run.step(1000);
  while (s === 'suspended');
  assert.equal(s, 'error');
  assert.equal(run.error!.value, 'not enough memory');
  assert.equal(calls, 4);
});
