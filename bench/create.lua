-- create.lua: durable key creation, for bench/keyserver.sh.
--
--   wrk -H "Authorization: Bearer TOKEN" -H "Content-Type: application/json" \
--       -s create.lua http://HOST:PORT/v1/keys REQUESTS
--
-- Thread N sends the lines of REQUESTS-N.txt (made by `release-bodies
-- requests`), in order, each once (see replay.lua): a timestamp, a nonce
-- and a signature for the request-signature headers, then the body they
-- sign. The same body every time, a new key per request all the same,
-- each answered 201 only once it is committed to disk.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk-report.lua")
dofile(dir .. "replay.lua")

function init(args)
  replay_load(args[1], function(line)
    local timestamp, nonce, signature, body = line:match("^(%S+) (%S+) (%S+) (.*)$")
    local headers = {}

    -- Given headers replace wrk's own (the command line's -H) in wrk.format.
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["Photoseal-Timestamp"] = timestamp
    headers["Photoseal-Nonce"] = nonce
    headers["Photoseal-Signature"] = signature
    return wrk.format("POST", nil, headers, body)
  end)
end
