-- Expression evaluation order and control flow with calls in every position
-- (the compiler keeps values live across calls; these check it does so as Lua does)
--- locals read after a call in arithmetic, copied in calls and concatenation
local a = 1
local function bump() a = a + 10 return 0 end
print(a + bump())
print(bump() + a)
local t = {a, bump()}
print(t[1], t[2], a)
print(a .. bump(), a)
print(select('#', a, bump()), a)
--- upvalue and global operands around calls
g_val = 5
local function setg() g_val = 100 return 1 end
print(g_val + setg(), g_val)
local u = 3
local function f() local function inner() u = u * 2 return u end return u + inner() end
print(f())
--- calls in and/or values
local function T(x) return x end
print(T(nil) or T("b"), T(1) and T(2), T(false) and T(3), T(nil) or T(false) or T("c"))
print((T(1) and T(nil)) or T("d"), T(false) or (T(nil) and T(1)))
local x = T(0) and (T(nil) or T(5)) or T(6)
print(x)
--- calls in conditions
local n = 0
local function inc() n = n + 1 return n end
if inc() > 5 or inc() == 2 then print("first", n) end
if not inc() then print("never") elseif inc() and T(false) then print("never2") else print("else", n) end
while inc() < 10 and T(true) do end
print(n)
--- comparison of call results
local function v(k) return k end
print(v(1) < v(2), v(2) <= v(1), v("a") == v("a"), v(3) ~= v(3), v(4) > v(3), v(5) >= v(6))
--- multiple assignment with calls and index targets
local t = {}
local i = 1
local function nexti() i = i + 1 return i end
t[i], t[nexti()], i = nexti(), nexti(), 100
print(t[1], t[2], t[3], t[4], i)
--- assignment evaluation with table swaps
local t = {1, 2, 3}
t[1], t[3] = t[3], t[1]
print(t[1], t[2], t[3])
local a, b, c = (function() return 1, 2, 3 end)()
a, b, c = c, a, b
print(a, b, c)
--- multiple results adjusted in the middle
local function mr() return 1, 2, 3 end
local a, b, c, d = mr(), mr()
print(a, b, c, d)
local t = {mr(), mr(), x = mr()}
print(#t, t.x)
--- constructors with calls everywhere
local k = 0
local function key() k = k + 1 return "k" .. k end
local function val() k = k + 1 return k end
local t = {[key()] = val(), val(), [key()] = val(), val(), val()}
local out = {}
for kk, vv in pairs(t) do out[#out + 1] = tostring(kk) .. "=" .. tostring(vv) end
print(table.concat(out, " "))
--- constructor with more than 50 positional items and calls
local function id(x) return x end
local t = {id(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, id(51), 52, id(53), x = id(54), id(55), mr()}
print(#t, t[51], t[53], t.x, t[54], t[55], t[57])
--- constructor with nil values and constant keys
local function nothing() end
local t = {a = 1, b = nothing(), c = 3, d = nil, e = 5}
local out = {}
for kk, vv in pairs(t) do out[#out + 1] = kk .. "=" .. tostring(vv) end
print(table.concat(out, " "))
local t2 = {a = nothing(), b = nothing(), c = nothing()}
print(next(t2))
t2.d = 1
print(next(t2))
--- many constant keys in constructors
local t = {alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5, zeta = 6, eta = 7, theta = 8, iota = 9, kappa = 10, lambda = 11, mu = 12}
local out = {}
for kk, vv in pairs(t) do out[#out + 1] = kk end
print(table.concat(out, " "))
--- method calls on call results
local obj = {v = 7}
function obj:get() return self.v end
function obj:me() return self end
local function o() return obj end
print(o():get(), o():me():me():get(), ("ab"):rep(2):upper():lower():len())
--- nested calls as arguments
local function add(a, b) return (a or 0) + (b or 0) end
print(add(add(1, 2), add(add(3, 4), add(5))), add(add(), add(add())))
--- varargs forwarding with calls
local function pass(...) return ... end
local function count(...) return select('#', ...) end
local function fwd(...) return count(..., pass(1, 2)), count(pass(1, 2), ...) end
print(fwd(nil, nil, nil))
--- unary operators on calls
local function five() return 5, 6 end
local function str() return "abc", "d" end
print(-five(), #str(), not five(), -(-five()))
--- concatenation with calls in the middle
local function w(s) return s, "extra" end
print("a" .. w("b") .. "c" .. w("d"), w("x") .. w("y"))
--- calls inside loops with breaks and continues-by-flag
local out = {}
for i = 1, 10 do
  if id(i) % 2 == 0 then
    if id(i) > 6 then break end
    out[#out + 1] = id(i)
  end
end
print(table.concat(out, ","))
--- repeat until with calls referencing body locals
local i = 0
repeat
  local j = id(i) + 1
  i = j
until id(j) >= 4
print(i)
--- numeric for with calls in bounds and body
local s = 0
for i = id(1), id(4), id(1) do s = s + id(i) end
print(s)
--- generic for over Lua closure iterator with calls
local function iter(t)
  local i = 0
  return function() i = i + 1 if t[i] then return i, id(t[i]) end end
end
local out = {}
for k, v in iter({"a", "b"}) do out[#out + 1] = k .. v end
print(table.concat(out))
--- generic for over stateless iterators with extra values
local function st(s, c) if c < s then return c + 1, c * 2 end end
for a, b, c in st, 3, 0 do print(a, b, c) end
--- closures in loops capturing per-iteration locals with calls
local fs = {}
for i = 1, 3 do
  local j = id(i) * 10
  fs[#fs + 1] = function() return i + j + id(0) end
end
print(fs[1](), fs[2](), fs[3]())
local ws = {}
local k = 0
while k < 3 do
  k = k + 1
  local kk = k
  ws[k] = function() kk = kk + 100 return kk end
end
print(ws[1](), ws[1](), ws[2]())
--- deep expression with calls at every level
local function one() return 1 end
print(((one() + one()) * (one() + (one() * (one() + one())))) - (one() / (one() + one())) ^ one())
--- and/or with calls inside constructors and arguments
local t = {id(nil) or "x", id(1) and id(nil) or "y", [id("k")] = id(nil) or "z"}
print(t[1], t[2], t.k)
print(id(id(nil) or id(2)), (id(false) or id(nil)))
--- returns with calls in different positions
local function r1() return id(1), id(2) end
local function r2() return (id(1)), id(2), id(3) end
local function r3() return id(1), r1() end
local function r4() return r1(), id(3) end
print(r1()) print(r2()) print(r3()) print(r4())
--- locals shadowed across calls
local v = "outer"
local function shadow()
  local v = id("inner")
  do local v = id(v .. "!") print(v) end
  return v
end
print(shadow(), v)
--- string method chains with calls in arguments
print(("hello"):sub(id(2), id(4)):upper(), string.format("%s-%s", id("a"), ("b"):rep(id(3))))
--- many locals and calls (spilling many slots)
local function many()
  local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  local b = id(a1) + id(a2) + id(a3) + id(a4) + id(a5) + id(a6) + id(a7) + id(a8) + id(a9) + id(a10)
  local c = a1 * id(a10) + a2 * id(a9)
  return b, c, a1 + a10
end
print(many())
--- recursion with pcall in the middle
local function rec(n)
  if n == 0 then error("bottom") end
  local ok, e = pcall(rec, n - 1)
  return n .. ":" .. tostring(e)
end
print(rec(3))
--- coroutines inside expressions
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print(gen() + gen() * gen())
--- long if-elseif chains with calls
local function classify(x)
  if id(x) < 0 then return "neg"
  elseif id(x) == 0 then return "zero"
  elseif id(x) < 10 and id(true) then return "small"
  elseif id(x) < 100 or id(false) then return "medium"
  else return "large" end
end
print(classify(-1), classify(0), classify(5), classify(50), classify(500))
--- while with break in nested if with calls
local i = 0
while true do
  i = id(i) + 1
  if id(i) > 3 then
    if id(true) then break end
  end
end
print(i)
--- method definitions and calls with varargs
local M = {}
function M:sum(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s, self == M end
print(M:sum(1, 2, 3), M.sum(M, id(4), id(5)))
--- assignments to fields of call results
local holder = {inner = {}}
local function get() return holder end
get().inner.x = id(5)
get()["inner"][id("y")] = 6
print(holder.inner.x, holder.inner.y)
--- global function definitions and calls through _G
function gfun(a) return a * 2 end
print(gfun(id(21)), _G.gfun and "in _G" or "not in _G", getfenv(1).gfun(2))
--- tail calls to host functions and with varargs
local function tailhost(...) return select('#', ...) end
local function tail2(...) return tailhost(...) end
print(tail2(), tail2(nil), tail2(1, 2, 3))
local function tailstr(s) return s:upper() end
print(tailstr("up"))
--- constant left operands of and/or
local function two() return 1, 2 end
print(1 and two())
print(nil or two())
print(false and two(), true and two())
local t = {}
print(pcall(function() return (1 and t) + 1 end))
print(pcall(function() return (nil or t.x) + 1 end))
print(pcall(function() return (false or t) .. "x" end))
print(pcall(function() local v = nil return -(true and v) end))
