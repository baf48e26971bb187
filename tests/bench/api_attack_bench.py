#!/usr/bin/env python3
"""The local REST API under attack (loopback only), in one run.

    tests/bench/api_attack_bench.py [path/to/gpudeck]     (default: build/src/gpudeck under the repo root)

Starts `gpudeck --headless --port 0` under `prlimit --nofile=1024:1024` (the common open-file limit) with a
temporary --data-dir and API_SERVER_KEY, then measures a legitimate authenticated GET (a fresh connection
each time, as curl or an agent's HTTP client makes it) with no attack, while 1,100 idle connections are
held, and while 500 slowloris connections trickle their heads; then the server's peak RSS growth during
three concurrent 300 MB POSTs without a token. Prints the figures and whether the targets were met
(served; median under 10 ms; RSS growth under 16 MB). Stops the app and removes its files. See README.md.

Knobs (environment): ATTACK_SAMPLES (200 legitimate GETs per phase), ATTACK_IDLE (1100),
ATTACK_SLOW (500), ATTACK_POST_MB (300), BENCH_STRICT=1 (exit 1 when a target is missed).
"""
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SAMPLES = int(os.environ.get("ATTACK_SAMPLES", "200"))
IDLE = int(os.environ.get("ATTACK_IDLE", "1100"))
SLOW = int(os.environ.get("ATTACK_SLOW", "500"))
POST_MB = int(os.environ.get("ATTACK_POST_MB", "300"))
TARGET_MEDIAN_MS = 10.0
TARGET_RSS_MB = 16.0


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def legit_get(port, token, timeout=5.0):
    """One authenticated GET on a fresh connection: (ms, status) or (None, error)."""
    t0 = time.perf_counter()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        s.sendall(b"GET /api/dgx/connections HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                  + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        ms = (time.perf_counter() - t0) * 1000
        m = re.match(rb"HTTP/1\.1 (\d+)", data)
        return ms, int(m.group(1)) if m else 0
    except OSError as e:
        return None, str(e)


def measure(port, token, label):
    """SAMPLES legitimate GETs, or fewer when the phase passes 30 s (a server that does not answer)."""
    times, failures = [], 0
    start = time.monotonic()
    for _ in range(SAMPLES):
        if time.monotonic() - start > 30:
            break
        ms, status = legit_get(port, token, timeout=2.0)
        if ms is None or status != 200:
            failures += 1
        else:
            times.append(ms)
    if times:
        times.sort()
        median = statistics.median(times)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    else:
        median = p99 = float("nan")
    print(f"  {label:<34} served {len(times):>4}/{SAMPLES}  median {median:7.2f} ms  p99 {p99:7.2f} ms")
    return len(times) == SAMPLES, median, p99


def open_idle(port, n):
    socks = []
    for _ in range(n):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            pass
    return socks


def count_open(socks):
    """Connections the server still holds open (no EOF, no reset, no answer yet)."""
    alive = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1, socket.MSG_PEEK):
                continue  # answered (503/408): being closed
        except BlockingIOError:
            alive += 1
            continue
        except OSError:
            continue
    return alive


def slowloris(port, n, stop):
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            socks.append(s)
        except OSError:
            pass
    while not stop.is_set():
        for s in socks:
            try:
                s.send(b"a")
            except OSError:
                pass
        stop.wait(1.0)
    return socks


