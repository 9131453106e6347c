// Random Lua programs (test/helpers/lua-gen.ts) through Spinel's engine and
// lua5.1: outputs, error messages and the logged order of side effects must
// be identical. LUA_RANDOM_SEED and LUA_RANDOM_COUNT change the sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lua51Path, normalize, runLua51, runSpinel, splitOutput, type Chunk } from '../helpers/lua.js';
import { Rng, genProgram } from '../helpers/lua-gen.js';

const exe = lua51Path();
let skip: string | false = false;
if (exe === null) {
  if (process.env.CI === 'true') throw new Error('lua5.1 not installed: the Lua engine differential test needs it in CI');
  skip = 'lua5.1 not installed (apt-get install lua5.1): random Lua programs test skipped';
}

const seed = Number(process.env.LUA_RANDOM_SEED ?? 20240601);
const count = Number(process.env.LUA_RANDOM_COUNT ?? 400);

test(`random programs (seed ${seed}, ${count} programs)`, { skip }, () => {
  const r = new Rng(seed);
  const chunks: Chunk[] = [];
  for (let i = 0; i < count; i++) chunks.push({ file: 'random', name: `program ${i}`, code: genProgram(r) });
  const expected = splitOutput(runLua51(exe!, chunks));
  const bad: string[] = [];
  for (const c of chunks) {
    const key = `${c.file}: ${c.name}`;
    const mine = runSpinel([c]);
    const got = mine.failure ? `FAILURE ${mine.failure}` : normalize(splitOutput(mine.output).get(key) ?? '<missing>');
    const want = normalize(expected.get(key) ?? '<missing>');
    if (got !== want && bad.length < 3) bad.push(`${key}\n${c.code}--- lua5.1\n${want}--- spinel\n${got}`);
  }
  assert.equal(bad.length, 0, bad.join('\n\n'));
});
