# SPDX-License-Identifier: Apache-2.0
"""Sorted-set commands: replies, options, error texts, WRONGTYPE, RESP3 shapes and encodings.

Multi-key commands use keys with one hash tag ({z}), so that they run on one shard. Exact bytes
(error texts, RESP2 scores as bulk strings, RESP3 doubles and pairs) go through the raw client.
"""

import random

import pytest

from server_process import wait_until

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = "ERR syntax error"
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
NOT_FLOAT_RANGE = "ERR min or max is not a float"
NOT_LEX_RANGE = "ERR min or max not valid string range item"
NAN_SCORE = "ERR resulting score is not a number (NaN)"
LIMIT_NEEDS_BY = ("ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                  "or BYLEX")
BYLEX_WITHSCORES = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
POSITIVE = "ERR value is out of range, must be positive"


def bulks(*items):
    return b"*%d\r\n" % len(items) + b"".join(
        b"$%d\r\n%s\r\n" % (len(i), i) for i in (x.encode() for x in items))


@pytest.fixture
def small_listpack(r):
    """Lowers zset-max-listpack-entries to 4 for the test, then restores it."""
    old = r.config_get("zset-max-listpack-entries")["zset-max-listpack-entries"]
    r.config_set("zset-max-listpack-entries", 4)
    yield
    r.config_set("zset-max-listpack-entries", old)


# ---- ZADD / ZINCRBY ------------------------------------------------------------------------

def test_zadd_and_read_back(r, rc):
    assert r.zadd("z", {"a": 1, "b": 2.5, "c": 3}) == 3
    assert r.zadd("z", {"a": 1, "b": 4}) == 0
    assert r.zscore("z", "b") == 4.0
    assert r.zcard("z") == 3
    assert r.type("z") == "zset"
    assert rc.call("ZSCORE", "z", "b") == b"$1\r\n4\r\n"
    assert rc.call("ZADD", "z", "0.1", "d") == b":1\r\n"
    assert rc.call("ZSCORE", "z", "d") == b"$19\r\n0.10000000000000001\r\n"
    assert rc.call("ZSCORE", "z", "nope") == b"$-1\r\n"
    assert rc.call("ZSCORE", "nokey", "a") == b"$-1\r\n"
    assert rc.call("ZCARD", "nokey") == b":0\r\n"


def test_zadd_special_scores(r, rc):
    assert r.execute_command("ZADD", "z", "inf", "i1", "+inf", "i2", "-inf", "i3",
                             "infinity", "i4", "0x10", "hex", "1e3", "e") == 6
    assert rc.call("ZRANGE", "z", "0", "-1", "WITHSCORES") == bulks(
        "i3", "-inf", "hex", "16", "e", "1000", "i1", "inf", "i2", "inf", "i4", "inf")


def test_zadd_negative_zero_is_zero_in_a_listpack(r, rc):
    r.execute_command("ZADD", "z", "-0", "a")
    assert rc.call("ZSCORE", "z", "a") == b"$1\r\n0\r\n"


def test_zadd_options(r, rc):
    r.zadd("z", {"b": 5, "c": 6})
    assert r.execute_command("ZADD", "z", "GT", "CH", "4", "b", "7", "c", "1", "d") == 2
    assert r.execute_command("ZADD", "z", "LT", "CH", "4", "b", "7", "c", "1", "d") == 1
    assert rc.call("ZADD", "z", "XX", "GT", "INCR", "1", "b") == b"$1\r\n5\r\n"
    assert rc.call("ZADD", "z", "LT", "INCR", "1", "b") == b"$-1\r\n"
    assert rc.call("ZADD", "z", "GT", "INCR", "0", "b") == b"$-1\r\n"
    assert rc.call("ZADD", "z", "INCR", "0", "b") == b"$1\r\n5\r\n"
    assert r.execute_command("ZADD", "z", "NX", "10", "b", "10", "e") == 1
    assert r.zscore("z", "b") == 5
    assert rc.call("ZADD", "z", "NX", "INCR", "1", "b") == b"$-1\r\n"
    assert rc.call("ZADD", "z", "NX", "INCR", "1", "new") == b"$1\r\n1\r\n"
    assert r.execute_command("ZADD", "z", "XX", "CH", "1", "nope") == 0
    assert r.zscore("z", "nope") is None
    assert r.execute_command("ZADD", "z", "CH", "3", "a", "3", "a") == 1
    assert r.execute_command("ZADD", "z", "1", "x", "1", "x", "2", "x") == 1
    assert r.zscore("z", "x") == 2
    assert r.execute_command("zadd", "z", "nx", "nx", "ch", "1", "y") == 1


def test_zadd_xx_on_missing_key_creates_nothing(r, rc):
    assert r.execute_command("ZADD", "nokey", "XX", "1", "a") == 0
    assert rc.call("ZADD", "nokey", "XX", "INCR", "1", "a") == b"$-1\r\n"
    assert r.exists("nokey") == 0


@pytest.mark.parametrize("args,error", [
    (["NX", "XX", "1", "a"], "ERR XX and NX options at the same time are not compatible"),
    (["GT", "LT", "1", "a"], "ERR GT, LT, and/or NX options at the same time are not compatible"),
    (["GT", "NX", "1", "a"], "ERR GT, LT, and/or NX options at the same time are not compatible"),
    (["LT", "NX", "1", "a"], "ERR GT, LT, and/or NX options at the same time are not compatible"),
    (["INCR", "1", "a", "2", "b"], "ERR INCR option supports a single increment-element pair"),
    (["1", "a", "2"], SYNTAX),
    (["NX", "XX"], SYNTAX),
    (["nan", "a"], NOT_FLOAT),
    (["abc", "a"], NOT_FLOAT),
    (["1", "a", "x", "b"], NOT_FLOAT),
    ([" 1", "a"], NOT_FLOAT),
    (["1 ", "a"], NOT_FLOAT),
    (["1e400", "a"], NOT_FLOAT),
    (["", "a"], NOT_FLOAT),
])
def test_zadd_errors(r, rc, args, error):
    assert rc.call_error("ZADD", "z", *args) == error
    assert r.exists("z") == 0
    r.zadd("z", {"a": 7})
    assert rc.call_error("ZADD", "z", *args) == error
    assert r.zrange("z", 0, -1, withscores=True) == [("a", 7.0)]


def test_zadd_arity_and_wrongtype(r, rc):
    assert rc.call_error("ZADD", "z", "1") == "ERR wrong number of arguments for 'zadd' command"
    r.set("s", "x")
    assert rc.call_error("ZADD", "s", "1", "a") == WRONGTYPE
    assert rc.call_error("ZADD", "s", "XX", "1", "a") == WRONGTYPE
    assert r.get("s") == "x"


def test_zadd_incr_nan(r, rc):
    r.execute_command("ZADD", "z", "inf", "a")
    assert rc.call_error("ZADD", "z", "INCR", "-inf", "a") == NAN_SCORE
    assert rc.call_error("ZINCRBY", "z", "-inf", "a") == NAN_SCORE
    assert rc.call("ZSCORE", "z", "a") == b"$3\r\ninf\r\n"


def test_zincrby(r, rc):
    assert rc.call("ZINCRBY", "z", "2", "a") == b"$1\r\n2\r\n"
    assert rc.call("ZINCRBY", "z", "-0.5", "a") == b"$3\r\n1.5\r\n"
    assert r.zincrby("z", 1, "b") == 1.0
    assert rc.call_error("ZINCRBY", "z", "abc", "a") == NOT_FLOAT
    # ZINCRBY is ZADD INCR: an increment spelled like an option is read as one.
    assert rc.call_error("ZINCRBY", "z", "nx", "a") == SYNTAX
    assert rc.call_error("ZINCRBY", "z", "1") == (
        "ERR wrong number of arguments for 'zincrby' command")
    r.set("s", "x")
    assert rc.call_error("ZINCRBY", "s", "1", "a") == WRONGTYPE


# ---- ZREM / ZMSCORE / ZCOUNT / ZLEXCOUNT ---------------------------------------------------

def test_zrem_deletes_empty_key(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert r.zrem("z", "a", "nope", "a") == 1
    assert r.zrem("z", "b", "c") == 2
    assert r.exists("z") == 0
    assert r.zrem("z", "a") == 0


def test_zmscore(r, rc):
    r.zadd("z", {"a": 1, "c": 3})
    assert rc.call("ZMSCORE", "z", "a", "nope", "c") == b"*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n"
    assert rc.call("ZMSCORE", "nokey", "a", "b") == b"*2\r\n$-1\r\n$-1\r\n"
    assert rc.call_error("ZMSCORE", "z") == "ERR wrong number of arguments for 'zmscore' command"


def test_zcount(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "inf": float("inf")})
    assert r.zcount("z", "-inf", "+inf") == 4
    assert r.zcount("z", "(1", "3") == 2
    assert r.zcount("z", "(1", "(3") == 1
    assert r.zcount("z", 3, 1) == 0
    assert r.zcount("z", "(inf", "+inf") == 0
    assert r.zcount("nokey", 0, 1) == 0
    assert rc.call_error("ZCOUNT", "z", "a", "2") == NOT_FLOAT_RANGE
    assert rc.call_error("ZCOUNT", "nokey", "1", "(x") == NOT_FLOAT_RANGE
    assert rc.call_error("ZCOUNT", "z", "nan", "1") == NOT_FLOAT_RANGE


def test_zlexcount(r, rc):
    r.zadd("z", {m: 0 for m in "abcde"})
    assert r.zlexcount("z", "-", "+") == 5
    assert r.zlexcount("z", "[b", "(d") == 2
    assert r.zlexcount("z", "(b", "[d") == 2
    assert r.zlexcount("z", "+", "-") == 0
    assert r.zlexcount("z", "[bb", "+") == 3
    assert r.zlexcount("nokey", "-", "+") == 0
    for bad in (["b", "+"], ["[a", "+x"], ["", "+"], ["-x", "+"]):
        assert rc.call_error("ZLEXCOUNT", "z", *bad) == NOT_LEX_RANGE


# ---- ZRANGE and its older forms ------------------------------------------------------------

def test_zrange_by_rank(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert r.zrange("z", 0, -1) == ["a", "b", "c", "d"]
    assert rc.call("ZRANGE", "z", "1", "2", "WITHSCORES") == bulks("b", "2", "c", "3")
    assert r.zrange("z", -2, 100) == ["c", "d"]
    assert r.zrange("z", -100, 0) == ["a"]
    assert r.zrange("z", 3, 1) == []
    assert r.zrange("z", 4, 10) == []
    assert r.execute_command("ZRANGE", "z", "0", "-1", "REV") == ["d", "c", "b", "a"]
    assert r.execute_command("ZRANGE", "z", "0", "0", "rev", "withscores") == ["d", "4"]
    assert rc.call("ZREVRANGE", "z", "0", "1", "WITHSCORES") == bulks("d", "4", "c", "3")
    assert r.zrevrange("z", -1, -1) == ["a"]
    assert rc.call("ZRANGE", "nokey", "0", "-1") == b"*0\r\n"
    # "LIMIT x -1" is no LIMIT at all, as far as this check goes.
    assert r.execute_command("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1") == ["a", "b"]


def test_zrange_by_score(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert r.zrangebyscore("z", "(1", 3) == ["b", "c"]
    assert r.zrangebyscore("z", "-inf", "+inf", start=1, num=2) == ["b", "c"]
    assert r.execute_command("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2") == []
    assert r.execute_command("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "3", "-5") == [
        "d", "e"]
    assert r.execute_command("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "0") == []
    assert r.execute_command("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "5", "1") == []
    assert rc.call("ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES") == bulks("b", "2", "c", "3")
    assert r.zrevrangebyscore("z", 4, "(2") == ["d", "c"]
    assert r.zrevrangebyscore("z", "+inf", "-inf", start=1, num=2) == ["d", "c"]
    assert r.execute_command("ZRANGE", "z", "(1", "3", "BYSCORE") == ["b", "c"]
    assert r.execute_command("ZRANGE", "z", "3", "(1", "BYSCORE", "REV") == ["c", "b"]
    assert r.execute_command("ZRANGE", "z", "5", "1", "REV", "BYSCORE", "LIMIT", "1", "1") == [
        "d"]
    assert r.execute_command("ZRANGE", "z", "1", "5", "BYSCORE", "LIMIT", "1", "2",
                             "WITHSCORES") == ["b", "2", "c", "3"]
    # As in Redis, an empty bound reads as 0 and leading spaces are skipped.
    assert r.execute_command("ZRANGEBYSCORE", "z", "", "(") == []
    assert r.execute_command("ZRANGEBYSCORE", "z", " 4", "inf") == ["d", "e"]
    assert r.zrangebyscore("z", 3, 2) == []
    assert r.zrangebyscore("z", "(3", "3") == []
    assert r.zrangebyscore("nokey", 0, 1) == []


def test_zrange_by_lex(r, rc):
    r.zadd("z", {m: 0 for m in "abcde"})
    assert r.zrangebylex("z", "[b", "(d") == ["b", "c"]
    assert r.zrangebylex("z", "-", "+", start=1, num=2) == ["b", "c"]
    assert r.zrevrangebylex("z", "[c", "-") == ["c", "b", "a"]
    assert r.zrevrangebylex("z", "+", "-", start=0, num=2) == ["e", "d"]
    assert r.execute_command("ZRANGE", "z", "(a", "[c", "BYLEX") == ["b", "c"]
    assert r.execute_command("ZRANGE", "z", "[c", "(a", "BYLEX", "REV") == ["c", "b"]
    assert r.zrangebylex("z", "+", "-") == []
    assert r.zrangebylex("z", "[e", "[a") == []


@pytest.mark.parametrize("args,error", [
    (["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"], LIMIT_NEEDS_BY),
    (["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"], LIMIT_NEEDS_BY),
    (["ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"], BYLEX_WITHSCORES),
    (["ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"], BYLEX_WITHSCORES),
    (["ZRANGE", "z", "0", "1", "REV", "REV"], SYNTAX),
    (["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"], SYNTAX),
    (["ZRANGE", "z", "0", "1", "BYSCORE", "BYSCORE"], SYNTAX),
    (["ZRANGE", "z", "0", "1", "FOO"], SYNTAX),
    (["ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "1"], SYNTAX),
    (["ZREVRANGE", "z", "0", "1", "REV"], SYNTAX),
    (["ZRANGEBYSCORE", "z", "0", "1", "REV"], SYNTAX),
    (["ZRANGEBYSCORE", "z", "0", "1", "BYSCORE"], SYNTAX),
    (["ZRANGEBYSCORE", "z", "a", "b", "FOO"], SYNTAX),
    (["ZRANGEBYLEX", "z", "-", "+", "BYLEX"], SYNTAX),
    (["ZRANGE", "z", "a", "1"], NOT_INTEGER),
    (["ZRANGE", "z", "0", "1.5"], NOT_INTEGER),
    (["ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"], NOT_INTEGER),
    (["ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "0", "x"], NOT_INTEGER),
    (["ZRANGEBYSCORE", "z", "a", "b"], NOT_FLOAT_RANGE),
    (["ZRANGEBYSCORE", "z", "1", "((2"], NOT_FLOAT_RANGE),
    (["ZRANGE", "z", "x", "1", "BYSCORE"], NOT_FLOAT_RANGE),
    (["ZREVRANGEBYSCORE", "z", "1", "nan"], NOT_FLOAT_RANGE),
    (["ZRANGEBYLEX", "z", "a", "+"], NOT_LEX_RANGE),
    (["ZRANGE", "z", "0", "-1", "BYLEX"], NOT_LEX_RANGE),
    (["ZREVRANGEBYLEX", "z", "+", "c"], NOT_LEX_RANGE),
])
def test_zrange_errors(r, rc, args, error):
    r.zadd("z", {"a": 1})
    assert rc.call_error(*args) == error
    # The same checks come before the key is looked up.
    r.set("z", "x")
    assert rc.call_error(*args) == error


def test_zrange_resp3_pairs(r, rc3):
    r.zadd("z", {"a": 1, "b": 2.5})
    assert rc3.call("ZRANGE", "z", "0", "-1", "WITHSCORES") == (
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n")
    assert rc3.call("ZRANGE", "z", "0", "-1") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert rc3.call("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES") == (
        b"*2\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,1\r\n")
    assert rc3.call("ZSCORE", "z", "b") == b",2.5\r\n"
    assert rc3.call("ZSCORE", "z", "nope") == b"_\r\n"
    assert rc3.call("ZMSCORE", "z", "a", "nope") == b"*2\r\n,1\r\n_\r\n"
    assert rc3.call("ZINCRBY", "z", "1", "a") == b",2\r\n"
    assert rc3.call("ZADD", "z", "INCR", "1", "a") == b",3\r\n"
    assert rc3.call("ZADD", "z", "NX", "INCR", "1", "a") == b"_\r\n"
    assert rc3.call("ZRANGE", "nokey", "0", "-1", "WITHSCORES") == b"*0\r\n"


# ---- ZRANGESTORE ---------------------------------------------------------------------------

def test_zrangestore(r, rc):
    r.zadd("{z}src", {"a": 1, "b": 2, "c": 3})
    r.set("{z}dst", "old", ex=100)
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}src", "0", "1") == 2
    assert r.ttl("{z}dst") == -1
    assert r.zrange("{z}dst", 0, -1, withscores=True) == [("a", 1.0), ("b", 2.0)]
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}src", "(1", "+inf", "BYSCORE",
                             "LIMIT", "1", "5") == 1
    assert r.zrange("{z}dst", 0, -1) == ["c"]
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}src", "[c", "-", "BYLEX", "REV") == 3
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}src", "0", "0", "REV") == 1
    assert r.zrange("{z}dst", 0, -1) == ["c"]
    assert rc.call_error("ZRANGESTORE", "{z}dst", "{z}src", "0", "-1", "WITHSCORES") == SYNTAX
    assert rc.call_error("ZRANGESTORE", "{z}dst", "{z}src", "0") == (
        "ERR wrong number of arguments for 'zrangestore' command")


def test_zrangestore_empty_result_deletes_destination(r):
    r.zadd("{z}src", {"a": 1})
    r.zadd("{z}dst", {"x": 1})
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}src", "5", "10") == 0
    assert r.exists("{z}dst") == 0
    r.zadd("{z}dst", {"x": 1})
    assert r.execute_command("ZRANGESTORE", "{z}dst", "{z}nokey", "0", "-1") == 0
    assert r.exists("{z}dst") == 0


def test_zrangestore_onto_itself_and_wrongtype(r, rc):
    r.zadd("{z}src", {"a": 1, "b": 2, "c": 3})
    assert r.execute_command("ZRANGESTORE", "{z}src", "{z}src", "1", "-1") == 2
    assert r.zrange("{z}src", 0, -1) == ["b", "c"]
    r.set("{z}s", "x")
    assert rc.call_error("ZRANGESTORE", "{z}dst", "{z}s", "0", "-1") == WRONGTYPE
    assert r.exists("{z}dst") == 0


# ---- ZRANK / ZREVRANK ----------------------------------------------------------------------

def test_zrank(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert r.zrank("z", "a") == 0
    assert r.zrank("z", "c") == 2
    assert r.zrevrank("z", "a") == 2
    assert rc.call("ZRANK", "z", "nope") == b"$-1\r\n"
    assert rc.call("ZREVRANK", "nokey", "a") == b"$-1\r\n"
    assert rc.call_error("ZRANK", "z") == "ERR wrong number of arguments for 'zrank' command"


@pytest.mark.ringtail_only
def test_zrank_withscore_redis72_form(r, rc, raw):
    # Redis 7.2's WITHSCORE; 7.0 knows only the three-argument form.
    r.zadd("z", {"a": 1, "b": 2.5, "c": 3})
    assert rc.call("ZRANK", "z", "b", "WITHSCORE") == b"*2\r\n:1\r\n$3\r\n2.5\r\n"
    assert rc.call("ZREVRANK", "z", "b", "withscore") == b"*2\r\n:1\r\n$3\r\n2.5\r\n"
    assert rc.call("ZRANK", "z", "nope", "WITHSCORE") == b"*-1\r\n"
    assert rc.call("ZRANK", "nokey", "a", "WITHSCORE") == b"*-1\r\n"
    assert rc.call_error("ZRANK", "z", "b", "FOO") == SYNTAX
    assert rc.call_error("ZRANK", "z", "b", "WITHSCORE", "x") == (
        "ERR wrong number of arguments for 'zrank' command")
    rc3 = raw()
    rc3.call("HELLO", "3")
    assert rc3.call("ZRANK", "z", "c", "WITHSCORE") == b"*2\r\n:2\r\n,3\r\n"
    assert rc3.call("ZRANK", "z", "nope", "WITHSCORE") == b"_\r\n"


# ---- ZREMRANGEBY* --------------------------------------------------------------------------

def test_zremrangebyrank(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert r.zremrangebyrank("z", 0, 0) == 1
    assert r.zremrangebyrank("z", -1, -1) == 1
    assert r.zremrangebyrank("z", 5, 10) == 0
    assert r.zremrangebyrank("z", 2, 1) == 0
    assert r.zrange("z", 0, -1) == ["b", "c", "d"]
    assert rc.call_error("ZREMRANGEBYRANK", "z", "x", "1") == NOT_INTEGER
    assert r.zremrangebyrank("z", 0, -1) == 3
    assert r.exists("z") == 0
    assert r.zremrangebyrank("z", 0, -1) == 0


def test_zremrangebyscore(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert r.zremrangebyscore("z", "(1", 3) == 2
    assert r.zremrangebyscore("z", 10, 20) == 0
    assert r.zrange("z", 0, -1) == ["a", "d"]
    assert rc.call_error("ZREMRANGEBYSCORE", "z", "x", "1") == NOT_FLOAT_RANGE
    assert r.zremrangebyscore("z", "-inf", "+inf") == 2
    assert r.exists("z") == 0


def test_zremrangebylex(r, rc):
    r.zadd("z", {m: 0 for m in "abcd"})
    assert r.zremrangebylex("z", "[a", "(c") == 2
    assert r.zrange("z", 0, -1) == ["c", "d"]
    assert rc.call_error("ZREMRANGEBYLEX", "z", "a", "c") == NOT_LEX_RANGE
    assert r.zremrangebylex("z", "-", "+") == 2
    assert r.exists("z") == 0


# ---- ZPOPMIN / ZPOPMAX / ZMPOP -------------------------------------------------------------

def test_zpopmin_zpopmax(r, rc):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert rc.call("ZPOPMIN", "z") == bulks("a", "1")
    assert rc.call("ZPOPMAX", "z", "2") == bulks("d", "4", "c", "3")
    assert rc.call("ZPOPMIN", "z", "0") == b"*0\r\n"
    assert rc.call("ZPOPMIN", "z", "10") == bulks("b", "2")
    assert r.exists("z") == 0
    assert rc.call("ZPOPMIN", "z") == b"*0\r\n"
    assert rc.call("ZPOPMAX", "z", "3") == b"*0\r\n"


@pytest.mark.parametrize("args,error", [
    (["-1"], POSITIVE),
    (["x"], POSITIVE),
    (["1", "2"], SYNTAX),
])
def test_zpop_errors(r, rc, args, error):
    r.zadd("z", {"a": 1})
    assert rc.call_error("ZPOPMIN", "z", *args) == error
    assert rc.call_error("ZPOPMAX", "z", *args) == error
    assert r.zcard("z") == 1


def test_zpop_wrongtype_before_count_zero(r, rc):
    r.set("s", "x")
    assert rc.call_error("ZPOPMIN", "s", "0") == WRONGTYPE
    assert rc.call_error("ZPOPMAX", "s") == WRONGTYPE


def test_zpop_resp3(r, rc3):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    # Without a count: one flat pair; with one: an array of pairs.
    assert rc3.call("ZPOPMIN", "z") == b"*2\r\n$1\r\na\r\n,1\r\n"
    assert rc3.call("ZPOPMAX", "z", "1") == b"*1\r\n*2\r\n$1\r\nc\r\n,3\r\n"
    assert rc3.call("ZPOPMAX", "z", "0") == b"*0\r\n"
    assert rc3.call("ZPOPMAX", "nokey") == b"*0\r\n"


def test_zmpop(r, rc):
    r.zadd("{z}b", {"a": 1, "b": 2, "c": 3})
    assert rc.call("ZMPOP", "2", "{z}a", "{z}b", "MIN") == (
        b"*2\r\n$4\r\n{z}b\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n")
    assert rc.call("ZMPOP", "1", "{z}b", "max", "COUNT", "5") == (
        b"*2\r\n$4\r\n{z}b\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")
    assert r.exists("{z}b") == 0
    assert rc.call("ZMPOP", "2", "{z}a", "{z}b", "MIN") == b"*-1\r\n"


def test_zmpop_resp3(r, rc3):
    r.zadd("{z}b", {"a": 1, "b": 2})
    assert rc3.call("ZMPOP", "1", "{z}b", "MAX", "COUNT", "2") == (
        b"*2\r\n$4\r\n{z}b\r\n*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n")
    assert rc3.call("ZMPOP", "1", "{z}b", "MAX") == b"_\r\n"


@pytest.mark.parametrize("args,error", [
    (["0", "{z}a", "MIN"], "ERR numkeys should be greater than 0"),
    (["-1", "{z}a", "MIN"], "ERR numkeys should be greater than 0"),
    (["x", "{z}a", "MIN"], "ERR numkeys should be greater than 0"),
    (["2", "{z}a", "MIN"], SYNTAX),
    (["1", "{z}a", "FOO"], SYNTAX),
    (["1", "{z}a", "MIN", "COUNT"], SYNTAX),
    (["1", "{z}a", "MIN", "COUNT", "0"], "ERR count should be greater than 0"),
    (["1", "{z}a", "MIN", "COUNT", "x"], "ERR count should be greater than 0"),
    (["1", "{z}a", "MIN", "COUNT", "1", "COUNT", "1"], SYNTAX),
    (["1", "{z}a", "MIN", "FOO"], SYNTAX),
])
def test_zmpop_errors(r, rc, args, error):
    r.zadd("{z}a", {"a": 1})
    assert rc.call_error("ZMPOP", *args) == error
    assert r.zcard("{z}a") == 1


def test_zmpop_wrongtype(r, rc):
    r.set("{z}s", "x")
    r.zadd("{z}z", {"a": 1})
    assert rc.call_error("ZMPOP", "2", "{z}none", "{z}s", "MIN") == WRONGTYPE
    # The first non-empty key serves before a later one of another type is looked at.
    assert rc.call("ZMPOP", "2", "{z}z", "{z}s", "MIN") == (
        b"*2\r\n$4\r\n{z}z\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n")


# ---- ZRANDMEMBER ---------------------------------------------------------------------------

def test_zrandmember(r, rc):
    members = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    r.zadd("z", members)
    assert r.zrandmember("z") in members
    assert rc.call("ZRANDMEMBER", "nokey") == b"$-1\r\n"
    assert rc.call("ZRANDMEMBER", "nokey", "3") == b"*0\r\n"
    assert rc.call("ZRANDMEMBER", "z", "0") == b"*0\r\n"
    # A count of at least the size: every member, once.
    all_members = r.zrandmember("z", 10, withscores=True)
    assert sorted(all_members[0::2]) == sorted(members)
    for member, score in zip(all_members[0::2], all_members[1::2]):
        assert float(score) == members[member]
    # Distinct members for a positive count, repetitions allowed for a negative one.
    for count in (1, 2, 4):
        picked = r.zrandmember("z", count)
        assert len(picked) == count and len(set(picked)) == count
        assert set(picked) <= set(members)
    picked = r.zrandmember("z", -20)
    assert len(picked) == 20 and set(picked) <= set(members)
    with_scores = r.zrandmember("z", -6, withscores=True)
    assert len(with_scores) == 12
    for member, score in zip(with_scores[0::2], with_scores[1::2]):
        assert float(score) == members[member]


def test_zrandmember_large_set(r):
    r.config_set("zset-max-listpack-entries", 16)
    try:
        members = {"m%d" % i: i for i in range(200)}
        r.zadd("z", members)
        assert r.object("encoding", "z") == "skiplist"
        for count in (5, 150):
            picked = r.zrandmember("z", count)
            assert len(set(picked)) == count and set(picked) <= set(members)
        assert len(r.zrandmember("z", -300)) == 300
    finally:
        r.config_set("zset-max-listpack-entries", 128)


@pytest.mark.parametrize("args,error", [
    (["x"], NOT_INTEGER),
    (["1.5"], NOT_INTEGER),
    (["-9223372036854775808"], "ERR value is out of range, value must between "
                               "-9223372036854775807 and 9223372036854775807"),
    (["9223372036854775807", "WITHSCORES"], "ERR value is out of range"),
    (["-4611686018427387904", "WITHSCORES"], "ERR value is out of range"),
    (["1", "FOO"], SYNTAX),
    (["1", "WITHSCORES", "x"], SYNTAX),
])
def test_zrandmember_errors(r, rc, args, error):
    r.zadd("z", {"a": 1})
    assert rc.call_error("ZRANDMEMBER", "z", *args) == error


def test_zrandmember_resp3(r, rc3):
    r.zadd("z", {"a": 1})
    assert rc3.call("ZRANDMEMBER", "z", "-2", "WITHSCORES") == (
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n")
    assert rc3.call("ZRANDMEMBER", "z", "3", "WITHSCORES") == b"*1\r\n*2\r\n$1\r\na\r\n,1\r\n"
    assert rc3.call("ZRANDMEMBER", "z", "-2") == b"*2\r\n$1\r\na\r\n$1\r\na\r\n"
    assert rc3.call("ZRANDMEMBER", "nokey") == b"_\r\n"


# ---- ZUNION / ZINTER / ZDIFF / ZINTERCARD and the STORE forms ------------------------------

@pytest.fixture
def two_sets(r):
    r.zadd("{z}a", {"x": 1, "y": 2, "z": 3})
    r.zadd("{z}b", {"y": 10, "z": 20, "w": 30})


def test_zunion(r, rc, two_sets):
    assert rc.call("ZUNION", "2", "{z}a", "{z}b", "WITHSCORES") == bulks(
        "x", "1", "y", "12", "z", "23", "w", "30")
    assert r.execute_command("ZUNION", "2", "{z}a", "{z}b") == ["x", "y", "z", "w"]
    assert rc.call("ZUNION", "2", "{z}a", "{z}b", "AGGREGATE", "MIN", "WITHSCORES") == bulks(
        "x", "1", "y", "2", "z", "3", "w", "30")
    assert rc.call("ZUNION", "2", "{z}a", "{z}b", "WEIGHTS", "2", "0.5", "AGGREGATE", "max",
                   "WITHSCORES") == bulks("x", "2", "y", "5", "z", "10", "w", "15")
    assert r.execute_command("ZUNION", "2", "{z}none", "{z}a") == ["x", "y", "z"]
    assert rc.call("ZUNION", "1", "{z}none") == b"*0\r\n"


def test_zinter(r, rc, two_sets):
    assert rc.call("ZINTER", "2", "{z}a", "{z}b", "WEIGHTS", "2", "1", "WITHSCORES") == bulks(
        "y", "14", "z", "26")
    assert rc.call("ZINTER", "2", "{z}a", "{z}b", "AGGREGATE", "MAX", "WITHSCORES") == bulks(
        "y", "10", "z", "20")
    assert rc.call("ZINTER", "2", "{z}a", "{z}none") == b"*0\r\n"
    assert rc.call("ZINTER", "2", "{z}a", "{z}a", "WITHSCORES") == bulks(
        "x", "2", "y", "4", "z", "6")


def test_zdiff(r, rc, two_sets):
    assert rc.call("ZDIFF", "2", "{z}a", "{z}b", "WITHSCORES") == bulks("x", "1")
    assert r.execute_command("ZDIFF", "2", "{z}b", "{z}a") == ["w"]
    assert r.execute_command("ZDIFF", "1", "{z}b") == ["y", "z", "w"]
    assert r.execute_command("ZDIFF", "2", "{z}none", "{z}a") == []
    assert r.execute_command("ZDIFF", "2", "{z}a", "{z}none") == ["x", "y", "z"]


def test_zintercard(r, two_sets):
    assert r.execute_command("ZINTERCARD", "2", "{z}a", "{z}b") == 2
    assert r.execute_command("ZINTERCARD", "2", "{z}a", "{z}b", "LIMIT", "1") == 1
    assert r.execute_command("ZINTERCARD", "2", "{z}a", "{z}b", "LIMIT", "0") == 2
    assert r.execute_command("ZINTERCARD", "1", "{z}a") == 3
    assert r.execute_command("ZINTERCARD", "2", "{z}a", "{z}none") == 0


def test_set_operations_with_sets(r, rc, two_sets):
    # A set counts as a sorted set whose members all score 1.
    r.sadd("{z}s", "x", "w", "q")
    assert rc.call("ZUNION", "2", "{z}a", "{z}s", "WITHSCORES") == bulks(
        "q", "1", "w", "1", "x", "2", "y", "2", "z", "3")
    assert rc.call("ZINTER", "2", "{z}s", "{z}b", "WEIGHTS", "5", "1", "WITHSCORES") == bulks(
        "w", "35")
    assert rc.call("ZDIFF", "2", "{z}s", "{z}a", "WITHSCORES") == bulks("q", "1", "w", "1")
    assert r.execute_command("ZINTERCARD", "2", "{z}s", "{z}b") == 1
    assert r.execute_command("ZUNIONSTORE", "{z}d", "1", "{z}s") == 3
    assert r.zrange("{z}d", 0, -1, withscores=True) == [("q", 1.0), ("w", 1.0), ("x", 1.0)]


def test_set_operation_special_scores(r, rc):
    r.execute_command("ZADD", "{z}inf", "inf", "x", "-inf", "y")
    r.zadd("{z}a", {"x": 1, "y": 2, "z": 3})
    # inf * 0 is nan, taken as 0; inf + -inf likewise.
    assert rc.call("ZUNION", "2", "{z}inf", "{z}a", "WEIGHTS", "0", "1", "WITHSCORES") == bulks(
        "x", "1", "y", "2", "z", "3")
    assert rc.call("ZUNION", "2", "{z}inf", "{z}inf", "WEIGHTS", "1", "-1",
                   "WITHSCORES") == bulks("x", "0", "y", "0")
    assert rc.call("ZINTER", "2", "{z}inf", "{z}inf", "WEIGHTS", "1", "-1", "AGGREGATE",
                   "MIN", "WITHSCORES") == bulks("x", "-inf", "y", "-inf")


def test_set_operations_add_smallest_input_first(r, rc):
    # Sums are taken in the order of the inputs' sizes, smallest first: 1 + 1 + 1e16 is exact,
    # 1e16 + 1 + 1 is not.
    r.execute_command("ZADD", "{z}a", "1e16", "x", "1", "f1", "2", "f2", "3", "f3")
    r.zadd("{z}b", {"x": 1})
    r.zadd("{z}c", {"x": 1, "g": 5})
    for op in ("ZUNION", "ZINTER"):
        reply = rc.call(op, "3", "{z}a", "{z}b", "{z}c", "WITHSCORES")
        assert b"$1\r\nx\r\n$17\r\n10000000000000002\r\n" in reply, reply


@pytest.mark.parametrize("args,error", [
    (["ZUNION", "0", "{z}a"], "ERR at least 1 input key is needed for 'zunion' command"),
    (["ZINTER", "-1", "{z}a"], "ERR at least 1 input key is needed for 'zinter' command"),
    (["ZDIFF", "0", "{z}a"], "ERR at least 1 input key is needed for 'zdiff' command"),
    (["ZINTERCARD", "0", "{z}a"], "ERR at least 1 input key is needed for 'zintercard' command"),
    (["ZUNIONSTORE", "{z}d", "0", "{z}a"],
     "ERR at least 1 input key is needed for 'zunionstore' command"),
    (["ZUNION", "x", "{z}a"], NOT_INTEGER),
    (["ZINTERCARD", "x", "{z}a"], NOT_INTEGER),
    (["ZUNION", "2", "{z}a"], SYNTAX),
    (["ZINTERCARD", "2", "{z}a"], SYNTAX),
    (["ZUNION", "1", "{z}a", "WEIGHTS", "x"], "ERR weight value is not a float"),
    (["ZUNION", "1", "{z}a", "WEIGHTS", "nan"], "ERR weight value is not a float"),
    (["ZUNION", "2", "{z}a", "{z}b", "WEIGHTS", "1"], SYNTAX),
    (["ZUNION", "1", "{z}a", "AGGREGATE", "avg"], SYNTAX),
    (["ZUNION", "1", "{z}a", "AGGREGATE"], SYNTAX),
    (["ZUNION", "1", "{z}a", "FOO"], SYNTAX),
    (["ZDIFF", "1", "{z}a", "WEIGHTS", "1"], SYNTAX),
    (["ZDIFF", "1", "{z}a", "AGGREGATE", "SUM"], SYNTAX),
    (["ZUNIONSTORE", "{z}d", "1", "{z}a", "WITHSCORES"], SYNTAX),
    (["ZINTERCARD", "1", "{z}a", "WITHSCORES"], SYNTAX),
    (["ZINTERCARD", "1", "{z}a", "WEIGHTS", "1"], SYNTAX),
    (["ZINTERCARD", "1", "{z}a", "LIMIT", "-1"], "ERR LIMIT can't be negative"),
    (["ZINTERCARD", "1", "{z}a", "LIMIT", "x"], "ERR LIMIT can't be negative"),
    (["ZINTERCARD", "1", "{z}a", "LIMIT"], SYNTAX),
])
def test_set_operation_errors(r, rc, args, error):
    r.zadd("{z}a", {"x": 1})
    r.zadd("{z}b", {"x": 1})
    assert rc.call_error(*args) == error
    assert r.exists("{z}d") == 0


def test_set_operations_wrongtype_before_options(r, rc):
    r.zadd("{z}a", {"x": 1})
    r.set("{z}s", "x")
    assert rc.call_error("ZUNION", "2", "{z}a", "{z}s", "WEIGHTS", "x") == WRONGTYPE
    assert rc.call_error("ZINTERCARD", "1", "{z}s", "LIMIT", "-1") == WRONGTYPE
    assert rc.call_error("ZDIFFSTORE", "{z}d", "1", "{z}s") == WRONGTYPE
    assert rc.call_error("ZINTER", "2", "{z}none", "{z}s") == WRONGTYPE
    assert r.exists("{z}d") == 0


def test_store_forms(r, rc, two_sets):
    r.set("{z}d", "old", ex=100)
    assert r.zunionstore("{z}d", ["{z}a", "{z}b"]) == 4
    assert r.ttl("{z}d") == -1
    assert rc.call("ZRANGE", "{z}d", "0", "-1", "WITHSCORES") == bulks(
        "x", "1", "y", "12", "z", "23", "w", "30")
    assert r.zinterstore("{z}d", {"{z}a": 1, "{z}b": 0}) == 2
    assert rc.call("ZRANGE", "{z}d", "0", "-1", "WITHSCORES") == bulks("y", "2", "z", "3")
    assert r.zinterstore("{z}d", ["{z}a", "{z}b"], aggregate="MIN") == 2
    assert r.execute_command("ZDIFFSTORE", "{z}d", "2", "{z}a", "{z}b") == 1
    assert r.zrange("{z}d", 0, -1, withscores=True) == [("x", 1.0)]
    # An empty result deletes the destination.
    assert r.zinterstore("{z}d", ["{z}a", "{z}none"]) == 0
    assert r.exists("{z}d") == 0
    # The destination may be an input.
    assert r.zunionstore("{z}a", ["{z}a", "{z}b"]) == 4
    assert r.zcard("{z}a") == 4


def test_stored_result_encoding(r, small_listpack):
    r.zadd("{z}big", {"m%d" % i: i for i in range(10)})
    assert r.object("encoding", "{z}big") == "skiplist"
    assert r.zunionstore("{z}d", ["{z}big"]) == 10
    assert r.object("encoding", "{z}d") == "skiplist"
    assert r.execute_command("ZRANGESTORE", "{z}d", "{z}big", "0", "2") == 3
    assert r.object("encoding", "{z}d") == "listpack"
    assert r.zinterstore("{z}d", ["{z}big"]) == 10
    assert r.execute_command("ZREMRANGEBYRANK", "{z}d", "0", "7") == 8
    assert r.object("encoding", "{z}d") == "skiplist"  # never converted back


# ---- ZSCAN ---------------------------------------------------------------------------------

def test_zscan_small(r, rc):
    r.zadd("z", {"a": 1, "b": 2.5, "c": 3})
    assert rc.call("ZSCAN", "z", "0") == (
        b"*2\r\n$1\r\n0\r\n" + bulks("a", "1", "b", "2.5", "c", "3"))
    assert rc.call("ZSCAN", "z", "0", "MATCH", "b*", "COUNT", "1") == (
        b"*2\r\n$1\r\n0\r\n" + bulks("b", "2.5"))
    assert rc.call("ZSCAN", "nokey", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_zscan_large_set_visits_every_member(r, small_listpack):
    members = {"m%d" % i: i / 4 for i in range(1000)}
    r.zadd("z", members)
    seen = {}
    cursor = 0
    calls = 0
    while True:
        cursor, items = r.zscan("z", cursor, count=50)
        calls += 1
        for member, score in items:
            seen[member] = score
        if cursor == 0:
            break
    assert seen == members
    assert calls > 5
    # MATCH filters what a step returns; the scan still ends.
    matched = set()
    for member, _ in r.zscan_iter("z", match="m1*", count=100):
        matched.add(member)
    assert matched == {m for m in members if m.startswith("m1")}


@pytest.mark.parametrize("args,error", [
    (["x"], "ERR invalid cursor"),
    (["1.5"], "ERR invalid cursor"),
    (["0", "COUNT", "0"], SYNTAX),
    (["0", "COUNT", "x"], NOT_INTEGER),
    (["0", "FOO"], SYNTAX),
    (["0", "MATCH"], SYNTAX),
    (["0", "TYPE", "zset"], SYNTAX),
    (["0", "NOVALUES"], SYNTAX),
])
def test_zscan_errors(r, rc, args, error):
    r.zadd("z", {"a": 1})
    assert rc.call_error("ZSCAN", "z", *args) == error


def test_zscan_missing_key_before_options(rc):
    # Redis replies for an absent key before it reads the options; the cursor comes first.
    assert rc.call("ZSCAN", "nokey", "0", "COUNT", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert rc.call_error("ZSCAN", "nokey", "x") == "ERR invalid cursor"


def test_zscan_resp3_scores_are_bulk_strings(r, rc3):
    r.zadd("z", {"a": 1.5})
    assert rc3.call("ZSCAN", "z", "0") == b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n"


# ---- Types, encodings, a larger randomized check -------------------------------------------

@pytest.mark.parametrize("args", [
    ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"], ["ZCARD", "s"], ["ZREM", "s", "a"],
    ["ZRANK", "s", "a"], ["ZREVRANK", "s", "a"], ["ZCOUNT", "s", "0", "1"],
    ["ZLEXCOUNT", "s", "-", "+"], ["ZRANGE", "s", "0", "1"], ["ZREVRANGE", "s", "0", "1"],
    ["ZRANGEBYSCORE", "s", "0", "1"], ["ZREVRANGEBYSCORE", "s", "1", "0"],
    ["ZRANGEBYLEX", "s", "-", "+"], ["ZREVRANGEBYLEX", "s", "+", "-"],
    ["ZREMRANGEBYRANK", "s", "0", "1"], ["ZREMRANGEBYSCORE", "s", "0", "1"],
    ["ZREMRANGEBYLEX", "s", "-", "+"], ["ZPOPMIN", "s"], ["ZPOPMAX", "s", "2"],
    ["ZRANDMEMBER", "s"], ["ZRANDMEMBER", "s", "2"], ["ZSCAN", "s", "0"],
    ["ZINCRBY", "s", "1", "a"], ["ZADD", "s", "1", "a"], ["ZINTERCARD", "1", "s"],
    ["ZUNION", "1", "s"], ["ZMPOP", "1", "s", "MIN"],
])
def test_wrongtype(r, rc, args):
    r.rpush("s", "x")
    assert rc.call_error(*args) == WRONGTYPE
    assert r.lrange("s", 0, -1) == ["x"]


def test_encoding_conversion(r, small_listpack):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert r.object("encoding", "z") == "listpack"
    r.zadd("z", {"a": 10})  # an update does not convert
    assert r.object("encoding", "z") == "listpack"
    r.zadd("z", {"e": 5})
    assert r.object("encoding", "z") == "skiplist"
    r.zrem("z", "a", "b", "c", "d")
    assert r.object("encoding", "z") == "skiplist"
    r.config_set("zset-max-listpack-value", 8)
    try:
        r.zadd("long", {"12345678": 1})
        assert r.object("encoding", "long") == "listpack"
        r.zadd("long", {"123456789": 2})
        assert r.object("encoding", "long") == "skiplist"
    finally:
        r.config_set("zset-max-listpack-value", 64)


def test_skiplist_negative_zero(r, rc, small_listpack):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    r.execute_command("ZADD", "z", "-0", "zero")
    assert rc.call("ZSCORE", "z", "zero") == b"$2\r\n-0\r\n"


def test_zset_keys_across_shards(r):
    # Keys spread over every shard, each served where it lives.
    keys = ["zkey:%d" % i for i in range(60)]
    for i, key in enumerate(keys):
        assert r.zadd(key, {"m%d" % j: j for j in range(i % 5 + 1)}) == i % 5 + 1
    for i, key in enumerate(keys):
        assert r.zcard(key) == i % 5 + 1
        assert r.zrange(key, -1, -1) == ["m%d" % (i % 5)]
    assert r.delete(*keys) == len(keys)


def test_zset_key_lifecycle(r):
    r.zadd("z", {"a": 1})
    assert r.expire("z", 100) is True
    assert 95 <= r.ttl("z") <= 100
    r.zadd("z", {"b": 2})  # changing the set keeps its deadline
    assert 95 <= r.ttl("z") <= 100
    assert r.pexpire("z", 1) is True
    assert wait_until(lambda: r.zcard("z") == 0)
    assert r.zadd("z", {"c": 3}) == 1
    assert r.zrange("z", 0, -1) == ["c"]
    assert r.delete("z") == 1
    assert r.memory_usage("z") is None


@pytest.mark.parametrize("entries", [128, 0])
def test_randomized_against_model(r, entries):
    """Random commands on both encodings, checked against a Python model."""
    r.config_set("zset-max-listpack-entries", entries)
    try:
        rnd = random.Random(entries + 11)
        model = {}
        for step in range(600):
            member = "m%d" % rnd.randrange(60)
            op = rnd.randrange(10)
            if op < 5:
                score = rnd.randrange(-20, 20) / 2
                r.zadd("z", {member: score})
                model[member] = score
            elif op < 7:
                assert r.zrem("z", member) == (1 if member in model else 0)
                model.pop(member, None)
            elif op == 7:
                incr = rnd.randrange(-5, 5)
                assert r.zincrby("z", incr, member) == model.get(member, 0) + incr
                model[member] = model.get(member, 0) + incr
            elif op == 8 and model:
                lo, hi = sorted([rnd.randrange(-12, 12), rnd.randrange(-12, 12)])
                expected = sorted((s, m) for m, s in model.items() if lo <= s <= hi)
                got = r.zrangebyscore("z", lo, hi, withscores=True)
                assert got == [(m, s) for s, m in expected]
                assert r.zcount("z", lo, hi) == len(expected)
            elif model:
                ordered = sorted((s, m) for m, s in model.items())
                rank = rnd.randrange(len(ordered))
                assert r.zrank("z", ordered[rank][1]) == rank
                assert r.zrevrange("z", rank, rank) == [ordered[len(ordered) - 1 - rank][1]]
        ordered = sorted((s, m) for m, s in model.items())
        assert r.zrange("z", 0, -1, withscores=True) == [(m, s) for s, m in ordered]
        if model:
            assert r.object("encoding", "z") == ("skiplist" if entries == 0 else "listpack")
    finally:
        r.config_set("zset-max-listpack-entries", 128)
