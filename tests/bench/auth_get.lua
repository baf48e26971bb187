-- wrk script: a GET with the token header, e.g.
--   API_SERVER_KEY=... wrk -t2 -c50 -d10s --latency -s auth_get.lua http://127.0.0.1:PORT/api/dgx/connections
local token = os.getenv("API_SERVER_KEY") or ""

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
