-- cjson as Redis 7.2 loads it (lua-cjson 2.1.0). Chunks call p(...) to print.
--- encode scalars
p(cjson.encode(1), cjson.encode(1.5), cjson.encode(-0.1), cjson.encode(1e15), cjson.encode(2^53), cjson.encode(1/3), cjson.encode(100))
p(cjson.encode("a"), cjson.encode(true), cjson.encode(false), cjson.encode(nil), cjson.encode(cjson.null))
--- encode escapes
p(cjson.encode("quote\" back\\ slash/ nl\n tab\t cr\r bs\b ff\f del\127 nul\0 ctl\1\31 hi\200\255"))
--- encode arrays and objects
p(cjson.encode({1, 2, 3}), cjson.encode({}), cjson.encode({{}, {{}}}), cjson.encode({1, "a", true, {x = 1}}))
p(cjson.encode({a = 1}), cjson.encode({[1] = "x", [2] = "y"}), cjson.encode({[1.5] = 1}), cjson.encode({[-1] = 2}))
--- encode object key order follows the table
local t = {}
for _, k in ipairs({"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"}) do t[k] = #k end
p(cjson.encode(t))
local u = {name = "x", age = 5, tags = {"a", "b"}, nested = {deep = {deeper = true}}}
p(cjson.encode(u))
--- sparse arrays
p(cjson.encode({[1] = 1, [3] = 3}), cjson.encode({[10] = 1}), pcall(cjson.encode, {[11] = 1}), pcall(cjson.encode, {[1] = 1, [30] = 2}))
p(cjson.encode({1, nil, 3}), cjson.encode({nil, nil, 3}))
--- encode errors
p(pcall(cjson.encode, tostring))
p(pcall(cjson.encode, {[true] = 1}))
p(pcall(cjson.encode, 0/0))
p(pcall(cjson.encode, 1/0))
p(pcall(cjson.encode))
p(pcall(cjson.encode, 1, 2))
p(pcall(cjson.encode, {a = coroutine.create(function() end)}))
--- encode nesting limit
local deep = {}
local cur = deep
for i = 1, 1100 do cur[1] = {} cur = cur[1] end
p(pcall(cjson.encode, deep))
--- decode scalars
p(cjson.decode("1"), cjson.decode("1.5e3"), cjson.decode("-0"), cjson.decode('"s"'), cjson.decode("true"), cjson.decode("false"), cjson.decode("null") == cjson.null)
p(type(cjson.null), tostring(cjson.null))
--- decode structures
local d = cjson.decode('{"a":[1,2,{"b":null}],"c":"x","d":{}}')
p(d.a[1], d.a[2], d.a[3].b == cjson.null, d.c, type(d.d), next(d.d))
local arr = cjson.decode("[1, 2 , 3\n]")
p(#arr, arr[3])
--- decode strings with escapes
p(cjson.decode('"a\\"b\\\\c\\/d\\ne\\tf\\u0041\\u00e9\\u20ac\\ud83d\\ude00"'))
p(#cjson.decode('"\\u00e9"'), cjson.decode('"\\u0000"') == "\0")
--- decode numbers
p(cjson.decode("0x10"), cjson.decode("1e500"), cjson.decode("-1e-500"), cjson.decode("012"), cjson.decode("+1"), cjson.decode(" NaN ") ~= cjson.decode(" NaN "), cjson.decode("Infinity"), cjson.decode("-inf"))
--- decode errors
p(pcall(cjson.decode, ""))
p(pcall(cjson.decode, "{"))
p(pcall(cjson.decode, "[1,]"))
p(pcall(cjson.decode, '{"a" 1}'))
p(pcall(cjson.decode, '{1:2}'))
p(pcall(cjson.decode, "[1 2]"))
p(pcall(cjson.decode, "tru"))
p(pcall(cjson.decode, '"unterminated'))
p(pcall(cjson.decode, '"bad \\x escape"'))
p(pcall(cjson.decode, '"\\ud800"'))
p(pcall(cjson.decode, '"\\u12"'))
p(pcall(cjson.decode, "[1] x"))
p(pcall(cjson.decode, "-"))
p(pcall(cjson.decode, "@"))
p(pcall(cjson.decode, "\0a"))
p(pcall(cjson.decode, "[1]\0junk"))
p(pcall(cjson.decode))
p(pcall(cjson.decode, "1", "2"))
--- decode nesting limit
p(pcall(cjson.decode, string.rep("[", 1001) .. string.rep("]", 1001)))
p(#cjson.decode(string.rep("[", 999) .. string.rep("]", 999)))
--- round trip
local src = {list = {1, 2.5, "three", false}, map = {k = "v"}, n = -7}
local again = cjson.decode(cjson.encode(src))
p(cjson.encode(again) == cjson.encode(src), again.list[3], again.map.k)
--- configuration
p(cjson.encode_sparse_array(), cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), cjson.encode_keep_buffer(), cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers())
p(cjson.encode_number_precision(3), cjson.encode(1/3), cjson.encode(123456), cjson.encode_number_precision(14))
p(cjson.encode_invalid_numbers(true), cjson.encode(1/0), cjson.encode(-1/0), cjson.encode(0/0), cjson.encode_invalid_numbers("null"), cjson.encode(1/0), cjson.encode_invalid_numbers(false))
p(cjson.encode_sparse_array(true), cjson.encode({[20] = 1}), cjson.encode_sparse_array(false, 2, 10))
p(pcall(cjson.encode_number_precision, 15))
p(pcall(cjson.encode_max_depth, 0))
p(pcall(cjson.encode_invalid_numbers, "maybe"))
p(pcall(cjson.encode_sparse_array, 1, 2, 3, 4))
p(cjson.decode_invalid_numbers(false), pcall(cjson.decode, "0x10"), pcall(cjson.decode, "NaN"), cjson.decode_invalid_numbers(true))
p(cjson.encode_max_depth(2), pcall(cjson.encode, {{{}}}), cjson.encode_max_depth(1000))
p(cjson.decode_max_depth(2), pcall(cjson.decode, "[[[]]]"), cjson.decode_max_depth(1000))
--- cjson.new gives an independent instance
local c2 = cjson.new()
c2.encode_number_precision(2)
p(c2.encode(1/3), cjson.encode(1/3), c2._NAME, c2._VERSION)
