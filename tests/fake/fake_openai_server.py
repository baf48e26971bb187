#!/usr/bin/env python3
"""A small fake OpenAI-compatible model server for GPU Deck's model-serving tests and benchmark.

Python standard library only. HTTP/1.1 with keep-alive (every answer has a Content-Length or is chunked).

  fake_openai_server.py --port 8888 --model example/model-8b [--ready-after 2] [--never-ready]
                        [--exit-at-once] [--chunks 5] [--chunk-delay 0.3] [--max-lifetime 600]

Until --ready-after seconds have passed, every endpoint answers 503 (a model still loading). Then:
  GET  /health               200
  GET  /v1/models            {"object": "list", "data": [{"id": MODEL, ...}]}
  POST /v1/chat/completions  a completion; with "stream": true, server-sent events: --chunks chunks (and a
                             last one with `usage` when stream_options.include_usage is set),
                             --chunk-delay seconds apart, then "data: [DONE]". Every chunk carries
                             "produced_at_ms" (the wall clock when it was written) so a test can tell
                             whether a proxy passes chunks on as they come.
  POST /v1/completions       a completion (streams too)
  POST /v1/embeddings        one small vector per input
  POST /v1/audio/transcriptions, /v1/audio/translations
                             multipart/form-data, read as it arrives (never held): {"text", "bytes": the body's
                             length, "sha256": the body's SHA-256, "content_type"}
  POST /v1/audio/speech      {"input", "bytes": N}: N bytes (byte i is (i * 7 + 3) % 256) as audio/wav, chunked,
                             64 KiB at a time
  POST /v1/rerank, /rerank   {"query", "documents"}: a relevance score per document, highest first
A request naming another model gets 404, as vLLM answers.
--never-ready keeps it loading forever; --exit-at-once prints an error and exits with status 3 at once.
It exits by itself after --max-lifetime seconds, so a test that dies leaves nothing running for long.
"""

