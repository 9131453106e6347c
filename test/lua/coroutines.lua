-- Coroutines (manual §2.11, §5.2)
--- basic resume and yield
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co))
--- generator with wrap
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local out = {}
for v in gen(5) do out[#out + 1] = v end
print(table.concat(out, " "))
--- status values
local main_co
local co
co = coroutine.create(function()
  print(coroutine.status(co), coroutine.running() == co)
  local inner = coroutine.create(function() print("outer status", coroutine.status(co)) end)
  coroutine.resume(inner)
  print(coroutine.status(inner))
end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co), coroutine.running())
--- resume dead and running
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
local self
self = coroutine.create(function() return coroutine.resume(self) end)
print(coroutine.resume(self))
--- errors inside coroutines
local co = coroutine.create(function() local x = nil; return x.y end)
print(coroutine.resume(co))
print(coroutine.status(co))
local co2 = coroutine.create(function() error("custom", 0) end)
print(coroutine.resume(co2))
--- wrap propagates errors with position
local w = coroutine.wrap(function() error("werr") end)
print(pcall(w))
local w2 = coroutine.wrap(function() error({}) end)
local ok, e = pcall(w2)
print(ok, type(e))
local w3 = coroutine.wrap(function() return 1 end)
w3()
print(pcall(w3))
--- yield across pcall is an error in 5.1
local co = coroutine.create(function()
  local ok, e = pcall(coroutine.yield, 1)
  print("pcall result", ok, e)
  return "end"
end)
print(coroutine.resume(co))
--- yield from main
print(pcall(coroutine.yield, 1))
--- yield inside metamethod is an error
local co = coroutine.create(function()
  local t = setmetatable({}, {__index = function() return coroutine.yield("from meta") end})
  return t.x
end)
print(coroutine.resume(co))
--- yield inside sort comparator
local co = coroutine.create(function()
  table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))
--- coroutine argument checks
print(pcall(coroutine.create, 1))
print(pcall(coroutine.create, print))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.status, nil))
print(pcall(coroutine.wrap, nil))
--- passing values in and out
local co = coroutine.wrap(function(...)
  local args = {...}
  while true do
    args = {coroutine.yield(#args, unpack(args))}
  end
end)
print(co(1, 2, 3))
print(co())
print(co(nil, nil))
--- producer consumer
local function producer()
  return coroutine.create(function()
    for _, v in ipairs({"a", "b", "c"}) do coroutine.yield(v) end
    return nil
  end)
end
local p = producer()
local out = {}
while true do
  local ok, v = coroutine.resume(p)
  if not v then break end
  out[#out + 1] = v
end
print(table.concat(out), coroutine.status(p))
--- nested coroutines
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function()
    coroutine.yield("inner1")
    coroutine.yield("inner2")
  end)
  coroutine.yield(inner())
  coroutine.yield("outer")
  coroutine.yield(inner())
end)
print(outer(), outer(), outer())
--- tail calls and yields
local co = coroutine.wrap(function()
  local function step(n)
    if n == 0 then return "bottom" end
    coroutine.yield(n)
    return step(n - 1)
  end
  return step(3)
end)
print(co(), co(), co(), co())
--- yield in for iterator
local function chars(s)
  return coroutine.wrap(function() for c in s:gmatch(".") do coroutine.yield(c) end end)
end
local r = {}
for c in chars("xyz") do r[#r + 1] = c:upper() end
print(table.concat(r))
--- coroutine.running inside
local co = coroutine.create(function() return coroutine.running() end)
local ok, r = coroutine.resume(co)
print(ok, r == co, type(r))
--- yield returns resume args count
local co = coroutine.create(function() return select('#', coroutine.yield()) end)
coroutine.resume(co)
print(coroutine.resume(co, nil, nil, nil))
--- resume passes no values
local co = coroutine.create(function(...) return select('#', ...) end)
print(coroutine.resume(co))
--- error after yield
local co = coroutine.create(function() coroutine.yield(1) error("later") end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
--- many coroutines
local cos = {}
for i = 1, 100 do cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end) end
local s = 0
for i = 1, 100 do local _, v = coroutine.resume(cos[i], i) s = s + v end
for i = 1, 100 do local _, v = coroutine.resume(cos[i], 1) s = s + v end
print(s)
--- deep recursion inside coroutine
local co = coroutine.create(function()
  local function d(n) if n == 0 then coroutine.yield("deep") return 0 end return 1 + d(n - 1) end
  return d(3000)
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
--- wrap on dead coroutine
local w = coroutine.wrap(function() end)
w()
print(pcall(w))
--- pcall inside coroutine catching errors
local co = coroutine.create(function()
  local ok, e = pcall(error, "caught")
  coroutine.yield(ok, e)
  return "after"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
