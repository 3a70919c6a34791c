"""Atelier's batch scoring driver: runs a scoring script's init() / run(mini_batch) as Azure ML batch deployments do.

Standard library only. Started once per instance of a batch scoring job with the path of its plan (JSON written by the
server): the scoring script, the mini-batches of this instance, and the deployment's settings. It keeps
max_concurrency_per_instance worker processes, each of which imports the script and calls init() once, and hands each
a mini-batch at a time. A mini-batch whose run() raises, or that runs past the timeout (the worker is killed and a new
one started), is tried again up to max_retries times. Each outcome goes to the server as one line on stdout:

    ATELIER-BATCH {"event": "attempt_failed" | "done" | "failed", "id": ..., ...}

Everything else a worker or the script prints goes to stderr, which is the job's log. Exit codes: 0 once every
mini-batch was done or failed, 3 when importing the script or init() failed.
"""

import csv
import io
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import traceback

PREFIX = "ATELIER-BATCH "
INIT_FAILED_EXIT = 3


# ---------------------------------------------------------------------------------------------------------- worker side

class Rows(list):
    """A tabular mini-batch without pandas: a list of rows, each a dict of column name to value; .columns names them."""

    def __init__(self, columns, rows):
        super().__init__(rows)
        self.columns = list(columns)


def _value(text):
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _read_table(paths):
    try:
        import pandas
    except ImportError:
        pandas = None
    if pandas is not None:
        frames = [pandas.read_csv(path) for path in paths]
        return frames[0] if len(frames) == 1 else pandas.concat(frames, ignore_index=True)
    columns, rows = [], []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as source:
            reader = csv.reader(source)
            header = next(reader, [])
            columns = columns or header
            rows.extend({name: _value(field) for name, field in zip(header, record)} for record in reader)
    return Rows(columns, rows)


def _as_rows(result):
    """run()'s answer as (columns, rows of values); a list of dicts, of lists/tuples or of scalars, or a DataFrame."""
    if hasattr(result, "itertuples") and hasattr(result, "columns"):
        return [str(column) for column in result.columns], [list(row) for row in result.itertuples(index=False)]
    if not isinstance(result, (list, tuple)):
        raise TypeError("run() must return a list or a pandas DataFrame, not " + type(result).__name__)
    if not result:
        return [], []
    first = result[0]
    if isinstance(first, dict):
        columns = [str(key) for key in first]
        return columns, [[item.get(key) for key in first] for item in result]
    if isinstance(first, (list, tuple)):
        return ["prediction_%d" % i for i in range(len(first))], [list(item) for item in result]
    return ["prediction"], [[item] for item in result]


def _csv_lines(rows):
    lines = []
    for row in rows:
        text = io.StringIO()
        csv.writer(text, lineterminator="").writerow(["" if value is None else value for value in row])
        lines.append(text.getvalue())
    return lines


