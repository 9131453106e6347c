// Random Lua programs for differential testing: expressions of every kind,
// calls with side effects (logged) in every position, assignments, loops,
// closures and metatables, from a seeded generator (the same seed gives the
// same programs).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NUMS = ['0', '1', '2', '3', '-1', '0.5', '10', '1e3', '2^53', '7', '100', '0x10', '1/0', '3.25'];
const STRS = ['"a"', '"bc"', '"10"', '" 5 "', '""', '"x y"', '"0x1F"', "'q'", '"1e2"'];
const VARS = ['a', 'b', 'c', 'n', 's', 't', 'u'];
const BINOPS = ['+', '-', '*', '/', '%', '^', '..', '==', '~=', '<', '<=', '>', '>=', 'and', 'or'];

export function genProgram(r: Rng): string {
  const lines: string[] = [];
  lines.push('local log = {}');
  lines.push('local function L(x) log[#log + 1] = tostring(x) return x end');
  lines.push('local function M(...) log[#log + 1] = "#" .. select("#", ...) return ... end');
  lines.push('local function F(x, y) log[#log + 1] = "F" return x, y, x end');
  lines.push('local a, b, c, n, s = 1, 2, "3", 4, "five"');
  lines.push('local t = {x = 1, y = "s", 5, 6, k = {z = 2}}');
  lines.push('local u = setmetatable({}, {__index = function(_, k) log[#log + 1] = "idx" return k end, __add = function(x, y) return 42 end, __concat = function(x, y) return "cc" end, __lt = function() return true end, __le = function() return false end, __call = function(self, ...) return select("#", ...) end})');
  lines.push('local function up() a = a + 1 return a end');
  const depth = 3;
  const nstat = 3 + r.int(6);
  for (let i = 0; i < nstat; i++) lines.push(genStat(r, depth));
  lines.push('print(table.concat(log, ","))');
  return lines.join('\n') + '\n';
}

function genStat(r: Rng, d: number): string {
  const k = r.int(d <= 0 ? 3 : 14);
  switch (k) {
    case 9:
      return `do local w = 0 while w < ${r.int(4)} do w = w + 1 ${genStat(r, d - 1)} end end`;
    case 10:
      return `print(pcall(function() ${genStat(r, d - 1)} return ${genExpr(r, 2)} end))`;
    case 11:
      return `do local co = coroutine.wrap(function(p) local q = coroutine.yield(${genExpr(r, 2)}) print(p, q) return ${genExpr(r, 1)} end) print(co(${genExpr(r, 1)})) print(pcall(co, ${genExpr(r, 1)})) end`;
    case 12:
      return `do local cl = function() a = ${genExpr(r, 1)} return a end print(cl(), a, ${genExpr(r, 2)}) end`;
    case 13:
      return `print(pcall(string.format, "%s|%d|%5.2f", ${genExpr(r, 1)}, ${genExpr(r, 1)}, ${genExpr(r, 1)}))`;
    case 0:
    case 1:
      return `print(${genExpr(r, 3)})`;
    case 2:
      return `${r.pick(VARS.slice(0, 5))} = ${genExpr(r, 3)}`;
    case 3:
      return `${r.pick(VARS.slice(0, 5))}, ${r.pick(VARS.slice(0, 5))} = ${genExpr(r, 2)}, ${genExpr(r, 2)}`;
    case 4:
      return `t[${genExpr(r, 1)}] = ${genExpr(r, 2)}`;
    case 5:
      return `if ${genExpr(r, 2)} then ${genStat(r, d - 1)} elseif ${genExpr(r, 2)} then ${genStat(r, d - 1)} else ${genStat(r, d - 1)} end`;
    case 6:
      return `for i = ${r.int(3)}, ${r.int(4)} do ${genStat(r, d - 1)} end`;
    case 7:
      return `do local v = ${genExpr(r, 2)} print(v, ${genExpr(r, 2)}) end`;
    default:
      return `for k2, v2 in pairs({${genExpr(r, 1)}, ${genExpr(r, 1)}}) do print(k2, ${genExpr(r, 1)}) end`;
  }
}

function genExpr(r: Rng, d: number): string {
  if (d <= 0 || r.chance(0.25)) {
    const k = r.int(6);
    if (k === 0) return r.pick(NUMS);
    if (k === 1) return r.pick(STRS);
    if (k === 2) return r.pick(['nil', 'true', 'false']);
    return r.pick(VARS);
  }
  switch (r.int(18)) {
    case 14:
      return `u(${genExpr(r, d - 1)})`;
    case 15:
      return `(${r.pick(STRS)}):rep(2):upper()`;
    case 16:
      return `string.sub(${genExpr(r, d - 1)}, ${r.pick(['1', '2', '-1'])})`;
    case 17:
      return `(u .. ${genExpr(r, d - 1)})`;
    case 0:
    case 1:
    case 2:
      return `(${genExpr(r, d - 1)} ${r.pick(BINOPS)} ${genExpr(r, d - 1)})`;
    case 3:
      return `L(${genExpr(r, d - 1)})`;
    case 4:
      return `M(${genExpr(r, d - 1)}, ${genExpr(r, d - 1)})`;
    case 5:
      return `F(${genExpr(r, d - 1)})`;
    case 6:
      return `${r.pick(['not ', '-', '#'])}${genExpr(r, d - 1)}`;
    case 7:
      return `t.${r.pick(['x', 'y', 'k', 'w'])}`;
    case 8:
      return `t[${genExpr(r, d - 1)}]`;
    case 9:
      return `{${genExpr(r, d - 1)}, ${genExpr(r, d - 1)}, f = ${genExpr(r, d - 1)}}`;
    case 10:
      return `(function(p) return p, ${genExpr(r, d - 1)} end)(${genExpr(r, d - 1)})`;
    case 11:
      return 'up()';
    case 12:
      return `select(${r.pick(['1', '2', '-1', '"#"'])}, ${genExpr(r, d - 1)}, ${genExpr(r, d - 1)})`;
    default:
      return `type(${genExpr(r, d - 1)})`;
  }
}
