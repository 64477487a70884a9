# SPDX-License-Identifier: Apache-2.0
"""Starting and stopping the server under test, for conftest.py and the lifecycle tests.

RINGTAIL_TARGET=redis selects Debian's redis-server instead of the Ringtail binary
($RINGTAIL_BIN, else <repo>/build/src/server/ringtail).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis

from raw_client import RawClient

REPO_ROOT = Path(__file__).resolve().parents[2]
TARGET = os.environ.get("RINGTAIL_TARGET", "ringtail")
IS_REDIS = TARGET == "redis"
HOST = "127.0.0.1"
STARTUP_DEADLINE_S = 10.0
SHUTDOWN_DEADLINE_S = 10.0

RINGTAIL_READY = re.compile(r"Ready to accept connections tcp on [^:\s]+:(\d+)")
# Redis 7.0 logs "Ready to accept connections"; 7.2 adds " tcp". We chose its port ourselves.
REDIS_READY = re.compile(r"Ready to accept connections")

if IS_REDIS:
    SHARD_PARAMS, SHARD_IDS = [1], ["redis"]
else:
    SHARD_PARAMS, SHARD_IDS = [1, 4], ["shards1", "shards4"]


def free_port():
    """Returns a TCP port that was free a moment ago (bind to port 0 and release it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ringtail_binary():
    return os.environ.get("RINGTAIL_BIN", str(REPO_ROOT / "build" / "src" / "server" / "ringtail"))


class ServerProcess:
    """A server child process whose combined stdout/stderr is drained by a thread.

    Draining matters: a server that logs into a full pipe would block.
    """

    def __init__(self, shards, extra_args=()):
        self.shards = shards
        self.extra_args = list(extra_args)
        self.host = HOST
        self.port = None
        self.proc = None
        self.is_redis = IS_REDIS
        self.crash_reports = []
        self._lines = []
        self._lock = threading.Lock()

    def start(self):
        self._lines = []
        if IS_REDIS:
            binary = shutil.which("redis-server")
            if binary is None:
                pytest.fail("RINGTAIL_TARGET=redis but redis-server is not on PATH")
            port = free_port()
            argv = [binary, "--port", str(port), "--bind", HOST, "--save", "",
                    "--appendonly", "no"]
            ready = REDIS_READY
        else:
            binary = ringtail_binary()
            if not os.access(binary, os.X_OK):
                pytest.fail("Ringtail binary %s not found or not executable (set RINGTAIL_BIN, "
                            "or RINGTAIL_TARGET=redis to test against redis-server)" % binary)
            port = None
            argv = [binary, "--bind", HOST, "--port", "0", "--shards", str(self.shards)]
            # RINGTAIL_ARGS adds flags to every server, e.g. "--io_backend epoll".
            argv += os.environ.get("RINGTAIL_ARGS", "").split()
            ready = RINGTAIL_READY
        argv += self.extra_args
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        found = threading.Event()
        found_port = []

        def drain():
            for raw_line in self.proc.stdout:
                line = raw_line.decode(errors="replace").rstrip("\n")
                with self._lock:
                    self._lines.append(line)
                if not found.is_set():
                    match = ready.search(line)
                    if match:
                        found_port.append(int(match.group(1)) if match.groups() else port)
                        found.set()

        threading.Thread(target=drain, daemon=True).start()
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while not found.wait(0.02):
            if self.proc.poll() is not None:
                time.sleep(0.1)  # let the drain thread collect the last lines
                pytest.fail("server exited with code %s before it was ready: %s\n%s"
                            % (self.proc.returncode, " ".join(argv), self.output()))
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                pytest.fail("server did not log readiness within %.0fs: %s\n%s"
                            % (STARTUP_DEADLINE_S, " ".join(argv), self.output()))
        self.port = found_port[0]

    def output(self):
        with self._lock:
            return "\n".join(self._lines)

    def is_alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """Sends SIGTERM; returns (exit code or None on timeout, output)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(SHUTDOWN_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        return code, self.output()

    def restart_after_crash(self):
        code = self.proc.returncode
        self.crash_reports.append("exit code %s\n%s" % (code, self.output()))
        self.start()

    def client(self, **kwargs):
        kwargs.setdefault("decode_responses", True)
        kwargs.setdefault("socket_timeout", 10)
        kwargs.setdefault("socket_connect_timeout", 5)
        return redis.Redis(host=self.host, port=self.port, **kwargs)

    def raw(self, timeout=5.0):
        return RawClient(self.host, self.port, timeout=timeout)


def wait_until(predicate, timeout_s=3.0):
    """Polls `predicate` until it holds or `timeout_s` passes; returns its last value."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
