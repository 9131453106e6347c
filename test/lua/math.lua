-- The math library (manual §5.6)
--- floor ceil abs
print(math.floor(3.7), math.floor(-3.7), math.ceil(3.2), math.ceil(-3.2), math.abs(-5), math.abs(5), math.floor(-0.5), math.ceil(-0.5))
--- fmod and modf
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(5.5, 2), math.mod(7, 3))
print(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(1/0), math.modf(-1/0))
--- min max
print(math.max(1, 5, 3), math.min(4, 2, 8), math.max(-1), math.min(1.5, 1.25), math.max(3, "10"))
print(pcall(math.max))
print(pcall(math.min, 1, "x"))
--- sqrt pow exp log
print(math.sqrt(16), math.sqrt(2), math.pow(2, 10), math.pow(2, 0.5), math.exp(0), math.exp(1), math.log(1), math.log(math.exp(2)), math.log10(1000))
--- trig
print(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1), math.atan2(1, 1), math.atan2(-1, -1))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.deg(math.pi), math.rad(180))
--- frexp ldexp
print(math.frexp(8), math.frexp(0.5), math.frexp(-3), math.frexp(0), math.ldexp(0.5, 4), math.ldexp(1, -1), math.ldexp(3, 0))
--- huge pi
print(math.huge, -math.huge, math.pi, math.huge > 1e308)
--- floor of large values
print(math.floor(2^53 + 0.5), math.floor(-2^40 - 0.5), math.floor(1e100))
--- number conversions in math args
print(math.floor("3.5"), math.abs("-2"), math.max("1", "2"))
--- random is in range
local ok = true
for i = 1, 100 do local r = math.random(1, 10) if r < 1 or r > 10 or r ~= math.floor(r) then ok = false end end
for i = 1, 100 do local r = math.random() if r < 0 or r >= 1 then ok = false end end
for i = 1, 100 do local r = math.random(5) if r < 1 or r > 5 then ok = false end end
print(ok)
--- random errors
print(pcall(math.random, 0))
print(pcall(math.random, 5, 1))
print(pcall(math.random, 1, 2, 3))
--- randomseed repeatability
math.randomseed(42)
local a = {math.random(100), math.random(100), math.random(100)}
math.randomseed(42)
local b = {math.random(100), math.random(100), math.random(100)}
print(a[1] == b[1] and a[2] == b[2] and a[3] == b[3])
--- integer arithmetic precision
print(2^53, 2^53 + 1, 9007199254740993, 123456789 * 987654321, 2^31 * 2^31)
--- float formatting of math results
print(1/3 * 3, 0.1 * 3, 100 / 3, 2^0.5 * 2^0.5, 10 % 3.3)
--- comparisons with infinity and nan
local nan = 0/0
print(math.huge > 0, -math.huge < 0, nan == nan, nan < 1, nan > 1, math.max(nan, 1), math.min(1, nan))
