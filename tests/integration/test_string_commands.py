# SPDX-License-Identifier: Apache-2.0
"""String commands, their options and error texts, and multi-key string commands whose keys
span every shard (the dispatcher splits them and merges the replies)."""

import time

import pytest

# Enough keys that, with hash slots spread over 4 shards, every shard owns several of them.
MANY = ["str:%d" % i for i in range(100)]

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"
SYNTAX = "ERR syntax error"


def now_ms():
    return int(time.time() * 1000)


# ---- GET / SET -----------------------------------------------------------------------------

def test_get_set_basic(r, rc):
    assert r.get("missing") is None
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    assert r.set("k", "v2") is True
    assert r.get("k") == "v2"
    assert rc.call("SET", "k2", "hello") == b"+OK\r\n"
    assert rc.call("GET", "k2") == b"$5\r\nhello\r\n"
    assert rc.call("GET", "missing") == b"$-1\r\n"


def test_set_overwrites_ttl_unless_keepttl(r):
    r.set("k", "v", ex=100)
    r.set("k", "v2")
    assert r.ttl("k") == -1
    r.set("k", "v", ex=100)
    assert r.set("k", "v3", keepttl=True) is True
    assert 95 <= r.ttl("k") <= 100
    assert r.get("k") == "v3"


def test_set_ex_px(r):
    assert r.set("ex", "v", ex=100) is True
    assert 95 <= r.ttl("ex") <= 100
    assert r.set("px", "v", px=100000) is True
    assert 95000 <= r.pttl("px") <= 100000


def test_set_exat_pxat(r):
    deadline_s = int(time.time()) + 100
    assert r.set("exat", "v", exat=deadline_s) is True
    assert r.expiretime("exat") == deadline_s
    deadline_ms = now_ms() + 100000
    assert r.set("pxat", "v", pxat=deadline_ms) is True
    assert r.pexpiretime("pxat") == deadline_ms


def test_set_exat_in_the_past_deletes(r):
    r.set("k", "v")
    assert r.set("k", "v2", exat=int(time.time()) - 10) is True
    assert r.exists("k") == 0


def test_set_nx_xx(r, rc):
    assert r.set("k", "v", nx=True) is True
    assert r.set("k", "v2", nx=True) is None
    assert r.get("k") == "v"
    assert r.set("k", "v3", xx=True) is True
    assert r.get("k") == "v3"
    assert r.set("other", "v", xx=True) is None
    assert r.exists("other") == 0
    assert rc.call("SET", "k", "x", "NX") == b"$-1\r\n"


def test_set_get_option(r, rc):
    assert rc.call("SET", "k", "v1", "GET") == b"$-1\r\n"
    assert rc.call("SET", "k", "v2", "GET") == b"$2\r\nv1\r\n"
    assert r.get("k") == "v2"
    # NX GET returns the old value and does not set; XX GET sets and returns the old value.
    assert rc.call("SET", "k", "v3", "NX", "GET") == b"$2\r\nv2\r\n"
    assert r.get("k") == "v2"
    assert rc.call("SET", "k", "v4", "XX", "GET") == b"$2\r\nv2\r\n"
    assert r.get("k") == "v4"
    assert rc.call("SET", "k", "v5", "GET", "EX", "100") == b"$2\r\nv4\r\n"
    assert 95 <= r.ttl("k") <= 100


def test_set_options_case_insensitive(r):
    assert r.execute_command("SET", "k", "v", "ex", "100", "nx") is True
    assert 95 <= r.ttl("k") <= 100


