# SPDX-License-Identifier: Apache-2.0
"""Keyspace commands: DEL UNLINK EXISTS TOUCH TYPE, the EXPIRE family and TTL queries, KEYS,
SCAN, RANDOMKEY, and how exactly keys expire."""

import collections
import time

import pytest

from server_process import wait_until

NOT_INTEGER = "ERR value is not an integer or out of range"
MANY = ["key:%d" % i for i in range(100)]



def fill(r, keys, value="v"):
    pipe = r.pipeline(transaction=False)
    for start in range(0, len(keys), 500):
        pipe.mset({k: value for k in keys[start:start + 500]})
    pipe.execute()


def scan_all(r, **kwargs):
    """Walks SCAN from cursor 0 to 0; returns (keys in order returned, number of calls)."""
    cursor, keys, calls = 0, [], 0
    while True:
        cursor, batch = r.scan(cursor=cursor, **kwargs)
        keys.extend(batch)
        calls += 1
        assert calls < 100000, "SCAN never returned cursor 0"
        if cursor == 0:
            return keys, calls


# ---- DEL / UNLINK / EXISTS / TOUCH / TYPE ---------------------------------------------------

def test_del(r, rc):
    r.mset({"a": "1", "b": "2"})
    assert rc.call("DEL", "a", "b", "c") == b":2\r\n"
    assert rc.call("DEL", "a") == b":0\r\n"
    assert rc.call_error("DEL") == "ERR wrong number of arguments for 'del' command"


def test_del_repeated_key_counts_once(r):
    r.set("a", "1")
    assert r.delete("a", "a", "a") == 1


def test_unlink(r, rc):
    fill(r, MANY)
    assert r.unlink(*MANY[:30], "absent") == 30
    assert r.exists(*MANY) == 70
    assert rc.call_error("UNLINK") == "ERR wrong number of arguments for 'unlink' command"


@pytest.mark.parametrize("command", ["DEL", "UNLINK"])
def test_removing_large_collections(r, command):
    """Large values are freed in the background: gone at once, memory back soon after."""
    members = 20000
    r.flushall()
    before = r.info("memory")["used_memory"]
    r.hset("big:hash", mapping={"f%d" % i: "v%d" % i for i in range(members)})
    r.sadd("big:set", *["m%d" % i for i in range(members)])
    r.zadd("big:zset", {"m%d" % i: i for i in range(members)})
    r.set("small", "kept")
    assert r.info("memory")["used_memory"] > before + 3 * members * 16
    assert r.execute_command(command, "big:hash", "big:set", "big:zset") == 3
    assert r.exists("big:hash", "big:set", "big:zset") == 0
    assert r.hlen("big:hash") == 0 and r.scard("big:set") == 0 and r.zcard("big:zset") == 0
    assert wait_until(lambda: r.info("memory")["lazyfree_pending_objects"] == 0)
    assert r.info("memory")["used_memory"] < before + members * 16
    assert r.get("small") == "kept"
    # The keys can be used again at once, with new values of any type.
    r.hset("big:set", "f", "v")
    assert r.hgetall("big:set") == {"f": "v"}


def test_exists(r, rc):
    r.set("a", "1")
    assert rc.call("EXISTS", "a") == b":1\r\n"
    assert rc.call("EXISTS", "a", "a", "missing") == b":2\r\n"
    assert rc.call("EXISTS", "missing") == b":0\r\n"


def test_touch(r, rc):
    fill(r, MANY)
    assert rc.call("TOUCH", "key:1", "missing", "key:1") == b":2\r\n"
    assert r.touch(*MANY, "missing") == 100


def test_type(r, rc):
    r.set("s", "x")
    assert rc.call("TYPE", "s") == b"+string\r\n"
    assert rc.call("TYPE", "missing") == b"+none\r\n"
    r.set("n", "12")
    r.incr("n")
    assert r.type("n") == "string"


# ---- EXPIRE family ---------------------------------------------------------------------------