def huge_post(port, total, results, i):
    head = (b"POST /api/dgx/connections HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(total).encode() + b"\r\n\r\n")
    piece = b"a" * (256 * 1024)
    sent = 0
    answer = b""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(head)
        while sent < total:
            s.sendall(piece)
            sent += len(piece)
    except OSError:
        pass
    try:
        s.settimeout(2)
        answer = s.recv(4096)
    except OSError:
        pass
    results[i] = (sent, answer.split(b"\r\n", 1)[0].decode(errors="replace"))


def main():
    # A SIGTERM (e.g. from `timeout`) still stops the app and removes its files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("api_attack_bench: terminated"))
    here = os.path.dirname(os.path.abspath(__file__))
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "build", "src", "gpudeck")
    if not os.access(binary, os.X_OK):
        sys.exit(f"api_attack_bench: no gpudeck executable at '{binary}'")
    if not shutil.which("prlimit"):
        sys.exit("api_attack_bench: 'prlimit' is required (Debian: util-linux)")
    # This client needs more than 1,024 descriptors itself.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, IDLE + SLOW + 256)), hard))

    work = tempfile.mkdtemp(prefix="gpudeck-attack-")
    token = secrets.token_urlsafe(24)
    env = dict(os.environ, API_SERVER_KEY=token)
    log = open(os.path.join(work, "app.log"), "w")
    app = subprocess.Popen(["prlimit", "--nofile=1024:1024", binary, "--headless", "--data-dir",
                            os.path.join(work, "data"), "--port", "0"], stdout=log, stderr=subprocess.STDOUT, env=env)
    ok = True
    try:
        port = None
        for _ in range(200):
            with open(os.path.join(work, "app.log")) as f:
                m = re.search(r"API listening on http://127\.0\.0\.1:(\d+)", f.read())
            if m:
                port = int(m.group(1))
                break
            if app.poll() is not None:
                sys.exit("api_attack_bench: gpudeck exited early; see its log")
            time.sleep(0.05)
        if not port:
            sys.exit("api_attack_bench: gpudeck did not start listening")
        pid = app.pid  # prlimit execs gpudeck: same process
        tok = token.encode()
        with open(f"/proc/{pid}/limits") as f:
            files = [l for l in f if l.startswith("Max open files")][0].split()[3]
        print(f"gpudeck pid {pid}, port {port}, open-file limit {files}, load average {os.getloadavg()[0]:.1f}")

        print("legitimate GET /api/dgx/connections (fresh connection each, authenticated):")
        measure(port, tok, "no attack")

        idle = open_idle(port, IDLE)
        time.sleep(0.2)
        held = count_open(idle)
        served, median, _ = measure(port, tok, f"{IDLE} idle connections")
        print(f"    ({len(idle)} connected; {held} still held open by the server, the rest dropped to make room)")
        ok &= served and median < TARGET_MEDIAN_MS
        for s in idle:
            s.close()
        time.sleep(0.5)

        stop = threading.Event()
        holder = []
        t = threading.Thread(target=lambda: holder.append(slowloris(port, SLOW, stop)))
        t.start()
        time.sleep(1.5)
        served, median, _ = measure(port, tok, f"{SLOW} slowloris connections")
        ok &= served and median < TARGET_MEDIAN_MS
        stop.set()
        t.join()
        for s in holder[0] if holder else []:
            s.close()
        time.sleep(0.5)

        rss_before = status_kb(pid, "VmRSS")
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        results = [None] * 3
        posts = [threading.Thread(target=huge_post, args=(port, POST_MB * 1024 * 1024, results, i)) for i in range(3)]
        t0 = time.perf_counter()
        for p in posts:
            p.start()
        for p in posts:
            p.join()
        took = time.perf_counter() - t0
        peak = status_kb(pid, "VmHWM")
        growth_mb = (peak - rss_before) / 1024
        print(f"three concurrent {POST_MB} MB POSTs without a token ({took:.1f} s):")
        for sent, answer in results:
            print(f"    answered '{answer}' after {sent / 1048576:.1f} MB were sent")
        growth_mb = max(0.0, growth_mb)  # the peak is reset to the current RSS, which may have shrunk since
        print(f"  server RSS before {rss_before / 1024:.1f} MB, peak {peak / 1024:.1f} MB: growth {growth_mb:.1f} MB")
        ok &= growth_mb < TARGET_RSS_MB
        _, status = legit_get(port, tok)
        print(f"  a legitimate GET afterwards: {status}")
        ok &= status == 200
        print(f"targets (served; median < {TARGET_MEDIAN_MS:.0f} ms; RSS growth < {TARGET_RSS_MB:.0f} MB): "
              + ("met" if ok else "MISSED"))
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    if os.environ.get("BENCH_STRICT") == "1" and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
