# SPDX-License-Identifier: Apache-2.0
"""SORT and SORT_RO: numeric and ALPHA order, LIMIT, BY and GET patterns, STORE, errors.

BY/GET pattern keys are read on the shard owning the sorted key, and a STORE destination must
share its shard, so every key such a test touches carries the hash tag {s}.
"""

import random
import threading
import time

import pytest

from raw_client import parse

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_DOUBLE = "ERR One or more scores can't be converted into double"
SYNTAX = "ERR syntax error"

L = "{s}l"
W = "{s}w"
D = "{s}dst"


def weights(r):
    """{s}w holds a b c d; weights {s}w_a..c (d missing); hashes {s}h_a, _b and _d."""
    r.rpush(W, "a", "b", "c", "d")
    r.mset({"{s}w_a": 3, "{s}w_b": 1, "{s}w_c": 2})
    r.hset("{s}h_a", "f", 30)
    r.hset("{s}h_b", "f", 10)
    r.hset("{s}h_d", mapping={"f": 5, "g": "z"})


# ---- Order ---------------------------------------------------------------------------------

def test_numeric_by_default(r):
    r.rpush("l", 3, 1, 2, 10, -1.5)
    assert r.sort("l") == ["-1.5", "1", "2", "3", "10"]
    assert r.sort("l", desc=True) == ["10", "3", "2", "1", "-1.5"]
    assert r.sort_ro("l") == ["-1.5", "1", "2", "3", "10"]
    assert r.lrange("l", 0, -1) == ["3", "1", "2", "10", "-1.5"]


def test_alpha_is_byte_order(r):
    r.rpush("l", 3, 1, 2, 10, "B", "a")
    assert r.sort("l", alpha=True) == ["1", "10", "2", "3", "B", "a"]
    assert r.sort("l", alpha=True, desc=True) == ["a", "B", "3", "2", "10", "1"]


def test_scores_must_be_doubles(r, rc):
    r.rpush("l", 2, "b", 1)
    assert rc.call_error("SORT", "l") == NOT_DOUBLE
    assert rc.call_error("SORT_RO", "l", "LIMIT", "5", "5") == NOT_DOUBLE
    assert r.sort("l", alpha=True) == ["1", "2", "b"]
    for value in [" 3", "0x10", "inf", "-inf", "+5", "", ".5"]:
        r.delete("x")
        r.rpush("x", value)
        assert r.sort("x") == [value], value
    # Last: Redis leaves errno at ERANGE after an overflow, failing its next numeric SORTs on
    # this connection.
    for value in ["3 ", "nan", "abc", "1e400"]:
        r.delete("x")
        r.rpush("x", value)
        assert rc.call_error("SORT", "x") == NOT_DOUBLE, value


def test_equal_scores_order_by_element_bytes(r):
    r.rpush("l", "1", "1.0", "01", "001", "+1", "1e0", " 1", "0x1")
    assert r.sort("l") == [" 1", "+1", "001", "01", "0x1", "1", "1.0", "1e0"]
    assert r.sort("l", desc=True) == ["1e0", "1.0", "1", "0x1", "01", "001", "+1", " 1"]


def test_sets_and_sorted_sets(r, rc):
    r.sadd("s", 5, 3, 1, 4, 2, 10)
    assert r.sort("s") == ["1", "2", "3", "4", "5", "10"]
    assert r.sort("s", alpha=True, desc=True) == ["5", "4", "3", "2", "10", "1"]
    # A sorted set's members are sorted, not its scores.
    r.zadd("z", {"a": 3, "b": 1, "c": 2, "d": 2, "e": 0})
    assert r.sort("z", alpha=True) == ["a", "b", "c", "d", "e"]
    assert rc.call_error("SORT", "z") == NOT_DOUBLE
    r.zadd("zn", {"30": 1, "20": 2, "100": 3})
    assert r.sort("zn") == ["20", "30", "100"]


