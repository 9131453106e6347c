-- The string library (manual §5.4)
--- sub
local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(3, 2), s:sub(100), s:sub(-100, 2), s:sub(2, 100))
--- sub with float and large indices
print(("abcdef"):sub(2.7, 4.2), ("abcdef"):sub(-2^40, 2^40), ("abc"):sub(2^31 + 1))
--- byte and char
print(string.byte("ABC"), string.byte("ABC", 2), string.byte("ABC", 1, 3), string.byte("ABC", -1), string.byte("ABC", 10), string.byte(""))
print(string.char(72, 105), string.char(), #string.char(0, 255))
--- char errors
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
--- rep reverse lower upper len
print(string.rep("ab", 3), string.rep("x", 0), string.rep("x", -1), ("abc"):reverse(), ("MiXeD 123"):lower(), ("MiXeD 123"):upper(), ("\0a"):len())
print(("\200\201"):upper() == "\200\201")
--- find plain and pattern
print(string.find("hello", "l"), string.find("hello", "xyz"), string.find("hello", ""), string.find("hello", "", 10), string.find("", ""))
print(string.find("a.b", ".", 1, true), string.find("a.b", "%."), string.find("hello", "l", -2), string.find("hello", "h", -100))
--- find with captures
print(string.find("key = value", "(%w+)%s*=%s*(%w+)"))
print(string.find("abc", "()b()"))
--- match basics
print(string.match("hello 123 world", "%d+"), string.match("hello", "(h)(e)"), string.match("hello", "x"), string.match("  trim  ", "^%s*(.-)%s*$"))
--- match anchors
print(string.match("hello", "^h"), string.match("hello", "^e"), string.match("hello", "o$"), string.match("hello", "l$"), string.match("a$b", "$b"))
--- character classes
local all = ""
for i = 0, 255 do all = all .. string.char(i) end
for _, c in ipairs({"%a", "%c", "%d", "%l", "%p", "%s", "%u", "%w", "%x", "%z", "%A", "%S"}) do
  local n = select(2, all:gsub(c, ""))
  print(c, n)
end
--- sets
print(("hello world"):match("[aeiou]+"), ("x-y"):match("[a-]+"), ("abc]"):match("[]]"), ("a^b"):match("[%^]"), ("test123"):match("[^%d]+"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
--- quantifiers
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-b"), ("aaab"):match("a?"), ("b"):match("a?b"), ("<a><b>"):match("<.->"), ("<a><b>"):match("<.*>"))
--- balanced and frontier
print(("f(a(b)c)d"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+"), ("hello world"):gsub("%f[%w]%w+", string.upper))
print(("[[x]]"):match("%b[]"), ("no parens"):match("%b()"))
--- back references
print(("hello hello"):match("(%w+) %1"), ('say "hi" there'):match('(["\'])(.-)%1'))
--- position captures
print(("hello"):match("()ll()"))
--- gmatch
for w in ("one two  three"):gmatch("%a+") do io_dummy = w; print(w) end
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print(k, v) end
--- gmatch empty matches
local out = {}
for m in ("abc"):gmatch("x*") do out[#out + 1] = "[" .. m .. "]" end
print(table.concat(out))
--- gmatch with anchor is literal in 5.1
local n = 0
for m in ("^a^a"):gmatch("^a") do n = n + 1 end
print(n)
--- gsub string replacement
print(("hello world"):gsub("o", "0"), ("hello"):gsub("", "-"), ("abc"):gsub("%w", "%0%0"), ("hello world"):gsub("(%w+)", "<%1>"))
print(("abc"):gsub("b", "%%"), ("abc"):gsub(".", "%a"))
--- gsub with limit
print(("aaaa"):gsub("a", "b", 2), ("aaaa"):gsub("a", "b", 0), ("aaaa"):gsub("a", "b", -1))
--- gsub with function
print(("hello world"):gsub("%w+", function(w) return w:upper() end))
print(("a b c"):gsub("%w", function(c) if c == "b" then return nil end return c .. c end))
print(("x=1 y=2"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end))
--- gsub with table
local map = {hello = "HI", world = false}
print(("hello world foo"):gsub("%w+", map))
--- gsub anchored
print(("aaa"):gsub("^a", "b"), ("hello"):gsub("^", ">"), ("hello"):gsub("$", "<"))
--- gsub replacement errors
print(pcall(string.gsub, "abc", "(b)", "%2"))
print(pcall(string.gsub, "abc", "b", {b = {}}))
print(pcall(string.gsub, "abc", "b"))
print(pcall(string.gsub, "abc", "b", true))
--- gsub number replacement and position capture
print(("abc"):gsub("b", 5), ("abc"):gsub("()b", "%1"))
--- pattern errors
print(pcall(string.find, "a", "%"))
print(pcall(string.find, "a", "[a"))
print(pcall(string.find, "a", "(a"))
print(pcall(string.find, "a", "a)"))
print(pcall(string.find, "a", "%b"))
print(pcall(string.find, "a", "%f"))
print(pcall(string.match, "a", "%1"))
print(pcall(string.rep))
--- too many captures
print(pcall(string.match, string.rep("a", 40), string.rep("(a)", 33)))
--- pattern with embedded zero
print(("a\0b"):find("\0", 1, true), ("a\0b"):find("%z"), ("a\0b"):match(".%z."))
--- format integers
print(string.format("%d %5d %-5d| %05d %+d % d %.3d %x %X %#x %o %#o %i %u", 42, 42, 42, 42, 42, 42, 42, 255, 255, 255, 8, 8, 7, 7))
print(string.format("%d %d %d", 3.7, -3.7, 2^31), string.format("%x", -1), string.format("%d", "10"))
--- format floats
print(string.format("%f %.2f %10.3f %-10.1f| %e %.3e %E %g %g %g %G", 3.14159, 3.14159, 3.14159, 3.14159, 1234.5, 1234.5, 0.00012, 100000, 1000000, 1e-5, 1e-20))
print(string.format("%.0f %.0f %.0f %.0f %.1f %.1f", 0.5, 1.5, 2.5, 3.5, 0.25, 0.35))
print(string.format("%g %g %g %g %.3g %.10g %#g %#.3x", 0.1, 1/3, 2^53, -0.0, 0.0001234, 2/3, 1.5, 1))
print(string.format("%5.1f|%-8.3e|%+.2f|% .2f|%08.3f", -2.25, 12345.678, 2, 2, -3.14159))
--- format inf and nan
print(string.format("%f %e %g %5.1f %d", 1/0, -1/0, 1/0, -1/0, 1/0))
--- format strings
print(string.format("%s %10s %-10s| %.2s %5.1s", "hi", "hi", "hi", "hello", "abc"))
print(string.format("%s %s %s", 1, 2.5, "x"), string.format("%%"), string.format("a%%b%%"))
--- format %q
print(string.format("%q", 'he said "hi"\n\tand \\ left\0\r'))
print(string.format("%q", 1/3))
--- format %c
print(string.format("%c%c%c", 76, 117, 97), #string.format("%c", 0), string.format("%5c|%-3c|", 65, 66))
--- format long strings
local long = string.rep("x", 120)
print(#string.format("%s", long), #string.format("%5s", long), #string.format("%.3s", long))
--- format errors
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%d"))
print(pcall(string.format, "%y", 1))
print(pcall(string.format, "%100d", 1))
print(pcall(string.format, "%.100f", 1))
print(pcall(string.format, "%------5d", 1))
print(pcall(string.format, "%s"))
print(pcall(string.format, "%", 1))
--- format with embedded zeros
print(#string.format("a\0b%sc", "x"), #string.format("%s", "a\0b"), #string.format("%.5s", "a\0b"))
--- string methods via metatable
local s = "Hello"
print(s:len(), s:upper(), s:lower(), s:sub(2, 3), s:rep(2, nil), ("%d-%d"):format(1, 2), #s)
print(getmetatable("").__index == string, getmetatable("abc") == getmetatable(""))
--- string indexing a non-existent method
print(pcall(function() return ("x"):nosuch() end))
print(("abc").len, ("abc").nosuch)
--- tostring and concat of numbers in string functions
print(string.format("%s", 1e15), string.format("%s", 0.1), ("x"):rep(3, "ignored"))
--- dump is unavailable
print(pcall(string.dump, print))
--- find init beyond
print(string.find("abc", "c", 4), string.find("abc", "", 4), string.find("abc", "", 5))
--- byte negative ranges
print(string.byte("hello", -3, -1), string.byte("hello", 0, 0), string.byte("hello", 3, 2))
--- upper and lower on all bytes
local all = ""
for i = 0, 255 do all = all .. string.char(i) end
local up, low = all:upper(), all:lower()
local diff = 0
for i = 1, 256 do if up:byte(i) ~= i - 1 then diff = diff + 1 end end
print(diff, #up, #low)
--- gsub with pattern special chars in replacement
print(("a.b.c"):gsub("%.", "%%"), ("path/to/file"):gsub("/", "\\"))
--- gfind alias
local r = {}
for w in string.gfind("a b c", "%a") do r[#r+1] = w end
print(table.concat(r, ","))
--- rep with separator argument ignored in 5.1
print(("ab"):rep(3, ","))
--- match with init
print(("hello"):match("l+", 4), ("hello"):match("l+", -1), ("hello"):match(".", 0))
--- format %s with numbers precision
print(string.format("%.3s", 12345), string.format("%5s", 1.5))
--- long pattern repetition
local s = string.rep("ab", 1000)
print(#s:match("(a.)*"), select(2, s:gsub("ab", "")))
