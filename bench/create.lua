-- create.lua: durable key creation, for bench/keyserver.sh.
--
--   wrk -H "Authorization: Bearer TOKEN" -H "Content-Type: application/json" \
--       -s create.lua http://HOST:PORT/v1/keys EPHEMERAL-KEY RECIPIENT
--
-- The same body every time: a new key per request all the same, each
-- answered 201 only once it is committed to disk.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-report.lua")

function init(args)
  local body = string.format('{"ephemeral_public_key":"%s","recipients":["%s"]}', args[1], args[2])

  create = wrk.format("POST", nil, nil, body)
end

function request()
  return create
end
