-- wrk script: PUT a partial update (metrics only) to the job in the URL, e.g.
--   API_SERVER_KEY=... wrk -t2 -c50 -d10s --latency -s put_job.lua http://127.0.0.1:PORT/api/dgx/jobs/500
-- The status is not changed, so every request does the same work (read, validate, UPDATE, answer).
local token = os.getenv("API_SERVER_KEY") or ""

wrk.method = "PUT"
wrk.body = '{"metrics":{"loss":0.4213,"step":1200,"tokens_per_s":5321.5}}'
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
