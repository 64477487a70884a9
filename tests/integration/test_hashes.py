# SPDX-License-Identifier: Apache-2.0
"""Hash commands: replies, error texts, WRONGTYPE, RESP3 shapes, encodings and HSCAN.

Exact bytes (error texts, RESP3 maps and pair arrays) go through the raw client; redis-py 4.x
speaks only RESP2, so RESP3 is reached with HELLO 3 on a raw connection. The hashtable order of
fields is not Redis's, so only listpack hashes (insertion order in both) are compared in order.
"""

import pytest

from raw_client import parse
from server_process import wait_until

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = "ERR syntax error"
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
HASH_NOT_INTEGER = "ERR hash value is not an integer"
HASH_NOT_FLOAT = "ERR hash value is not a float"
OVERFLOW = "ERR increment or decrement would overflow"
NAN_OR_INF = "ERR value is NaN or Infinity"
WOULD_BE_NAN = "ERR increment would produce NaN or Infinity"
COUNT_RANGE = ("ERR value is out of range, value must between -9223372036854775807 and "
               "9223372036854775807")
WITHVALUES_RANGE = "ERR value is out of range"
INVALID_CURSOR = "ERR invalid cursor"


def fill(r, key, n, prefix="f"):
    """Adds n fields <prefix><i> -> v<i> in a few HSETs."""
    mapping = {"%s%d" % (prefix, i): "v%d" % i for i in range(n)}
    items = list(mapping.items())
    for start in range(0, len(items), 1000):
        r.hset(key, mapping=dict(items[start:start + 1000]))
    return mapping


def wrong_args(command):
    return "ERR wrong number of arguments for '%s' command" % command


# ---- HSET / HGET / HMSET / HMGET / HSETNX ---------------------------------------------------

def test_hset_hget(r, rc):
    assert r.hset("h", "a", "1") == 1
    assert r.hset("h", mapping={"a": "2", "b": "3", "c": "4"}) == 2
    assert r.hget("h", "a") == "2"
    assert r.hget("h", "zz") is None
    assert r.hget("missing", "a") is None
    assert rc.call("HSET", "h", "a", "x", "a", "y") == b":0\r\n"
    assert rc.call("HGET", "h", "a") == b"$1\r\ny\r\n"
    assert rc.call("HGET", "h", "nope") == b"$-1\r\n"
    assert r.type("h") == "hash"


def test_hset_argument_count_errors(r, rc):
    assert rc.call_error("HSET", "h", "f") == wrong_args("hset")
    assert rc.call_error("HSET", "h", "f", "v", "g") == wrong_args("hset")
    assert rc.call_error("HMSET", "h", "f", "v", "g") == wrong_args("hmset")
    assert rc.call_error("HMSET", "h") == wrong_args("hmset")
    assert rc.call_error("HGET", "h") == wrong_args("hget")
    assert rc.call_error("HDEL", "h") == wrong_args("hdel")
    assert rc.call_error("HSETNX", "h", "f") == wrong_args("hsetnx")
    assert rc.call_error("HRANDFIELD") == wrong_args("hrandfield")
    assert rc.call_error("HSCAN", "h") == wrong_args("hscan")
    assert r.exists("h") == 0


def test_hmset_hmget(r, rc):
    assert rc.call("HMSET", "h", "a", "1", "b", "2") == b"+OK\r\n"
    assert r.hmget("h", "a", "zz", "b") == ["1", None, "2"]
    assert r.hmget("missing", "a", "b") == [None, None]
    assert rc.call("HMGET", "h", "zz") == b"*1\r\n$-1\r\n"


def test_hsetnx(r):
    assert r.hsetnx("h", "a", "1") == 1
    assert r.hsetnx("h", "a", "2") == 0
    assert r.hget("h", "a") == "1"
    assert r.hsetnx("h", "b", "2") == 1
    assert r.hlen("h") == 2


def test_binary_safe_fields_and_values(client):
    rb = client(decode_responses=False)
    field, value = b"f\x00\r\n\xff", b"\x00v\r\n"
    assert rb.hset("h", field, value) == 1
    assert rb.hset("h", b"", b"") == 1
    assert rb.hget("h", field) == value
    assert rb.hget("h", b"") == b""
    assert rb.hget("h", b"f") is None
    assert rb.hgetall("h") == {field: value, b"": b""}


