# SPDX-License-Identifier: Apache-2.0
"""List commands: replies, error texts, WRONGTYPE, RESP3 shapes, large lists spanning many nodes,
and the listpack/quicklist encodings. Multi-key commands (LMOVE, RPOPLPUSH, LMPOP) use keys
sharing the hash tag {l}, so that they live on one shard however many there are.

The installed redis-py (4.x) cannot speak RESP3, so RESP3 replies are read with the raw client
after HELLO 3. Redis 7.0 reports every list as "quicklist" in OBJECT ENCODING (the listpack
encoding of small lists came in 7.2), so the encoding tests are Ringtail-only.
"""

import random
import time

import pytest


WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"
SYNTAX = "ERR syntax error"
MUST_BE_POSITIVE = "ERR value is out of range, must be positive"
NUMKEYS = "ERR numkeys should be greater than 0"
COUNT_POSITIVE = "ERR count should be greater than 0"
RANK_ZERO = ("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
             "or use negative to start from the end of the list")
INT64_MIN = "-9223372036854775808"
INT64_MAX = "9223372036854775807"


def wrong_args(command):
    return "ERR wrong number of arguments for '%s' command" % command


@pytest.fixture
def listpack_size(r):
    """Sets list-max-listpack-size for one test and restores it afterwards."""
    old = r.config_get("list-max-listpack-size")["list-max-listpack-size"]

    def set_size(value):
        assert r.config_set("list-max-listpack-size", value) is True

    yield set_size
    r.config_set("list-max-listpack-size", old)


# ---- push and pop ---------------------------------------------------------------------------

def test_push_order_and_length(r, rc):
    assert r.rpush("l", "a", "b") == 2
    assert r.lpush("l", "x", "y") == 4
    assert r.lrange("l", 0, -1) == ["y", "x", "a", "b"]
    assert rc.call("RPUSH", "l", "c") == b":5\r\n"
    assert r.llen("l") == 5
    assert r.type("l") == "list"


def test_pushx_only_on_existing_lists(r):
    assert r.lpushx("l", "a") == 0
    assert r.rpushx("l", "a") == 0
    assert r.exists("l") == 0
    r.rpush("l", "m")
    assert r.lpushx("l", "a", "b") == 3
    assert r.execute_command("RPUSHX", "l", "y", "z") == 5
    assert r.lrange("l", 0, -1) == ["b", "a", "m", "y", "z"]


def test_pop_one_and_count(r, rc):
    r.rpush("l", "a", "b", "c", "d", "e")
    assert r.lpop("l") == "a"
    assert r.rpop("l") == "e"
    assert r.lpop("l", 2) == ["b", "c"]
    assert rc.call("RPOP", "l", "0") == b"*0\r\n"
    assert r.rpop("l", 10) == ["d"]
    assert r.exists("l") == 0
    assert rc.call("LPOP", "l") == b"$-1\r\n"
    assert rc.call("LPOP", "l", "0") == b"*-1\r\n"
    assert rc.call("RPOP", "l", "3") == b"*-1\r\n"


@pytest.mark.parametrize("command", ["LPOP", "RPOP"])
def test_pop_count_errors(r, rc, command):
    r.rpush("l", "a")
    assert rc.call_error(command, "l", "-1") == MUST_BE_POSITIVE
    assert rc.call_error(command, "l", "x") == MUST_BE_POSITIVE
    assert rc.call_error(command, "l", "1.5") == MUST_BE_POSITIVE
    assert rc.call_error(command, "missing", "-5") == MUST_BE_POSITIVE
    assert rc.call_error(command, "l", "1", "2") == wrong_args(command.lower())
    assert rc.call_error(command) == wrong_args(command.lower())
    assert r.lrange("l", 0, -1) == ["a"]


S = "{l}s"


