-- Tables: constructors, length, traversal order, the table library (manual §2.5.7, §5.5)
--- constructors
local t = {1, 2, 3, x = "x", ["y"] = "y", [10] = 10; 4}
print(t[1], t[2], t[3], t[4], t.x, t.y, t[10], #t)
--- constructor with trailing separators
local a = {1, 2, 3,}
local b = {1; 2; 3;}
print(#a, #b)
--- constructor with call expansion
local function f() return 1, 2, 3 end
print(#{f()}, #{f(), f()}, #{(f())}, #{f(), 10})
--- constructor with varargs
local function g(...) return {...}, select('#', ...) end
local t, n = g(1, nil, 3)
print(n, t[1], t[2], t[3])
--- positional overrides bracketed index
local t = {[1] = "a", "b"}
print(t[1])
--- length with holes
print(#{1, 2, nil, 4}, #{nil, nil, 3}, #{1, nil}, #{nil})
local t = {1, 2, 3}
t[2] = nil
print(#t)
t[3] = nil
print(#t)
--- length after appends and removes
local t = {}
for i = 1, 20 do t[#t + 1] = i end
print(#t)
t[#t] = nil
print(#t)
t[10] = nil
print(#t)
--- length with hash part integers
local t = {}
t[1] = 1; t[2] = 2; t[4] = 4
print(#t)
local t2 = {}
t2[4] = 4; t2[3] = 3; t2[2] = 2; t2[1] = 1
print(#t2)
--- pairs order string keys
local t = {}
for _, k in ipairs({"apple", "banana", "cherry", "date", "elderberry", "fig", "grape"}) do t[k] = #k end
local out = {}
for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
print(table.concat(out, " "))
--- pairs order mixed keys
local t = {10, 20, 30, x = 1, y = 2, [100] = 3, [1.5] = 4, [true] = 5, [false] = 6, [-1] = 7, [0] = 8}
local out = {}
for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
print(table.concat(out, " "))
--- pairs order after deletions and reinsertions
local t = {}
for i = 1, 12 do t["k" .. i] = i end
t.k3 = nil; t.k7 = nil
t.new1 = 1; t.k3 = 33
local out = {}
for k, v in pairs(t) do out[#out + 1] = k end
print(table.concat(out, " "))
--- pairs order numeric sparse keys
local t = {}
for _, k in ipairs({5, 100, 3, 42, 7, 1000, 2, 1}) do t[k] = k end
local out = {}
for k in pairs(t) do out[#out + 1] = k end
print(table.concat(out, " "))
--- many keys and rehash order
local t = {}
for i = 1, 50 do t["key" .. (i * 7 % 50)] = i end
local out = {}
for k in pairs(t) do out[#out + 1] = k end
print(table.concat(out, " "))
--- array part migration
local t = {}
for i = 10, 1, -1 do t[i] = i end
local out = {}
for k in pairs(t) do out[#out + 1] = k end
print(table.concat(out, " "), #t)
--- next
local t = {a = 1}
print(next(t), next(t, "a"), next({}), rawequal(next({}), nil))
print(pcall(next, t, "zzz"))
--- ipairs stops at nil
local t = {1, 2, nil, 4}
for i, v in ipairs(t) do print(i, v) end
--- ipairs ignores __index
local t = setmetatable({}, {__index = function(t, k) if k < 3 then return k * 10 end end})
local n = 0
for i, v in ipairs(t) do n = n + 1 end
print(n, t[1])
--- modifying during traversal (assigning existing fields)
local t = {a = 1, b = 2, c = 3}
for k, v in pairs(t) do t[k] = v * 10 end
print(t.a, t.b, t.c)
--- table.insert and remove
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "c"); table.insert(t, 2, "d")
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), #{table.remove({})}, table.remove({1}, 5))
--- table.insert at positions beyond
local t = {1, 2}
table.insert(t, 5, "x")
print(t[3], t[4], t[5], #t)
--- table.insert errors
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, "x", 1))
--- table.concat
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({"a", "b", "c"}, "-", 2), table.concat({"a", "b", "c"}, "-", 2, 3), table.concat({}, "x"), table.concat({1.5, 2}, " "))
print(table.concat({"a", "b"}, "", 3), table.concat({"a"}, "", 1, 0))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
--- table.sort default
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
local s = {"banana", "apple", "Cherry", "date"}
table.sort(s)
print(table.concat(s, " "))
--- table.sort with comparator
local t = {5, 2, 8, 1, 9, 3, 7}
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
--- table.sort stability pattern
local t = {}
for i = 1, 20 do t[i] = {k = i % 4, i = i} end
table.sort(t, function(a, b) return a.k < b.k end)
local out = {}
for _, v in ipairs(t) do out[#out + 1] = v.i end
print(table.concat(out, " "))
--- table.sort errors
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.sort, {3, 2, 1}, 5))
local ok, e = pcall(table.sort, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, function(a, b) return true end)
print(ok, e)
--- table.sort large
local t = {}
local x = 7
for i = 1, 200 do x = (x * 31 + 11) % 1000; t[i] = x end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print(ok, t[1], t[200])
--- table.maxn getn setn
print(table.maxn({1, 2, nil, 4}), table.maxn({[10] = 1, [2.5] = 2}), table.maxn({}), table.getn({1, 2, 3}))
print(pcall(table.setn, {}, 1))
--- table.foreach and foreachi
table.foreachi({10, 20, 30}, print)
print(table.foreach({a = 1}, function(k, v) return k .. v end))
--- unpack
print(unpack({1, 2, 3}), unpack({1, 2, 3}, 2), unpack({1, 2, 3}, 2, 3), unpack({}, 1, 2), unpack({1, 2}, 3))
print(select('#', unpack({}, 1, 0)), select('#', unpack({nil, nil}, 1, 2)))
--- unpack too many
print(pcall(unpack, {}, 1, 1e6))
--- rawget rawset rawequal rawlen
local t = setmetatable({}, {__index = function() return "meta" end, __newindex = function() error("no") end})
rawset(t, "x", 1)
print(t.x, t.y, rawget(t, "y"), rawequal(t, t), rawequal(t, {}))
print(pcall(rawset, t, nil, 1))
print(pcall(rawset, t, 0/0, 1))
--- table keys of all types
local f = function() end
local t = {}
t[f] = "func"; t[t] = "self"; t[true] = "yes"; t[1.5] = "float"; t["1"] = "string one"; t[1] = "one"
print(t[f], t[t], t[true], t[1.5], t["1"], t[1], t[1.0])
--- nil and nan keys
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(function() local t = {} t[0/0] = 1 end))
print(pcall(function() return {[nil] = 1} end))
local t = {}
print(t[nil], t[0/0])
--- negative zero key
local t = {}
t[0] = "zero"
print(t[-0], t[0.0])
--- nested tables
local t = {a = {b = {c = {d = "deep"}}}}
print(t.a.b.c.d, t["a"]["b"].c["d"])
--- table as set
local set = {}
for _, v in ipairs({"a", "b", "a", "c", "b"}) do set[v] = true end
local n = 0
for _ in pairs(set) do n = n + 1 end
print(n)
--- big constructor
local t = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60, x = 1}
print(#t, t[55], t.x)
--- pairs after array shrink
local t = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 8, 3, -1 do t[i] = nil end
t.x = 1; t.y = 2; t.z = 3; t.w = 4; t.v = 5
local out = {}
for k in pairs(t) do out[#out + 1] = tostring(k) end
print(table.concat(out, " "), #t)
--- assigning nil to absent keys
local t = {}
t.a = nil
t[1] = nil
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, next(t))
