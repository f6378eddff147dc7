-- create.lua: durable key creation, for bench/keyserver.sh.
--
--   wrk -H "Authorization: Bearer TOKEN" -H "Content-Type: application/json" \
--       -s create.lua http://HOST:PORT/v1/keys REQUESTS
--
-- Thread N sends the lines of REQUESTS-N.txt (made by `release-bodies
-- requests`), in order, each once: a timestamp, a nonce and a signature
-- for the request-signature headers, then the body they sign. The same
-- body every time, a new key per request all the same, each answered 201
-- only once it is committed to disk; the server refuses a nonce it has
-- seen, so a thread that runs out stops rather than replay, and the
-- report counts it.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-report.lua")

function init(args)
  requests = {}
  for line in io.lines(string.format("%s-%d.txt", args[1], id)) do
    local timestamp, nonce, signature, body = line:match("^(%S+) (%S+) (%S+) (.*)$")
    local headers = {}

    -- Given headers replace wrk's own (the command line's -H) in wrk.format.
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["Photoseal-Timestamp"] = timestamp
    headers["Photoseal-Nonce"] = nonce
    headers["Photoseal-Signature"] = signature
    requests[#requests + 1] = wrk.format("POST", nil, headers, body)
  end
  sent = 0
  exhausted = 0
end

function request()
  sent = sent + 1
  if requests[sent] == nil then
    exhausted = 1
    wrk.thread:stop()
    -- Something must go out still: an unsigned one, refused.
    return wrk.format("POST", nil, nil, "{}")
  end
  return requests[sent]
end
