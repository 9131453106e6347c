bench("loop 1e7 arith", function()
  local s = 0
  for i = 1, 10000000 do s = s + i % 7 * 2 end
  return s
end)
bench("while 5e6 float", function()
  local x, n = 0, 0
  while n < 5000000 do n = n + 1 x = x + n / 3 end
  return x
end)