# ---- HGETALL / HKEYS / HVALS / HLEN / HEXISTS / HSTRLEN / HDEL ---------------------------

def test_small_hash_keeps_insertion_order(r, rc):
    r.hset("h", mapping={"b": "2", "a": "1", "c": "3"})
    assert rc.call("HGETALL", "h") == (
        b"*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n")
    assert r.hkeys("h") == ["b", "a", "c"]
    assert r.hvals("h") == ["2", "1", "3"]
    assert r.hgetall("missing") == {}
    assert rc.call("HGETALL", "missing") == b"*0\r\n"
    assert rc.call("HKEYS", "missing") == b"*0\r\n"
    assert rc.call("HVALS", "missing") == b"*0\r\n"


def test_large_hash_contents(r):
    mapping = fill(r, "h", 3000)
    assert r.object("encoding", "h") == "hashtable"
    assert r.hgetall("h") == mapping
    assert sorted(r.hkeys("h")) == sorted(mapping)
    assert sorted(r.hvals("h")) == sorted(mapping.values())
    assert r.hlen("h") == 3000
    assert r.hmget("h", "f0", "f2999", "f3000") == ["v0", "v2999", None]


def test_hlen_hexists_hstrlen(r):
    r.hset("h", mapping={"a": "hello", "b": ""})
    assert r.hlen("h") == 2
    assert r.hlen("missing") == 0
    assert r.hexists("h", "a") is True
    assert r.hexists("h", "zz") is False
    assert r.hexists("missing", "a") is False
    assert r.hstrlen("h", "a") == 5
    assert r.hstrlen("h", "b") == 0
    assert r.hstrlen("h", "zz") == 0
    assert r.hstrlen("missing", "a") == 0
    r.hset("h", "n", "-123")
    assert r.hstrlen("h", "n") == 4


