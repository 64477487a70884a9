# SPDX-License-Identifier: Apache-2.0
"""Set commands: replies, error texts, WRONGTYPE, RESP3 shapes, encodings and SSCAN.

Multi-key commands use keys sharing a hash tag ("{s}a", "{s}b") so that with several shards
they all live on one. Exact bytes (error texts, RESP3 set headers) go through the raw client;
redis-py 4.x speaks only RESP2. Encodings of sets holding non-integers are Redis 7.2's
(listpack for small ones), which the Redis 7.0 reference server does not have: those tests are
Ringtail-only. Integer sets (intset, then hashtable) behave the same in both.
"""

import pytest

from raw_client import parse

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = "ERR syntax error"
NOT_INTEGER = "ERR value is not an integer or out of range"
NEGATIVE = "ERR value is out of range, must be positive"


def resp3_set(frame):
    """The members of a RESP3 set frame ("~n"), as a Python set of bytes."""
    assert frame.startswith(b"~"), frame
    members = parse(frame)
    assert len(members) == len(set(members)), frame
    return set(members)


# ---- SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS -------------------------------

def test_sadd_srem_scard(r):
    assert r.sadd("s", "a", "b", "a", "c") == 3
    assert r.sadd("s", "a", "d") == 1
    assert r.scard("s") == 4
    assert r.scard("missing") == 0
    assert r.smembers("s") == {"a", "b", "c", "d"}
    assert r.srem("s", "a", "z", "a") == 1
    assert r.srem("missing", "a") == 0
    assert r.srem("s", "b", "c", "d", "e") == 3
    assert r.exists("s") == 0  # an emptied set is deleted
    assert r.smembers("s") == set()


def test_membership(r):
    r.sadd("s", "a", "1")
    assert r.sismember("s", "a") is True
    assert r.sismember("s", "b") is False
    assert r.sismember("missing", "a") is False
    assert r.smismember("s", ["a", "b", "1"]) == [1, 0, 1]
    assert r.smismember("missing", ["a", "b"]) == [0, 0]


def test_binary_members(client):
    b = client(decode_responses=False)
    members = [b"", b"\x00", b"a\x00b", b"\r\n", bytes(range(256)), b"x" * 70000]
    assert b.sadd("bin", *members) == len(members)
    assert b.smembers("bin") == set(members)
    for m in members:
        assert b.sismember("bin", m)
    assert not b.sismember("bin", b"a\x00")


def test_integer_members_come_back_sorted(rc):
    rc.call("SADD", "s", "30", "-5", "10", "0", "9223372036854775807", "-9223372036854775808")
    assert parse(rc.call("SMEMBERS", "s")) == [
        b"-9223372036854775808", b"-5", b"0", b"10", b"30", b"9223372036854775807"]
    # Not integers by Redis's rule: these are distinct strings.
    assert rc.call("SADD", "s", "010", "+10", "-0", "10.0") == b":4\r\n"
    assert rc.call("SCARD", "s") == b":10\r\n"


def test_arity_errors(rc):
    for args, name in [(["SADD", "s"], "sadd"), (["SREM", "s"], "srem"),
                       (["SMEMBERS"], "smembers"), (["SISMEMBER", "s"], "sismember"),
                       (["SMISMEMBER", "s"], "smismember"), (["SCARD"], "scard"),
                       (["SPOP"], "spop"), (["SRANDMEMBER"], "srandmember"),
                       (["SMOVE", "a", "b"], "smove"), (["SINTER"], "sinter"),
                       (["SUNION"], "sunion"), (["SDIFF"], "sdiff"),
                       (["SINTERCARD", "1"], "sintercard"), (["SINTERSTORE", "d"], "sinterstore"),
                       (["SUNIONSTORE", "d"], "sunionstore"), (["SDIFFSTORE", "d"], "sdiffstore"),
                       (["SSCAN", "s"], "sscan")]:
        assert rc.call_error(*args) == "ERR wrong number of arguments for '%s' command" % name


