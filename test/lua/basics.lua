-- Lexical elements, values, numbers, arithmetic, operators (Lua 5.1 manual §2.1-2.5)
--- number literals
print(1, 1.5, .5, 5., 3e2, 3E-2, 0x10, 0xff, 0XA, 1e308*10, -1e308*10)
--- number formatting %.14g
print(100, 1e14, 1e15, 123456789012345, 0.1, 1/3, 2/3, 10/2, 3.0, -0.0 + 0, 2^53, 2^63, 1e-5, 1e-4, 123.456e10)
--- integers and floats print
print(1e100, 12345678901234, 123456789012345678, 0.1 + 0.2, 100 * 1.1, 255 / 5, 7 / 2)
--- string literals and escapes
print("a\tb", 'single', "q\"q", 'q\'q', "back\\slash", "\65\066\0677", "nl\
next")
--- long strings
print([[long
string]], [==[with ]] inside]==], [[
first newline skipped]])
--- decimal escapes and bytes
local s = "\0\1\255"
print(#s, s:byte(1, -1))
--- comments
print(1) -- line comment
--[[ block
comment ]] print(2)
--[==[ another
]] still ]==] print(3)
--- arithmetic operators
print(7 + 3, 7 - 3, 7 * 3, 7 / 2, 7 % 3, 2 ^ 10, -7 % 3, 7 % -3, -7 % -3, 5.5 % 2, -(2 ^ 2))
--- modulo of floats and negatives
print(5.3 % 2, -5.3 % 2, 5.3 % -2, 3 % math.huge, -3 % math.huge, 0 % 5)
--- division by zero
print(1/0, -1/0, 1/0 > 1e308, -1/0 < -1e308)
--- precedence
print(2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, -2 ^ 2, not nil == true, 1 .. 2 .. 3, "a" .. "b" == "ab")
--- comparison operators
print(1 < 2, 2 <= 2, 3 > 4, 4 >= 4, 1 == 1.0, "a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" ~= "a")
--- string comparison with bytes
print("\0" < "\1", "a\0b" < "a\0c", "a" < "a\0", "\255" > "a")
--- equality of different types
print(1 == "1", nil == false, {} == {}, "1" + 0 == 1)
--- logical operators
print(nil and 1, false and 1, 0 and 1, "" and 2, nil or "d", false or nil, 1 or error("no"), nil and error("no"))
--- not
print(not nil, not false, not 0, not "", not not nil)
--- concat numbers
print(1 .. "", 1.5 .. "|", 1e100 .. "", -0.0 .. "", 10/2 .. "", 2^63 .. "")
--- string to number coercion in arithmetic
print("10" + 1, "3" * "4", "2" ^ 2, -"2", "0x10" + 0, " 1 " + 1, "1e2" + 0, "10" / "4", "7" % "4")
--- length operator
print(#"", #"abc", #"\0\0", #{}, #{1, 2, 3}, #{n = 1})
--- multiple assignment evaluation order
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local i = 1
local t = {}
i, t[i] = i + 1, 20
print(i, t[1], t[2])
--- assignment with extra values and calls
local function f() return 1, 2, 3 end
local x, y, z, w = f()
print(x, y, z, w)
local p, q = f(), 10
print(p, q)
local r, s2 = (f())
print(r, s2)
--- numeric edge cases
print(math.huge, -math.huge, math.pi, 2^-1074, 2^1023 * 2, 1e-320)
--- nan printing
local nan = 0/0
print(nan ~= nan, nan == nan)
--- large and small exponent formatting
print(1e21, 1e22, 1.5e300, 1e-300, 123e-20, 5e-324)
--- integer-valued float keys
local t = {}
t[1.0] = "a"; t[2] = "b"
print(t[1], t[2.0], #t)
--- semicolons
local a = 1; local b = 2; print(a + b);
--- chained comparisons with and/or
local v = 5
print(v > 3 and "big" or "small", v > 10 and "big" or "small", nil and nil or "x")
--- tostring of values
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(1.25), tostring("s"))
--- type function
print(type(nil), type(1), type("x"), type({}), type(print), type(type), type(coroutine.create(function() end)), type(true))
--- tonumber
print(tonumber("10"), tonumber("10.5"), tonumber("  10  "), tonumber("0x1F"), tonumber("1e1"), tonumber("abc"), tonumber(""), tonumber("1 2"))
print(tonumber(12), tonumber(nil), tonumber(true), tonumber({}))
--- tonumber with bases
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("777", 8), tonumber("z", 36), tonumber("102", 2), tonumber("11", 2), tonumber("-ff", 16))
--- tonumber odd inputs
print(tonumber("0x"), tonumber("1e"), tonumber(".5"), tonumber("5."), tonumber("."), tonumber("-.5"), tonumber("+5"), tonumber("- 5"))
print(tonumber("inf"), tonumber("-inf"), tonumber("infinity"), tonumber("0x1p4"), tonumber("1e500"), tonumber("1e-500"))
--- tonumber base errors
print(pcall(tonumber, "10", 1))
print(pcall(tonumber, "10", 37))
print(pcall(tonumber))
--- string coercion failures
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return {} .. "" end))
--- number to string in string functions
print(string.len(123), string.rep(1, 3), ("x"):rep(2), (12):rep(2))
--- varied float output
for _, v in ipairs({0.5, 0.25, 1/7, 1e13 + 0.5, 99999999999999.9, 0.000001, 1234567.125}) do print(v) end