def test_hdel(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert r.hdel("h", "a", "zz", "a") == 1
    assert r.hdel("missing", "a") == 0
    assert r.hlen("h") == 2
    assert r.hdel("h", "b", "c", "d") == 2
    assert r.exists("h") == 0


def test_hdel_of_a_large_hash(r):
    fill(r, "h", 2000)
    assert r.hdel("h", *["f%d" % i for i in range(0, 2000, 2)]) == 1000
    assert r.hlen("h") == 1000
    assert r.hget("h", "f1") == "v1"
    assert r.hget("h", "f2") is None
    assert r.hdel("h", *["f%d" % i for i in range(2000)]) == 1000
    assert r.exists("h") == 0


def test_wrongtype(r, rc):
    r.set("s", "x")
    for args in (("HSET", "s", "f", "v"), ("HMSET", "s", "f", "v"), ("HSETNX", "s", "f", "v"),
                 ("HGET", "s", "f"), ("HMGET", "s", "f"), ("HGETALL", "s"), ("HKEYS", "s"),
                 ("HVALS", "s"), ("HDEL", "s", "f"), ("HLEN", "s"), ("HEXISTS", "s", "f"),
                 ("HSTRLEN", "s", "f"), ("HINCRBY", "s", "f", "1"),
                 ("HINCRBYFLOAT", "s", "f", "1"), ("HRANDFIELD", "s"),
                 ("HRANDFIELD", "s", "0"), ("HRANDFIELD", "s", "-2", "WITHVALUES"),
                 ("HSCAN", "s", "0")):
        assert rc.call_error(*args) == WRONGTYPE, args
    assert r.get("s") == "x"
    r.rpush("l", "x")
    assert rc.call_error("HSET", "l", "f", "v") == WRONGTYPE
    r.hset("h", "f", "v")
    assert rc.call_error("GET", "h") == WRONGTYPE
    assert rc.call_error("LPUSH", "h", "x") == WRONGTYPE


def test_hash_keys_expire_and_delete(r):
    r.hset("h", "f", "v")
    assert r.pexpire("h", 50) is True
    assert r.hget("h", "f") == "v"
    assert wait_until(lambda: r.exists("h") == 0)
    assert r.hget("h", "f") is None
    fill(r, "big", 1000)
    assert r.expire("big", 100) is True
    assert r.hset("big", "f0", "changed") == 0
    assert 95 <= r.ttl("big") <= 100  # changing fields keeps the deadline
    assert r.delete("big") == 1
    assert r.exists("big") == 0


# ---- HINCRBY / HINCRBYFLOAT -----------------------------------------------------------------

def test_hincrby(r, rc):
    assert r.hincrby("h", "n", 5) == 5
    assert r.hincrby("h", "n", -7) == -2
    assert r.hget("h", "n") == "-2"
    assert rc.call("HINCRBY", "h", "n", "10") == b":8\r\n"
    assert rc.call_error("HINCRBY", "h", "n", "x") == NOT_INTEGER
    assert rc.call_error("HINCRBY", "h", "n", "1.5") == NOT_INTEGER
    assert rc.call_error("HINCRBY", "missing", "n", "x") == NOT_INTEGER
    assert r.exists("missing") == 0
    for bad in ("abc", " 1", "0123", "1.0", "", "-0", "+1"):
        r.hset("h", "bad", bad)
        assert rc.call_error("HINCRBY", "h", "bad", "1") == HASH_NOT_INTEGER, bad
    r.hset("h", mapping={"max": "9223372036854775807", "min": "-9223372036854775808"})
    assert rc.call_error("HINCRBY", "h", "max", "1") == OVERFLOW
    assert rc.call_error("HINCRBY", "h", "min", "-1") == OVERFLOW
    assert r.hincrby("h", "max", 0) == 9223372036854775807
    assert r.hincrby("h", "max", -9223372036854775808) == -1


def test_hincrbyfloat(r, rc):
    assert rc.call("HINCRBYFLOAT", "h", "f", "10.5") == b"$4\r\n10.5\r\n"
    assert r.hincrbyfloat("h", "f", 0.1) == pytest.approx(10.6)
    assert r.hget("h", "f") == "10.6"
    assert rc.call("HINCRBYFLOAT", "h", "f", "-5") == b"$3\r\n5.6\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "g", "3.0e3") == b"$4\r\n3000\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "g", "-3000") == b"$1\r\n0\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "z", "-0.0") == b"$1\r\n0\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "x", "0x10") == b"$2\r\n16\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "tiny", "1e-400") == b"$1\r\n0\r\n"
    r.hset("h", mapping={"i": "7", "e": "1e2"})
    assert rc.call("HINCRBYFLOAT", "h", "i", "0.5") == b"$3\r\n7.5\r\n"
    assert rc.call("HINCRBYFLOAT", "h", "e", "0") == b"$3\r\n100\r\n"
    # 17 digits after the point, trailing zeros dropped.
    assert rc.call("HINCRBYFLOAT", "h", "third", "0.333333333333333333333") == (
        b"$19\r\n0.33333333333333333\r\n")
    # Long double range: twice the largest double still fits.
    r.hset("h", "big", "1.7976931348623157e308")
    doubled = rc.call("HINCRBYFLOAT", "h", "big", "1.7976931348623157e308")
    assert doubled.startswith(b"$309\r\n3595386269724631")
    assert r.hget("h", "big") == doubled[6:-2].decode()


def test_hincrbyfloat_errors(r, rc):
    r.hset("h", "f", "1")
    for bad in ("abc", "nan", " 1", "1 ", ""):
        assert rc.call_error("HINCRBYFLOAT", "h", "f", bad) == NOT_FLOAT, bad
    assert rc.call_error("HINCRBYFLOAT", "h", "f", "inf") == NAN_OR_INF
    assert rc.call_error("HINCRBYFLOAT", "h", "f", "-inf") == NAN_OR_INF
    assert rc.call_error("HINCRBYFLOAT", "missing", "f", "inf") == NAN_OR_INF
    assert r.exists("missing") == 0
    for bad in ("abc", " 1", "1 ", "nan", ""):
        r.hset("h", "bad", bad)
        assert rc.call_error("HINCRBYFLOAT", "h", "bad", "1") == HASH_NOT_FLOAT, bad
    r.hset("h", "inf", "inf")
    assert rc.call_error("HINCRBYFLOAT", "h", "inf", "1") == WOULD_BE_NAN
    assert r.hget("h", "inf") == "inf"
    assert r.hget("h", "f") == "1"


