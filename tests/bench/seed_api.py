#!/usr/bin/env python3
"""Seeds a running GPU Deck API with connections, projects and jobs for the benchmarks.

Usage: seed_api.py PORT [CONNECTIONS PROJECTS JOBS] [--db DATABASE]   (defaults 100 20 1000)
The token is read from API_SERVER_KEY. Talks only to 127.0.0.1 over one keep-alive connection.
With --db (the running app's database file), also writes 200 alerts and 200 exec log entries into it directly
(nothing in the API makes those on demand; SQLite in WAL mode lets this process write beside the app).
Prints one line: "seeded C connections, P projects, J jobs[, A alerts, E exec log entries] in S s; first connection
id X, first project id Y, first job id N".
"""
import http.client
import json
import os
import sqlite3
import sys
import time


def seed_logs(db_path: str, connections: list) -> int:
    """200 alerts (half of them ended) and 200 exec log entries over the seeded connections."""
    db = sqlite3.connect(db_path, timeout=10)
    with db:
        for i in range(200):
            cid, name = connections[i % len(connections)]
            started = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:07.{i % 1000:03d}Z"
            ended = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:59.{i % 1000:03d}Z" if i % 2 else None
            db.execute(
                "INSERT INTO alerts (connection_id, connection_name, gpu_index, kind, severity, message, value, "
                "threshold, started_at, ended_at, alert_key, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, name, i % 8 if i % 5 else None, "gpu_temperature", "warning",
                 f"GPU {i % 8} at {80 + i % 15} °C", 80.5 + i % 15, 85.0, started, ended,
                 f"{cid}/{i % 8}/gpu_temperature", "cleared" if ended else None))
            db.execute(
                "INSERT INTO exec_log (connection_id, connection_name, caller, command, outcome, exit_code, "
                "duration_ms, forced, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, name, "api" if i % 2 else "mcp", f"nvidia-smi --query-gpu=index,temperature.gpu -i {i % 8}",
                 "ok", 0, 40 + i, 0, started))
    db.close()
    return 200


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    args = sys.argv[1:]
    db_path = None
    if "--db" in args:
        at = args.index("--db")
        db_path = args[at + 1]
        del args[at:at + 2]
    port = int(args[0])
    n_conn, n_proj, n_jobs = (int(x) for x in (args[1:4] if len(args) >= 4 else (100, 20, 1000)))
    token = os.environ.get("API_SERVER_KEY", "")
    if not token:
        print("seed_api.py: API_SERVER_KEY is not set", file=sys.stderr)
        return 2

    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(path: str, body: dict) -> dict:
        client.request("POST", path, body=json.dumps(body), headers=headers)
        resp = client.getresponse()
        data = resp.read()
        if resp.status != 201:
            raise SystemExit(f"seed_api.py: POST {path} answered {resp.status}: {data.decode(errors='replace')}")
        return json.loads(data)

    started = time.monotonic()
    conn_names = []
    conn_ids = []
    for i in range(n_conn):
        name = f"bench-node-{i:03d}"
        # 203.0.113.0/24 is the documentation range (RFC 5737): nothing is ever contacted.
        c = post("/api/dgx/connections", {
            "name": name,
            "hostname": f"203.0.113.{i % 250 + 1}",
            "username": "bench",
            "port": 22,
            "kind": "dgx-spark" if i % 2 == 0 else "generic",
        })
        conn_names.append(name)
        conn_ids.append(c["id"])

    project_ids = []
    for i in range(n_proj):
        p = post("/api/dgx/projects", {
            "connection_id": conn_names[i % len(conn_names)],
            "name": f"bench-project-{i:02d}",
            "description": "benchmark fixture",
            "project_type": ["nlp", "computer_vision", "generative", "other"][i % 4],
            "remote_path": f"/srv/bench/{i:02d}",
            "config": {"seed": i},
        })
        project_ids.append(p["id"])

    first_job = None
    for i in range(n_jobs):
        j = post("/api/dgx/jobs", {
            "project_id": project_ids[i % len(project_ids)],
            "name": f"bench-job-{i:04d}",
            "model_name": "example-model-7b",
            "status": "pending",
            "config": {"lr": 0.0001, "epochs": 3, "batch_size": 16},
            "metrics": {},
        })
        if first_job is None:
            first_job = j["id"]

    client.close()
    logs = ""
    if db_path:
        n = seed_logs(db_path, list(zip(conn_ids, conn_names)))
        logs = f", {n} alerts, {n} exec log entries"
    print(f"seeded {n_conn} connections, {n_proj} projects, {n_jobs} jobs{logs} in "
          f"{time.monotonic() - started:.1f} s; first connection id {conn_ids[0]}, first project id {project_ids[0]}, "
          f"first job id {first_job}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
