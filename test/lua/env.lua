-- Environments: getfenv, setfenv, _G (manual §2.9, §5.1)
--- _G and globals
gvar = 10
print(gvar, _G.gvar, _G._G == _G, _VERSION)
--- getfenv of functions and levels
local env = getfenv(1)
print(type(env), getfenv(0) == _G, getfenv(print) == _G, type(getfenv()))
local function f() return getfenv(1) end
print(f() == getfenv(1))
--- setfenv on a function
local function g() return x_in_env end
local newenv = {x_in_env = "from new env"}
setfenv(g, newenv)
print(g(), getfenv(g) == newenv)
--- setfenv with level 1
local function h()
  setfenv(1, {print = print, tag = "inside"})
  print(tag)
end
h()
--- setfenv errors
print(pcall(setfenv, print, {}))
print(pcall(setfenv, 1, 5))
print(pcall(getfenv, -1))
print(pcall(getfenv, 100))
--- closures inherit environment
local function maker() return function() return who end end
setfenv(maker, {who = "maker env"})
print(maker()())
--- loadstring uses global env
local f = loadstring("return chunk_env_check")
chunk_env_check = "global one"
print(f())
setfenv(f, {chunk_env_check = "private"})
print(f())
--- environment with __index fallback
local sandbox = setmetatable({}, {__index = _G})
local f = loadstring("sandboxed = 1 return sandboxed, type(print)")
setfenv(f, sandbox)
print(f())
print(rawget(sandbox, "sandboxed"), rawget(_G, "sandboxed"))
--- getfenv of level 2
local function inner() return getfenv(2) end
local function outer() return inner() end
local e = {inner = inner}
setfenv(outer, e)
print(outer() == e)
--- globals with __newindex protection
local protected = setmetatable({}, {__index = _G, __newindex = function(t, k, v) error("cannot set " .. k, 2) end})
local f = loadstring("newglobal = 1")
setfenv(f, protected)
print(pcall(f))
--- reading undefined global with strict env
local strict = setmetatable({}, {__index = function(t, k) error("undefined " .. k, 2) end})
local f = loadstring("return nothere")
setfenv(f, strict)
print(pcall(f))
--- rawset in _G
rawset(_G, "via_rawset", 1)
print(via_rawset)
--- setfenv returns the function
local function k() end
print(setfenv(k, {}) == k)