@pytest.mark.parametrize("args", [
    ["LPUSH", S, "a"], ["RPUSH", S, "a"], ["LPUSHX", S, "a"], ["RPUSHX", S, "a"],
    ["LPOP", S], ["RPOP", S], ["LPOP", S, "0"], ["RPOP", S, "2"], ["LLEN", S],
    ["LRANGE", S, "0", "-1"], ["LINDEX", S, "0"], ["LSET", S, "0", "x"],
    ["LINSERT", S, "BEFORE", "a", "b"], ["LREM", S, "0", "a"], ["LTRIM", S, "0", "1"],
    ["LPOS", S, "a"], ["LPOS", S, "a", "COUNT", "0"], ["LMOVE", S, "{l}b", "LEFT", "LEFT"],
    ["RPOPLPUSH", S, "{l}b"], ["LMPOP", "1", S, "LEFT"],
])
def test_wrongtype(r, rc, args):
    r.set(S, "value")
    assert rc.call_error(*args) == WRONGTYPE
    assert r.get(S) == "value"
    assert r.exists("{l}b") == 0


def test_arity_errors(rc):
    for args, name in [(["LPUSH", "l"], "lpush"), (["LLEN"], "llen"),
                       (["LRANGE", "l", "0"], "lrange"), (["LINDEX", "l"], "lindex"),
                       (["LSET", "l", "0"], "lset"), (["LINSERT", "l", "BEFORE", "a"], "linsert"),
                       (["LREM", "l", "0"], "lrem"), (["LTRIM", "l", "0"], "ltrim"),
                       (["LPOS", "l"], "lpos"), (["LMOVE", "a", "b", "LEFT"], "lmove"),
                       (["RPOPLPUSH", "a"], "rpoplpush"), (["LMPOP", "1", "l"], "lmpop")]:
        assert rc.call_error(*args) == wrong_args(name)


# ---- reads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start,stop,expected", [
    (0, -1, ["a", "b", "c", "d"]),
    (1, 2, ["b", "c"]),
    (-2, -1, ["c", "d"]),
    (-100, 100, ["a", "b", "c", "d"]),
    (2, 1, []),
    (4, 10, []),
    (2, -100, []),
    (-1, -2, []),
    (3, 3, ["d"]),
    (INT64_MIN, INT64_MAX, ["a", "b", "c", "d"]),
])
def test_lrange(r, start, stop, expected):
    r.rpush("l", "a", "b", "c", "d")
    assert r.lrange("l", start, stop) == expected


def test_lrange_errors_and_missing(r, rc):
    assert r.lrange("missing", 0, -1) == []
    assert rc.call_error("LRANGE", "missing", "a", "1") == NOT_INTEGER
    assert rc.call_error("LRANGE", "missing", "0", "1.0") == NOT_INTEGER


def test_lindex(r, rc):
    r.rpush("l", "a", "-7", "c")
    assert r.lindex("l", 0) == "a"
    assert r.lindex("l", 1) == "-7"
    assert r.lindex("l", -1) == "c"
    assert r.lindex("l", -3) == "a"
    assert r.lindex("l", 3) is None
    assert r.lindex("l", -4) is None
    assert rc.call("LINDEX", "l", INT64_MAX) == b"$-1\r\n"
    assert rc.call("LINDEX", "l", INT64_MIN) == b"$-1\r\n"
    assert rc.call_error("LINDEX", "l", "x") == NOT_INTEGER
    # The key is looked up before the index is parsed.
    assert rc.call("LINDEX", "missing", "x") == b"$-1\r\n"


def test_llen(r):
    assert r.llen("missing") == 0
    r.rpush("l", *range(10))
    assert r.llen("l") == 10


def test_elements_keep_their_exact_text(r):
    values = ["1", "-1", "007", "-0", "+5", " 3", "0", "1.5", "", INT64_MAX, INT64_MIN,
              "9223372036854775808", "18446744073709551616", "127", "128", "-2049", "1048576",
              "element:123456", "x" * 100, "y" * 5000]
    r.rpush("l", *values)
    assert r.lrange("l", 0, -1) == values
    assert [r.lindex("l", i) for i in range(len(values))] == values
    assert r.rpop("l", len(values)) == values[::-1]


# ---- LPOS -----------------------------------------------------------------------------------