# ---- Encodings ----------------------------------------------------------------------------

def test_encoding_converts_past_the_entry_limit(r, set_config):
    set_config("hash-max-listpack-entries", "4")
    set_config("hash-max-listpack-value", "8")
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3", "d": "4"})
    assert r.object("encoding", "h") == "listpack"
    r.hset("h", "a", "5")
    assert r.object("encoding", "h") == "listpack"
    r.hset("h", "e", "5")
    assert r.object("encoding", "h") == "hashtable"
    assert r.hgetall("h") == {"a": "5", "b": "2", "c": "3", "d": "4", "e": "5"}
    # Never back.
    r.hdel("h", "a", "b", "c", "d")
    assert r.object("encoding", "h") == "hashtable"
    # One field set five times is one field.
    r.execute_command("HSET", "r", "a", "1", "a", "2", "a", "3", "a", "4", "a", "5")
    assert r.object("encoding", "r") == "listpack"
    set_config("hash-max-listpack-entries", "0")
    r.hset("z", "a", "1")
    assert r.object("encoding", "z") == "hashtable"


def test_encoding_converts_on_long_strings(r, set_config):
    set_config("hash-max-listpack-entries", "4")
    set_config("hash-max-listpack-value", "8")
    r.hset("h", "a", "12345678")
    assert r.object("encoding", "h") == "listpack"
    r.hset("h", "a", "123456789")
    assert r.object("encoding", "h") == "hashtable"
    r.hset("n", "a", "1")
    assert r.hsetnx("n", "a", "123456789") == 0
    assert r.object("encoding", "n") == "listpack"
    assert r.hsetnx("n", "123456789", "1") == 1
    assert r.object("encoding", "n") == "hashtable"
    r.hset("i", "a", "1")
    assert r.hincrby("i", "a", 123456789) == 123456790
    assert r.object("encoding", "i") == "hashtable"
    r.hset("j", "a", "1")
    r.hincrby("j", "abcdefghi", 1)
    assert r.object("encoding", "j") == "hashtable"
    r.hset("k", "a", "1")
    assert r.hincrbyfloat("k", "a", "0.12345678") == pytest.approx(1.12345678)
    assert r.object("encoding", "k") == "hashtable"
    r.hset("m", mapping={"a": "1", "b": "123456789"})
    assert r.object("encoding", "m") == "hashtable"
    set_config("hash-max-listpack-value", "0")
    r.hset("e", "", "")
    assert r.object("encoding", "e") == "listpack"
    r.hset("e", "", "x")
    assert r.object("encoding", "e") == "hashtable"


def test_limits_at_their_edges(r, set_config):
    # Set explicitly: redis-server without a config file starts with 512 entries, where
    # redis.conf (and Ringtail) say 128.
    set_config("hash-max-listpack-entries", "128")
    set_config("hash-max-listpack-value", "64")
    fill(r, "small", 128)
    assert r.object("encoding", "small") == "listpack"
    fill(r, "big", 129)
    assert r.object("encoding", "big") == "hashtable"
    r.hset("v64", "f", "x" * 64)
    assert r.object("encoding", "v64") == "listpack"
    r.hset("v65", "f", "x" * 65)
    assert r.object("encoding", "v65") == "hashtable"


def test_memory_usage_grows_with_the_hash(r):
    r.hset("h", "f", "v")
    small = r.memory_usage("h")
    fill(r, "h", 10000)
    big = r.memory_usage("h")
    assert big > small + 10000 * 20
    assert big < 10000 * 100


# ---- HRANDFIELD ---------------------------------------------------------------------------