def test_wrongtype(r, rc):
    r.set("{s}str", "v")
    r.sadd("{s}set", "a")
    commands = [
        ["SADD", "{s}str", "a"], ["SREM", "{s}str", "a"], ["SMEMBERS", "{s}str"],
        ["SISMEMBER", "{s}str", "a"], ["SMISMEMBER", "{s}str", "a"], ["SCARD", "{s}str"],
        ["SPOP", "{s}str"], ["SPOP", "{s}str", "0"], ["SRANDMEMBER", "{s}str"],
        ["SRANDMEMBER", "{s}str", "0"], ["SMOVE", "{s}str", "{s}set", "a"],
        ["SMOVE", "{s}set", "{s}str", "a"], ["SINTER", "{s}set", "{s}str"],
        ["SINTER", "{s}missing", "{s}str"], ["SUNION", "{s}missing", "{s}str"],
        ["SDIFF", "{s}missing", "{s}str"], ["SINTERCARD", "2", "{s}missing", "{s}str"],
        ["SINTERSTORE", "{s}d", "{s}set", "{s}str"], ["SUNIONSTORE", "{s}d", "{s}str"],
        ["SDIFFSTORE", "{s}d", "{s}missing", "{s}str"], ["SSCAN", "{s}str", "0"],
        ["SSCAN", "{s}str", "0", "COUNT", "0"],
    ]
    for args in commands:
        assert rc.call_error(*args) == WRONGTYPE, args
    assert r.get("{s}str") == "v"
    assert r.smembers("{s}set") == {"a"}
    assert r.exists("{s}d") == 0