@pytest.mark.parametrize("options,expected", [
    ([], b":2\r\n"),
    (["RANK", "2"], b":6\r\n"),
    (["RANK", "-1"], b":7\r\n"),
    (["RANK", "-3"], b":2\r\n"),
    (["RANK", "4"], b"$-1\r\n"),
    (["RANK", INT64_MIN], b":7\r\n"),  # Redis 7.0: the negation overflows, first from the tail
    (["RANK", INT64_MAX], b"$-1\r\n"),
    (["COUNT", "0"], b"*3\r\n:2\r\n:6\r\n:7\r\n"),
    (["COUNT", "2"], b"*2\r\n:2\r\n:6\r\n"),
    (["COUNT", "0", "RANK", "-2"], b"*2\r\n:6\r\n:2\r\n"),
    (["COUNT", "1", "RANK", "3"], b"*1\r\n:7\r\n"),
    (["COUNT", "0", "MAXLEN", "7"], b"*2\r\n:2\r\n:6\r\n"),
    (["MAXLEN", "2"], b"$-1\r\n"),
    (["RANK", "-1", "MAXLEN", "1"], b":7\r\n"),
    (["MAXLEN", "0", "rank", "1", "count", "1"], b"*1\r\n:2\r\n"),
])
def test_lpos(r, rc, options, expected):
    r.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c")
    assert rc.call("LPOS", "l", "c", *options) == expected


def test_lpos_integers_and_missing(r, rc):
    r.rpush("l", "1", "01", "-0", "0")
    assert r.lpos("l", "1") == 0
    assert r.lpos("l", "01") == 1
    assert r.lpos("l", "-0") == 2
    assert r.lpos("l", "0") == 3
    assert r.lpos("l", "00") is None
    assert rc.call("LPOS", "l", "zz", "COUNT", "0") == b"*0\r\n"
    assert rc.call("LPOS", "missing", "a") == b"$-1\r\n"
    assert rc.call("LPOS", "missing", "a", "COUNT", "1") == b"*0\r\n"


@pytest.mark.parametrize("options,error", [
    (["RANK", "0"], RANK_ZERO),
    (["RANK", "x"], NOT_INTEGER),
    (["COUNT", "-1"], "ERR COUNT can't be negative"),
    (["COUNT", "x"], "ERR COUNT can't be negative"),
    (["MAXLEN", "-1"], "ERR MAXLEN can't be negative"),
    (["MAXLEN", "9223372036854775808"], "ERR MAXLEN can't be negative"),
    (["RANK"], SYNTAX),
    (["COUNT"], SYNTAX),
    (["FOO", "1"], SYNTAX),
    (["COUNT", "1", "RANK", "0"], RANK_ZERO),
])
def test_lpos_errors(r, rc, options, error):
    r.rpush("l", "a")
    assert rc.call_error("LPOS", "l", "a", *options) == error
    # Options are parsed before the key is looked up.
    assert rc.call_error("LPOS", "missing", "a", *options) == error


# ---- changes in place -----------------------------------------------------------------------

def test_lset(r, rc):
    r.rpush("l", "a", "b", "c")
    assert r.lset("l", 1, "B") is True
    assert r.lset("l", -1, "42") is True
    assert r.lset("l", 0, "z" * 10000) is True
    assert r.lrange("l", 0, -1) == ["z" * 10000, "B", "42"]
    assert rc.call_error("LSET", "l", "3", "x") == "ERR index out of range"
    assert rc.call_error("LSET", "l", "-4", "x") == "ERR index out of range"
    assert rc.call_error("LSET", "l", "x", "x") == NOT_INTEGER
    assert rc.call_error("LSET", "missing", "0", "x") == "ERR no such key"
    assert rc.call_error("LSET", "missing", "x", "x") == "ERR no such key"
    assert r.exists("missing") == 0


def test_linsert(r, rc):
    r.rpush("l", "a", "c")
    assert r.linsert("l", "BEFORE", "c", "b") == 3
    assert r.linsert("l", "AFTER", "c", "d") == 4
    assert rc.call("LINSERT", "l", "before", "a", "0") == b":5\r\n"
    assert r.lrange("l", 0, -1) == ["0", "a", "b", "c", "d"]
    assert r.linsert("l", "BEFORE", "zz", "x") == -1
    assert r.linsert("missing", "BEFORE", "a", "x") == 0
    assert rc.call_error("LINSERT", "l", "UNDER", "a", "x") == SYNTAX
    assert rc.call_error("LINSERT", "missing", "UNDER", "a", "x") == SYNTAX
    assert r.exists("missing") == 0
    # The first match is the pivot.
    r.rpush("dup", "p", "p")
    assert r.linsert("dup", "AFTER", "p", "x") == 3
    assert r.lrange("dup", 0, -1) == ["p", "x", "p"]


