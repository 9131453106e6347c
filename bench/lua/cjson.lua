local items = {}
for i = 1, 800 do
  items[i] = {id = i, name = "user" .. i, email = "user" .. i .. "@example.com", score = i * 1.25, active = i % 2 == 0, tags = {"a", "bb", "ccc"}}
end
local doc = cjson.encode({items = items, total = 800, page = {size = 800, number = 1}})
bench("cjson.decode " .. math.floor(#doc / 1024) .. "KB x10", function()
  local n = 0
  for i = 1, 10 do n = n + #cjson.decode(doc).items end
  return n
end)
bench("cjson.encode " .. math.floor(#doc / 1024) .. "KB x10", function()
  local n = 0
  for i = 1, 10 do n = n + #cjson.encode(items) end
  return n
end)
