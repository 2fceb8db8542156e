-- Shared by every scenario: numbers each wrk thread and prints one machine-readable
-- RESULT line at the end (wrk's own summary is printed too).
local threads = {}
local count = 0

function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local acked, answered = 0, 0
  for _, t in ipairs(threads) do
    acked = acked + (t:get("acked") or 0)
    answered = answered + (t:get("answered") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d acked=%d answered=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, acked, answered))
end
