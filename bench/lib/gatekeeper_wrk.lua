-- wrk script of bench/gatekeeper_wrk.sh: POST point selects by primary key on sakila.actor
-- (200 rows), actor_id cycling 1..200 (each wrk thread starts at a different place).
--   WRK_MODE=baseline  POST /query    {"query": "... WHERE actor_id = N", "strategy": "random"}
--                      (the FastAPI baseline; no credentials: it has none)
--   WRK_MODE=params    POST /v1/query {"sql": "... WHERE actor_id = ?", "params": [N], ...}
--                      (gatehouse's normal path: a prepared statement upstream)
--   WRK_MODE=literal   POST /v1/query {"sql": "... WHERE actor_id = N", ...}
--   WRK_TOKEN          the API key for gatehouse (Authorization: Bearer)
local mode = os.getenv("WRK_MODE") or "params"
local token = os.getenv("WRK_TOKEN") or ""
local sql = "SELECT actor_id, first_name, last_name FROM sakila.actor WHERE actor_id = "
local headers = { ["Content-Type"] = "application/json" }
if mode ~= "baseline" then headers["Authorization"] = "Bearer " .. token end
local path = mode == "baseline" and "/query" or "/v1/query"
local n = 0

local threads = 0
function setup(thread)
  thread:set("first", threads * 67)
  threads = threads + 1
end

function init(args)
  n = tonumber(first) or 0
end

function request()
  local id = n % 200 + 1
  n = n + 1
  local body
  if mode == "baseline" then
    body = '{"query":"' .. sql .. id .. '","strategy":"random"}'
  elseif mode == "literal" then
    body = '{"sql":"' .. sql .. id .. '","strategy":"random"}'
  else
    body = '{"sql":"' .. sql .. '?","params":[' .. id .. '],"strategy":"random"}'
  end
  return wrk.format("POST", path, headers, body)
end