def test_lrem(r, rc):
    r.rpush("l", "x", "a", "x", "b", "x", "c", "x")
    assert r.lrem("l", 2, "x") == 2
    assert r.lrange("l", 0, -1) == ["a", "b", "x", "c", "x"]
    assert r.lrem("l", -1, "x") == 1
    assert r.lrange("l", 0, -1) == ["a", "b", "x", "c"]
    assert rc.call("LREM", "l", INT64_MIN, "x") == b":1\r\n"
    assert r.lrem("l", 0, "nope") == 0
    assert r.lrem("l", -3, "nope") == 0
    assert r.lrem("missing", 0, "a") == 0
    assert rc.call_error("LREM", "l", "x", "a") == NOT_INTEGER
    assert rc.call_error("LREM", "missing", "x", "a") == NOT_INTEGER
    for element in ("a", "b", "c"):
        assert r.lrem("l", 0, element) == 1
    assert r.exists("l") == 0


def test_lrem_compares_text(r):
    r.rpush("l", "1", "01", "1", "-0", "0", "1.0")
    assert r.lrem("l", 0, "1") == 2
    assert r.lrem("l", 0, "0") == 1
    assert r.lrange("l", 0, -1) == ["01", "-0", "1.0"]


@pytest.mark.parametrize("start,stop,expected", [
    (1, -2, ["b", "c", "d"]),
    (0, -1, ["a", "b", "c", "d", "e"]),
    (-100, 100, ["a", "b", "c", "d", "e"]),
    (2, 2, ["c"]),
    (-1, -1, ["e"]),
    (INT64_MIN, INT64_MAX, ["a", "b", "c", "d", "e"]),
])
def test_ltrim(r, start, stop, expected):
    r.rpush("l", "a", "b", "c", "d", "e")
    assert r.ltrim("l", start, stop) is True
    assert r.lrange("l", 0, -1) == expected


@pytest.mark.parametrize("start,stop", [(5, 10), (3, 1), (-1, -2), (2, -100)])
def test_ltrim_to_nothing_deletes_the_key(r, start, stop):
    r.rpush("l", "a", "b", "c", "d", "e")
    assert r.ltrim("l", start, stop) is True
    assert r.exists("l") == 0


def test_ltrim_errors_and_missing(r, rc):
    assert r.ltrim("missing", 0, 1) is True
    assert r.exists("missing") == 0
    assert rc.call_error("LTRIM", "missing", "x", "1") == NOT_INTEGER
    assert rc.call_error("LTRIM", "missing", "0", "y") == NOT_INTEGER


# ---- multi-key commands ---------------------------------------------------------------------

@pytest.mark.parametrize("src_side,dst_side,moved,source,destination", [
    ("LEFT", "LEFT", "1", ["2", "3"], ["1", "x"]),
    ("LEFT", "RIGHT", "1", ["2", "3"], ["x", "1"]),
    ("RIGHT", "LEFT", "3", ["1", "2"], ["3", "x"]),
    ("RIGHT", "RIGHT", "3", ["1", "2"], ["x", "3"]),
])
def test_lmove_directions(r, src_side, dst_side, moved, source, destination):
    r.rpush("{l}a", "1", "2", "3")
    r.rpush("{l}b", "x")
    assert r.lmove("{l}a", "{l}b", src_side, dst_side) == moved
    assert r.lrange("{l}a", 0, -1) == source
    assert r.lrange("{l}b", 0, -1) == destination


def test_lmove_creates_destination_and_deletes_empty_source(r):
    r.rpush("{l}a", "only")
    assert r.lmove("{l}a", "{l}b", "left", "right") == "only"
    assert r.exists("{l}a") == 0
    assert r.lrange("{l}b", 0, -1) == ["only"]
    assert r.type("{l}b") == "list"


def test_lmove_same_key_rotates_and_keeps_ttl(r):
    r.rpush("{l}a", "1", "2", "3")
    assert r.lmove("{l}a", "{l}a", "LEFT", "RIGHT") == "1"
    assert r.lrange("{l}a", 0, -1) == ["2", "3", "1"]
    assert r.rpoplpush("{l}a", "{l}a") == "1"
    assert r.lrange("{l}a", 0, -1) == ["1", "2", "3"]
    r.rpush("{l}one", "x")
    r.expire("{l}one", 100)
    assert r.lmove("{l}one", "{l}one", "RIGHT", "LEFT") == "x"
    assert r.lrange("{l}one", 0, -1) == ["x"]
    assert 95 <= r.ttl("{l}one") <= 100


