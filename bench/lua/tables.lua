bench("array 1e6 write+read", function()
  local t = {}
  for i = 1, 1000000 do t[i] = i * 2 end
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end)
bench("hash 2e5 insert+pairs", function()
  local h = {}
  for i = 1, 200000 do h["k" .. i] = i end
  local c = 0
  for k, v in pairs(h) do c = c + v end
  return c
end)
bench("2e5 small tables", function()
  local objs = {}
  for i = 1, 200000 do objs[i] = {x = i, y = i * 2, name = "n"} end
  local sum = 0
  for _, o in ipairs(objs) do sum = sum + o.x + o.y end
  return sum
end)
bench("table.sort 2e5", function()
  local arr = {}
  local x = 1
  for i = 1, 200000 do x = (x * 1103515245 + 12345) % 2147483648 arr[i] = x end
  table.sort(arr)
  return arr[1]
end)
bench("insert/remove 1e5", function()
  local q = {}
  for i = 1, 100000 do table.insert(q, i) end
  local r = 0
  while #q > 0 do r = r + table.remove(q) end
  return r
end)
