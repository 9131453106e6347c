-- cmsgpack as Redis 7.2 loads it (lua-cmsgpack 0.4.0). Bytes are shown as hex.
--- helpers
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 2^32 - 1, 2^32, 2^53)))
--- negative integers
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31 - 1, -2^53)))
--- floats and doubles
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack(0.5, 1.5, 0.1, -2.25, 1/0, -1/0, 1e300, 2^63, 2^64)))
--- strings of every header size
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack("")), hex(cmsgpack.pack("abc")), hex(cmsgpack.pack(string.rep("x", 31))):sub(1, 4), hex(cmsgpack.pack(string.rep("x", 32))):sub(1, 6))
p(hex(cmsgpack.pack(string.rep("x", 255))):sub(1, 6), hex(cmsgpack.pack(string.rep("x", 256))):sub(1, 8), hex(cmsgpack.pack(string.rep("x", 65536))):sub(1, 12))
--- booleans nil and other types
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack(true, false, nil, tostring, cjson.null)))
--- tables as arrays and maps
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(cmsgpack.pack({})), hex(cmsgpack.pack({1, 2, 3})), hex(cmsgpack.pack({a = 1})), hex(cmsgpack.pack({1, 2, nil, 4})), hex(cmsgpack.pack({[2] = 1})))
local t = {}
for i = 1, 20 do t[i] = i end
p(hex(cmsgpack.pack(t)):sub(1, 10))
local m = {}
for _, k in ipairs({"one", "two", "three", "four", "five"}) do m[k] = #k end
p(hex(cmsgpack.pack(m)))
--- deep nesting becomes nil
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local deep = {}
local cur = deep
for i = 1, 20 do cur[1] = {} cur = cur[1] end
p(hex(cmsgpack.pack(deep)))
--- round trips
local packed = cmsgpack.pack({1, "two", {three = 3}, false}, "second", 3.5, -100000)
local a, b, c, d = cmsgpack.unpack(packed)
p(#a, a[2], a[3].three, a[4], b, c, d)
p(select('#', cmsgpack.unpack(cmsgpack.pack(1, 2, 3))))
--- unpack of every encoding
local function bytes(...) local t = {...} local s = "" for i = 1, #t do s = s .. string.char(t[i]) end return s end
p(cmsgpack.unpack(bytes(0xcc, 200, 0xd0, 0xfe, 0xcd, 1, 2, 0xd1, 0xff, 0xfe, 0xce, 1, 2, 3, 4, 0xd2, 0xff, 0xff, 0xff, 0xfe)))
p(cmsgpack.unpack(bytes(0xcf, 0, 0, 0, 1, 0, 0, 0, 0, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)))
p(cmsgpack.unpack(bytes(0xca, 0x3f, 0xc0, 0, 0, 0xcb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0xc0, 0xc2, 0xc3, 0x7f, 0xe0, 0xff)))
p(cmsgpack.unpack(bytes(0xd9, 3, 97, 98, 99, 0xda, 0, 2, 120, 121, 0xa1, 122)))
local arr = cmsgpack.unpack(bytes(0x93, 1, 0xc0, 3))
p(#arr, arr[1], arr[2], arr[3])
local map = cmsgpack.unpack(bytes(0x82, 0xa1, 97, 1, 0xa1, 98, 2))
p(map.a, map.b)
--- unpack errors
local function bytes(...) local t = {...} local s = "" for i = 1, #t do s = s .. string.char(t[i]) end return s end
p(pcall(cmsgpack.unpack, bytes(0xcd, 1)))
p(pcall(cmsgpack.unpack, bytes(0xc1)))
p(pcall(cmsgpack.unpack, bytes(0x92, 1)))
p(pcall(cmsgpack.unpack, bytes(0x81, 0xc0, 1)))
p(pcall(cmsgpack.unpack, ""))
p(pcall(cmsgpack.pack))
p(pcall(cmsgpack.unpack, {}))
--- unpack_one and unpack_limit
local s = cmsgpack.pack(1, 2, 3)
p(cmsgpack.unpack_one(s))
p(cmsgpack.unpack_one(s, 1))
p(cmsgpack.unpack_one(s, 2))
p(cmsgpack.unpack_limit(s, 2))
p(cmsgpack.unpack_limit(s, 5, 1))
p(pcall(cmsgpack.unpack_one, s, 10))
p(pcall(cmsgpack.unpack_limit, s, -1))
--- library fields
p(cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION)
