"""HTTP throughput: the portal under gunicorn (as deployed: ``--workers 4``, sync workers) on 127.0.0.1, loaded by
a fixed number of concurrent clients, each a logged-in browser session, for a fixed time."""

import contextlib
import http.client
import os
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
def gunicorn(*, workers: int = 4, timeout: float = 60.0):
    """Start gunicorn with the benchmark WSGI app and the current environment (same database); yield the
    port; stop it (SIGTERM, then SIGKILL) whatever happens."""
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
