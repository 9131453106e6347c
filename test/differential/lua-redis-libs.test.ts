// The libraries Redis adds to Lua (cjson, cmsgpack, struct, bit) against
// Redis 7.2's own: each chunk of test/lua-redis/*.lua runs through Spinel's
// engine and through EVAL on the reference redis-server, and what it prints
// (with p(...), collected into the script's return value) must be identical.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startRedis, referenceMissing, type Running } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { CORPUS_DIR, normalize } from '../helpers/lua.js';
import { newLuaState, loadLua, LuaError, basicToString } from '../../src/scripting/lua/index.js';

const DIR = path.join(path.dirname(CORPUS_DIR), 'lua-redis');
const PRELUDE =
  "local out = {} local function p(...) local t = {} for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end out[#out + 1] = table.concat(t, '\\t') end ";
const SUFFIX = "\nreturn table.concat(out, '\\n')";

interface Chunk {
  name: string;
  code: string;
}

function chunks(): Chunk[] {
  const out: Chunk[] = [];
  for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith('.lua')).sort()) {
    let cur: Chunk | null = null;
    for (const line of fs.readFileSync(path.join(DIR, f), 'latin1').split('\n')) {
      const m = /^--- (.+)$/.exec(line);
      if (m) out.push((cur = { name: `${f}: ${m[1]}`, code: '' }));
      else if (cur) cur.code += line + '\n';
    }
  }
  return out;
}

function spinel(code: string): string {
  const L = newLuaState();
  try {
    const r = L.callFunction(loadLua(L, PRELUDE + code + SUFFIX, '@user_script'), []);
    return '$' + String(r[0]);
  } catch (e) {
    if (e instanceof LuaError) return '-' + basicToString(e.value);
    throw e;
  }
}

function redisReply(raw: string): string {
  if (raw[0] === '$') {
    const nl = raw.indexOf('\r\n');
    return '$' + raw.slice(nl + 2, raw.length - 2);
  }
  return raw.trimEnd();
}

const skip = referenceMissing();
let redis: Running | null = null;
let client: RawClient | null = null;
before(async () => {
  if (skip) return;
  redis = await startRedis();
  client = await RawClient.connect(redis.port);
});
after(async () => {
  client?.close();
  await redis?.close();
});

test('cjson, cmsgpack, struct and bit match Redis 7.2', { skip }, async (t) => {
  for (const c of chunks()) {
    await t.test(c.name, async () => {
      const want = redisReply(await client!.call('EVAL', Buffer.from(PRELUDE + c.code + SUFFIX, 'latin1'), '0'));
      const got = spinel(c.code);
      assert.equal(normalize(got), normalize(want), c.code);
    });
  }
});
