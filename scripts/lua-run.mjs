// Runs a Lua file with Spinel's engine, as `lua5.1 file` would (for trying
// things out and for the differential tests). Usage: node scripts/lua-run.mjs file.lua
import fs from 'node:fs';
import path from 'node:path';
import { newLuaState, loadLua, LuaSyntaxError, setStringHashAllBytes, basicToString } from '../dist/src/scripting/lua/index.js';

setStringHashAllBytes(false); // stock Lua 5.1 hashing, for comparing with lua5.1
const file = process.argv[2];
const src = fs.readFileSync(file, 'latin1');
let out = '';
const L = newLuaState({ print: (line) => { out += line + '\n'; if (out.length > 1 << 16) { process.stdout.write(Buffer.from(out, 'latin1')); out = ''; } } });
let fn;
try {
  fn = loadLua(L, src, '@' + path.basename(file));
} catch (e) {
  if (e instanceof LuaSyntaxError) { process.stderr.write('lua5.1: ' + e.message + '\n'); process.exit(1); }
  throw e;
}
try {
  L.callFunction(fn, []);
  process.stdout.write(Buffer.from(out, 'latin1'));
} catch (e) {
  process.stdout.write(Buffer.from(out, 'latin1'));
  if (e && 'value' in e) { process.stderr.write('lua5.1: ' + basicToString(e.value) + '\n'); process.exit(1); }
  throw e;
}