def test_hrandfield_argument_errors(r, rc):
    r.hset("h", "a", "1")
    assert rc.call_error("HRANDFIELD", "h", "x") == NOT_INTEGER
    assert rc.call_error("HRANDFIELD", "h", "1.5") == NOT_INTEGER
    assert rc.call_error("HRANDFIELD", "h", "-9223372036854775808") == COUNT_RANGE
    assert rc.call_error("HRANDFIELD", "h", "x", "foo") == NOT_INTEGER
    assert rc.call_error("HRANDFIELD", "h", "1", "foo") == SYNTAX
    assert rc.call_error("HRANDFIELD", "h", "1", "WITHVALUES", "x") == SYNTAX
    assert rc.call_error("HRANDFIELD", "missing", "1", "foo") == SYNTAX
    assert rc.call_error("HRANDFIELD", "h", "4611686018427387904", "foo") == SYNTAX
    assert rc.call_error("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == (
        WITHVALUES_RANGE)
    assert rc.call_error("HRANDFIELD", "h", "-4611686018427387904", "withvalues") == (
        WITHVALUES_RANGE)
    assert rc.call_error("HRANDFIELD", "missing", "9223372036854775807", "WITHVALUES") == (
        WITHVALUES_RANGE)
    # In range: the whole hash (a positive count never repeats).
    assert rc.call("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES") == (
        b"*2\r\n$1\r\na\r\n$1\r\n1\r\n")
    assert rc.call("HRANDFIELD", "h", "9223372036854775807") == b"*1\r\n$1\r\na\r\n"


def test_hrandfield_replies(r, rc):
    assert rc.call("HRANDFIELD", "missing") == b"$-1\r\n"
    assert rc.call("HRANDFIELD", "missing", "3") == b"*0\r\n"
    assert rc.call("HRANDFIELD", "missing", "-3", "WITHVALUES") == b"*0\r\n"
    assert rc.call("HRANDFIELD", "missing", "0") == b"*0\r\n"
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert rc.call("HRANDFIELD", "h", "0") == b"*0\r\n"
    assert r.hrandfield("h") in {"a", "b", "c"}
    two = r.hrandfield("h", 2)
    assert len(two) == 2 and len(set(two)) == 2 and set(two) <= {"a", "b", "c"}
    assert sorted(r.hrandfield("h", 5)) == ["a", "b", "c"]
    many = r.hrandfield("h", -200)
    assert len(many) == 200 and set(many) == {"a", "b", "c"}
    flat = r.hrandfield("h", -10, withvalues=True)
    assert len(flat) == 20
    for field, value in zip(flat[::2], flat[1::2]):
        assert value == str(ord(field) - ord("a") + 1)


def test_hrandfield_on_a_hashtable(r, set_config):
    set_config("hash-max-listpack-entries", "128")
    mapping = fill(r, "h", 500)
    assert r.object("encoding", "h") == "hashtable"
    for count in (1, 10, 200, 499, 500, 1000):
        fields = r.hrandfield("h", count)
        assert len(fields) == min(count, 500) == len(set(fields)), count
        assert set(fields) <= set(mapping)
    flat = r.hrandfield("h", -1000, withvalues=True)
    assert len(flat) == 2000
    assert all(mapping[f] == v for f, v in zip(flat[::2], flat[1::2]))
    # Negative counts draw with replacement: 1000 draws from 500 fields repeat some.
    assert len(set(flat[::2])) < 1000


def test_hrandfield_resp3_pairs(r, rc3):
    r.hset("h", mapping={"a": "1", "b": "2"})
    frame = rc3.call("HRANDFIELD", "h", "2", "WITHVALUES")
    assert frame.startswith(b"*2\r\n*2\r\n")
    assert sorted(parse(frame)) == [[b"a", b"1"], [b"b", b"2"]]
    frame = rc3.call("HRANDFIELD", "h", "-3", "WITHVALUES")
    pairs = parse(frame)
    assert len(pairs) == 3 and all(p in ([b"a", b"1"], [b"b", b"2"]) for p in pairs)
    assert sorted(parse(rc3.call("HRANDFIELD", "h", "2"))) == [b"a", b"b"]
    assert rc3.call("HRANDFIELD", "missing") == b"_\r\n"
    assert rc3.call("HRANDFIELD", "missing", "2", "WITHVALUES") == b"*0\r\n"


# ---- RESP3 --------------------------------------------------------------------------------

