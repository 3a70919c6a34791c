"""Atelier's scoring runner: serves an Azure ML style scoring script over HTTP.

Usage: python3 atelier_score_runner.py --code <dir> --script <file> [--host <h>] [--port <p>]

The scoring script (a path relative to the code folder) defines init() and run(raw_data), as in
Azure ML. The runner adds the code folder to sys.path, makes it the working directory, imports the
script, calls init() once (the model's files are under AZUREML_MODEL_DIR / ATELIER_MODEL_DIR), then
serves:
  POST /score   -> run(body decoded as UTF-8 text); the answer as JSON (500 {"error": ...} if run() raises)
  GET  /health  -> 200 {"status": "ok"} once init() returned
When ATELIER_WORKER_SECRET is set (a local worker), every request must carry it in the header
X-Atelier-Worker-Secret: without it the answer is 401, with another value 403 (compared in constant
time); the variable is removed from the environment before the script is imported.
When it listens it prints one line "ATELIER_RUNNER_LISTENING <port>" (port 0 picks a free port).
If init() raises it prints the traceback and exits with code 3.

run() is called by one request at a time, unless the script sets the module attribute
ATELIER_MAX_CONCURRENT_RUNS to a larger integer (its run() must then be thread-safe).
Python standard library only, Python 3.8 or newer.
"""

import argparse
import hmac
import importlib.util
import json
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LISTENING = "ATELIER_RUNNER_LISTENING"
INIT_FAILED_EXIT = 3  # ScoringRunner.INIT_FAILED_EXIT
SECRET_VARIABLE = "ATELIER_WORKER_SECRET"  # ScoringRunner.SECRET_VARIABLE
SECRET_HEADER = "X-Atelier-Worker-Secret"  # ScoringRunner.SECRET_HEADER


def load_script(code, script):
    code = os.path.abspath(code)
    path = os.path.join(code, script)
    if not os.path.isfile(path):
        raise FileNotFoundError("scoring script %s not found in %s" % (script, code))
    os.chdir(code)
    for folder in (os.path.dirname(os.path.abspath(path)), code):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise AttributeError("scoring script %s defines no run(raw_data) function" % script)
    return module


def to_jsonable(value):
    """json.dumps default: pandas DataFrames as records, numpy/pandas arrays and scalars as lists/values."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        return value.to_dict(orient="records")
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def encode_answer(value):
    """Returns (content type, body): JSON text as is, bytes as is, anything else as JSON."""
    if isinstance(value, (bytes, bytearray)):
        return "application/octet-stream", bytes(value)
    if isinstance(value, str):
        try:
            json.loads(value)
            return "application/json", value.encode("utf-8")
        except ValueError:
            pass
    return "application/json", json.dumps(value, default=to_jsonable).encode("utf-8")


def read_body(handler):
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length > 0 else b""


def make_handler(module, runs, secret=""):
    class ScoringHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are separate writes: with Nagle's algorithm on, the body waits for the client's delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def log_message(self, format, *args):  # one line per request would drown the worker's own logs
            pass

        def send(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, status, value):
            self.send(status, "application/json", json.dumps(value).encode("utf-8"))

        def refused(self):
            """Answers 401/403 and returns True unless the request carries the worker's secret (when it has one)."""
            if not secret:
                return False
            given = self.headers.get(SECRET_HEADER)
            if given is None:
                self.send_json(401, {"error": "missing " + SECRET_HEADER})
                return True
            if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
                self.send_json(403, {"error": "wrong " + SECRET_HEADER})
                return True
            return False

        def do_GET(self):
            if self.refused():
                return
            if self.path.split("?")[0] in ("/health", "/"):
                self.send_json(200, {"status": "ok"})
            else:
                self.send_json(404, {"error": "not found: " + self.path})

        def do_POST(self):
            body = read_body(self)
            if self.refused():
                return
            if self.path.split("?")[0] != "/score":
                self.send_json(404, {"error": "not found: " + self.path})
                return
            try:
                with runs:
                    answer = module.run(body.decode("utf-8", errors="replace"))
                content_type, payload = encode_answer(answer)
            except Exception as error:  # the scoring script's failure is reported, the worker lives on
                traceback.print_exc(file=sys.stderr)
                sys.stderr.flush()
                self.send_json(500, {"error": "%s: %s" % (type(error).__name__, error)})
                return
            self.send(200, content_type, payload)

    return ScoringHandler


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serves an init()/run() scoring script over HTTP.")
    parser.add_argument("--code", required=True, help="the code folder (added to sys.path, working directory)")
    parser.add_argument("--script", required=True, help="the scoring script, relative to the code folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    secret = os.environ.pop(SECRET_VARIABLE, "")  # the script and what it starts never see it
    try:
        module = load_script(args.code, args.script)
        runs = threading.BoundedSemaphore(max(1, int(getattr(module, "ATELIER_MAX_CONCURRENT_RUNS", 1))))
        if callable(getattr(module, "init", None)):
            module.init()
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        return INIT_FAILED_EXIT
    server = ThreadingHTTPServer((args.host, args.port), make_handler(module, runs, secret))
    server.daemon_threads = True
    print("%s %d" % (LISTENING, server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
