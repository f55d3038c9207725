"""HTTP throughput: the portal under gunicorn (sync workers) on 127.0.0.1, loaded for a fixed time by a fixed
number of concurrent connections of a logged-in browser session.

The load comes from Debian's ``wrk`` (:func:`wrk_load`), a separate C process, so that the client does not take
the server's CPU through Python threads and the GIL; :func:`load` (client threads in this process) is the
fallback where ``wrk`` is not installed. A Lua script gives every request the session cookie and counts the
answers that are not 200 (wrk itself counts a 302 to the login page as a success)."""

import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, cookie: str, timeout: float = 30.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1", "Accept-Language": "zh-hans"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(*, workers: int | None = None, timeout: float = 60.0):
    """Start gunicorn with the benchmark WSGI app and the current environment (same database); yield the
    port; stop it (SIGTERM, then SIGKILL) whatever happens."""
    workers = workers or default_workers()
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
        "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - fixed command, our own interpreter
        command, cwd=settings.BASE_DIR, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log.name}")
            try:
                _get(port, "/healthz", "", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f}s; see {log.name}") from None
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def load(*, port: int, path: str, cookies: list[str], seconds: float, warmup: int = 3) -> Load:
    """One thread per cookie, each sending GET ``path`` back to back for ``seconds``. Non-200 answers count
    as errors, not as requests served."""
    for cookie in cookies:  # each worker process imports and connects before the clock starts
        for _ in range(warmup):
            _get(port, path, cookie)
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    statuses: dict[int, int] = {}
    start = time.perf_counter()
    stop_at = start + seconds

    def client(cookie: str) -> None:
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                status = _get(port, path, cookie)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                if status == 200:
                    counts["ok"] += 1
                    latencies.append(elapsed)
                else:
                    counts["errors"] += 1
                statuses[status] = statuses.get(status, 0) + 1

    with ThreadPoolExecutor(max_workers=len(cookies)) as pool:
        list(pool.map(client, cookies))
    return Load(counts["ok"], counts["errors"], time.perf_counter() - start, latencies, statuses)


def default_workers() -> int:
    """gunicorn's advice for sync workers: 2 × cores + 1 (5 on this 2-core machine)."""
    return 2 * (os.cpu_count() or 1) + 1


WRK_SCRIPT = """
-- bench/http.py: every request carries the logged-in session's cookie; answers other than 200 are counted
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["Accept-Language"] = "zh-hans"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("not_ok %%d\\n", total))
  io.write(string.format("latency_p50_us %%d\\n", latency:percentile(50)))
end
"""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_load(*, port: int, path: str, cookie: str, seconds: float, connections: int = 4, threads: int = 2) -> Load:
    """``wrk`` against ``path`` for ``seconds`` with ``connections`` keep-alive connections on ``threads``
    threads of its own process. Non-200 answers count as errors, not as requests served."""
    binary = wrk_path()
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", prefix="bench-wrk-", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"cookie": cookie.replace('"', "")})
    try:
        for _ in range(3):  # every worker imports and connects before the clock starts
            _get(port, path, cookie)
        command = [binary, "-t", str(threads), "-c", str(max(connections, threads)), "-d", f"{seconds:g}s",
                   "--timeout", "30s", "-s", script.name, f"http://127.0.0.1:{port}{path}"]  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - fixed command
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
    finally:
        os.unlink(script.name)
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> Load:
    """The figures of wrk's report (``Requests/sec``, the count, the duration, socket errors) and of our
    script (answers other than 200, median latency)."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if done is None:
        raise RuntimeError(f"unexpected wrk output: {output[:500]}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    requests, seconds = int(done.group(1)), float(done.group(2)) * scale
    not_ok = re.search(r"^not_ok (\d+)", output, re.MULTILINE)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(not_ok.group(1)) if not_ok else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    median = re.search(r"^latency_p50_us (\d+)", output, re.MULTILINE)
    latencies = [int(median.group(1)) / 1000] if median else []
    ok = max(0, requests - (int(not_ok.group(1)) if not_ok else 0))
    return Load(ok, errors, seconds, latencies, {"not 200": errors} if errors else {200: ok})
