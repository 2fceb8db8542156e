-- Writes as logged-in members, each request a distinct person/target, a fixed total:
--   BENCH_MODE=support    (c) member m supports a proposal it does not support yet
--   BENCH_MODE=ballot     (d) member m casts a ballot in the first open vote, once
--   BENCH_MODE=ballot_bg  (e) background ballots in the second and third votes
-- Each thread sends its share, waits for every answer, then stops, so the acknowledged
-- count is exact and can be compared with the rows stored.
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")
acked = 0
answered = 0
local issued, share = 0, 0
-- wrk calls request() once on the first thread to check it, without sending it.
local checking = false
local cookies, votes = {}, {}
local mode, nthreads, delay_ms, origin
local first_proposal, proposals, users, each
-- BENCH_OFFSET shifts the (member, proposal) pairs of a second support run past the first's.
local offset = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
  for v in string.gmatch(os.getenv("VOTES"), "%d+") do votes[#votes + 1] = v end
  mode = os.getenv("BENCH_MODE")
  nthreads = tonumber(os.getenv("BENCH_THREADS"))
  delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  origin = os.getenv("BENCH_ORIGIN")
  first_proposal = tonumber(os.getenv("FIRST_PROPOSAL"))
  proposals = tonumber(os.getenv("PROPOSALS"))
  users = tonumber(os.getenv("USERS"))
  each = tonumber(os.getenv("SUPPORTS_EACH"))
  offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local total = tonumber(os.getenv("BENCH_TOTAL"))
  share = math.floor(total / nthreads)
  if tid < total % nthreads then share = share + 1 end
  checking = (tid == 0)
  math.randomseed(4000 + tid)
end

-- The wait before each request (the first one too): uniform in [0, 2 × BENCH_DELAY_MS],
-- so the connections do not fire in step (a class pressing within a window, not all in the
-- same millisecond); the mean, and so the offered rate, is BENCH_DELAY_MS's.
function delay()
  if issued >= share then return 600000 end
  if delay_ms == 0 then return 0 end
  return math.random(0, 2 * delay_ms)
end

function request()
  local g = offset + tid + nthreads * issued
  if checking then
    checking = false
  else
    issued = issued + 1
  end
  local m = g % #cookies
  local k = math.floor(g / #cookies)
  local path, body
  if mode == "support" then
    local p = (m * 13 + k * 7) % proposals
    -- The seed made user u a supporter of proposal p when (u - p - 1) mod users is
    -- 101·j for j < each (j = 0 is the author); step past those.
    local d = (m - p - 1) % users
    if d % 101 == 0 and math.floor(d / 101) < each then p = (p + 3) % proposals end
    path = "/api/proposals/support"
    body = "proposal_id=" .. (first_proposal + p)
  else
    local v = votes[1]
    if mode == "ballot_bg" then v = votes[2 + k] end
    path = "/api/councils/vote/cast"
    body = "vote_id=" .. v .. "&choice=for"
  end
  return wrk.format("POST", path, {
    ["Cookie"] = cookies[m + 1],
    ["Origin"] = origin,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status == 200 then acked = acked + 1 end
  if answered >= share then wrk.thread:stop() end
end