def test_many_elements(r):
    rng = random.Random(7)
    values = [rng.randint(-10**6, 10**6) for _ in range(3000)]
    r.rpush("big", *values)
    r.sadd("bigset", *values)
    assert r.sort("big") == [str(v) for v in sorted(values)]
    assert r.sort("bigset", desc=True) == [str(v) for v in sorted(set(values), reverse=True)]
    texts = [str(v) for v in values]
    assert r.sort("big", alpha=True, start=100, num=50) == sorted(texts)[100:150]
    assert r.sort("big", by="nosort", desc=True, start=10, num=5) == texts[::-1][10:15]


# ---- LIMIT ---------------------------------------------------------------------------------

@pytest.mark.parametrize("offset,count,expected", [
    (1, 2, ["2", "3"]),
    (-1, 2, ["1", "2"]),
    (1, -1, ["2", "3", "10"]),
    (1, -5, ["2", "3", "10"]),
    (3, 5, ["10"]),
    (4, 1, []),
    (10, 2, []),
    (0, 0, []),
    (2, 2**63 - 1, ["3", "10"]),
    (2**63 - 1, 2**63 - 1, []),
    (-2**63, -2**63, ["1", "2", "3", "10"]),
])
def test_limit(r, offset, count, expected):
    r.rpush("l", 3, 1, 2, 10)
    assert r.sort("l", start=offset, num=count) == expected
    assert r.sort_ro("l", start=offset, num=count) == expected


# ---- Errors --------------------------------------------------------------------------------

def test_syntax_and_integer_errors(r, rc):
    r.rpush("l", 1)
    for args in [["FOO"], ["LIMIT", "1"], ["BY"], ["GET"], ["STORE"], ["FOO", "LIMIT", "a", "b"]]:
        assert rc.call_error("SORT", "l", *args) == SYNTAX, args
    for args in [["LIMIT", "a", "1"], ["LIMIT", "1", "1.5"], ["LIMIT", "a", "b", "FOO"]]:
        assert rc.call_error("SORT", "l", *args) == NOT_INTEGER, args
    assert rc.call_error("SORT") == "ERR wrong number of arguments for 'sort' command"
    assert rc.call_error("SORT_RO") == "ERR wrong number of arguments for 'sort_ro' command"


def test_sort_ro_has_no_store(r, rc):
    r.rpush(L, 1)
    assert rc.call_error("SORT_RO", L, "STORE", D) == SYNTAX
    assert rc.call_error("SORT_RO", L, "LIMIT", "0", "1", "STORE", D) == SYNTAX
    assert r.exists(D) == 0


def test_wrong_type(r, rc):
    r.set("str", "x")
    r.hset("h", "f", "v")
    assert rc.call_error("SORT", "str") == WRONGTYPE
    assert rc.call_error("SORT_RO", "str") == WRONGTYPE
    assert rc.call_error("SORT", "h", "BY", "nosort") == WRONGTYPE
    # Options are checked first.
    assert rc.call_error("SORT", "str", "FOO") == SYNTAX


def test_missing_key_is_empty(r):
    assert r.sort("missing") == []
    assert r.sort_ro("missing", by="nosort", desc=True, start=1, num=1, get="#") == []


# ---- BY ------------------------------------------------------------------------------------

def test_by_string_and_hash_field(r, rc):
    weights(r)
    assert r.sort(W, by="{s}w_*") == ["d", "b", "c", "a"]
    assert r.sort(W, by="{s}w_*", desc=True, start=1, num=2) == ["c", "b"]
    assert r.sort(W, by="{s}h_*->f") == ["c", "d", "b", "a"]
    assert r.sort_ro(W, by="{s}h_*->f", desc=True) == ["a", "b", "d", "c"]
    # Keys of another type weigh 0, as missing ones do; a non-number fails.
    assert r.sort(W, by="{s}w_*->f") == ["a", "b", "c", "d"]
    assert rc.call_error("SORT", W, "BY", "{s}h_*->g") == NOT_DOUBLE


