-- Control structures and scoping (manual §2.4)
--- if elseif else
for _, v in ipairs({-5, 0, 5, 50}) do
  if v < 0 then print("neg") elseif v == 0 then print("zero") elseif v < 10 then print("small") else print("big") end
end
--- while loop
local i, s = 1, 0
while i <= 10 do s = s + i; i = i + 1 end
print(i, s)
--- repeat until sees body locals
local n = 0
repeat local done = n >= 3; n = n + 1 until done
print(n)
--- numeric for basic and steps
local out = {}
for i = 1, 5 do out[#out + 1] = i end
for i = 10, 1, -3 do out[#out + 1] = i end
for i = 1, 0 do out[#out + 1] = "never" end
for i = 1, 1 do out[#out + 1] = "once" end
print(table.concat(out, " "))
--- numeric for with float step
local out = {}
for x = 0, 1, 0.25 do out[#out + 1] = x end
for x = 1, 0, -0.3 do out[#out + 1] = x end
print(table.concat(out, " "))
--- float accumulation in for
local c = 0
for x = 0, 1, 0.1 do c = c + 1 end
print(c)
--- for loop variable is a copy
local out = {}
for i = 1, 3 do out[#out + 1] = i; i = i * 10 end
print(table.concat(out, " "))
--- for with string bounds
local out = {}
for i = "1", "3" do out[#out + 1] = i end
print(table.concat(out, " "))
--- for evaluates bounds once
local calls = 0
local function lim() calls = calls + 1 return 3 end
for i = 1, lim() do end
print(calls)
--- for errors
print(pcall(function() for i = "x", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
print(pcall(function() for i = nil, 2 do end end))
--- for with huge bounds and zero step
local c = 0
for i = 1, 3, 0 do c = c + 1 if c > 5 then break end end
print(c)
local c = 0
for i = math.huge, 1 do c = c + 1 end
for i = 1, math.huge do c = c + 1 if c > 3 then break end end
print(c)
--- generic for with custom iterator
local function range(n)
  local i = 0
  return function() i = i + 1 if i <= n then return i end end
end
local s = 0
for v in range(5) do s = s + v end
print(s)
--- generic for with state and control
local function iter(t, i) i = i + 1 local v = t[i] if v then return i, v end end
for i, v in iter, {"a", "b", "c"}, 0 do print(i, v) end
--- generic for extra values
for a, b, c in pairs({x = 1}) do print(a, b, c) end
--- generic for with non-function
print(pcall(function() for x in 5 do end end))
print(pcall(function() for x in nil do end end))
--- break in loops
local out = {}
for i = 1, 10 do if i > 3 then break end out[#out + 1] = i end
local j = 0
while true do j = j + 1 if j >= 5 then break end end
repeat break until false
print(table.concat(out, " "), j)
--- nested loops with break
local out = {}
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    out[#out + 1] = i .. j
  end
end
print(table.concat(out, " "))
--- do blocks and shadowing
local x = 1
do local x = 2; print(x) end
print(x)
do local x = x + 10; print(x) end
--- local declared after use refers to global
y_global = "global"
local function show() return y_global end
local y_global = "local"
print(show(), y_global)
--- local with same name twice
local a = 1
local a = a + 1
print(a)
--- goto-like loops with flags
local found
for i = 1, 10 do
  for j = 1, 10 do
    if i * j == 42 then found = i .. "x" .. j break end
  end
  if found then break end
end
print(found)
--- while with complex condition
local t = {1, 2, 3, nil, 5}
local i = 1
while t[i] and t[i] < 10 do i = i + 1 end
print(i)
--- if with function call conditions
local function yes() return true end
local function no() return nil end
if no() then print("a") elseif yes() and no() then print("b") elseif yes() or no() then print("c") end
--- nested functions in loops
local acc = {}
for i = 1, 3 do
  local function add(x) return x + i end
  acc[i] = add(i * 10)
end
print(acc[1], acc[2], acc[3])
--- return in the middle of a block
local function early(x)
  if x then return "early" end
  do return "late" end
end
print(early(true), early(false))
--- break as last statement in repeat
local n = 0
repeat n = n + 1; if n == 3 then break end until false
print(n)
--- numeric for with large counts
local s = 0
for i = 1, 100000 do s = s + i % 7 end
print(s)
--- loop over string bytes
local s = "hello"
local sum = 0
for i = 1, #s do sum = sum + s:byte(i) end
print(sum)
--- conditions with nil and false
local vals = {nil, false, 0, "", {}}
for i = 1, 5 do if vals[i] then io_x = 1; print(i, "truthy") else print(i, "falsy") end end
--- while with call in condition and body
local q = {3, 2, 1}
local out = {}
while #q > 0 do out[#out + 1] = table.remove(q) end
print(table.concat(out, ","))
--- and or as expressions
local function tern(c, a, b) return c and a or b end
print(tern(true, 1, 2), tern(false, 1, 2), tern(true, false, 2), tern(nil, nil, nil))
--- short circuit evaluation
local log = {}
local function t(v) log[#log + 1] = tostring(v) return v end
local r = t(false) and t(1) or t(2) and t(nil) or t(3)
print(r, table.concat(log, " "))
