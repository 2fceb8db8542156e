-- (b) a proposal page, a different one each time, among the seeded proposals.
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")
local first, n

function init(args)
  first = tonumber(os.getenv("FIRST_PROPOSAL"))
  n = tonumber(os.getenv("PROPOSALS"))
  math.randomseed(1000 + tid)
end

function request()
  return wrk.format("GET", "/forslag/" .. (first + math.random(0, n - 1)))
end