def test_resp3_shapes(rc3):
    rc3.call("SADD", "s", "3", "1", "2")
    assert rc3.call("SMEMBERS", "s") == b"~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    assert rc3.call("SMEMBERS", "missing") == b"~0\r\n"
    assert rc3.call("SISMEMBER", "s", "1") == b":1\r\n"  # an integer, not a boolean
    assert rc3.call("SMISMEMBER", "s", "1", "9") == b"*2\r\n:1\r\n:0\r\n"
    assert rc3.call("SPOP", "missing") == b"_\r\n"
    assert rc3.call("SPOP", "missing", "2") == b"~0\r\n"
    assert rc3.call("SPOP", "s", "0") == b"~0\r\n"
    assert rc3.call("SRANDMEMBER", "missing") == b"_\r\n"
    assert rc3.call("SRANDMEMBER", "missing", "2") == b"*0\r\n"
    assert rc3.call("SRANDMEMBER", "s", "0") == b"*0\r\n"
    assert rc3.call("SRANDMEMBER", "s", "2").startswith(b"*2\r\n")  # an array, even in RESP3
    assert rc3.call("SRANDMEMBER", "s", "-5").startswith(b"*5\r\n")
    assert resp3_set(rc3.call("SPOP", "s", "1")) <= {b"1", b"2", b"3"}
    assert rc3.call("SSCAN", "missing", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_resp3_multi_key_shapes(rc3):
    rc3.call("SADD", "{s}a", "1", "2", "x")
    rc3.call("SADD", "{s}b", "2", "x", "y")
    assert resp3_set(rc3.call("SINTER", "{s}a", "{s}b")) == {b"2", b"x"}
    assert rc3.call("SINTER", "{s}a", "{s}missing") == b"~0\r\n"
    assert resp3_set(rc3.call("SUNION", "{s}a", "{s}b")) == {b"1", b"2", b"x", b"y"}
    assert resp3_set(rc3.call("SDIFF", "{s}a", "{s}b")) == {b"1"}
    assert rc3.call("SDIFF", "{s}missing", "{s}a") == b"~0\r\n"
    assert resp3_set(rc3.call("SPOP", "{s}a", "10")) == {b"1", b"2", b"x"}
    assert rc3.call("EXISTS", "{s}a") == b":0\r\n"


# ---- SPOP / SRANDMEMBER ---------------------------------------------------------------------

def test_spop_single(r, rc):
    assert r.spop("missing") is None
    r.sadd("s", "a", "b")
    popped = {r.spop("s"), r.spop("s")}
    assert popped == {"a", "b"}
    assert r.exists("s") == 0


def test_spop_count(r, rc):
    assert rc.call("SPOP", "missing", "3") == b"*0\r\n"
    r.sadd("s", *range(10))
    assert rc.call("SPOP", "s", "0") == b"*0\r\n"
    popped = r.spop("s", 4)
    assert len(popped) == 4 and len(set(popped)) == 4
    rest = r.smembers("s")
    assert len(rest) == 6 and not rest & set(popped)
    assert set(popped) | rest == {str(i) for i in range(10)}
    # Most of the set: the other strategy (the members that stay are picked).
    more = r.spop("s", 5)
    assert len(set(more)) == 5 and set(more) <= rest
    assert r.scard("s") == 1
    assert set(r.spop("s", 100)) == rest - set(more)
    assert r.exists("s") == 0


def test_spop_count_errors_come_before_the_key(r, rc):
    r.set("str", "v")
    r.sadd("s", "a")
    for args in (["s", "-1"], ["s", "x"], ["s", "99999999999999999999"], ["missing", "-1"],
                 ["str", "-1"]):
        assert rc.call_error("SPOP", *args) == NEGATIVE, args
    assert rc.call_error("SPOP", "s", "1", "2") == SYNTAX
    assert r.smembers("s") == {"a"}


def test_spop_large_sets(r):
    members = ["m%d" % i for i in range(2000)]
    r.sadd("s", *members)
    popped = r.spop("s", 300)
    assert len(set(popped)) == 300
    popped += r.spop("s", 1650)  # leaves 50: rebuilt from the members that stay
    assert len(set(popped)) == 1950
    rest = r.smembers("s")
    assert len(rest) == 50 and not rest & set(popped)
    assert rest | set(popped) == set(members)


def test_srandmember(r, rc):
    assert r.srandmember("missing") is None
    assert rc.call("SRANDMEMBER", "missing", "5") == b"*0\r\n"
    assert rc.call_error("SRANDMEMBER", "missing", "x") == NOT_INTEGER
    assert rc.call_error("SRANDMEMBER", "s", "-9223372036854775808") == (
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807")
    assert rc.call_error("SRANDMEMBER", "s", "9223372036854775808") == NOT_INTEGER
    assert rc.call_error("SRANDMEMBER", "s", "1", "2") == SYNTAX
    r.sadd("s", "a", "b", "c")
    assert r.srandmember("s") in {"a", "b", "c"}
    assert rc.call("SRANDMEMBER", "s", "0") == b"*0\r\n"
    assert sorted(r.srandmember("s", 3)) == ["a", "b", "c"]
    assert sorted(r.srandmember("s", 100)) == ["a", "b", "c"]
    two = r.srandmember("s", 2)
    assert len(two) == 2 and len(set(two)) == 2 and set(two) <= {"a", "b", "c"}
    many = r.srandmember("s", -50)
    assert len(many) == 50 and set(many) == {"a", "b", "c"}
    assert r.smembers("s") == {"a", "b", "c"}


def test_srandmember_distinct_in_every_encoding(r):
    r.sadd("ints", *range(100))
    r.sadd("words", *["w%d" % i for i in range(50)])
    r.sadd("big", *["b%d" % i for i in range(3000)])
    for key, size in (("ints", 100), ("words", 50), ("big", 3000)):
        for count in (1, 7, size // 2, size - 1):
            got = r.srandmember(key, count)
            assert len(got) == count and len(set(got)) == count, (key, count)
        assert len(r.srandmember(key, -(size * 2))) == size * 2


# ---- SMOVE ----------------------------------------------------------------------------------

def test_smove(r, rc):
    r.set("{s}str", "v")
    assert r.smove("{s}missing", "{s}str", "a") is False  # no source: 0 before any type check
    r.sadd("{s}src", "1", "2")
    assert r.smove("{s}src", "{s}src", "1") is True
    assert r.smove("{s}src", "{s}src", "9") is False
    assert r.smove("{s}src", "{s}dst", "9") is False
    assert r.exists("{s}dst") == 0
    assert r.smove("{s}src", "{s}dst", "1") is True
    assert r.smembers("{s}src") == {"2"} and r.smembers("{s}dst") == {"1"}
    assert r.object("encoding", "{s}dst") == "intset"
    r.sadd("{s}dst", "2")
    assert r.smove("{s}src", "{s}dst", "2") is True  # already a member: still 1
    assert r.exists("{s}src") == 0
    assert r.smembers("{s}dst") == {"1", "2"}
    assert rc.call_error("SMOVE", "{s}dst", "{s}str", "1") == WRONGTYPE
    assert r.smembers("{s}dst") == {"1", "2"}


# ---- SINTER / SUNION / SDIFF / SINTERCARD and the STORE forms -------------------------------

def test_set_algebra(r):
    r.sadd("{s}a", "1", "2", "3", "x")
    r.sadd("{s}b", "2", "3", "4", "x", "y")
    r.sadd("{s}c", "3", "x", "z")
    assert r.sinter("{s}a", "{s}b", "{s}c") == {"3", "x"}
    assert r.sinter("{s}a") == {"1", "2", "3", "x"}
    assert r.sinter("{s}a", "{s}a") == {"1", "2", "3", "x"}
    assert r.sinter("{s}a", "{s}missing") == set()
    assert r.sunion("{s}a", "{s}b", "{s}missing", "{s}c") == {"1", "2", "3", "4", "x", "y", "z"}
    assert r.sunion("{s}missing") == set()
    assert r.sdiff("{s}a", "{s}b") == {"1"}
    assert r.sdiff("{s}b", "{s}a", "{s}c") == {"4", "y"}
    assert r.sdiff("{s}a", "{s}missing") == {"1", "2", "3", "x"}
    assert r.sdiff("{s}missing", "{s}a") == set()
    assert r.sdiff("{s}a", "{s}b", "{s}a") == set()


def test_set_algebra_on_large_sets(r):
    evens = [str(i) for i in range(0, 3000, 2)]
    thirds = ["t%d" % i for i in range(0, 3000, 3)] + [str(i) for i in range(0, 3000, 3)]
    r.sadd("{s}evens", *evens)
    r.sadd("{s}thirds", *thirds)
    expected_inter = {str(i) for i in range(0, 3000, 6)}
    assert r.sinter("{s}evens", "{s}thirds") == expected_inter
    assert r.sintercard(2, ["{s}evens", "{s}thirds"]) == len(expected_inter)
    assert r.sunion("{s}evens", "{s}thirds") == set(evens) | set(thirds)
    assert r.sdiff("{s}evens", "{s}thirds") == set(evens) - set(thirds)
    assert r.sdiff("{s}thirds", "{s}evens") == set(thirds) - set(evens)


def test_integer_results_come_back_ascending(rc):
    rc.call("SADD", "{s}a", "30", "10", "20")
    rc.call("SADD", "{s}b", "5", "20", "30")
    assert parse(rc.call("SUNION", "{s}a", "{s}b")) == [b"5", b"10", b"20", b"30"]
    assert parse(rc.call("SINTER", "{s}a", "{s}b")) == [b"20", b"30"]
    assert parse(rc.call("SDIFF", "{s}a", "{s}b")) == [b"10"]


def test_sintercard(r, rc):
    r.sadd("{s}a", "1", "2", "3", "4")
    r.sadd("{s}b", "2", "3", "4", "5")
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}b") == b":3\r\n"
    assert rc.call("SINTERCARD", "1", "{s}a") == b":4\r\n"
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}b", "LIMIT", "2") == b":2\r\n"
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}b", "limit", "0") == b":3\r\n"
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}b", "LIMIT", "10") == b":3\r\n"
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}b", "LIMIT", "1", "LIMIT", "0") == b":3\r\n"
    assert rc.call("SINTERCARD", "2", "{s}a", "{s}missing") == b":0\r\n"