def test_by_alpha_missing_first_ties_keep_order(r):
    r.rpush(L, "c", "a", "d", "b")
    r.mset({"{s}w_a": "x", "{s}w_b": "y"})
    assert r.sort(L, by="{s}w_*", alpha=True) == ["c", "d", "a", "b"]
    assert r.sort(L, by="{s}w_*", alpha=True, desc=True) == ["b", "a", "c", "d"]
    r.mset({"{s}w_a": 5, "{s}w_b": 5, "{s}w_c": 5, "{s}w_d": 5})
    assert r.sort(L, by="{s}w_*", alpha=True) == ["c", "a", "d", "b"]
    # Numeric ties order by the element.
    assert r.sort(L, by="{s}w_*") == ["a", "b", "c", "d"]
    assert r.sort(L, by="{s}w_*", desc=True) == ["d", "c", "b", "a"]


def test_by_nosort_list(r):
    r.rpush("l", "c", "a", "d", "b", "e")
    assert r.sort("l", by="nosort") == ["c", "a", "d", "b", "e"]
    assert r.sort("l", by="nosort", desc=True) == ["e", "b", "d", "a", "c"]
    assert r.sort("l", by="nosort", start=1, num=2) == ["a", "d"]
    assert r.sort("l", by="nosort", desc=True, start=1, num=2) == ["b", "d"]
    assert r.sort("l", by="nosort", start=-2, num=3) == ["c", "a", "d"]
    assert r.sort("l", by="nosort", start=5, num=1) == []
    assert r.execute_command("SORT", "l", "BY", "nosort", "BY", "w_*") == ["c", "a", "d", "b", "e"]


def test_by_nosort_sorted_set(r):
    r.zadd("z", {"a": 3, "b": 1, "c": 2, "d": 2, "e": 0})
    assert r.sort("z", by="nosort") == ["e", "b", "c", "d", "a"]
    assert r.sort("z", by="nosort", desc=True) == ["a", "d", "c", "b", "e"]
    assert r.sort("z", by="nosort", start=1, num=2) == ["b", "c"]
    assert r.sort("z", by="nosort", desc=True, start=1, num=2) == ["d", "c"]
    assert r.sort("z", by="nosort", desc=True, start=-3, num=2) == ["a", "d"]


def test_by_nosort_set(r):
    r.sadd("one", "x")
    assert r.sort("one", by="nosort") == ["x"]
    r.sadd("s", "b", "a", "c")
    assert sorted(r.sort("s", by="nosort")) == ["a", "b", "c"]
    # Stored, a set is sorted ALPHA so that the list does not depend on the set's order.
    r.sadd("{s}set", 5, 3, 1, 4, 2, 10)
    assert r.sort("{s}set", by="nosort", store=D) == 6
    assert r.lrange(D, 0, -1) == ["1", "10", "2", "3", "4", "5"]
    assert r.sort("{s}set", by="nosort", desc=True, start=1, num=2, store=D) == 2
    assert r.lrange(D, 0, -1) == ["4", "3"]


# ---- GET -----------------------------------------------------------------------------------

def test_get_patterns(r):
    weights(r)
    assert r.sort(W, by="{s}w_*", get=["#", "{s}w_*", "{s}h_*->f"]) == [
        "d", None, "5", "b", "1", "10", "c", "2", None, "a", "3", "30"]
    assert r.sort(W, by="nosort", get="{s}h_*->g") == [None, None, None, "z"]
    assert r.sort_ro(W, by="{s}w_*", start=1, num=1, get=["{s}h_*->f", "#"]) == ["10", "b"]


def test_get_patterns_naming_nothing(r):
    weights(r)
    r.hset("{s}p->q_a", "z", 1)
    gets = ["nostar", "{s}h_*->", "{s}h_*", "{s}w_*->f", "{s}p->q_*", "#x"]
    assert r.sort(W, by="nosort", start=0, num=1, get=gets) == [None] * 6


def test_first_star_only(r):
    r.rpush(L, "a", "b")
    r.set("{s}x_a_*", 9)
    assert r.sort(L, by="nosort", get="{s}x_*_*") == ["9", None]


