-- struct and bit as Redis 7.2 loads them.
--- struct pack and unpack integers
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(struct.pack("bBhHlLiI", -1, 255, -2, 65535, -3, 4, -5, 6)))
p(hex(struct.pack(">bBhHlLiI", -1, 255, -2, 65535, -3, 4, -5, 6)))
p(struct.unpack("bBhHlLiI", struct.pack("bBhHlLiI", -1, 255, -2, 65535, -3, 4, -5, 6)))
--- struct sizes and custom integer widths
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(struct.pack("i3I5>i2", -2, 2^33 + 1, 258)), struct.unpack("i3I5>i2", struct.pack("i3I5>i2", -2, 2^33 + 1, 258)))
p(struct.size("bhilTfd"), struct.size("!4bi"), struct.size("!8bd"), struct.size("c10x"), struct.size("i7"))
--- struct floats doubles strings
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(struct.pack("fd>f>d", 1.5, -0.1, 1.5, -0.1)))
p(struct.unpack("fd", struct.pack("fd", 0.1, 0.1)))
p(hex(struct.pack("c3c0s", "abcdef", "xy", "z")), struct.unpack("c3c2s", struct.pack("c3c0s", "abcdef", "xy", "z")))
p(struct.unpack("bc0", struct.pack("bc0", 3, "hey")))
--- struct alignment
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
p(hex(struct.pack("!4bi", 1, 2)), hex(struct.pack("!2bhbi", 1, 2, 3, 4)), hex(struct.pack(" < b x b ", 1, 2)))
--- struct unpack positions
p(struct.unpack("b", "\1\2\3", 2), struct.unpack("bb", "\1\2\3", 2))
--- struct errors
p(pcall(struct.pack, "i33", 1))
p(pcall(struct.pack, "!3", 1))
p(pcall(struct.pack, "q", 1))
p(pcall(struct.pack, "c5", "abc"))
p(pcall(struct.pack, "i", "x"))
p(pcall(struct.unpack, "i", "ab"))
p(pcall(struct.unpack, "s", "abc"))
p(pcall(struct.unpack, "c0", "abc"))
p(pcall(struct.unpack, "b", "abc", 10))
p(pcall(struct.size, "s"))
p(pcall(struct.size, "c0"))
p(pcall(struct.pack, "i99999999999", 1))
--- struct big values
p(struct.unpack("L", struct.pack("L", 2^63)), struct.unpack("l", struct.pack("l", -2^63)), struct.unpack("I16", struct.pack("I16", 5)))
--- bit basics
p(bit.tobit(1), bit.tobit(2^32 + 5), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(0xffffffff), bit.tobit(2^52))
p(bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(7, 2), pcall(bit.band))
--- bit shifts
p(bit.lshift(1, 31), bit.lshift(1, 32), bit.rshift(-1, 1), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1), bit.lshift(1, -1))
p(bit.bswap(0x12345678), bit.tohex(255), bit.tohex(255, 2), bit.tohex(-1, -4), bit.tohex(1, 10), bit.tohex(0x1234, 0))
--- bit argument errors
p(pcall(bit.tobit, "x"), pcall(bit.tobit, {}), bit.tobit("10"), bit.tobit("0x10"))
