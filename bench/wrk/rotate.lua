-- One wrk target: requests rotate over the paths in WRK_PATHS (one per line), with the method,
-- body and headers (cookie, authorization) from the environment. A response whose status is
-- not WRK_STATUS counts as bad (a POST must redirect, a page must be 200), and done() prints
-- one line that bench/page_bench.py reads: requests, seconds, p50/p99 in ms, socket errors,
-- bad statuses.

local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
wrk.method = os.getenv("WRK_METHOD") or "GET"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Cookie"] = os.getenv("WRK_COOKIE")
wrk.headers["Authorization"] = os.getenv("WRK_AUTHORIZATION")  -- the API gate bench's token
wrk.headers["Connection"] = "close"  -- gunicorn's sync workers close after each response
if wrk.body then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local expected = tonumber(os.getenv("WRK_STATUS") or "200")

local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

local index = 0
bad = 0
function init(args)
  index = offset or 0
end

function request()
  index = index + 1
  return wrk.format(nil, paths[(index % #paths) + 1])
end

function response(status, headers, body)
  if status ~= expected then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%.2f p99=%.2f socket_errors=%d bad_status=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.connect + e.read + e.write + e.timeout, total_bad))
end
