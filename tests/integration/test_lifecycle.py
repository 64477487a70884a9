# SPDX-License-Identifier: Apache-2.0
"""Process lifecycle: graceful shutdown on SIGTERM with busy clients, startup failures.

Each test starts its own server process rather than using the shared `server` fixture.
"""

import socket
import subprocess
import threading
import time

import pytest
import redis

from raw_client import encode_command
from server_process import (HOST, SHARD_IDS, SHARD_PARAMS, SHUTDOWN_DEADLINE_S, ServerProcess,
                            ringtail_binary)


@pytest.fixture(params=SHARD_PARAMS, ids=SHARD_IDS)
def own_server(request):
    proc = ServerProcess(request.param)
    proc.start()
    yield proc
    if proc.is_alive():
        proc.proc.kill()
        proc.proc.wait()


def assert_clean_exit(proc):
    code, output = proc.stop()
    assert code is not None, "no exit within %.0fs of SIGTERM:\n%s" % (SHUTDOWN_DEADLINE_S,
                                                                       output[-3000:])
    assert code == 0, "exit code %d after SIGTERM:\n%s" % (code, output[-3000:])


def test_sigterm_with_clients_connected(own_server):
    idle = own_server.raw()
    assert idle.call("PING") == b"+PONG\r\n"
    half = own_server.raw()
    half.send(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$100\r\nxx")
    resp3 = own_server.raw()
    resp3.call("HELLO", "3")
    unread = own_server.raw()
    unread.send(b"".join(encode_command("SET", "k%d" % i, "v" * 1000) for i in range(2000)))
    client = own_server.client()
    client.mset({"m%d" % i: "v" for i in range(100)})
    assert_clean_exit(own_server)
    for conn in (idle, half, resp3, unread):
        conn.close()
    client.close()


def test_sigterm_under_load(own_server):
    stop = threading.Event()
    batch = b"".join(encode_command("SET", "load:%d" % i, "x" * 100)
                     + encode_command("MGET", "load:%d" % i, "load:%d" % (i + 1))
                     for i in range(200))

    def hammer():
        while not stop.is_set():
            try:
                conn = own_server.raw(timeout=2)
                for _ in range(50):
                    conn.send(batch)
                    conn.read_replies(400)
                conn.close()
            except (OSError, TimeoutError, ConnectionError):
                return  # the server went away, as it should

    workers = [threading.Thread(target=hammer) for _ in range(4)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    try:
        assert_clean_exit(own_server)
    finally:
        stop.set()
        for w in workers:
            w.join(10)


def wait_for_exit(proc):
    try:
        return proc.proc.wait(SHUTDOWN_DEADLINE_S)
    except subprocess.TimeoutExpired:
        return None


def test_shutdown_bad_options_keep_the_server_running(own_server):
    r = own_server.client()
    for args, message in [(["ABORT"], "No shutdown in progress."),
                          (["FOO"], "syntax error"),
                          (["NOSAVE", "ABORT"], "syntax error"),
                          (["SAVE", "NOSAVE"], "syntax error"),
                          (["NOW", "FOO"], "syntax error")]:
        with pytest.raises(redis.ResponseError) as error:
            r.execute_command("SHUTDOWN", *args)
        assert str(error.value) == message, args
    assert r.ping()
    assert own_server.is_alive()


def test_shutdown_closes_the_connection_and_exits_cleanly(own_server):
    bystander = own_server.raw()
    assert bystander.call("PING") == b"+PONG\r\n"
    r = own_server.client()
    r.set("k", "v")
    with pytest.raises(redis.ConnectionError):
        r.execute_command("SHUTDOWN", "NOSAVE", "NOW")
    assert wait_for_exit(own_server) == 0, own_server.output()[-3000:]
    assert "User requested shutdown" in own_server.output()


def test_redis_cli_shutdown(own_server):
    done = subprocess.run(["redis-cli", "-h", own_server.host, "-p", str(own_server.port),
                           "SHUTDOWN"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=10)
    assert done.returncode == 0, done.stdout
    assert wait_for_exit(own_server) == 0, own_server.output()[-3000:]


@pytest.mark.ringtail_only
def test_shutdown_save_is_refused_without_persistence(own_server):
    r = own_server.client()
    with pytest.raises(redis.ResponseError) as error:
        r.execute_command("SHUTDOWN", "SAVE")
    assert str(error.value) == "Errors trying to SHUTDOWN. Check logs."
    assert r.ping()
    assert "SHUTDOWN SAVE refused" in own_server.output()


def run_expecting_failure(argv):
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("%s kept running; it should have refused to start" % " ".join(argv))
    output = done.stdout.decode(errors="replace")
    assert done.returncode != 0, "%s exited with 0:\n%s" % (" ".join(argv), output)
    assert output.strip(), "%s failed without saying why" % " ".join(argv)
    return output


@pytest.mark.ringtail_only
def test_port_in_use_is_a_startup_error():
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        port = holder.getsockname()[1]
        run_expecting_failure([ringtail_binary(), "--bind", HOST, "--port", str(port),
                               "--shards", "2"])


@pytest.mark.ringtail_only
def test_unknown_flag_is_a_startup_error():
    run_expecting_failure([ringtail_binary(), "--bind", HOST, "--port", "0",
                           "--no-such-flag", "1"])


@pytest.mark.ringtail_only
def test_zero_shards_is_a_startup_error():
    run_expecting_failure([ringtail_binary(), "--bind", HOST, "--port", "0", "--shards", "0"])


@pytest.mark.ringtail_only
def test_ready_line_reports_the_bound_port(own_server):
    client = own_server.client()
    assert client.ping() is True
    assert client.config_get("port") == {"port": str(own_server.port)}
    client.close()
    assert_clean_exit(own_server)


@pytest.mark.ringtail_only
def test_help_explains_every_flag():
    result = subprocess.run([ringtail_binary(), "--help"], capture_output=True, text=True,
                            timeout=10)
    text = result.stdout + result.stderr
    for flag in ("--port", "--bind", "--shards", "--maxclients", "--maxmemory", "--io_backend"):
        assert flag in text, "%s missing from --help:\n%s" % (flag, text)


@pytest.mark.ringtail_only
def test_bad_config_line_is_a_startup_error(tmp_path):
    config = tmp_path / "ringtail.conf"
    config.write_text("port 0\nbind 127.0.0.1\nmaxmemory lots\n")
    result = subprocess.run([ringtail_binary(), str(config)], capture_output=True, text=True,
                            timeout=10)
    assert result.returncode != 0
    assert "line 3" in result.stderr and "maxmemory" in result.stderr, result.stderr


@pytest.mark.ringtail_only
def test_config_file_settings_apply(tmp_path):
    config = tmp_path / "ringtail.conf"
    config.write_text("# a comment\nbind 127.0.0.1\nport 0\nmaxmemory-policy allkeys-lru\n"
                      "hz 20\n")
    # Start by hand: the config file comes first, flags after it.
    args = [ringtail_binary(), str(config), "--shards", "2"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        deadline = time.time() + 10
        while time.time() < deadline and port is None:
            line = child.stdout.readline()
            if "Ready to accept connections tcp on" in line:
                port = int(line.rsplit(":", 1)[1])
        assert port is not None, "no ready line"
        import redis
        client = redis.Redis(host=HOST, port=port, decode_responses=True)
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
        assert client.config_get("hz") == {"hz": "20"}
        assert client.info("server")["shards"] == 2
    finally:
        child.terminate()
        assert child.wait(timeout=10) == 0
