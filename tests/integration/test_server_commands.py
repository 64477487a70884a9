# SPDX-License-Identifier: Apache-2.0
"""Server commands: COMMAND, CONFIG, INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME."""

import re
import time

import pytest

from raw_client import parse

KEYS_ON_EVERY_SHARD = ["srv:%d" % i for i in range(64)]


def info_text(rc, *sections):
    """Returns INFO's text as the server sent it (RESP2 bulk), without redis-py's parsing."""
    frame = rc.call("INFO", *sections)
    assert frame.startswith(b"$"), frame[:200]
    return parse(frame).decode()


def info_fields(text):
    fields = {}
    for line in text.split("\r\n"):
        if line and not line.startswith("#"):
            key, _, value = line.partition(":")
            fields[key] = value
    return fields


# ---- COMMAND -------------------------------------------------------------------------------

def test_command_count_matches_command_output(rc):
    count = parse(rc.call("COMMAND", "COUNT"))
    assert isinstance(count, int) and count >= 30
    everything = parse(rc.call("COMMAND"))
    assert len(everything) == count
    names = {entry[0] for entry in everything}
    assert {b"get", b"set", b"mget", b"del", b"ping", b"command", b"config"} <= names


@pytest.mark.parametrize("name,arity,flags,first,last,step", [
    ("get", 2, {"readonly", "fast"}, 1, 1, 1),
    ("set", -3, {"write", "denyoom"}, 1, 1, 1),
    ("mset", -3, {"write", "denyoom"}, 1, -1, 2),
    ("mget", -2, {"readonly", "fast"}, 1, -1, 1),
    ("del", -2, {"write"}, 1, -1, 1),
    ("incr", 2, {"write", "denyoom", "fast"}, 1, 1, 1),
    ("ping", -1, {"fast"}, 0, 0, 0),
    ("dbsize", 1, {"readonly", "fast"}, 0, 0, 0),
])
def test_command_info(rc, name, arity, flags, first, last, step):
    (entry,) = parse(rc.call("COMMAND", "INFO", name))
    assert entry[0] == name.encode()
    assert entry[1] == arity
    assert {f.decode() for f in entry[2]} == flags
    assert entry[3:6] == [first, last, step]
    assert all(cat.startswith(b"@") for cat in entry[6])


def test_command_info_several_and_unknown(rc):
    reply = parse(rc.call("COMMAND", "INFO", "get", "nosuchcommand", "SET"))
    assert len(reply) == 3
    assert reply[0][0] == b"get"
    assert reply[1] is None
    assert reply[2][0] == b"set"
    assert rc.call("COMMAND", "INFO", "nosuchcommand") == b"*1\r\n$-1\r\n"


def test_command_info_resp3_uses_sets_for_flags(rc):
    rc.call("HELLO", "3")
    frame = rc.call("COMMAND", "INFO", "get")
    assert frame.startswith(b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n")


def test_command_docs(rc):
    docs = parse(rc.call("COMMAND", "DOCS", "get"))
    assert docs[0] == b"get"
    fields = dict(zip([k.decode() for k in docs[1][0::2]], docs[1][1::2]))
    assert fields["summary"] == b"Get the value of a key"
    assert fields["since"] == b"1.0.0"
    assert fields["group"] == b"string"
    assert rc.call("COMMAND", "DOCS", "nosuchcommand") == b"*0\r\n"


def test_command_docs_resp3_is_a_map(rc):
    rc.call("HELLO", "3")
    docs = parse(rc.call("COMMAND", "DOCS", "get"))
    assert list(docs) == ["get"]
    assert docs["get"]["group"] == b"string"


@pytest.mark.parametrize("args,keys", [
    (["GET", "a"], ["a"]),
    (["SET", "a", "b", "EX", "10"], ["a"]),
    (["MSET", "a", "1", "b", "2", "c", "3"], ["a", "b", "c"]),
    (["MGET", "x", "y"], ["x", "y"]),
    (["DEL", "a", "b", "c"], ["a", "b", "c"]),
    (["GETEX", "a", "EX", "10"], ["a"]),
])
def test_command_getkeys(rc, args, keys):
    assert parse(rc.call("COMMAND", "GETKEYS", *args)) == [k.encode() for k in keys]


def test_command_getkeys_errors(rc):
    assert rc.call_error("COMMAND", "GETKEYS", "PING", "x") == (
        "ERR The command has no key arguments")
    assert rc.call_error("COMMAND", "GETKEYS", "nosuchcommand", "x") == (
        "ERR Invalid command specified")
    assert rc.call_error("COMMAND", "GETKEYS", "GET", "a", "b") == (
        "ERR Invalid number of arguments specified for command")
    assert rc.call_error("COMMAND", "GETKEYS", "GET") == (
        "ERR wrong number of arguments for 'command|getkeys' command")
    assert rc.call_error("COMMAND", "GETKEYS") == (
        "ERR wrong number of arguments for 'command|getkeys' command")


def test_command_list(rc):
    names = {n.decode() for n in parse(rc.call("COMMAND", "LIST"))}
    assert {"get", "set", "mget", "mset", "del", "scan", "config|get", "client|id"} <= names
    filtered = {n.decode() for n in parse(
        rc.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "get*"))}
    assert {"get", "getdel", "getex", "getrange", "getset"} <= filtered
    assert all(n.startswith("get") for n in filtered)