def test_sintercard_errors(r, rc):
    r.sadd("s", "a")
    assert rc.call_error("SINTERCARD", "0", "s") == "ERR numkeys should be greater than 0"
    assert rc.call_error("SINTERCARD", "-1", "s") == "ERR numkeys should be greater than 0"
    assert rc.call_error("SINTERCARD", "x", "s") == "ERR numkeys should be greater than 0"
    assert rc.call_error("SINTERCARD", "3", "s") == (
        "ERR Number of keys can't be greater than number of args")
    assert rc.call_error("SINTERCARD", "1", "s", "LIMIT", "-1") == "ERR LIMIT can't be negative"
    assert rc.call_error("SINTERCARD", "1", "s", "LIMIT", "x") == "ERR LIMIT can't be negative"
    assert rc.call_error("SINTERCARD", "1", "s", "LIMIT") == SYNTAX
    assert rc.call_error("SINTERCARD", "1", "s", "foo") == SYNTAX


def test_store_replaces_any_value_and_deadline(r):
    r.sadd("{s}a", "1", "2", "3")
    r.sadd("{s}b", "2", "3", "4")
    r.set("{s}d", "text", ex=100)
    assert r.sinterstore("{s}d", ["{s}a", "{s}b"]) == 2
    assert r.type("{s}d") == "set"
    assert r.ttl("{s}d") == -1
    assert r.smembers("{s}d") == {"2", "3"}
    r.rpush("{s}l", "x")
    r.expire("{s}l", 100)
    assert r.sunionstore("{s}l", ["{s}a", "{s}b"]) == 4
    assert r.type("{s}l") == "set" and r.ttl("{s}l") == -1
    assert r.smembers("{s}l") == {"1", "2", "3", "4"}
    assert r.sdiffstore("{s}d", ["{s}a", "{s}b"]) == 1
    assert r.smembers("{s}d") == {"1"}
    # The destination may be a source.
    assert r.sunionstore("{s}a", ["{s}a", "{s}b"]) == 4
    assert r.smembers("{s}a") == {"1", "2", "3", "4"}
    assert r.sinterstore("{s}a", ["{s}a", "{s}d"]) == 1
    assert r.smembers("{s}a") == {"1"}