def test_expire_ttl(r, rc):
    r.set("k", "v")
    assert rc.call("TTL", "k") == b":-1\r\n"
    assert rc.call("PTTL", "k") == b":-1\r\n"
    assert rc.call("TTL", "missing") == b":-2\r\n"
    assert rc.call("PTTL", "missing") == b":-2\r\n"
    assert rc.call("EXPIRE", "k", "100") == b":1\r\n"
    assert 99 <= r.ttl("k") <= 100
    assert 99000 <= r.pttl("k") <= 100000
    assert rc.call("EXPIRE", "missing", "100") == b":0\r\n"
    assert rc.call("PEXPIRE", "k", "50000") == b":1\r\n"
    assert 49000 <= r.pttl("k") <= 50000


def test_ttl_rounds_to_nearest_second(r):
    r.set("k", "v", px=2600)
    assert r.ttl("k") == 3
    r.set("k", "v", px=2400)
    assert r.ttl("k") == 2


def test_expireat_pexpireat_and_expiretime(r, rc):
    r.set("k", "v")
    at_s = int(time.time()) + 500
    assert rc.call("EXPIREAT", "k", at_s) == b":1\r\n"
    assert r.expiretime("k") == at_s
    assert r.pexpiretime("k") == at_s * 1000
    at_ms = int(time.time() * 1000) + 600000
    assert rc.call("PEXPIREAT", "k", at_ms) == b":1\r\n"
    assert r.pexpiretime("k") == at_ms
    assert r.expiretime("k") == (at_ms + 500) // 1000  # rounded, as TTL
    assert rc.call("EXPIRETIME", "missing") == b":-2\r\n"
    assert rc.call("PEXPIRETIME", "missing") == b":-2\r\n"
    r.set("p", "v")
    assert rc.call("EXPIRETIME", "p") == b":-1\r\n"
    assert rc.call("PEXPIRETIME", "p") == b":-1\r\n"


def test_expire_in_the_past_deletes(r, rc):
    for args in (["EXPIRE", "k", "-1"], ["EXPIRE", "k", "0"], ["PEXPIRE", "k", "0"],
                 ["EXPIREAT", "k", "1"], ["PEXPIREAT", "k", "1"]):
        r.set("k", "v")
        assert rc.call(*args) == b":1\r\n", args
        assert r.exists("k") == 0, args
        assert rc.call(*args) == b":0\r\n", args


def test_persist(r, rc):
    r.set("k", "v", ex=100)
    assert rc.call("PERSIST", "k") == b":1\r\n"
    assert r.ttl("k") == -1
    assert rc.call("PERSIST", "k") == b":0\r\n"
    assert rc.call("PERSIST", "missing") == b":0\r\n"


def test_expire_nx_xx_gt_lt(r, rc):
    r.set("k", "v")
    assert rc.call("EXPIRE", "k", "100", "XX") == b":0\r\n"  # no TTL yet
    assert rc.call("EXPIRE", "k", "100", "GT") == b":0\r\n"  # no TTL counts as infinite
    assert r.ttl("k") == -1
    assert rc.call("EXPIRE", "k", "100", "NX") == b":1\r\n"
    assert rc.call("EXPIRE", "k", "200", "NX") == b":0\r\n"
    assert rc.call("EXPIRE", "k", "50", "GT") == b":0\r\n"
    assert rc.call("EXPIRE", "k", "200", "GT") == b":1\r\n"
    assert 199 <= r.ttl("k") <= 200
    assert rc.call("EXPIRE", "k", "300", "LT") == b":0\r\n"
    assert rc.call("EXPIRE", "k", "50", "LT") == b":1\r\n"
    assert rc.call("EXPIRE", "k", "60", "XX") == b":1\r\n"
    assert 59 <= r.ttl("k") <= 60
    r.persist("k")
    assert rc.call("EXPIRE", "k", "100", "lt") == b":1\r\n"  # infinite > 100
    r.persist("k")
    assert rc.call("PEXPIRE", "k", "100000", "NX") == b":1\r\n"
    assert rc.call("PEXPIREAT", "k", int(time.time() * 1000) + 900000, "GT") == b":1\r\n"
    assert rc.call("EXPIREAT", "k", int(time.time()) + 1000, "LT") == b":0\r\n"


