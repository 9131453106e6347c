// ListValue: deque operations and the Redis 7.2 listpack/quicklist encoding rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListValue, lpEntrySize } from '../../src/types/list.js';
import { Enc } from '../../src/db/robj.js';

function pushAll(l: ListValue, items: string[], fill: number, head = false): void {
  for (const s of items) {
    l.growCheck(fill, s.length, 1);
    if (head) l.pushHead(s, fill);
    else l.pushTail(s, fill);
  }
}

test('deque operations keep order across wrap-around and growth', () => {
  const l = new ListValue();
  const model: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const op = (i * 7919) % 5;
    const v = String(i);
    if (op === 0 || op === 1) {
      l.pushTail(v, -2);
      model.push(v);
    } else if (op === 2) {
      l.pushHead(v, -2);
      model.unshift(v);
    } else if (op === 3) {
      assert.equal(l.popHead(), model.shift());
    } else {
      assert.equal(l.popTail(), model.pop());
    }
    assert.equal(l.size, model.length);
  }
  assert.deepEqual([...l], model);
  assert.deepEqual(l.toArray(), model);
  for (let i = 0; i < model.length; i += 37) assert.equal(l.get(i), model[i]);
});

test('insertAt, removeIndexes, trim, set, indexOf, clone', () => {
  const l = ListValue.from(['a', 'b', 'c', 'd', 'e'], -2);
  l.insertAt(0, 'x', -2);
  l.insertAt(6, 'y', -2);
  l.insertAt(3, 'm', -2);
  l.insertAt(5, 'n', -2);
  assert.deepEqual(l.toArray(), ['x', 'a', 'b', 'm', 'c', 'n', 'd', 'e', 'y']);
  l.removeIndexes([0, 3, 8]);
  assert.deepEqual(l.toArray(), ['a', 'b', 'c', 'n', 'd', 'e']);
  l.set(3, 'N', -2);
  assert.equal(l.indexOf('N'), 3);
  assert.equal(l.indexOf('zz'), -1);
  const c = l.clone();
  l.trim(1, 3);
  assert.deepEqual(l.toArray(), ['b', 'c', 'N']);
  assert.deepEqual(c.toArray(), ['a', 'b', 'c', 'N', 'd', 'e']);
  assert.equal(c.size, 6);
});

test('listpack entry sizes follow the listpack encodings', () => {
  assert.equal(lpEntrySize('0'), 2); // 7-bit uint + backlen
  assert.equal(lpEntrySize('127'), 2);
  assert.equal(lpEntrySize('128'), 3); // 13-bit int
  assert.equal(lpEntrySize('-4096'), 3);
  assert.equal(lpEntrySize('32767'), 4); // 16-bit
  assert.equal(lpEntrySize('8388607'), 5); // 24-bit
  assert.equal(lpEntrySize('2147483647'), 6); // 32-bit
  assert.equal(lpEntrySize('9223372036854775807'), 10); // 64-bit
  assert.equal(lpEntrySize('9223372036854775808'), 21); // string
  assert.equal(lpEntrySize('01'), 4); // not canonical: string
  assert.equal(lpEntrySize(''), 2);
  assert.equal(lpEntrySize('x'.repeat(63)), 65);
  assert.equal(lpEntrySize('x'.repeat(64)), 67); // 12-bit length string
  assert.equal(lpEntrySize('x'.repeat(200)), 204); // 2-byte backlen
  assert.equal(lpEntrySize('x'.repeat(5000)), 5007); // 32-bit length string, 2-byte backlen
});

test('count limit (list-max-listpack-size 4): grows past 4, converts back at 2', () => {
  const l = new ListValue();
  pushAll(l, ['a', 'b', 'c', 'd'], 4);
  assert.equal(l.enc, Enc.Listpack);
  pushAll(l, ['e'], 4);
  assert.equal(l.enc, Enc.Quicklist);
  l.popTail();
  l.shrinkCheck(4);
  assert.equal(l.enc, Enc.Quicklist); // one node of 4 > 4/2
  l.popTail();
  l.shrinkCheck(4);
  assert.equal(l.enc, Enc.Quicklist);
  l.popTail();
  l.shrinkCheck(4);
  assert.equal(l.enc, Enc.Listpack);
  // Adding several at once checks them together.
  const m = new ListValue();
  m.growCheck(4, 5, 5);
  assert.equal(m.enc, Enc.Quicklist);
});