def test_empty_store_result_deletes_the_destination(r):
    r.sadd("{s}a", "1")
    r.sadd("{s}b", "2")
    r.set("{s}d", "text")
    assert r.sinterstore("{s}d", ["{s}a", "{s}b"]) == 0
    assert r.exists("{s}d") == 0
    for args in (["{s}a", "{s}missing"], ["{s}missing", "{s}a"]):
        r.sadd("{s}d", "x")
        assert r.sinterstore("{s}d", args) == 0
        assert r.exists("{s}d") == 0
    r.sadd("{s}d", "x")
    assert r.sdiffstore("{s}d", ["{s}a", "{s}a"]) == 0
    assert r.exists("{s}d") == 0
    r.sadd("{s}d", "x")
    assert r.sunionstore("{s}d", ["{s}missing"]) == 0
    assert r.exists("{s}d") == 0
    assert r.sdiffstore("{s}new", ["{s}missing", "{s}a"]) == 0
    assert r.exists("{s}new") == 0


# ---- Encodings ------------------------------------------------------------------------------

def test_intset_becomes_hashtable_past_its_limit(r, set_config):
    set_config("set-max-intset-entries", "10")
    r.sadd("s", *range(10))
    assert r.object("encoding", "s") == "intset"
    r.sadd("s", 5)  # a duplicate changes nothing
    assert r.object("encoding", "s") == "intset"
    r.sadd("s", 10)
    assert r.object("encoding", "s") == "hashtable"
    r.srem("s", *range(9))
    assert r.object("encoding", "s") == "hashtable"  # never back
    assert r.smembers("s") == {"9", "10"}


