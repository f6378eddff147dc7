-- release.lua: signed key releases, for bench/keyserver.sh.
--
--   wrk -H "Authorization: Bearer TOKEN" -H "Content-Type: application/json" \
--       -s release.lua http://HOST:PORT/v1/keys/KEY-ID/release BODIES
--
-- Thread N sends the lines of BODIES-N.txt (made by release-bodies), in
-- order, each once (see replay.lua).
--
-- SPDX-License-Identifier: GPL-3.0-or-later

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk-report.lua")
dofile(dir .. "replay.lua")

function init(args)
  replay_load(args[1], function(line)
    return wrk.format("POST", nil, nil, line)
  end)
end