@pytest.mark.parametrize("args,error", [
    (["EX", "0"], "ERR invalid expire time in 'set' command"),
    (["EX", "-1"], "ERR invalid expire time in 'set' command"),
    (["PX", "0"], "ERR invalid expire time in 'set' command"),
    (["EXAT", "0"], "ERR invalid expire time in 'set' command"),
    (["PXAT", "0"], "ERR invalid expire time in 'set' command"),
    (["EX", "9223372036854775807"], "ERR invalid expire time in 'set' command"),
    (["PX", "9223372036854775807"], "ERR invalid expire time in 'set' command"),
    (["EX", "abc"], NOT_INTEGER),
    (["PX", "1.5"], NOT_INTEGER),
    (["EX"], SYNTAX),
    (["NX", "XX"], SYNTAX),
    (["EX", "10", "PX", "10"], SYNTAX),
    (["EX", "10", "EXAT", "10"], SYNTAX),
    (["KEEPTTL", "EX", "10"], SYNTAX),
    (["PX", "10", "KEEPTTL"], SYNTAX),
    (["FOO"], SYNTAX),
])
def test_set_errors(r, rc, args, error):
    r.set("k", "old")
    assert rc.call_error("SET", "k", "v", *args) == error
    assert r.get("k") == "old"


def test_set_arity(rc):
    assert rc.call_error("SET", "k") == "ERR wrong number of arguments for 'set' command"
    assert rc.call_error("GET") == "ERR wrong number of arguments for 'get' command"
    assert rc.call_error("GET", "a", "b") == "ERR wrong number of arguments for 'get' command"


# ---- SETNX / SETEX / PSETEX / GETSET / GETDEL / GETEX ---------------------------------------

def test_setnx(r, rc):
    assert rc.call("SETNX", "k", "v") == b":1\r\n"
    assert rc.call("SETNX", "k", "v2") == b":0\r\n"
    assert r.get("k") == "v"


def test_setex_psetex(r, rc):
    assert rc.call("SETEX", "k", "100", "v") == b"+OK\r\n"
    assert r.get("k") == "v"
    assert 95 <= r.ttl("k") <= 100
    assert rc.call("PSETEX", "p", "100000", "v") == b"+OK\r\n"
    assert 95000 <= r.pttl("p") <= 100000
    assert rc.call_error("SETEX", "k", "0", "v") == "ERR invalid expire time in 'setex' command"
    assert rc.call_error("SETEX", "k", "-5", "v") == "ERR invalid expire time in 'setex' command"
    assert rc.call_error("PSETEX", "k", "0", "v") == (
        "ERR invalid expire time in 'psetex' command")
    assert rc.call_error("SETEX", "k", "abc", "v") == NOT_INTEGER
    assert rc.call_error("SETEX", "k", "10") == (
        "ERR wrong number of arguments for 'setex' command")


def test_getset(r, rc):
    assert rc.call("GETSET", "k", "a") == b"$-1\r\n"
    assert rc.call("GETSET", "k", "b") == b"$1\r\na\r\n"
    r.set("t", "v", ex=100)
    r.getset("t", "w")
    assert r.ttl("t") == -1


def test_getdel(r, rc):
    r.set("k", "v")
    assert rc.call("GETDEL", "k") == b"$1\r\nv\r\n"
    assert r.exists("k") == 0
    assert rc.call("GETDEL", "k") == b"$-1\r\n"


def test_getex(r, rc):
    r.set("k", "v")
    assert rc.call("GETEX", "k") == b"$1\r\nv\r\n"
    assert r.ttl("k") == -1
    assert rc.call("GETEX", "k", "EX", "100") == b"$1\r\nv\r\n"
    assert 95 <= r.ttl("k") <= 100
    assert rc.call("GETEX", "k", "PX", "50000") == b"$1\r\nv\r\n"
    assert 45000 <= r.pttl("k") <= 50000
    deadline_s = int(time.time()) + 200
    assert rc.call("GETEX", "k", "EXAT", deadline_s) == b"$1\r\nv\r\n"
    assert r.expiretime("k") == deadline_s
    deadline_ms = now_ms() + 300000
    assert rc.call("GETEX", "k", "PXAT", deadline_ms) == b"$1\r\nv\r\n"
    assert r.pexpiretime("k") == deadline_ms
    assert rc.call("GETEX", "k", "PERSIST") == b"$1\r\nv\r\n"
    assert r.ttl("k") == -1
    assert rc.call("GETEX", "missing", "EX", "10") == b"$-1\r\n"
    assert r.exists("missing") == 0