def test_expire_option_errors(r, rc):
    r.set("k", "v")
    assert rc.call_error("EXPIRE", "k", "10", "NX", "XX") == (
        "ERR NX and XX, GT or LT options at the same time are not compatible")
    assert rc.call_error("EXPIRE", "k", "10", "NX", "GT") == (
        "ERR NX and XX, GT or LT options at the same time are not compatible")
    assert rc.call_error("PEXPIRE", "k", "10", "GT", "LT") == (
        "ERR GT and LT options at the same time are not compatible")
    assert rc.call_error("EXPIRE", "k", "10", "FOO") == "ERR Unsupported option FOO"
    assert rc.call_error("EXPIRE", "k", "abc") == NOT_INTEGER
    assert rc.call_error("EXPIRE", "k") == "ERR wrong number of arguments for 'expire' command"
    assert rc.call_error("EXPIRE", "k", "9223372036854775807") == (
        "ERR invalid expire time in 'expire' command")
    assert rc.call_error("PEXPIRE", "k", "9223372036854775807") == (
        "ERR invalid expire time in 'pexpire' command")
    assert rc.call_error("EXPIREAT", "k", "9223372036854775807") == (
        "ERR invalid expire time in 'expireat' command")
    assert r.ttl("k") == -1


def test_expire_on_many_shards(r):
    fill(r, MANY)
    pipe = r.pipeline(transaction=False)
    for key in MANY[:50]:
        pipe.pexpire(key, 100)
    assert pipe.execute() == [True] * 50
    assert r.exists(*MANY) == 100
    time.sleep(0.15)
    assert r.exists(*MANY) == 50
    assert r.mget(MANY[48:52]) == [None, None, "v", "v"]


# ---- Expiry exactness ------------------------------------------------------------------------

def test_px_100_expires_on_time(r):
    r.set("k", "v", px=100)
    assert r.get("k") == "v"
    assert r.exists("k") == 1
    time.sleep(0.15)
    assert r.get("k") is None
    assert r.exists("k") == 0
    assert r.ttl("k") == -2
    assert r.pttl("k") == -2
    assert r.type("k") == "none"


def test_expired_key_is_invisible_to_every_command(r, rc):
    r.set("k", "v", px=50)
    r.set("n", "5", px=50)
    time.sleep(0.1)
    assert r.strlen("k") == 0
    assert r.getrange("k", 0, -1) == ""
    assert r.mget("k", "n") == [None, None]
    assert r.incr("n") == 1
    assert r.ttl("n") == -1
    assert r.set("k", "w", nx=True) is True
    assert r.get("k") == "w"


def test_active_expiry_reclaims_untouched_keys(r):
    keys = ["active:%d" % i for i in range(200)]
    pipe = r.pipeline(transaction=False)
    for key in keys:
        pipe.set(key, "v", px=100)
    pipe.execute()
    assert r.dbsize() == 200
    # Nobody reads the keys: only the server's active expiry can remove them.
    assert wait_until(lambda: r.dbsize() == 0, timeout_s=5.0), r.dbsize()
    assert r.info("stats")["expired_keys"] >= 200


# ---- KEYS ------------------------------------------------------------------------------------

def test_keys_patterns(r):
    fill(r, MANY)
    r.mset({"hello": "1", "hallo": "1", "hxllo": "1", "hllo": "1", "heeeello": "1",
            "a*b": "1", "axb": "1"})
    assert sorted(r.keys("key:*")) == sorted(MANY)
    assert len(r.keys("*")) == 107
    assert sorted(r.keys("h?llo")) == ["hallo", "hello", "hxllo"]
    assert sorted(r.keys("h*llo")) == ["hallo", "heeeello", "hello", "hllo", "hxllo"]
    assert sorted(r.keys("h[ae]llo")) == ["hallo", "hello"]
    assert sorted(r.keys("h[^e]llo")) == ["hallo", "hxllo"]
    assert sorted(r.keys("h[a-b]llo")) == ["hallo"]
    assert r.keys("a\\*b") == ["a*b"]
    assert sorted(r.keys("key:1?")) == sorted("key:1%d" % i for i in range(10))
    assert r.keys("nomatch*") == []


def test_keys_skips_expired(r):
    r.set("live", "v")
    r.set("dying", "v", px=50)
    time.sleep(0.1)
    assert r.keys("*") == ["live"]


# ---- SCAN ------------------------------------------------------------------------------------