test('size limit (default -2 = 8 KB): exact conversion points', () => {
  const l = new ListValue();
  const v = 'x'.repeat(100); // 103 bytes per entry
  for (let i = 0; i < 79; i++) pushAll(l, [v], -2);
  assert.equal(l.enc, Enc.Listpack);
  assert.equal(l.lpBytes, 7 + 79 * 103);
  pushAll(l, [v], -2); // 7 + 79*103 + 100 > 8192
  assert.equal(l.enc, Enc.Quicklist);
  // Back to one node of 79 entries (8144 bytes), then down to <= 4096 bytes.
  while (l.size > 40) {
    l.popTail();
    l.shrinkCheck(-2);
    assert.equal(l.enc, Enc.Quicklist, `at ${l.size} entries`);
  }
  l.popTail();
  l.shrinkCheck(-2);
  assert.equal(l.size, 39); // 7 + 39*103 = 4024 <= 4096
  assert.equal(l.enc, Enc.Listpack);
});

test('a large element gets a plain node and keeps the list a quicklist', () => {
  const l = new ListValue();
  pushAll(l, ['a'], -2);
  pushAll(l, ['y'.repeat(9000)], -2);
  assert.equal(l.enc, Enc.Quicklist);
  l.popHead();
  l.shrinkCheck(-2);
  assert.equal(l.enc, Enc.Quicklist); // only a plain node remains
  l.popHead();
  assert.equal(l.size, 0);
  // -1 (4 KB) and -5 (64 KB) limits.
  const a = new ListValue();
  pushAll(a, ['z'.repeat(4090)], -1);
  assert.equal(a.enc, Enc.Quicklist);
  const b = new ListValue();
  pushAll(b, ['z'.repeat(60000)], -5);
  assert.equal(b.enc, Enc.Listpack);
  pushAll(b, ['z'.repeat(6000)], -5);
  assert.equal(b.enc, Enc.Quicklist);
});

test('from() builds with the encoding of successive pushes', () => {
  assert.equal(ListValue.from(['1', '2', '3'], -2).enc, Enc.Listpack);
  assert.equal(ListValue.from(Array.from({ length: 200 }, () => 'x'.repeat(60)), -2).enc, Enc.Quicklist);
  assert.equal(ListValue.from(Array.from({ length: 200 }, () => 'x'), 128).enc, Enc.Quicklist);
  assert.equal(ListValue.from(Array.from({ length: 128 }, () => 'x'), 128).enc, Enc.Listpack);
});

test('random operations keep the quicklist node bookkeeping consistent', () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (const fill of [3, 5, -1, -2]) {
    const l = new ListValue();
    const model: string[] = [];
    for (let step = 0; step < 3000; step++) {
      const v = rnd(10) === 0 ? 'L'.repeat(rnd(6000)) : String(rnd(500)) + (rnd(2) ? 'x'.repeat(rnd(300)) : '');
      const op = rnd(9);
      if (op <= 1) {
        l.growCheck(fill, v.length, 1);
        if (op === 0) (l.pushHead(v, fill), model.unshift(v));
        else (l.pushTail(v, fill), model.push(v));
      } else if (op === 2 && model.length) {
        if (rnd(2)) assert.equal(l.popHead(), model.shift());
        else assert.equal(l.popTail(), model.pop());
        l.shrinkCheck(fill);
      } else if (op === 3 && model.length) {
        const p = rnd(model.length);
        const after = rnd(2) === 1;
        l.growCheck(fill, v.length, 1);
        l.insert(p, after, v, fill);
        model.splice(after ? p + 1 : p, 0, v);
      } else if (op === 4 && model.length) {
        const i = rnd(model.length);
        l.growCheck(fill, v.length, 1);
        l.set(i, v, fill);
        model[i] = v;
        l.shrinkCheck(fill);
      } else if (op === 5 && model.length) {
        const idx: number[] = [];
        for (let i = 0; i < model.length; i++) if (rnd(4) === 0) idx.push(i);
        l.removeIndexes(idx);
        for (let k = idx.length - 1; k >= 0; k--) model.splice(idx[k], 1);
        l.shrinkCheck(fill);
      } else if (op === 6 && model.length > 4) {
        const a = rnd(3);
        const b = model.length - 1 - rnd(3);
        l.trim(a, b);
        model.splice(b + 1);
        model.splice(0, a);
        l.shrinkCheck(fill);
      }
      assert.equal(l.validate(), null, `fill ${fill} step ${step} op ${op}`);
      assert.equal(l.size, model.length);
    }
    assert.deepEqual(l.toArray(), model);
  }
});