def test_resp3_hgetall_is_a_map(r, rc3):
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert rc3.call("HGETALL", "h") == (
        b"%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n")
    assert rc3.call("HGETALL", "missing") == b"%0\r\n"
    assert rc3.call("HKEYS", "h") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert rc3.call("HGET", "h", "zz") == b"_\r\n"
    assert rc3.call("HMGET", "h", "zz", "a") == b"*2\r\n_\r\n$1\r\n1\r\n"
    assert rc3.call("HINCRBYFLOAT", "h", "n", "1.5") == b"$3\r\n1.5\r\n"
    fill(r, "big", 300)
    assert parse(rc3.call("HGETALL", "big")) == {
        "f%d" % i: b"v%d" % i for i in range(300)}
    # HSCAN keeps its RESP2 shape: [cursor, flat array].
    assert rc3.call("HSCAN", "h", "0") == (
        b"*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
        b"$1\r\nn\r\n$3\r\n1.5\r\n")


# ---- HSCAN --------------------------------------------------------------------------------

def test_hscan_arguments(r, rc):
    assert rc.call("HSCAN", "missing", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    # A missing key replies before the options are looked at.
    assert rc.call("HSCAN", "missing", "0", "COUNT", "x") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert rc.call_error("HSCAN", "missing", "x") == INVALID_CURSOR
    r.hset("h", mapping={"a": "1", "b": "2", "ab": "3"})
    assert rc.call_error("HSCAN", "h", "18446744073709551616") == INVALID_CURSOR
    assert rc.call_error("HSCAN", "h", "1x") == INVALID_CURSOR
    assert rc.call_error("HSCAN", "h", "0", "COUNT", "x") == NOT_INTEGER
    assert rc.call_error("HSCAN", "h", "0", "COUNT", "0") == SYNTAX
    assert rc.call_error("HSCAN", "h", "0", "COUNT", "-1") == SYNTAX
    assert rc.call_error("HSCAN", "h", "0", "COUNT") == SYNTAX
    assert rc.call_error("HSCAN", "h", "0", "MATCH") == SYNTAX
    assert rc.call_error("HSCAN", "h", "0", "TYPE", "string") == SYNTAX
    assert rc.call_error("HSCAN", "h", "0", "NOVALUES") == SYNTAX


def test_hscan_of_a_listpack_is_whole(r, rc):
    r.hset("h", mapping={"a": "1", "b": "2", "ab": "3"})
    whole = (b"*2\r\n$1\r\n0\r\n"
             b"*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n")
    assert rc.call("HSCAN", "h", "0") == whole
    assert rc.call("HSCAN", "h", "123", "COUNT", "1") == whole
    assert rc.call("HSCAN", "h", "-1") == whole
    assert r.hscan("h", 0, match="a*") == (0, {"a": "1", "ab": "3"})
    assert r.hscan("h", 0, match="a*", count=1) == (0, {"a": "1", "ab": "3"})
    assert rc.call("HSCAN", "h", "0", "match", "a*", "count", "1", "match", "b*") == (
        b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")


def test_hscan_of_a_hashtable(r):
    mapping = fill(r, "h", 5000)
    seen = {}
    cursor, calls = 0, 0
    while True:
        cursor, items = r.hscan("h", cursor, count=20)
        seen.update(items)
        calls += 1
        if cursor == 0:
            break
    assert seen == mapping
    assert calls > 50
    cursor, items = r.hscan("h", 0, count=100000)
    assert cursor == 0 and items == mapping
    matched = dict(r.hscan_iter("h", match="f1??"))
    assert matched == {"f%d" % i: "v%d" % i for i in range(100, 200)}
    assert len(dict(r.hscan_iter("h", match="f1?"))) == 10


def test_hscan_survives_growth_and_shrinking(r):
    """Fields present for the whole scan are returned, while others come and go."""
    stable = fill(r, "h", 1000)
    seen = set()
    cursor, step = 0, 0
    while True:
        cursor, items = r.hscan("h", cursor, count=10)
        seen.update(items)
        step += 1
        # Grow for a while, then shrink: many resizes in both directions between calls.
        if step < 60:
            fill(r, "h", 400, prefix="grow%d:" % step)
        elif step < 120:
            r.hdel("h", *["grow%d:%d" % (step - 60, i) for i in range(400)])
        if cursor == 0:
            break
    assert set(stable) <= seen