def test_scan_empty(rc):
    assert rc.call("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_scan_full_walk_returns_every_key_once(r):
    keys = ["scan:%d" % i for i in range(2000)]
    fill(r, keys)
    seen, calls = scan_all(r, count=10)
    counts = collections.Counter(seen)
    assert set(counts) == set(keys)
    assert [k for k, n in counts.items() if n != 1] == []
    assert calls > 10  # COUNT 10 cannot return 2000 keys in a handful of calls
    seen, calls = scan_all(r, count=1000)
    assert sorted(seen) == sorted(keys)
    assert calls <= 50


def test_scan_while_keys_are_added(r):
    keys = ["scan:%d" % i for i in range(2000)]
    fill(r, keys)
    added = []
    cursor, seen, step = 0, [], 0
    while True:
        cursor, batch = r.scan(cursor=cursor, count=20)
        seen.extend(batch)
        # Grow the keyspace during the walk (on every shard): 4000 more keys in total.
        more = ["added:%d:%d" % (step, i) for i in range(40)]
        if len(added) < 4000:
            r.mset({k: "v" for k in more})
            added.extend(more)
        step += 1
        if cursor == 0:
            break
    counts = collections.Counter(seen)
    missing = set(keys) - set(counts)
    assert not missing, "%d keys present during the whole scan were not returned" % len(missing)
    assert [k for k in keys if counts[k] != 1] == []
    assert set(counts) <= set(keys) | set(added)


def test_scan_match(r):
    fill(r, ["user:%d" % i for i in range(300)])
    fill(r, ["other:%d" % i for i in range(300)])
    seen, _ = scan_all(r, match="user:*", count=50)
    assert sorted(seen) == sorted("user:%d" % i for i in range(300))
    seen, _ = scan_all(r, match="user:1?", count=50)
    assert sorted(seen) == sorted("user:1%d" % i for i in range(10))
    seen, _ = scan_all(r, match="nomatch*")
    assert seen == []


def test_scan_type(r, rc):
    fill(r, MANY)
    seen, _ = scan_all(r, _type="string")
    assert sorted(seen) == sorted(MANY)
    seen, _ = scan_all(r, _type="STRING", match="key:1*")
    assert sorted(seen) == sorted(k for k in MANY if k.startswith("key:1"))
    seen, _ = scan_all(r, _type="list")
    assert seen == []
    seen, _ = scan_all(r, _type="nosuchtype")
    assert seen == []


def test_scan_skips_expired(r):
    r.set("live", "v")
    r.set("dying", "v", px=50)
    time.sleep(0.1)
    seen, _ = scan_all(r)
    assert seen == ["live"]


def test_scan_errors(rc):
    assert rc.call_error("SCAN", "abc") == "ERR invalid cursor"
    assert rc.call_error("SCAN", "18446744073709551616") == "ERR invalid cursor"
    assert rc.call_error("SCAN", "0", "COUNT", "0") == "ERR syntax error"
    assert rc.call_error("SCAN", "0", "COUNT", "abc") == NOT_INTEGER
    assert rc.call_error("SCAN", "0", "MATCH") == "ERR syntax error"
    assert rc.call_error("SCAN", "0", "TYPE") == "ERR syntax error"
    assert rc.call_error("SCAN", "0", "FOO", "bar") == "ERR syntax error"
    assert rc.call_error("SCAN") == "ERR wrong number of arguments for 'scan' command"


def test_scan_per_db(client):
    db0, db2 = client(db=0), client(db=2)
    fill(db0, MANY)
    fill(db2, ["db2:%d" % i for i in range(10)])
    seen, _ = scan_all(db2)
    assert sorted(seen) == sorted("db2:%d" % i for i in range(10))


# ---- RANDOMKEY -------------------------------------------------------------------------------

def test_randomkey(r, rc):
    assert rc.call("RANDOMKEY") == b"$-1\r\n"
    fill(r, MANY)
    picked = {r.randomkey() for _ in range(100)}
    assert picked <= set(MANY)
    assert len(picked) > 10


def test_randomkey_single_key_and_expired(r):
    r.set("only", "v")
    assert r.randomkey() == "only"
    r.set("dying", "v", px=50)
    time.sleep(0.1)
    assert {r.randomkey() for _ in range(20)} == {"only"}
    r.delete("only")
    assert r.randomkey() is None
