# SPDX-License-Identifier: Apache-2.0
"""Redis's own tools against the server: redis-cli and redis-benchmark run unchanged."""

import re
import shutil
import subprocess

import pytest

TOOL_TIMEOUT_S = 120
BENCHMARK_TESTS = ["PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"]

pytestmark = pytest.mark.skipif(
    shutil.which("redis-cli") is None or shutil.which("redis-benchmark") is None,
    reason="redis-cli / redis-benchmark not installed")


def run(argv):
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TOOL_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail("%s did not finish within %ds; output so far:\n%s"
                    % (" ".join(argv), TOOL_TIMEOUT_S, (exc.output or b"").decode(errors="replace")))
    output = done.stdout.decode(errors="replace")
    assert done.returncode == 0, "%s exited with %d:\n%s" % (" ".join(argv), done.returncode,
                                                            output)
    return output


def cli(server, *args):
    return run(["redis-cli", "-h", server.host, "-p", str(server.port), *args])


def benchmark_results(output):
    """Maps each test name to its requests per second, from `redis-benchmark -q` output."""
    results = {}
    # Progress updates end in \r; final results are the text after the last \r of a line.
    for line in output.replace("\r", "\n").split("\n"):
        found = re.match(r"\s*(.+?): ([\d.]+) requests per second", line)
        if found:
            results[found.group(1)] = float(found.group(2))
    return results


def test_redis_cli_ping(server, r):
    assert cli(server, "ping") == "PONG\n"


def test_redis_cli_set_get(server, r):
    assert cli(server, "set", "a", "b") == "OK\n"
    assert cli(server, "get", "a") == "b\n"
    assert r.get("a") == "b"
    assert cli(server, "incr", "counter") == "1\n"
    assert cli(server, "get", "missing") == "\n"
    assert cli(server, "mset", "x", "1", "y", "2") == "OK\n"
    assert cli(server, "mget", "x", "missing", "y") == "1\n\n2\n"


def test_redis_cli_resp3(server, r):
    assert cli(server, "-3", "ping") == "PONG\n"
    assert cli(server, "-3", "set", "k", "v") == "OK\n"
    assert cli(server, "-3", "get", "k") == "v\n"


def test_redis_cli_info_and_dbsize(server, r):
    r.mset({"k%d" % i: "v" for i in range(10)})
    assert cli(server, "dbsize") == "10\n"
    assert re.search(r"^redis_version:\S+\r?$", cli(server, "info", "server"), re.M)


def test_redis_cli_error_reply(server, r):
    # redis-cli prints an error reply followed by an empty line.
    assert cli(server, "get") == "ERR wrong number of arguments for 'get' command\n\n"


@pytest.mark.parametrize("extra", [[], ["-r", "100000"]], ids=["fixed-keys", "random-keys"])
def test_redis_benchmark(server, r, extra):
    output = run(["redis-benchmark", "-h", server.host, "-p", str(server.port),
                  "-t", "set,get,incr,mset,ping", "-n", "10000", "-q", *extra])
    results = benchmark_results(output)
    for name in BENCHMARK_TESTS:
        assert name in results, "no result for %s in:\n%s" % (name, output)
        assert results[name] > 0, name
    if extra:
        # Random keys "key:000000012345" from SET and MSET, counters from INCR.
        assert r.dbsize() > 1000
        key = r.randomkey()
        assert re.fullmatch(r"(key|counter):\d{12}", key), key
    else:
        assert r.strlen("key:__rand_int__") == 3
        assert int(r.get("counter:__rand_int__")) == 10000