def test_default_intset_limit(r):
    r.sadd("s", *range(512))
    assert r.object("encoding", "s") == "intset"
    r.sadd("s", 512)
    assert r.object("encoding", "s") == "hashtable"
    r.sadd("big", *range(600))  # created past the limit in one call
    assert r.object("encoding", "big") == "hashtable"


def test_integer_store_results_are_intsets(r):
    r.sadd("{s}a", 1, 2, 3)
    r.sadd("{s}b", 2, 3, 4)
    r.sunionstore("{s}d", ["{s}a", "{s}b"])
    assert r.object("encoding", "{s}d") == "intset"
    r.sinterstore("{s}d", ["{s}a", "{s}b"])
    assert r.object("encoding", "{s}d") == "intset"
    r.sadd("{s}big", *range(600))
    assert r.sdiffstore("{s}d", ["{s}big", "{s}a"]) == 597
    assert r.object("encoding", "{s}d") == "hashtable"
    r.smove("{s}a", "{s}new", 1)
    assert r.object("encoding", "{s}new") == "intset"


@pytest.mark.ringtail_only
def test_listpack_encodings(r, set_config):
    """Redis 7.2's listpack sets (the 7.0 reference server has none)."""
    set_config("set-max-listpack-entries", "4")
    set_config("set-max-listpack-value", "5")
    r.sadd("s", "1", "2")
    r.sadd("s", "abcde")
    assert r.object("encoding", "s") == "listpack"
    r.sadd("s", "x")
    assert r.object("encoding", "s") == "listpack"
    r.sadd("s", "y")
    assert r.object("encoding", "s") == "hashtable"
    r.sadd("long", "abcdef")
    assert r.object("encoding", "long") == "hashtable"
    r.sadd("many", "a", "a", "a", "a", "a")  # five arguments: sized as a hashtable
    assert r.object("encoding", "many") == "hashtable"
    assert r.scard("many") == 1
    r.sadd("{s}w", "a", "b", "1")
    assert r.object("encoding", "{s}w") == "listpack"
    r.sunionstore("{s}d", ["{s}w"])
    assert r.object("encoding", "{s}d") == "listpack"


@pytest.mark.ringtail_only
def test_spop_of_most_of_a_hashtable_leaves_a_listpack(r):
    r.sadd("s", *["m%d" % i for i in range(300)])
    assert r.object("encoding", "s") == "hashtable"
    assert len(r.spop("s", 290)) == 290
    assert r.object("encoding", "s") == "listpack"


def test_memory_usage_grows_with_members(r):
    r.sadd("s", *["member:%06d" % i for i in range(1000)])
    small = r.memory_usage("s")
    r.sadd("s", *["member:%06d" % i for i in range(1000, 10000)])
    large = r.memory_usage("s")
    assert large > small * 5
    assert large < 10000 * 100


# ---- SSCAN ----------------------------------------------------------------------------------

def test_sscan_errors_and_absent_keys(r, rc):
    r.sadd("s", "a")
    empty = b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert rc.call_error("SSCAN", "s", "x") == "ERR invalid cursor"
    assert rc.call_error("SSCAN", "missing", "x") == "ERR invalid cursor"
    assert rc.call_error("SSCAN", "s", "18446744073709551616") == "ERR invalid cursor"
    assert rc.call("SSCAN", "missing", "0") == empty
    assert rc.call("SSCAN", "missing", "0", "COUNT", "0") == empty  # options not read
    assert rc.call("SSCAN", "missing", "0", "foo") == empty
    assert rc.call_error("SSCAN", "s", "0", "COUNT", "0") == SYNTAX
    assert rc.call_error("SSCAN", "s", "0", "COUNT", "-1") == SYNTAX
    assert rc.call_error("SSCAN", "s", "0", "COUNT", "x") == NOT_INTEGER
    assert rc.call_error("SSCAN", "s", "0", "MATCH") == SYNTAX
    assert rc.call_error("SSCAN", "s", "0", "TYPE", "string") == SYNTAX