def test_resp3_array_with_nulls(r, rc):
    r.rpush(L, "a", "b")
    r.set("{s}w_a", 1)
    assert parse(rc.call("HELLO", "3"))["proto"] == 3
    assert rc.call("SORT", L, "BY", "nosort", "GET", "{s}w_*", "GET", "#") == (
        b"*4\r\n$1\r\n1\r\n$1\r\na\r\n_\r\n$1\r\nb\r\n")
    assert rc.call("SORT_RO", "missing") == b"*0\r\n"


# ---- STORE ---------------------------------------------------------------------------------

def test_store(r):
    weights(r)
    r.rpush(L, 3, 1, 2, 10)
    assert r.sort(L, store=D) == 4
    assert r.lrange(D, 0, -1) == ["1", "2", "3", "10"]
    assert r.type(D) == "list"
    # A missing GET value is stored as an empty string.
    assert r.sort(W, by="{s}w_*", get=["{s}w_*", "{s}h_*->f"], store=D) == 8
    assert r.lrange(D, 0, -1) == ["", "5", "1", "10", "2", "", "3", "30"]


def test_store_replaces_value_and_ttl(r):
    r.rpush(L, 3, 1, 2)
    r.set(D, "v", ex=100)
    assert r.sort(L, start=0, num=2, store=D) == 2
    assert r.ttl(D) == -1
    assert r.lrange(D, 0, -1) == ["1", "2"]


def test_store_empty_deletes(r, rc):
    r.rpush(L, 1)
    r.set(D, "v")
    assert r.sort("{s}missing", store=D) == 0
    assert r.exists(D) == 0
    r.set(D, "v")
    assert r.sort(L, start=5, num=1, store=D) == 0
    assert r.exists(D) == 0
    r.set(D, "v")
    r.rpush("{s}bad", "x")
    assert rc.call_error("SORT", "{s}bad", "STORE", D) == NOT_DOUBLE
    assert r.get(D) == "v"


def test_store_into_source_and_last_store_wins(r, rc):
    r.rpush(L, 3, 1, 2)
    assert r.sort(L, desc=True, store=L) == 3
    assert r.lrange(L, 0, -1) == ["3", "2", "1"]
    assert rc.call("SORT", L, "STORE", "{s}a", "STORE", "{s}b", "LIMIT", "0", "1") == b":1\r\n"
    assert r.exists("{s}a") == 0
    assert r.lrange("{s}b", 0, -1) == ["1"]


def test_store_alpha_compares_all_bytes(client):
    rb = client(decode_responses=False)
    rb.rpush(L, b"a\x00c", b"a\x00b", b"a", b"a\x00", b"b")
    # Without STORE, strcoll sees "a" four times and keeps their order.
    assert rb.sort(L, alpha=True) == [b"a\x00c", b"a\x00b", b"a", b"a\x00", b"b"]
    assert rb.sort(L, alpha=True, store=D) == 5
    assert rb.lrange(D, 0, -1) == [b"a", b"a\x00", b"a\x00b", b"a\x00c", b"b"]


def test_store_wakes_blocked_client(r, client):
    r.rpush(L, 2, 1)
    waiter = client()
    result = {}
    thread = threading.Thread(target=lambda: result.update(v=waiter.blpop(D, timeout=5)))
    thread.start()
    # Let the BLPOP block first.
    deadline = 50
    while deadline and int(r.info("clients")["blocked_clients"]) == 0:
        time.sleep(0.05)
        deadline -= 1
    assert r.sort(L, store=D) == 2
    thread.join(6)
    assert result["v"] == (D, "1")
    assert r.lrange(D, 0, -1) == ["2"]


def test_getkeys(rc):
    def keys(*args):
        return parse(rc.call("COMMAND", "GETKEYS", *args))

    assert keys("SORT", "l", "STORE", "d") == [b"l", b"d"]
    assert keys("SORT", "l", "LIMIT", "0", "1", "GET", "x", "STORE", "a", "BY", "y", "STORE",
                "b") == [b"l", b"b"]
    assert keys("SORT_RO", "l", "GET", "x") == [b"l"]