def test_lmove_errors(r, rc):
    r.set("{l}s", "x")
    r.rpush("{l}a", "v")
    assert rc.call_error("LMOVE", "{l}a", "{l}b", "UP", "LEFT") == SYNTAX
    assert rc.call_error("LMOVE", "{l}a", "{l}b", "LEFT", "DOWN") == SYNTAX
    # An absent source replies null before the destination's type is looked at.
    assert rc.call("LMOVE", "{l}missing", "{l}s", "LEFT", "LEFT") == b"$-1\r\n"
    assert rc.call("RPOPLPUSH", "{l}missing", "{l}s") == b"$-1\r\n"
    assert rc.call_error("LMOVE", "{l}a", "{l}s", "LEFT", "LEFT") == WRONGTYPE
    assert rc.call_error("RPOPLPUSH", "{l}a", "{l}s") == WRONGTYPE
    assert r.lrange("{l}a", 0, -1) == ["v"]


def test_rpoplpush(r):
    r.rpush("{l}a", "1", "2")
    assert r.rpoplpush("{l}a", "{l}b") == "2"
    assert r.rpoplpush("{l}a", "{l}b") == "1"
    assert r.rpoplpush("{l}a", "{l}b") is None
    assert r.lrange("{l}b", 0, -1) == ["1", "2"]
    assert r.exists("{l}a") == 0


def test_lmpop(r, rc):
    r.rpush("{l}b", "1", "2", "3")
    assert rc.call("LMPOP", "2", "{l}a", "{l}b", "LEFT") == (
        b"*2\r\n$4\r\n{l}b\r\n*1\r\n$1\r\n1\r\n")
    assert rc.call_parsed("LMPOP", "2", "{l}a", "{l}b", "right", "count", "5") == [
        b"{l}b", [b"3", b"2"]]
    assert r.exists("{l}b") == 0
    assert rc.call("LMPOP", "2", "{l}a", "{l}b", "LEFT") == b"*-1\r\n"
    r.rpush("{l}a", "x", "y")
    r.rpush("{l}b", "z")
    assert rc.call_parsed("LMPOP", "2", "{l}a", "{l}b", "LEFT", "COUNT", "1") == [
        b"{l}a", [b"x"]]


def test_lmpop_wrongtype_only_before_a_list(r, rc):
    r.set("{l}s", "x")
    r.rpush("{l}l", "v")
    assert rc.call_error("LMPOP", "2", "{l}s", "{l}l", "LEFT") == WRONGTYPE
    assert rc.call_error("LMPOP", "2", "{l}missing", "{l}s", "LEFT") == WRONGTYPE
    assert rc.call_parsed("LMPOP", "2", "{l}l", "{l}s", "LEFT") == [b"{l}l", [b"v"]]


@pytest.mark.parametrize("args,error", [
    (["0", "{l}a", "LEFT"], NUMKEYS),
    (["-1", "{l}a", "LEFT"], NUMKEYS),
    (["abc", "{l}a", "LEFT"], NUMKEYS),
    (["01", "{l}a", "LEFT"], NUMKEYS),
    (["2", "{l}a", "LEFT"], SYNTAX),
    (["5", "{l}a", "LEFT"], SYNTAX),
    ([INT64_MAX, "{l}a", "LEFT"], SYNTAX),
    (["1", "{l}a", "MIDDLE"], SYNTAX),
    (["1", "{l}a", "LEFT", "COUNT"], SYNTAX),
    (["1", "{l}a", "LEFT", "COUNT", "0"], COUNT_POSITIVE),
    (["1", "{l}a", "LEFT", "COUNT", "-1"], COUNT_POSITIVE),
    (["1", "{l}a", "LEFT", "COUNT", "x"], COUNT_POSITIVE),
    (["1", "{l}a", "LEFT", "COUNT", "1", "COUNT", "1"], SYNTAX),
    (["1", "{l}a", "LEFT", "FOO"], SYNTAX),
])
def test_lmpop_errors(r, rc, args, error):
    r.rpush("{l}a", "v")
    assert rc.call_error("LMPOP", *args) == error
    assert r.lrange("{l}a", 0, -1) == ["v"]


