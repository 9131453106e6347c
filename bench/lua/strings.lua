bench("table.concat 3e5", function()
  local parts = {}
  for i = 1, 300000 do parts[#parts + 1] = "item" .. i end
  return #table.concat(parts, ",")
end)
bench("s = s .. x 2e4", function()
  local acc = ""
  for i = 1, 20000 do acc = acc .. "x" end
  return #acc
end)
bench("format/find/sub 1e5", function()
  local n = 0
  for i = 1, 100000 do
    local k = string.format("key:%d:%s", i, "v")
    if k:find(":5", 1, true) then n = n + 1 end
    n = n + #k:sub(2, 5) + #k:upper()
  end
  return n
end)
local text = string.rep("the quick brown fox jumps over the lazy dog ", 2000)
bench("gmatch/gsub 88KB", function()
  local cnt = 0
  for w in text:gmatch("%a+") do cnt = cnt + 1 end
  local r = text:gsub("o", "0")
  return cnt + #r
end)
