-- Errors: messages, positions, levels, pcall/xpcall, error objects (manual §2.7, §5.1)
--- arithmetic on nil local
local x
print(pcall(function() return x + 1 end))
local function f() local y; return y * 2 end
print(pcall(f))
--- arithmetic on fields and globals
local t = {}
print(pcall(function() return t.a + 1 end))
print(pcall(function() return 1 + t.b end))
print(pcall(function() return undefinedglobal - 1 end))
print(pcall(function() return t[1] / 2 end))
print(pcall(function() local k = "z" return t[k] % 2 end))
--- arithmetic on strings and booleans
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return true + 1 end))
print(pcall(function() local b = false return b + 1 end))
print(pcall(function() return {} * 2 end))
--- unary minus and length errors
print(pcall(function() local t = {} return -t end))
print(pcall(function() local n return #n end))
print(pcall(function() return #5 end))
--- call errors
print(pcall(function() undefinedfn() end))
print(pcall(function() local t = {} t.method() end))
print(pcall(function() local t = {} t:method() end))
print(pcall(function() local v = 5 v() end))
print(pcall(function() ("str")() end))
print(pcall(function() local t = {x = {}} t.x.y.z() end))
--- index errors
print(pcall(function() local n = nil return n.field end))
print(pcall(function() return nilglobal.field end))
print(pcall(function() local t = {} return t.a.b end))
print(pcall(function() local s = 5 return s.x end))
print(pcall(function() local t = {} t.a.b = 1 end))
print(pcall(function() local b = true b.x = 1 end))
--- upvalue errors
local up
print(pcall(function() return up.x end))
print(pcall(function() return up + 1 end))
print(pcall(function() up() end))
--- concatenation errors
print(pcall(function() return "a" .. {} end))
print(pcall(function() local t = {} return "a" .. t end))
print(pcall(function() local t = {} return t .. "a" .. "b" end))
print(pcall(function() local t = {} return "a" .. "b" .. t.x end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() local b = true return b .. "x" end))
--- comparison errors
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} < {} end))
print(pcall(function() return nil > 1 end))
print(pcall(function() return "a" >= 1 end))
print(pcall(function() return print < print end))
print(pcall(function() return true < false end))
--- error function with strings
print(pcall(error, "msg"))
print(pcall(function() error("msg") end))
print(pcall(function() error("msg", 0) end))
print(pcall(function() error("msg", 2) end))
print(pcall(function() error() end))
print(pcall(function() error(nil) end))
--- error levels through calls
local function lvl1() error("at level 1", 1) end
local function lvl2() error("at level 2", 2) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(caller))
print(pcall(function() caller() end))
--- error with non-string values
print(pcall(error, 42))
print(pcall(function() error(42) end))
print(pcall(function() error(42, 0) end))
print(pcall(function() error(true) end))
local ok, e = pcall(function() error({code = 7}) end)
print(ok, type(e), e.code)
--- error with table keeps identity
local obj = {}
local ok, e = pcall(error, obj)
print(ok, e == obj)
--- nested pcall
print(pcall(pcall, error, "x"))
print(pcall(function() local ok, e = pcall(error, "inner") error("outer " .. e, 0) end))
--- pcall returns all results
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(select('#', pcall(function() end)))
--- pcall errors
print(pcall(pcall))
print(pcall(nil))
print(pcall({}))
--- xpcall
print(xpcall(function() error("boom") end, function(m) return "handled: " .. m end))
print(xpcall(function() return "fine", 2 end, print))
print(xpcall(function() error({}) end, function(m) return type(m) end))
print(xpcall(function() error("a") end, function(m) error("b") end))
print(pcall(xpcall, print))
--- xpcall handler sees error position
print(xpcall(function() local x = nil; return x.y end, function(m) return "H:" .. m end))
--- assert
print(pcall(assert, true, "unused"), pcall(assert, 1, 2, 3))
print(pcall(assert, false))
print(pcall(assert, nil, "custom message"))
print(pcall(assert, false, 42))
print(pcall(assert))
--- runtime error positions on multiple lines
local function multi()
  local a = 1
  local b = nil
  return a +
    b
end
print(pcall(multi))
--- error in nested function reports its line
local function inner()
  local t = nil
  return t[1]
end
local function outer() return inner() end
print(pcall(outer))
--- bad arguments to library functions
print(pcall(string.rep))
print(pcall(function() string.rep() end))
print(pcall(function() return ("x"):rep() end))
print(pcall(function() local s = string; s.rep() end))
print(pcall(function() local r = string.rep; r() end))
print(pcall(function() return math.floor("a") end))
print(pcall(function() return math.floor() end))
print(pcall(function() return ipairs() end))
print(pcall(function() return setmetatable({}, 5) end))
print(pcall(function() return ("x"):sub() end))
print(pcall(function() return string.sub() end))
print(pcall(function() return tostring() end))
print(pcall(function() return type() end))
--- bad self
print(pcall(function() return string.upper() end))
print(pcall(function() local s = {} return s:upper() end))
print(pcall(function() return ("x").upper({}) end))
--- error message with format-like chars
print(pcall(error, "100% sure %d %s"))
--- errors in metamethods
local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(pcall(function() return t.foo end))
local t2 = setmetatable({}, {__index = function(t, k) error("lvl2 " .. k, 2) end})
print(pcall(function() return t2.bar end))
local t3 = setmetatable({}, {__add = function() error("add failed") end})
print(pcall(function() return t3 + 1 end))
--- library function as metamethod errors name '?'
local t = setmetatable({}, {__index = string.rep})
print(pcall(function() return t.x end))
--- stack overflow
local function rec() return 1 + rec() end
local ok, e = pcall(rec)
print(ok, e)
--- C stack overflow with pcall recursion
local function prec() local ok, e = pcall(prec) if not ok then error(e, 0) end end
print(pcall(prec))
--- error in __tostring during print
print(pcall(tostring, setmetatable({}, {__tostring = function() error("ts") end})))
--- error objects through coroutines
local co = coroutine.create(function() error({msg = "in co"}) end)
local ok, e = coroutine.resume(co)
print(ok, type(e), e.msg)
--- tostring of error values
print(pcall(error, setmetatable({}, {__tostring = function() return "custom" end})))
local ok, e = pcall(error, setmetatable({}, {__tostring = function() return "custom" end}))
print(tostring(e))
--- error in for loop iterator
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for i, v in ipairs() do end end))
--- error with level pointing to a C function
print(pcall(function() pcall(error, "x", 2) return "after" end))
--- wrong types in table functions
print(pcall(table.concat, "x"))
print(pcall(table.insert, 1, 2))
print(pcall(table.remove, nil))
print(pcall(table.sort, "x"))
print(pcall(next, nil))
print(pcall(unpack, nil))
print(pcall(rawget, 1, 2))
print(pcall(rawset, {}))
--- integer conversion errors
print(pcall(string.char, "a"))
print(pcall(string.rep, "x", "y"))
print(pcall(string.byte, "x", {}))
print(pcall(select, {}, 1))
