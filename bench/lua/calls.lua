local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
bench("1e6 method calls+alloc", function()
  local p = Point.new(0, 0)
  local d = Point.new(1, 2)
  for i = 1, 1000000 do p = p:add(d) end
  return p.x + p.y
end)
bench("fib(27)", function()
  local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
  return fib(27)
end)
bench("3e6 local calls", function()
  local function f(a, b, c) return a + b + c end
  local s = 0
  for i = 1, 3000000 do s = s + f(i, 1, 2) end
  return s
end)
bench("2e6 library calls", function()
  local mx = 0
  for i = 1, 1000000 do mx = math.max(mx, i % 1000) + math.floor(i / 7) % 2 end
  return mx
end)
bench("2e6 closure calls", function()
  local function counter() local n = 0 return function() n = n + 1 return n end end
  local c = counter()
  for i = 1, 2000000 do c() end
  return c()
end)
