#!/usr/bin/env python3
"""Seeds a running GPU Deck API with connections, projects and jobs for the benchmarks.

Usage: seed_api.py PORT [CONNECTIONS PROJECTS JOBS]   (defaults 100 20 1000)
The token is read from API_SERVER_KEY. Talks only to 127.0.0.1 over one keep-alive connection.
Prints one line: "seeded C connections, P projects, J jobs in S s; first job id N".
"""
import http.client
import json
import os
import sys
import time


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    n_conn, n_proj, n_jobs = (int(x) for x in (sys.argv[2:5] if len(sys.argv) >= 5 else (100, 20, 1000)))
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
    for i in range(n_conn):
        name = f"bench-node-{i:03d}"
        # 203.0.113.0/24 is the documentation range (RFC 5737): nothing is ever contacted.
        post("/api/dgx/connections", {
            "name": name,
            "hostname": f"203.0.113.{i % 250 + 1}",
            "username": "bench",
            "port": 22,
            "kind": "dgx-spark" if i % 2 == 0 else "generic",
        })
        conn_names.append(name)

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
    print(f"seeded {n_conn} connections, {n_proj} projects, {n_jobs} jobs in "
          f"{time.monotonic() - started:.1f} s; first job id {first_job}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