def test_getex_errors(r, rc):
    r.set("k", "v")
    assert rc.call_error("GETEX", "k", "EX", "0") == "ERR invalid expire time in 'getex' command"
    assert rc.call_error("GETEX", "k", "PX", "-1") == (
        "ERR invalid expire time in 'getex' command")
    assert rc.call_error("GETEX", "k", "EX", "x") == NOT_INTEGER
    assert rc.call_error("GETEX", "k", "PERSIST", "EX", "10") == SYNTAX
    assert rc.call_error("GETEX", "k", "EX", "10", "PX", "10") == SYNTAX
    assert rc.call_error("GETEX", "k", "PX") == SYNTAX
    assert rc.call_error("GETEX", "k", "FOO") == SYNTAX
    assert rc.call_error("GETEX") == "ERR wrong number of arguments for 'getex' command"
    assert r.ttl("k") == -1


def test_getex_exat_in_the_past_deletes(r, rc):
    r.set("k", "v")
    assert rc.call("GETEX", "k", "EXAT", int(time.time()) - 10) == b"$1\r\nv\r\n"
    assert r.exists("k") == 0


# ---- MGET / MSET / MSETNX across shards -----------------------------------------------------

def test_mget_mset_across_shards(r):
    assert r.mset({k: "val-" + k for k in MANY}) is True
    assert r.mget(MANY) == ["val-" + k for k in MANY]
    mixed = []
    for i, key in enumerate(MANY):
        mixed.append(key)
        if i % 3 == 0:
            mixed.append("absent:%d" % i)
    expected = [None if k.startswith("absent") else "val-" + k for k in mixed]
    assert r.mget(mixed) == expected


def test_mget_reversed_and_repeated_keys(r):
    r.mset({k: k for k in MANY})
    keys = list(reversed(MANY)) + MANY[:10] + MANY[:10]
    assert r.mget(keys) == keys


def test_mget_exact_reply(r, rc):
    r.mset({"a": "1", "c": "333"})
    assert rc.call("MGET", "a", "b", "c") == b"*3\r\n$1\r\n1\r\n$-1\r\n$3\r\n333\r\n"
    assert rc.call_error("MGET") == "ERR wrong number of arguments for 'mget' command"


def test_mset_last_value_wins_for_duplicate_keys(r):
    r.execute_command("MSET", "dup", "1", "other", "x", "dup", "2")
    assert r.get("dup") == "2"


def test_mset_errors(rc):
    assert rc.call_error("MSET", "a") == "ERR wrong number of arguments for 'mset' command"
    assert rc.call_error("MSET", "a", "1", "b") == (
        "ERR wrong number of arguments for 'mset' command")
    assert rc.call_error("MSETNX", "a", "1", "b") == (
        "ERR wrong number of arguments for 'msetnx' command")


def test_mset_clears_ttl(r):
    r.set(MANY[0], "v", ex=100)
    r.mset({MANY[0]: "w", MANY[1]: "w"})
    assert r.ttl(MANY[0]) == -1


def test_msetnx_all_or_nothing_across_shards(r, rc):
    assert r.msetnx({k: "first" for k in MANY}) is True
    assert r.mget(MANY) == ["first"] * len(MANY)
    fresh = ["fresh:%d" % i for i in range(50)]
    # One existing key (on some shard) blocks the whole command.
    mapping = {k: "second" for k in fresh}
    mapping[MANY[37]] = "second"
    assert r.msetnx(mapping) is False
    assert r.exists(*fresh) == 0
    assert r.get(MANY[37]) == "first"
    assert rc.call("MSETNX", "n1", "1", "n2", "2") == b":1\r\n"
    assert rc.call("MSETNX", "n2", "x", "n3", "3") == b":0\r\n"


def test_del_exists_across_shards(r):
    r.mset({k: "v" for k in MANY})
    assert r.exists(*MANY) == 100
    assert r.exists(*(MANY + ["nope:1", "nope:2"])) == 100
    # EXISTS counts a key once per mention.
    assert r.exists(MANY[0], MANY[0], MANY[1]) == 3
    assert r.delete(*(MANY[:60] + ["nope:3"])) == 60
    assert r.exists(*MANY) == 40
    assert r.mget(MANY[58:62]) == [None, None, "v", "v"]
    assert r.delete(*MANY) == 40
    assert r.dbsize() == 0


# ---- INCR family ---------------------------------------------------------------------------

