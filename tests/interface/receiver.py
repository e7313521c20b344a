"""A webhook receiver as another system would write it, in a thread of the test: it checks
the signature itself (HMAC-SHA256 of the timestamp, a dot and the raw body), refuses a bad
or stale one, and processes each event id once."""

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret=""):
        self.secret = secret
        self.requests = Counter()  # event id → requests received
        self.processed = []  # event ids, each processed once
        self.bodies = {}
        self.refused = 0
        self.fail_next = 0  # answer 500 to the next n requests
        self.block_first = False  # hold the first request until released
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/casework"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def signed_correctly(self, headers, body):
        timestamp = headers.get("X-Casework-Timestamp", "")
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        return fresh and hmac.compare_digest(
            "sha256=" + expected, headers.get("X-Casework-Signature", "")
        )

    def handle(self, request):
        body = request.rfile.read(int(request.headers["Content-Length"]))
        if not self.signed_correctly(request.headers, body):
            with self.lock:
                self.refused += 1
            request.send_response(401)
            request.end_headers()
            return
        event_id = int(request.headers["X-Casework-Event-Id"])
        with self.lock:
            self.requests[event_id] += 1
            first_ever = sum(self.requests.values()) == 1
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
        if failing:
            request.send_response(500)
            request.end_headers()
            return
        with self.lock:
            if event_id not in self.processed:  # deduplicate by event id
                self.processed.append(event_id)
                self.bodies[event_id] = json.loads(body)
        if self.block_first and first_ever:
            # Processed, but the sender never hears back (it is killed meanwhile).
            self.holding.set()
            self.release.wait(30)
        request.send_response(204)
        request.end_headers()
