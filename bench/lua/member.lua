-- (a') and (b') pages as logged-in members: every request is a different member's
-- session (from BENCH_COOKIES, as the logins made them), so nothing is one person's luck.
--   BENCH_PAGE=list       (a') the proposal list
--   BENCH_PAGE=proposal   (b') a proposal page, a different one each time, among all seeded
--   BENCH_PAGE=hot        (b'') a proposal page among the BENCH_HOT newest (default 50): a
--                         class or Bytinget looking at the same few proposals
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")
local cookies = {}
local page, first, n, hot
local i = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
  page = os.getenv("BENCH_PAGE") or "list"
  first = tonumber(os.getenv("FIRST_PROPOSAL"))
  n = tonumber(os.getenv("PROPOSALS"))
  hot = tonumber(os.getenv("BENCH_HOT") or "50")
  math.randomseed(2000 + tid)
  i = tid * 7919
end

function request()
  i = i + 1
  local cookie = cookies[(i % #cookies) + 1]
  local path = "/forslag"
  if page == "proposal" then
    path = "/forslag/" .. (first + math.random(0, n - 1))
  elseif page == "hot" then
    path = "/forslag/" .. (first + n - 1 - math.random(0, hot - 1))
  end
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