def test_command_unknown_subcommand(rc):
    assert rc.call_error("COMMAND", "FOO") == "ERR unknown subcommand 'FOO'. Try COMMAND HELP."
    assert rc.call_error("COMMAND", "COUNT", "x") == (
        "ERR wrong number of arguments for 'command|count' command")


# ---- CONFIG --------------------------------------------------------------------------------

def test_config_get_single(r, server):
    assert r.config_get("maxmemory") == {"maxmemory": "0"}
    assert r.config_get("save") == {"save": ""}
    assert r.config_get("appendonly") == {"appendonly": "no"}
    assert r.config_get("port") == {"port": str(server.port)}


def test_config_get_exact_bytes(rc):
    assert rc.call("CONFIG", "GET", "maxmemory") == b"*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"
    assert rc.call("CONFIG", "GET", "nosuchoption") == b"*0\r\n"
    rc.call("HELLO", "3")
    assert rc.call("CONFIG", "GET", "maxmemory") == b"%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"


def test_config_get_glob(r):
    found = r.config_get("maxmemory*")
    assert {"maxmemory", "maxmemory-policy"} <= set(found)
    assert all(name.startswith("maxmemory") for name in found)
    assert found["maxmemory-policy"] == "noeviction"
    found = r.config_get("*port")
    assert "port" in found and all(name.endswith("port") for name in found)
    assert r.config_get("nosuch*") == {}


def test_config_get_several_parameters(rc, server):
    reply = parse(rc.call("CONFIG", "GET", "maxmemory", "port"))
    assert dict(zip(reply[0::2], reply[1::2])) == {
        b"maxmemory": b"0", b"port": str(server.port).encode()}
    assert rc.call_error("CONFIG", "GET") == (
        "ERR wrong number of arguments for 'config|get' command")


def test_config_set_maxmemory(r, rc):
    try:
        assert r.config_set("maxmemory", "100mb") is True
        assert r.config_get("maxmemory") == {"maxmemory": "104857600"}
        assert r.info("memory")["maxmemory"] == 104857600
        assert r.config_set("maxmemory", "12345") is True
        assert r.config_get("maxmemory") == {"maxmemory": "12345"}
        assert rc.call_error("CONFIG", "SET", "maxmemory", "abc") == (
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
            "argument must be a memory value")
        assert r.config_get("maxmemory") == {"maxmemory": "12345"}
    finally:
        r.config_set("maxmemory", "0")
    assert r.config_get("maxmemory") == {"maxmemory": "0"}


def test_config_set_unknown_option(rc):
    assert rc.call_error("CONFIG", "SET", "nosuchoption", "1") == (
        "ERR Unknown option or number of arguments for CONFIG SET - 'nosuchoption'")
    assert rc.call_error("CONFIG", "FOO") == "ERR unknown subcommand 'FOO'. Try CONFIG HELP."