def test_incr_decr(r, rc):
    assert rc.call("INCR", "n") == b":1\r\n"
    assert rc.call("INCR", "n") == b":2\r\n"
    assert rc.call("DECR", "n") == b":1\r\n"
    assert rc.call("INCRBY", "n", "10") == b":11\r\n"
    assert rc.call("DECRBY", "n", "20") == b":-9\r\n"
    assert rc.call("INCRBY", "n", "-1") == b":-10\r\n"
    assert r.get("n") == "-10"
    assert rc.call("DECR", "fresh") == b":-1\r\n"


def test_incr_keeps_ttl(r):
    r.set("n", "5", ex=100)
    assert r.incr("n") == 6
    assert 95 <= r.ttl("n") <= 100


def test_incr_limits(r, rc):
    r.set("n", "9223372036854775807")
    assert rc.call_error("INCR", "n") == "ERR increment or decrement would overflow"
    assert rc.call_error("INCRBY", "n", "1") == "ERR increment or decrement would overflow"
    r.set("n", "-9223372036854775808")
    assert rc.call_error("DECR", "n") == "ERR increment or decrement would overflow"
    assert rc.call_error("DECRBY", "n", "9223372036854775807") == (
        "ERR increment or decrement would overflow")
    assert rc.call_error("DECRBY", "x", "-9223372036854775808") == (
        "ERR decrement would overflow")
    assert rc.call("INCRBY", "y", "-9223372036854775808") == b":-9223372036854775808\r\n"
    assert r.get("n") == "-9223372036854775808"


@pytest.mark.parametrize("value", ["abc", "1.5", " 1", "01", "+1", "", "99999999999999999999"])
def test_incr_non_integer_value(r, rc, value):
    r.set("n", value)
    assert rc.call_error("INCR", "n") == NOT_INTEGER
    assert r.get("n") == value


def test_incr_bad_increment(rc):
    assert rc.call_error("INCRBY", "n", "abc") == NOT_INTEGER
    assert rc.call_error("INCRBY", "n", "9223372036854775808") == NOT_INTEGER
    assert rc.call_error("DECRBY", "n", "1.0") == NOT_INTEGER
    assert rc.call_error("INCR") == "ERR wrong number of arguments for 'incr' command"


def test_incrbyfloat(r, rc):
    r.set("f", "10.50")
    assert rc.call("INCRBYFLOAT", "f", "0.1") == b"$4\r\n10.6\r\n"
    assert rc.call("INCRBYFLOAT", "f", "-5") == b"$3\r\n5.6\r\n"
    r.set("f", "5.0e3")
    assert rc.call("INCRBYFLOAT", "f", "2.0e2") == b"$4\r\n5200\r\n"
    assert rc.call("INCRBYFLOAT", "new", "1.5") == b"$3\r\n1.5\r\n"
    assert rc.call("INCRBYFLOAT", "new", "-1.5") == b"$1\r\n0\r\n"
    r.set("i", "3")
    assert rc.call("INCRBYFLOAT", "i", "1") == b"$1\r\n4\r\n"
    assert r.get("i") == "4"


def test_incrbyfloat_errors(r, rc):
    r.set("s", "abc")
    assert rc.call_error("INCRBYFLOAT", "s", "1") == "ERR value is not a valid float"
    r.set("f", "1")
    assert rc.call_error("INCRBYFLOAT", "f", "abc") == "ERR value is not a valid float"
    assert rc.call_error("INCRBYFLOAT", "f", "nan") == "ERR value is not a valid float"
    assert rc.call_error("INCRBYFLOAT", "f", "inf") == (
        "ERR increment would produce NaN or Infinity")
    assert r.get("f") == "1"


def test_incrbyfloat_in_resp3_is_a_bulk_string(rc):
    rc.call("HELLO", "3")
    assert rc.call("INCRBYFLOAT", "f", "2.5") == b"$3\r\n2.5\r\n"


# ---- APPEND / STRLEN / GETRANGE / SETRANGE ---------------------------------------------------