def test_sscan_intset_returns_everything_at_once(rc):
    rc.call("SADD", "ints", "3", "1", "2", "10")
    everything = [b"0", [b"1", b"2", b"3", b"10"]]
    assert parse(rc.call("SSCAN", "ints", "0", "COUNT", "1")) == everything
    assert parse(rc.call("SSCAN", "ints", "-1")) == everything
    assert parse(rc.call("SSCAN", "ints", "12345")) == everything
    assert parse(rc.call("SSCAN", "ints", "0", "MATCH", "1*")) == [b"0", [b"1", b"10"]]
    assert parse(rc.call("SSCAN", "ints", "0", "match", "x*", "MATCH", "3")) == [b"0", [b"3"]]


def sscan_all(r, key, **kwargs):
    seen = []
    cursor = 0
    for _ in range(100000):
        cursor, batch = r.sscan(key, cursor, **kwargs)
        seen += batch
        if cursor == 0:
            return seen
    raise AssertionError("SSCAN did not finish")


def test_sscan_hashtable_visits_every_member(r):
    members = {"m%d" % i for i in range(5000)}
    r.sadd("s", *members)
    assert r.object("encoding", "s") == "hashtable"
    seen = sscan_all(r, "s", count=50)
    assert set(seen) == members
    assert len(seen) == len(members)  # nothing changed: no repeats
    matched = sscan_all(r, "s", match="m1*", count=100)
    assert set(matched) == {m for m in members if m.startswith("m1")}


def test_sscan_keeps_members_present_throughout_while_the_set_grows(r):
    original = {"orig%d" % i for i in range(300)}
    r.sadd("s", *original)
    seen = set()
    cursor = 0
    added = 0
    calls = 0
    while True:
        cursor, batch = r.sscan("s", cursor, count=10)
        seen.update(batch)
        calls += 1
        if added < 20000:  # grow the set several times over during the scan
            r.sadd("s", *["new%d" % i for i in range(added, added + 2000)])
            added += 2000
        if cursor == 0:
            break
        assert calls < 100000
    assert original <= seen


def test_sscan_keeps_members_present_throughout_while_the_set_shrinks(r):
    kept = {"keep%d" % i for i in range(100)}
    dropped = ["drop%d" % i for i in range(20000)]
    r.sadd("s", *kept)
    r.sadd("s", *dropped)
    seen = set()
    cursor = 0
    calls = 0
    while True:
        cursor, batch = r.sscan("s", cursor, count=20)
        seen.update(batch)
        calls += 1
        if dropped:
            r.srem("s", *dropped[:3000])
            del dropped[:3000]
        if cursor == 0:
            break
        assert calls < 100000
    assert kept <= seen


def test_sscan_resp3_is_an_array_pair(rc3):
    rc3.call("SADD", "s", "a")
    assert rc3.call("SSCAN", "s", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"


# ---- Keys on every shard --------------------------------------------------------------------

def test_sets_on_every_shard(r):
    keys = ["set:%d" % i for i in range(50)]
    for i, key in enumerate(keys):
        r.sadd(key, *["m%d" % j for j in range(i + 1)])
    for i, key in enumerate(keys):
        assert r.scard(key) == i + 1
        assert r.sismember(key, "m%d" % i)
    assert r.delete(*keys) == 50


def test_hash_tags_keep_multi_key_commands_on_one_shard(r):
    for tag in ("a", "b", "c", "user:1000", "x"):
        first, second, dest = "{%s}1" % tag, "{%s}2" % tag, "{%s}d" % tag
        r.sadd(first, "p", "q")
        r.sadd(second, "q", "r")
        assert r.sinter(first, second) == {"q"}
        assert r.sunionstore(dest, [first, second]) == 3
        assert r.sintercard(2, [first, second], limit=1) == 1
        assert r.smove(first, dest, "p") is True
        assert r.smembers(dest) == {"p", "q", "r"}