# ---- INFO ----------------------------------------------------------------------------------

@pytest.mark.ringtail_only
def test_loop_iteration_statistics(r, rc):
    """max_loop_iteration_usec always; its CPU-time twin only while loop-cpu-stats is on."""
    assert r.config_get("loop-cpu-stats") == {"loop-cpu-stats": "no"}
    assert rc.call_error("CONFIG", "SET", "loop-cpu-stats", "maybe") == (
        "ERR CONFIG SET failed (possibly related to argument 'loop-cpu-stats') - "
        "argument must be 'yes' or 'no'")
    r.mset({"loop:%d" % i: "v" for i in range(20000)})
    r.config_resetstat()
    r.keys("loop:*")  # a millisecond or more of work in one iteration
    stats = info_fields(info_text(rc, "stats"))
    assert int(stats["max_loop_iteration_usec"]) > 0
    assert stats["max_loop_iteration_cpu_usec"] == "0"
    try:
        assert r.config_set("loop-cpu-stats", "yes")
        r.config_resetstat()
        r.keys("loop:*")
        stats = info_fields(info_text(rc, "stats"))
        cpu_us = int(stats["max_loop_iteration_cpu_usec"])
        assert 0 < cpu_us <= int(stats["max_loop_iteration_usec"]) + 1000
    finally:
        r.config_set("loop-cpu-stats", "no")


def test_info_default_sections(rc):
    text = info_text(rc)
    headers = re.findall(r"^# (\w+)\r$", text, re.M)
    for section in ["Server", "Clients", "Memory", "Stats", "Keyspace"]:
        assert section in headers
    assert "Commandstats" not in headers


def test_info_server(rc, server):
    text = info_text(rc, "server")
    assert text.startswith("# Server\r\n")
    fields = info_fields(text)
    assert re.fullmatch(r"\d+\.\d+\.\d+", fields["redis_version"])
    assert fields["redis_mode"] == "standalone"
    assert fields["tcp_port"] == str(server.port)
    assert int(fields["process_id"]) == server.proc.pid
    assert int(fields["uptime_in_seconds"]) >= 0
    assert re.fullmatch(r"[0-9a-f]{40}", fields["run_id"])


def test_info_sections_are_case_insensitive_and_combinable(rc):
    text = info_text(rc, "SERVER", "clients")
    assert re.findall(r"^# (\w+)\r$", text, re.M) == ["Server", "Clients"]
    assert info_text(rc, "nosuchsection") == ""


def test_info_clients(r):
    fields = r.info("clients")
    assert fields["connected_clients"] >= 1
    assert "blocked_clients" in fields
    assert "maxclients" in fields


def test_info_memory(r):
    fields = r.info("memory")
    assert fields["used_memory"] > 0
    assert re.fullmatch(r"\d+(\.\d+)?[BKMG]", fields["used_memory_human"])
    assert fields["maxmemory"] == 0
    assert fields["maxmemory_policy"] == "noeviction"


def test_info_used_memory_grows_with_data(r):
    before = r.info("memory")["used_memory"]
    value = "v" * 10000
    pipe = r.pipeline(transaction=False)
    for i in range(1000):
        pipe.set("mem:%d" % i, value)
    pipe.execute()
    after = r.info("memory")["used_memory"]
    assert after - before > 5_000_000, (before, after)


def test_info_stats_counts_commands_and_hits(r):
    r.set("hit", "1")
    before = r.info("stats")
    for _ in range(3):
        assert r.get("hit") == "1"
    for _ in range(2):
        assert r.get("miss") is None
    after = r.info("stats")
    assert after["keyspace_hits"] - before["keyspace_hits"] == 3
    assert after["keyspace_misses"] - before["keyspace_misses"] == 2
    # The five GETs and the first INFO (counted when it ends).
    assert after["total_commands_processed"] - before["total_commands_processed"] >= 5
    assert after["total_connections_received"] >= 1
    assert "expired_keys" in after and "evicted_keys" in after


