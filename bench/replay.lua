-- replay.lua: requests made in advance, each sent once, for release.lua
-- and create.lua (which load it beside wrk-report.lua).
--
-- replay_load(PREFIX, FORMAT) reads thread N's PREFIX-N.txt, a request a
-- line turned into bytes by FORMAT(line). Every line has its own nonce and
-- the server refuses a nonce it has seen, so a thread that runs out stops
-- rather than replay, and the report counts it.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

function replay_load(prefix, format)
  requests = {}
  for line in io.lines(string.format("%s-%d.txt", prefix, id)) do
    requests[#requests + 1] = format(line)
  end
  sent = 0
  exhausted = 0
end

function request()
  sent = sent + 1
  if requests[sent] == nil then
    exhausted = 1
    wrk.thread:stop()
    -- Something must go out still: an empty body, refused.
    return wrk.format("POST", nil, nil, "{}")
  end
  return requests[sent]
end