# ---- RESP3 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args,reply", [
    (["LPOP", "{l}missing"], b"_\r\n"),
    (["RPOP", "{l}missing"], b"_\r\n"),
    (["LPOP", "{l}missing", "2"], b"_\r\n"),
    (["RPOP", "{l}missing", "0"], b"_\r\n"),
    (["LINDEX", "{l}missing", "0"], b"_\r\n"),
    (["LPOS", "{l}missing", "a"], b"_\r\n"),
    (["LPOS", "{l}missing", "a", "COUNT", "0"], b"*0\r\n"),
    (["LMPOP", "1", "{l}missing", "LEFT"], b"_\r\n"),
    (["LMOVE", "{l}missing", "{l}b", "LEFT", "RIGHT"], b"_\r\n"),
    (["RPOPLPUSH", "{l}missing", "{l}b"], b"_\r\n"),
    (["LRANGE", "{l}missing", "0", "-1"], b"*0\r\n"),
    (["LLEN", "{l}missing"], b":0\r\n"),
])
def test_resp3_replies_on_missing_keys(rc3, args, reply):
    assert rc3.call(*args) == reply


def test_resp3_replies_with_data(rc3):
    assert rc3.call("RPUSH", "{l}a", "a", "b", "c", "d") == b":4\r\n"
    assert rc3.call("LPOP", "{l}a", "0") == b"*0\r\n"
    assert rc3.call("LPOP", "{l}a") == b"$1\r\na\r\n"
    assert rc3.call("RPOP", "{l}a", "1") == b"*1\r\n$1\r\nd\r\n"
    assert rc3.call("LINDEX", "{l}a", "5") == b"_\r\n"
    assert rc3.call("LPOS", "{l}a", "zz") == b"_\r\n"
    assert rc3.call("LPOS", "{l}a", "c", "COUNT", "0") == b"*1\r\n:1\r\n"
    assert rc3.call("LMPOP", "1", "{l}a", "LEFT", "COUNT", "2") == (
        b"*2\r\n$4\r\n{l}a\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n")


# ---- lifetime and statistics ----------------------------------------------------------------

def test_expired_list_is_absent(r):
    r.rpush("l", "a", "b")
    r.pexpire("l", 30)
    time.sleep(0.1)
    assert r.llen("l") == 0
    assert r.lpop("l") is None
    assert r.rpush("l", "c") == 1
    assert r.ttl("l") == -1


def test_keyspace_hits_count_reads_only(r):
    r.config_resetstat()
    r.rpush("l", "a")
    r.lpop("missing")
    r.lset("l", 0, "b")
    r.lrem("l", 0, "z")
    stats = r.info("stats")
    assert (stats["keyspace_hits"], stats["keyspace_misses"]) == (0, 0)
    r.llen("l")
    r.llen("missing")
    r.lrange("l", 0, -1)
    r.lindex("l", 0)
    r.lpos("l", "b")
    stats = r.info("stats")
    assert (stats["keyspace_hits"], stats["keyspace_misses"]) == (4, 1)


# ---- large lists ----------------------------------------------------------------------------