import argparse
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def now_ms():
    return int(time.time() * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # like uvicorn (vLLM): no 40 ms Nagle / delayed-ACK stall between writes
    server_version = "fake-openai/1.0"

    def log_message(self, fmt, *args):  # one short line per request in the log file
        sys.stderr.write("%s %s\n" % (self.command, self.path))

    # -- helpers -------------------------------------------------------------------------------------------
    def ready(self):
        opts = self.server.opts
        return not opts.never_ready and time.monotonic() - self.server.started >= opts.ready_after

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def loading(self):
        self.send_json(503, {"error": {"message": "model is loading", "type": "unavailable"}})

    # -- endpoints -----------------------------------------------------------------------------------------
    def do_GET(self):
        if not self.ready():
            return self.loading()
        if self.path == "/health":
            return self.send_json(200, {"status": "ok"})
        if self.path == "/v1/models":
            return self.send_json(200, {"object": "list", "data": [
                {"id": self.server.opts.model, "object": "model", "created": 0, "owned_by": "fake"}]})
        self.send_json(404, {"error": {"message": "no such endpoint " + self.path}})

    def upload(self):
        length = int(self.headers.get("Content-Length") or 0)
        digest = hashlib.sha256()
        left = length
        while left > 0:
            piece = self.rfile.read(min(left, 1 << 16))
            if not piece:
                break
            digest.update(piece)
            left -= len(piece)
        if not self.ready():
            return self.loading()
        self.send_json(200, {"text": "hello from " + self.server.opts.model, "bytes": length - left,
                             "sha256": digest.hexdigest(), "content_type": self.headers.get("Content-Type", "")})

    def speech(self, body):
        total = int(body.get("bytes", 1 << 20))
        pattern = bytes((i * 7 + 3) % 256 for i in range(256 * 7))  # period 256: any 64 KiB slice lines up
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        try:
            while sent < total:
                n = min(1 << 16, total - sent)
                start = sent % 256
                piece = (pattern[start:] + pattern * (n // len(pattern) + 2))[:n]
                self.wfile.write(b"%x\r\n%s\r\n" % (n, piece))
                sent += n
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_POST(self):
        if self.path in ("/v1/audio/transcriptions", "/v1/audio/translations"):
            return self.upload()
        body = self.read_body()
        if not self.ready():
            return self.loading()
        if body is None:
            return self.send_json(400, {"error": {"message": "malformed JSON"}})
        model = self.server.opts.model
        if body.get("model") != model:
            return self.send_json(404, {"error": {"message": "The model `%s` does not exist." % body.get("model"),
                                                  "type": "NotFoundError", "code": 404}})
        if self.path == "/v1/audio/speech":
            return self.speech(body)
        if self.path in ("/v1/rerank", "/rerank"):
            docs = body.get("documents", [])
            results = [{"index": i, "relevance_score": 1.0 / (i + 1)} for i in range(len(docs))]
            return self.send_json(200, {"id": "rerank-fake", "model": model, "results": results})
        if self.path == "/v1/embeddings":
            inputs = body.get("input", "")
            inputs = inputs if isinstance(inputs, list) else [inputs]
            return self.send_json(200, {"object": "list", "model": model, "data": [
                {"object": "embedding", "index": i, "embedding": [0.1, 0.2, 0.3]} for i in range(len(inputs))]})
        if self.path not in ("/v1/chat/completions", "/v1/completions"):
            return self.send_json(404, {"error": {"message": "no such endpoint " + self.path}})
        chat = self.path == "/v1/chat/completions"
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return self.stream(chat, model, include_usage)
        message = {"role": "assistant", "content": "Hello from " + model}
        choice = {"index": 0, "finish_reason": "stop"}
        if chat:
            choice["message"] = message
        else:
            choice["text"] = message["content"]
        self.send_json(200, {"id": "cmpl-fake", "object": "chat.completion" if chat else "text_completion",
                             "created": int(time.time()), "model": model, "choices": [choice],
                             "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}})

    def stream(self, chat, model, include_usage=False):
        opts = self.server.opts
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(data):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        try:
            for i in range(opts.chunks):
                if i:
                    time.sleep(opts.chunk_delay)
                piece = "tok%d " % i
                delta = {"index": 0, "delta": {"content": piece}} if chat else {"index": 0, "text": piece}
                event = {"id": "cmpl-fake", "object": "chat.completion.chunk" if chat else "text_completion",
                         "model": model, "choices": [delta], "seq": i, "produced_at_ms": now_ms()}
                chunk(b"data: " + json.dumps(event).encode() + b"\n\n")
            if include_usage:
                # As OpenAI and vLLM send it with stream_options.include_usage: a last chunk with no choices.
                last = {"id": "cmpl-fake", "object": "chat.completion.chunk" if chat else "text_completion",
                        "model": model, "choices": [],
                        "usage": {"prompt_tokens": 3, "completion_tokens": opts.chunks,
                                  "total_tokens": 3 + opts.chunks}}
                chunk(b"data: " + json.dumps(last).encode() + b"\n\n")
            chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--ready-after", type=float, default=0.0)
    p.add_argument("--never-ready", action="store_true")
    p.add_argument("--exit-at-once", action="store_true")
    p.add_argument("--chunks", type=int, default=5)
    p.add_argument("--chunk-delay", type=float, default=0.3)
    p.add_argument("--max-lifetime", type=float, default=600.0)
    opts = p.parse_args()
    if opts.exit_at_once:
        sys.stderr.write("fatal: CUDA out of memory (fake failure for %s)\n" % opts.model)
        sys.exit(3)
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer((opts.host, opts.port), Handler)
    server.opts = opts
    server.started = time.monotonic()
    timer = threading.Timer(opts.max_lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    sys.stderr.write("fake model %s on %s:%d (ready after %.1fs)\n" % (opts.model, opts.host, opts.port, opts.ready_after))
    sys.stderr.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