def test_info_keyspace(r, rc, client):
    assert info_text(rc, "keyspace") == "# Keyspace\r\n"
    r.mset({k: "v" for k in KEYS_ON_EVERY_SHARD})
    for key in KEYS_ON_EVERY_SHARD[:10]:
        r.expire(key, 1000)
    client(db=3).set("other", "x")
    text = info_text(rc, "keyspace")
    lines = text.split("\r\n")
    assert lines[0] == "# Keyspace"
    assert re.fullmatch(r"db0:keys=64,expires=10,avg_ttl=\d+", lines[1]), lines[1]
    assert re.fullmatch(r"db3:keys=1,expires=0,avg_ttl=0", lines[2]), lines[2]
    assert lines[3:] == [""]


def test_info_commandstats(r, rc):
    def get_calls():
        found = re.search(r"^cmdstat_get:calls=(\d+),usec=\d+,usec_per_call=\d+\.\d\d,"
                          r"rejected_calls=\d+,failed_calls=\d+\r$",
                          info_text(rc, "commandstats"), re.M)
        return int(found.group(1)) if found else 0

    before = get_calls()
    for i in range(7):
        r.get("cs:%d" % i)
    assert get_calls() == before + 7
    text = info_text(rc, "commandstats")
    assert text.startswith("# Commandstats\r\n")
    assert re.search(r"^cmdstat_info:calls=\d+", text, re.M)


def test_info_everything_includes_commandstats(rc):
    headers = re.findall(r"^# (\w+)\r$", info_text(rc, "everything"), re.M)
    assert "Commandstats" in headers and "Keyspace" in headers


def test_info_is_verbatim_in_resp3(rc):
    rc.call("HELLO", "3")
    frame = rc.call("INFO", "server")
    assert frame.startswith(b"=")
    text = parse(frame)
    assert text.format == "txt" and text.startswith("# Server\r\n")


# ---- DBSIZE / FLUSHDB / FLUSHALL / TIME -----------------------------------------------------

def test_dbsize_counts_keys_on_every_shard(r, rc):
    assert r.dbsize() == 0
    r.mset({k: "v" for k in KEYS_ON_EVERY_SHARD})
    assert r.dbsize() == 64
    r.delete(*KEYS_ON_EVERY_SHARD[:14])
    assert r.dbsize() == 50
    assert rc.call_error("DBSIZE", "x") == "ERR wrong number of arguments for 'dbsize' command"


def test_flushdb_clears_only_the_selected_db(client):
    db0, db1 = client(db=0), client(db=1)
    db0.mset({k: "0" for k in KEYS_ON_EVERY_SHARD})
    db1.mset({k: "1" for k in KEYS_ON_EVERY_SHARD})
    assert db1.flushdb() is True
    assert db1.dbsize() == 0
    assert db0.dbsize() == 64
    assert db0.execute_command("FLUSHDB", "ASYNC") is True
    assert db0.dbsize() == 0
    assert db0.execute_command("FLUSHDB", "SYNC") is True


def test_flushall_clears_every_db(client, rc):
    dbs = [client(db=n) for n in (0, 7, 15)]
    for db in dbs:
        db.mset({k: "x" for k in KEYS_ON_EVERY_SHARD})
    assert dbs[1].flushall() is True
    assert [db.dbsize() for db in dbs] == [0, 0, 0]
    assert rc.call("FLUSHALL", "SYNC") == b"+OK\r\n"
    assert rc.call("FLUSHALL", "ASYNC") == b"+OK\r\n"
    assert rc.call_error("FLUSHALL", "FOO") == "ERR syntax error"
    assert rc.call_error("FLUSHDB", "FOO") == "ERR syntax error"


def test_flushall_removes_expiring_keys(r):
    r.set("ttl:a", "1", ex=100)
    r.flushall()
    assert r.exists("ttl:a") == 0
    assert r.info("keyspace") == {}


def test_time(r, rc):
    seconds, micros = r.time()
    assert abs(seconds + micros / 1e6 - time.time()) < 5
    assert 0 <= micros < 1_000_000
    reply = parse(rc.call("TIME"))
    assert len(reply) == 2 and all(isinstance(part, bytes) for part in reply)
    assert rc.call_error("TIME", "x") == "ERR wrong number of arguments for 'time' command"
