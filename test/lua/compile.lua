-- Compile errors (syntax error messages), checked through loadstring
--- syntax errors
local function c(s, name) local f, e = loadstring(s, name or "=src") print(f ~= nil, e) end
c("x = = 1")
c("x = 1 +")
c("local 1 = 2")
c("if x then")
c("if x then else")
c("for i = 1 do end")
c("for i in do end")
c("for i do end")
c("function f( end")
c("function f(a,) end")
c("return return")
c("x = }")
c("x = {1, 2")
c("f(")
c("a.b:c = 1")
c("x")
c("x.y")
c("1 = 2")
c("(x) = 1")
c("x, y() = 1, 2")
c("local function = 1")
c("break")
c("return 1; x = 2")
c("do break end")
c("while true do end end")
c("x = 'unfinished")
c("x = \"unfinished\nnext\"")
c("x = [[unfinished")
c("--[[ unfinished comment")
c("x = [==[ mismatch ]=]")
c("x = 3..2")
c("x = 0xg")
c("x = 1e")
c("x = '\\300'")
c("x = @")
c("x = ~1")
c("x = !1")
c("local t = {[1] 2}")
c("f() g()")
c("x = ...")
c("function f() return ... end")
c("local x <const> = 1")
c("goto label")
c("x = a[[b]]")
c("x = [=[ a ]]=]")
c("x = [[ nested [[ ]]")
c("x = 1 y = 2")
c("x = (1")
c("x = f(1,")
c("local a.b = 1")
c("if x then elseif end")
c("repeat x = 1")
c("for a, b, c = 1, 2 do end")
c("function a:b:c() end")
c("x = 1 --[==[ ok ]==] + 1")
--- chunk names
local function c(s, name) local f, e = loadstring(s, name) print(e) end
c("x = = 1", "=custom")
c("x = = 1", "@file.lua")
c("x = = 1", "plain source name")
c("x = = 1")
c("\nx = = 1")
c("x = = 1", "a very long chunk name that goes on and on and on beyond the sixty byte limit of lua")
c("x = = 1", "@a/very/long/path/name/that/goes/on/and/on/and/on/beyond/the/limit/file.lua")
c("x = = 1", "first line\nsecond line")
--- ambiguous syntax
local f, e = loadstring("local f = print\nf\n(1)")
print(f, e)
--- line numbers in errors
local f, e = loadstring("local a = 1\nlocal b = 2\n\nlocal c = = 3", "=lines")
print(e)
local f, e = loadstring("x = [[\nmulti\nline\n]] + ", "=lines")
print(e)
--- valid odd syntax
local f = loadstring("return (1)")
print(f())
print(loadstring("local a = {f = function() return 1 end}; return a.f()")())
print(loadstring("return 1;")())
print(loadstring(";;; return 2")) 
print(loadstring("return")())
print(loadstring("return 1, 2, 3")())
print(loadstring("local t = {} t.x = 1 return t.x")())
print(loadstring("return #{...}", "=v")(1, 2, 3))
print(loadstring("return select('#', ...)")(nil, nil))
--- too many local variables
local src = "local a0"
for i = 1, 200 do src = src .. ", a" .. i end
local f, e = loadstring(src, "=locals")
print(f, e)
--- too many upvalues
local src = ""
for i = 1, 61 do src = src .. "local u" .. i .. " = " .. i .. "\n" end
src = src .. "return function() return u1"
for i = 2, 61 do src = src .. " + u" .. i end
src = src .. " end"
local f, e = loadstring(src, "=upvals")
print(f, e)
--- deep nesting
local src = "return " .. string.rep("(", 150) .. "1" .. string.rep(")", 150)
local f, e = loadstring(src, "=deep")
print(f and f(), e)
local src = "return " .. string.rep("(", 300) .. "1" .. string.rep(")", 300)
local f, e = loadstring(src, "=deep")
print(f, e)
--- load with reader function
local parts = {"return ", "1 + ", "2"}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
print(f())
print(load(function() return nil end))
print(load(function() return {} end))
local f, e = load(function() return nil end, "=named")
print(type(f), e)
local n = 0
print(load(function() n = n + 1 if n == 1 then return "x = = 1" end end, "=reader"))
--- loadstring returns function with globals env
local f = loadstring("y_from_chunk = 5 return y_from_chunk")
print(f(), y_from_chunk)
--- keywords as field names need brackets
print(loadstring("t = {} t.end = 1"))
print(loadstring("t = {} t['end'] = 1 return t['end']")())
