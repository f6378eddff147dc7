-- release.lua: signed key releases, for bench/keyserver.sh.
--
--   wrk -H "Authorization: Bearer TOKEN" -H "Content-Type: application/json" \
--       -s release.lua http://HOST:PORT/v1/keys/KEY-ID/release BODIES
--
-- Thread N sends the lines of BODIES-N.txt (made by release-bodies), in
-- order, each once: every line has its own nonce, and the server refuses
-- a nonce it has seen. A thread that runs out stops rather than replay,
-- and the report counts it.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-report.lua")

function init(args)
  requests = {}
  for line in io.lines(string.format("%s-%d.txt", args[1], id)) do
    requests[#requests + 1] = wrk.format("POST", nil, nil, line)
  end
  sent = 0
  exhausted = 0
end

function request()
  sent = sent + 1
  if requests[sent] == nil then
    exhausted = 1
    wrk.thread:stop()
    -- Something must go out still: an empty body, refused as invalid.
    return wrk.format("POST", nil, nil, "{}")
  end
  return requests[sent]
end