def worker(script, code_dir):
    """Imports the script, calls init(), then answers one mini-batch per line read on stdin."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # what the script prints goes to the job's log, never into the channel
    sys.stdout = sys.stderr
    level = os.environ.get("AZUREML_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=getattr(logging, level, logging.INFO), stream=sys.stderr)

    def answer(message):
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    try:
        sys.path.insert(0, code_dir)
        import importlib.util
        spec = importlib.util.spec_from_file_location("score", os.path.join(code_dir, script))
        module = importlib.util.module_from_spec(spec)
        sys.modules["score"] = module
        spec.loader.exec_module(module)
        if hasattr(module, "init"):
            module.init()
        if not hasattr(module, "run"):
            raise AttributeError(script + " defines no run(mini_batch)")
    except BaseException:
        answer({"init_error": traceback.format_exc()})
        sys.exit(INIT_FAILED_EXIT)
    answer({"ready": True})
    for line in sys.stdin:
        task = json.loads(line)
        try:
            batch = _read_table(task["items"]) if task["tabular"] else list(task["items"])
            columns, rows = _as_rows(module.run(batch))
            answer({"ok": True, "columns": columns, "lines": _csv_lines(rows) if task["output"] else [], "count": len(rows)})
        except Exception:
            answer({"ok": False, "error": traceback.format_exc()})


# ---------------------------------------------------------------------------------------------------------- driver side

class InitFailed(Exception):
    pass


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, plan):
        self.plan = plan
        self.process = None

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-u", os.path.abspath(__file__), "--worker", self.plan["script"],
                                         self.plan["code_dir"]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        encoding="utf-8")
        ready = self._read(None)
        if ready is None or "init_error" in ready:
            self.kill()
            raise InitFailed(ready["init_error"] if ready else "the worker exited while starting")

    def _read(self, timeout):
        stream = self.process.stdout
        if timeout is not None:
            readable, _, _ = select.select([stream], [], [], timeout)
            if not readable:
                return "timeout"
        line = stream.readline()
        return json.loads(line) if line else None

    def score(self, items, tabular, timeout):
        """The worker's answer, or None when it died, or 'timeout' (it is then killed)."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.process.stdin.write(json.dumps({"items": items, "tabular": tabular, "output": self.plan["output"]}) + "\n")
        self.process.stdin.flush()
        answer = self._read(timeout)
        if answer == "timeout":
            self.kill()
        elif answer is None:
            self.process.wait()
        return answer

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def exit_code(self):
        return self.process.returncode if self.process is not None else None


def emit(lock, message):
    with lock:
        sys.stdout.write(PREFIX + json.dumps(message) + "\n")
        sys.stdout.flush()


def serve(plan, batches, lock, failures):
    slot = Worker(plan)
    attempts_allowed = plan["max_retries"] + 1
    try:
        while not failures:
            try:
                batch = batches.get_nowait()
            except queue.Empty:
                return
            items = [os.path.join(plan["input_dir"], item) for item in batch["items"]]
            error = None
            for attempt in range(1, attempts_allowed + 1):
                answer = slot.score(items, plan["tabular"], plan["timeout"])
                if isinstance(answer, dict) and answer.get("ok"):
                    emit(lock, {"event": "done", "id": batch["id"], "attempts": attempt, "columns": answer["columns"],
                                "lines": answer["lines"], "count": answer["count"]})
                    break
                if answer == "timeout":
                    error = "run() did not finish within the timeout of %s s; its worker was killed" % plan["timeout"]
                elif answer is None:
                    error = "the worker exited with code %s" % slot.exit_code()
                else:
                    error = answer["error"].rstrip()
                emit(lock, {"event": "attempt_failed", "id": batch["id"], "attempt": attempt, "of": attempts_allowed,
                            "error": error})
            else:
                emit(lock, {"event": "failed", "id": batch["id"], "attempts": attempts_allowed, "error": error})
    except InitFailed as failed:
        failures.append(str(failed))
    finally:
        slot.kill()


def main(plan_path):
    with open(plan_path, encoding="utf-8") as source:
        plan = json.load(source)
    logging.basicConfig(level=getattr(logging, plan["logging_level"].upper(), logging.INFO), stream=sys.stderr)
    batches = queue.Queue()
    for batch in plan["mini_batches"]:
        batches.put(batch)
    lock = threading.Lock()
    failures = []
    concurrency = max(1, min(plan["max_concurrency"], len(plan["mini_batches"])))
    print("[driver] %d mini-batches, %d worker(s)" % (len(plan["mini_batches"]), concurrency), file=sys.stderr, flush=True)
    threads = [threading.Thread(target=serve, args=(plan, batches, lock, failures), daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.5)
    if failures:
        print("[driver] init() of %s failed:\n%s" % (plan["script"], failures[0]), file=sys.stderr, flush=True)
        sys.exit(INIT_FAILED_EXIT)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1])
