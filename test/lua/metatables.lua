-- Metatables and metamethods (manual §2.8)
--- __index table and function
local base = {greet = function() return "hi" end, x = 1}
local t = setmetatable({}, {__index = base})
print(t.greet(), t.x, t.y, rawget(t, "x"))
local u = setmetatable({}, {__index = function(tbl, k) return k .. "!" end})
print(u.foo, u[1], u[true] == nil)
--- __index chains
local a = {a = 1}
local b = setmetatable({b = 2}, {__index = a})
local c = setmetatable({c = 3}, {__index = b})
print(c.a, c.b, c.c, c.d)
--- __newindex
local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
t.a = 1; t.b = 2; t.a = 10
print(t.a, t.b, table.concat(log, ","))
local store = {}
local p = setmetatable({}, {__newindex = store})
p.x = 5
print(rawget(p, "x"), store.x)
--- arithmetic metamethods
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__sub = function(a, b) return setmetatable({x = a.x - b.x}, V) end
V.__mul = function(a, b) if type(b) == "number" then return setmetatable({x = a.x * b}, V) end return a.x * b.x end
V.__div = function(a, b) return "div" end
V.__mod = function(a, b) return "mod" end
V.__pow = function(a, b) return "pow" end
V.__unm = function(a) return setmetatable({x = -a.x}, V) end
local v1, v2 = setmetatable({x = 3}, V), setmetatable({x = 4}, V)
print((v1 + v2).x, (v1 - v2).x, (v1 * 2).x, v1 * v2, v1 / v2, v1 % 1, 2 ^ v1, (-v1).x)
--- metamethod on right operand
local M = setmetatable({}, {__add = function(a, b) return "added " .. type(a) .. " " .. type(b) end})
print(1 + M, M + 1, "s" + M)
--- __concat
local C = setmetatable({}, {__concat = function(a, b) return (type(a) == "table" and "C" or a) .. "+" .. (type(b) == "table" and "C" or b) end})
print(C .. "x", "x" .. C, 1 .. C, C .. C)
print("a" .. "b" .. C .. "d" .. "e")
--- __eq
local mt = {__eq = function(a, b) return a.id == b.id end}
local x, y, z = setmetatable({id = 1}, mt), setmetatable({id = 1}, mt), setmetatable({id = 2}, mt)
print(x == y, x == z, x ~= y, x == 1, rawequal(x, y))
local other = setmetatable({id = 1}, {__eq = function() return true end})
print(x == other)
--- __eq same function different metatables
local eqf = function() return true end
local p1, p2 = setmetatable({}, {__eq = eqf}), setmetatable({}, {__eq = eqf})
print(p1 == p2)
--- __lt and __le
local mt = {__lt = function(a, b) return a.v < b.v end, __le = function(a, b) return a.v <= b.v end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a < b, a > b, a <= b, a >= b, b <= a)
--- __le falls back to not __lt
local mt = {__lt = function(a, b) return a.v < b.v end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a <= b, b <= a, a >= b)
--- compare errors with metatables
print(pcall(function() return setmetatable({}, {}) < setmetatable({}, {}) end))
print(pcall(function() return setmetatable({}, {__lt = function() return true end}) < 1 end))
--- __call
local callable = setmetatable({}, {__call = function(self, a, b) return "called", a, b end})
print(callable(1, 2))
print(pcall(setmetatable({}, {__call = 5})))
--- __tostring
local obj = setmetatable({}, {__tostring = function(self) return "OBJ" end})
print(tostring(obj), obj ~= nil)
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
--- __len only for userdata in 5.1
local t = setmetatable({1, 2}, {__len = function() return 99 end})
print(#t)
--- __metatable protection
local t = setmetatable({}, {__metatable = "protected"})
print(getmetatable(t), pcall(setmetatable, t, {}))
--- getmetatable of non-tables
print(getmetatable(1), getmetatable(nil), getmetatable(print), type(getmetatable("")))
--- setmetatable errors
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(select('#', setmetatable({}, nil)))
--- __index loop detection
local t = {}
setmetatable(t, {__index = t})
print(pcall(function() return t.x end))
local t2 = {}
setmetatable(t2, {__newindex = t2})
print(pcall(function() t2.x = 1 end))
--- rawget bypasses __index
local t = setmetatable({}, {__index = function() return "m" end})
print(t.a, rawget(t, "a"))
--- __index on strings
local mt = getmetatable("")
print(("abc"):upper(), mt.__index.upper("x"))
--- inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name) return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks" end
print(Animal.new("cat"):speak(), Dog.new("rex"):speak(), Dog.new("x").new == Dog.new)
--- __newindex not called for existing keys
local calls = 0
local t = setmetatable({a = 1}, {__newindex = function(t, k, v) calls = calls + 1 rawset(t, k, v) end})
t.a = 2; t.b = 3; t.b = 4
print(calls, t.a, t.b)
--- metamethods receive original operands
local mt = {__add = function(a, b) return tostring(rawequal(a, A)) .. tostring(b) end}
A = setmetatable({}, mt)
print(A + 5)
--- arithmetic with strings and metamethods
local S = setmetatable({}, {__add = function(a, b) return "meta" end})
print("10" + 5, pcall(function() return "x" + 5 end))
--- __unm and __len with newproxy
local p = newproxy(true)
getmetatable(p).__len = function() return 42 end
getmetatable(p).__unm = function() return "neg" end
getmetatable(p).__tostring = function() return "proxy" end
print(#p, -p, tostring(p), type(p))
--- newproxy sharing metatables
local p1 = newproxy(true)
local p2 = newproxy(p1)
print(getmetatable(p1) == getmetatable(p2), type(newproxy()), getmetatable(newproxy()))
--- __index function receives key types
local keys = {}
local t = setmetatable({}, {__index = function(t, k) keys[#keys + 1] = type(k) end})
local _ = t[1], t.x, t[true], t[t]
print(table.concat(keys, " "))
--- metatables are shared objects
local mt = {}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
mt.__index = function() return "late" end
print(a.x, b.y)
--- __concat chained with numbers
local T = setmetatable({}, {__concat = function(a, b) return "T" end})
print(1 .. 2 .. T, T .. 1 .. 2)
--- __call with varargs and method syntax
local obj = setmetatable({name = "o"}, {__call = function(self, ...) return self.name, select('#', ...) end})
print(obj(), obj(1, nil, 3))
--- __eq not called for different types or same object
local n = 0
local mt = {__eq = function() n = n + 1 return false end}
local a = setmetatable({}, mt)
print(a == a, a == "x", n)
