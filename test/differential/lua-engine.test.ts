// Spinel's Lua engine against the real Lua 5.1 (Debian's lua5.1): every
// chunk of the corpus in test/lua/ runs through both, and what it prints —
// numbers, strings, pairs() order, error messages — must be identical byte
// for byte (table addresses aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, lua51Path, normalize, runLua51, runSpinel, splitOutput } from '../helpers/lua.js';

const exe = lua51Path();
let skip: string | false = false;
if (exe === null) {
  if (process.env.CI === 'true') throw new Error('lua5.1 not installed: the Lua engine differential test needs it in CI');
  skip = 'lua5.1 not installed (apt-get install lua5.1): Lua engine differential test skipped';
}

const chunks = loadCorpus();

test('the corpus is big enough', () => {
  assert.ok(chunks.length >= 300, `corpus has ${chunks.length} chunks`);
});

test('Spinel Lua vs lua5.1, chunk by chunk', { skip }, async (t) => {
  const expected = splitOutput(runLua51(exe!, chunks));
  for (const c of chunks) {
    const key = `${c.file}: ${c.name}`;
    await t.test(key, () => {
      const mine = runSpinel([c]);
      assert.equal(mine.failure, null, `engine failure: ${mine.failure}`);
      const got = splitOutput(mine.output).get(key);
      const want = expected.get(key);
      assert.ok(want !== undefined, 'lua5.1 printed nothing for this chunk');
      assert.ok(got !== undefined, 'Spinel printed nothing for this chunk');
      assert.equal(normalize(got), normalize(want), c.code);
    });
  }
});