def test_append_strlen(r, rc):
    assert rc.call("APPEND", "k", "Hello") == b":5\r\n"
    assert rc.call("APPEND", "k", " World") == b":11\r\n"
    assert r.get("k") == "Hello World"
    assert rc.call("STRLEN", "k") == b":11\r\n"
    assert rc.call("STRLEN", "missing") == b":0\r\n"
    assert rc.call("APPEND", "k", "") == b":11\r\n"
    r.set("n", "12")
    assert r.incr("n") == 13
    assert r.append("n", "4") == 3
    assert r.get("n") == "134"
    assert r.strlen("n") == 3


def test_append_keeps_ttl(r):
    r.set("k", "v", ex=100)
    r.append("k", "w")
    assert 95 <= r.ttl("k") <= 100


@pytest.mark.parametrize("start,end,expected", [
    (0, 4, "Hello"),
    (-3, -1, "rld"),
    (0, -1, "Hello World"),
    (5, 2, ""),
    (-100, 100, "Hello World"),
    (0, -100, "H"),
    (20, 30, ""),
    (6, 6, "W"),
    (10, 10, "d"),
])
def test_getrange(r, start, end, expected):
    r.set("k", "Hello World")
    assert r.getrange("k", start, end) == expected


def test_getrange_missing_and_errors(rc):
    assert rc.call("GETRANGE", "missing", "0", "-1") == b"$0\r\n\r\n"
    assert rc.call_error("GETRANGE", "k", "0", "abc") == NOT_INTEGER
    assert rc.call_error("GETRANGE", "k", "0") == (
        "ERR wrong number of arguments for 'getrange' command")


def test_setrange(r, rc):
    r.set("k", "Hello World")
    assert rc.call("SETRANGE", "k", "6", "Redis") == b":11\r\n"
    assert r.get("k") == "Hello Redis"
    assert rc.call("SETRANGE", "k", "11", "!!") == b":13\r\n"
    assert r.get("k") == "Hello Redis!!"
    # Padding with zero bytes, also on a missing key.
    assert rc.call("SETRANGE", "pad", "3", "x") == b":4\r\n"
    assert rc.call("GET", "pad") == b"$4\r\n\x00\x00\x00x\r\n"


def test_setrange_empty_value(r, rc):
    # An empty value on a missing key creates nothing; on an existing key it changes nothing.
    assert rc.call("SETRANGE", "missing", "5", "") == b":0\r\n"
    assert r.exists("missing") == 0
    r.set("k", "abc")
    assert rc.call("SETRANGE", "k", "10", "") == b":3\r\n"
    assert r.get("k") == "abc"


def test_setrange_errors(r, rc):
    assert rc.call_error("SETRANGE", "k", "-1", "x") == "ERR offset is out of range"
    assert rc.call_error("SETRANGE", "k", "536870912", "x") == (
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)")
    assert rc.call_error("SETRANGE", "k", "abc", "x") == NOT_INTEGER
    assert r.exists("k") == 0


def test_setrange_keeps_ttl(r):
    r.set("k", "abc", ex=100)
    r.setrange("k", 1, "X")
    assert r.get("k") == "aXc"
    assert 95 <= r.ttl("k") <= 100


# ---- Type errors -----------------------------------------------------------------------------

def test_string_commands_on_wrong_type(r, rc):
    reply = rc.call("LPUSH", "list", "a")
    if reply.startswith(b"-ERR unknown command"):
        pytest.skip("LPUSH is not implemented yet, so there is no non-string key to test with")
    assert reply == b":1\r\n"
    for args in (["GET", "list"], ["SET", "list", "x", "GET"], ["GETRANGE", "list", "0", "1"],
                 ["INCR", "list"], ["INCRBYFLOAT", "list", "1"], ["STRLEN", "list"],
                 ["APPEND", "list", "x"], ["SETRANGE", "list", "0", "x"], ["GETDEL", "list"],
                 ["GETEX", "list"], ["GETSET", "list", "x"]):
        assert rc.call_error(*args) == WRONGTYPE, args
    # MGET reports a nil for it instead; SET without GET overwrites it.
    assert rc.call("MGET", "list") == b"*1\r\n$-1\r\n"
    assert rc.call("SET", "list", "x") == b"+OK\r\n"
    assert r.get("list") == "x"
