# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the integration suite: a server process per module, a clean keyspace per test.

By default the suite starts the built Ringtail binary ($RINGTAIL_BIN, else
<repo>/build/src/server/ringtail) once per test module for each shard count (1 and 4). With
RINGTAIL_TARGET=redis it starts Debian's `redis-server` instead, which is how the expected
replies are checked: every test must pass against real Redis, except those marked
`ringtail_only`.

Fixtures:
  server      module scope; a running server (host, port, shards, output()).
  r           function scope; a fresh redis-py client (decode_responses=True) on an empty
              keyspace (FLUSHALL before the test). Also checks after the test that the server
              is still alive, and restarts it for the next test if it is not.
  client      factory for more redis-py clients: client(db=3, decode_responses=False).
  raw         factory for RawClient connections (raw_client.py): raw(), raw(timeout=2).
  rc          one RawClient (RESP2) on the clean server, for exact reply bytes and error texts.
  rc3         the same after HELLO 3 (RESP3).
  set_config  set_config(name, value): CONFIG SET for one test; the old values are put back.
"""

import time

import pytest

from raw_client import parse
from server_process import IS_REDIS, SHARD_IDS, SHARD_PARAMS, SHUTDOWN_DEADLINE_S, ServerProcess


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "ringtail_only: Ringtail-specific behaviour; skipped with RINGTAIL_TARGET=redis")


def pytest_collection_modifyitems(config, items):
    if not IS_REDIS:
        return
    skip = pytest.mark.skip(reason="Ringtail-only test (RINGTAIL_TARGET=redis)")
    for item in items:
        if "ringtail_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module", params=SHARD_PARAMS, ids=SHARD_IDS)
def server(request):
    proc = ServerProcess(request.param)
    proc.start()
    yield proc
    if not proc.is_alive():
        pytest.fail("server died (exit code %s) before teardown:\n%s"
                    % (proc.proc.returncode, proc.output()))
    code, output = proc.stop()
    assert code is not None, "server did not exit within %.0fs of SIGTERM:\n%s" % (
        SHUTDOWN_DEADLINE_S, output)
    assert code == 0, "server exited with code %d after SIGTERM:\n%s" % (code, output)


@pytest.fixture
def r(server):
    if not server.is_alive():
        # An earlier test crashed it (and failed for that); give this test a fresh process.
        server.restart_after_crash()
    client = server.client()
    client.flushall()
    yield client
    client.close()
    if not server.is_alive():
        time.sleep(0.1)
        pytest.fail("server died during this test (exit code %s):\n%s"
                    % (server.proc.returncode, server.output()[-5000:]))


@pytest.fixture
def client(server, r):
    made = []

    def make(**kwargs):
        made.append(server.client(**kwargs))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.fixture
def raw(server, r):
    made = []

    def make(timeout=5.0):
        made.append(server.raw(timeout=timeout))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.fixture
def rc(raw):
    return raw()


@pytest.fixture
def rc3(rc):
    assert parse(rc.call("HELLO", "3"))["proto"] == 3
    return rc


@pytest.fixture
def set_config(r):
    saved = {}

    def apply(name, value):
        if name not in saved:
            saved[name] = r.config_get(name)[name]
        r.config_set(name, value)

    yield apply
    for name, value in saved.items():
        r.config_set(name, value)
