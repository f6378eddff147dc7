-- wrk-report.lua: what every wrk run of bench/keyserver.sh prints, as one
-- line the script reads:
--   RESULT requests answered-2xx/3xx seconds p50-ms p99-ms socket-errors threads-out-of-bodies
-- release.lua and create.lua load it (with replay.lua); the nginx run uses it
-- alone.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local exhausted = 0

  for _, thread in ipairs(threads) do
    exhausted = exhausted + (thread:get("exhausted") or 0)
  end
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %d %d\n",
                         summary.requests, summary.requests - errors.status,
                         summary.duration / 1e6,
                         latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
                         errors.connect + errors.read + errors.write + errors.timeout,
                         exhausted))
end