def test_large_list_matches_a_model(r):
    """Many nodes: random pushes, pops, sets, inserts, removals and trims against a Python list."""
    rng = random.Random(7)
    model = []

    def value():
        kind = rng.randrange(4)
        if kind == 0:
            return str(rng.randrange(-100000, 100000))
        if kind == 1:
            return "x" * rng.choice([1, 50, 300, 9000])
        return "v%d" % rng.randrange(20)

    pipe = r.pipeline(transaction=False)
    for _ in range(20):
        batch = [value() for _ in range(500)]
        pipe.rpush("big", *batch)
        model.extend(batch)
    pipe.execute()
    for step in range(300):
        op = rng.randrange(7)
        n = len(model)
        if op == 0:
            v = value()
            r.lpush("big", v)
            model.insert(0, v)
        elif op == 1 and n:
            assert r.rpop("big") == model.pop()
        elif op == 2 and n:
            i = rng.randrange(n)
            v = value()
            assert r.lset("big", i, v) is True
            model[i] = v
        elif op == 3 and n:
            i = rng.randrange(n)
            pivot = model[i]
            v = value()
            where = rng.choice(["BEFORE", "AFTER"])
            first = model.index(pivot)
            assert r.linsert("big", where, pivot, v) == n + 1
            model.insert(first + (1 if where == "AFTER" else 0), v)
        elif op == 4 and n:
            target = "v%d" % rng.randrange(20)
            count = rng.randrange(-3, 4)
            removed = 0
            indexes = range(n - 1, -1, -1) if count < 0 else range(n)
            keep = [True] * n
            for i in indexes:
                if model[i] == target and (count == 0 or removed < abs(count)):
                    keep[i] = False
                    removed += 1
            assert r.lrem("big", count, target) == removed
            model = [m for m, k in zip(model, keep) if k]
        elif op == 5 and n:
            i = rng.randrange(-n, n)
            assert r.lindex("big", i) == model[i]
        elif op == 6 and n:
            start = rng.randrange(n)
            assert r.lrange("big", start, start + 50) == model[start:start + 51]
        assert r.llen("big") == len(model)
    assert r.lrange("big", 0, -1) == model
    r.ltrim("big", 1000, -1000)
    model = model[1000:len(model) - 999]
    assert r.lrange("big", 0, -1) == model
    assert r.lpos("big", model[-1], rank=-1) == len(model) - 1


def test_pipelined_pops_drain_a_large_list(r):
    pipe = r.pipeline(transaction=False)
    for i in range(0, 20000, 1000):
        pipe.rpush("q", *["element:%06d" % j for j in range(i, i + 1000)])
    pipe.execute()
    got = []
    while True:
        chunk = r.lpop("q", 777)
        if chunk is None:
            break
        got.extend(chunk)
    assert got == ["element:%06d" % j for j in range(20000)]
    assert r.exists("q") == 0


# ---- encodings (Redis 7.0 reports "quicklist" for every list) -------------------------------

@pytest.mark.ringtail_only
def test_small_list_is_a_listpack_until_the_count_limit(r, listpack_size):
    listpack_size(4)
    r.rpush("l", "1", "2", "3", "4")
    assert r.object("encoding", "l") == "listpack"
    r.rpush("l", "5")
    assert r.object("encoding", "l") == "quicklist"
    r.ltrim("l", 0, 0)
    assert r.object("encoding", "l") == "quicklist"  # never converts back
    assert r.lrange("l", 0, -1) == ["1"]


@pytest.mark.ringtail_only
def test_listpack_byte_limit_and_large_elements(r, listpack_size):
    listpack_size(-1)  # 4 KB
    r.rpush("small", *["abcdefghij"] * 300)
    assert r.object("encoding", "small") == "listpack"
    r.rpush("small", *["abcdefghij"] * 100)
    assert r.object("encoding", "small") == "quicklist"
    r.rpush("big", "x" * 5000)
    assert r.object("encoding", "big") == "quicklist"
    r.rpush("set", "a", "b")
    r.lset("set", 0, "y" * 5000)
    assert r.object("encoding", "set") == "quicklist"
    assert r.lrange("set", 0, -1) == ["y" * 5000, "b"]
    r.rpush("ins", "a", "b")
    r.linsert("ins", "AFTER", "a", "z" * 5000)
    assert r.object("encoding", "ins") == "quicklist"
    assert r.lrange("ins", 0, -1) == ["a", "z" * 5000, "b"]


@pytest.mark.ringtail_only
def test_default_limit_holds_hundreds_of_short_elements(r):
    r.rpush("l", *["element:%06d" % i for i in range(500)])
    assert r.object("encoding", "l") == "listpack"
    r.rpush("l", *["element:%06d" % i for i in range(100)])
    assert r.object("encoding", "l") == "quicklist"


def test_extreme_fills_are_clamped(r, listpack_size):
    # Fills beyond -5 and 32767 are clamped when used (as in Redis), so lists still work.
    for fill in (0, -100, 100000):
        listpack_size(fill)
        r.delete("l")
        r.rpush("l", *range(50))
        assert r.lrange("l", 0, -1) == [str(i) for i in range(50)]
        assert r.lindex("l", 25) == "25"
