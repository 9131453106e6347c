-- Functions, closures, varargs (manual §2.5.8-2.5.9)
--- basic function and multiple returns
local function f(a, b) return a + b, a - b, a * b end
print(f(5, 3))
print((f(5, 3)))
print(f(5, 3), "end")
--- missing and extra arguments
local function g(a, b, c) return a, b, c end
print(g(1), g(1, 2, 3, 4))
--- varargs
local function v(...) return select('#', ...), ... end
print(v(), v(nil), v(1, nil, nil))
--- select
print(select(1, "a", "b", "c"), select(2, "a", "b", "c"), select(-1, "a", "b", "c"), select(-2, "a", "b", "c"))
print(select('#'), select(3, "a", "b"), select(4, "a", "b"))
print(pcall(select, 0, "a"))
print(pcall(select, -5, "a"))
print(pcall(select, "x"))
--- varargs in middle of list are truncated
local function three() return 1, 2, 3 end
print(three(), three())
print({three(), three()}[4])
--- vararg to table and back
local function pack(...) return {n = select('#', ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
--- arg compat table
local function old(...) return arg and arg.n, arg and arg[2] end
print(old(10, 20, 30))
local function new(...) return arg, ... end
print(new(1, 2))
--- closures counter
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2())
--- shared upvalues
local function make()
  local x = 0
  return function() x = x + 1 return x end, function() return x end
end
local inc, get = make()
inc(); inc()
print(get())
--- closures in loops capture fresh variables
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local fs2 = {}
local j = 1
while j <= 3 do local k = j; fs2[j] = function() return k end; j = j + 1 end
print(fs2[1](), fs2[2](), fs2[3]())
--- closures over loop variable modified
local fs = {}
for i = 1, 3 do
  local x = i
  fs[i] = function() x = x + 10; return x end
end
print(fs[1](), fs[1](), fs[2]())
--- nested upvalues
local function outer()
  local a = 1
  return function()
    local b = 2
    return function() a = a + 1; return a + b end
  end
end
local f = outer()()
print(f(), f())
--- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))
--- mutual recursion via upvalues
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(10), odd(7))
--- deep tail calls do not overflow
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
--- tail call through method
local obj = {n = 0}
function obj:count(k) if k == 0 then return self.n end self.n = self.n + 1 return self:count(k - 1) end
print(obj:count(50000))
--- methods and self
local Account = {balance = 0}
function Account.new(b) local o = {balance = b} setmetatable(o, {__index = Account}) return o end
function Account:deposit(v) self.balance = self.balance + v end
local acc = Account.new(100)
acc:deposit(50)
print(acc.balance, Account.balance)
--- function definitions with dotted names
local lib = {sub = {}}
function lib.sub.f(x) return x * 2 end
function lib.sub:g(x) return self == lib.sub, x end
print(lib.sub.f(4), lib.sub:g(5))
--- functions as values
local ops = {add = function(a, b) return a + b end, ["mul"] = function(a, b) return a * b end}
print(ops.add(2, 3), ops["mul"](2, 3))
--- immediately invoked
print((function(x) return x * x end)(7))
--- string call syntax and table call syntax
local function id(x) return x end
print(id"str", type(id{1}), #id{1, 2})
--- passing varargs through
local function pass(...) return ... end
print(pass(1, 2, 3), pass(), (pass(4, 5)))
--- varargs with nil at the end
local function cnt(...) return select('#', ...) end
print(cnt(nil), cnt(nil, nil), cnt(pass(nil, nil)), cnt(pass()))
--- unpack into function arguments
local function sum(...) local s = 0 for i = 1, select('#', ...) do s = s + (select(i, ...)) end return s end
print(sum(unpack({1, 2, 3, 4, 5})), sum())
--- upvalue shadowing
local x = 1
local function f() local x = 2; return function() return x end end
print(f()(), x)
--- local function scope
local function a() return "outer" end
do
  local function a() return "inner" end
  print(a())
end
print(a())
--- recursion depth (non-tail) moderate
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
--- closures capturing parameters
local function adder(n) return function(x) return x + n end end
print(adder(5)(10), adder(-1)(1))
--- self-referencing anonymous via local
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
--- global functions
function globalfn(x) return x .. "!" end
print(globalfn("hi"), type(globalfn))
--- tostring of functions is function
print(tostring(print):match("^function") ~= nil, tostring(function() end):match("^function") ~= nil)
--- vararg in table constructor middle
local function va(...) return {..., "end"} end
local t = va(1, 2, 3)
print(#t, t[1], t[2])
--- adjust to one value in parenthesis
local function mr() return 1, 2 end
local t = {(mr())}
print(#t, (mr()))
--- long argument lists
local function many(...) return select('#', ...) end
print(many(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40))
--- call results in arithmetic
local function two() return 2, 3 end
print(two() + two(), two() * 10, -two(), #{two()})
--- return with parentheses truncates
local function t3() return (three()) end
print(t3())
