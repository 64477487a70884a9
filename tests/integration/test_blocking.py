# SPDX-License-Identifier: Apache-2.0
"""Blocking commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP.

Served at once when a key can, woken by pushes from other connections, first blocked first
served, timeouts (fractional, 0 = forever), keys on different shards (with --shards 4 the plain
keys below land on different shards), races between shards, and clients that leave while
blocked. A blocked client is driven through a raw connection: send, then read the reply later.
"""

import threading
import time

import pytest

from raw_client import parse
from server_process import wait_until

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def blocked_clients(r):
    return r.info("clients")["blocked_clients"]


def wait_blocked(r, n):
    assert wait_until(lambda: blocked_clients(r) == n), \
        "expected %d blocked clients, have %d" % (n, blocked_clients(r))


def send(conn, *args):
    from raw_client import encode_command
    conn.send(encode_command(*args))


def reply_of(conn):
    return parse(conn.read_reply())


# ---- served at once ------------------------------------------------------------------------

def test_blpop_brpop_serve_existing_list(r):
    r.rpush("l", "a", "b", "c")
    assert r.blpop(["missing", "l"], timeout=1) == ("l", "a")
    assert r.brpop(["l"], timeout=1) == ("l", "c")
    assert r.lrange("l", 0, -1) == ["b"]
    assert r.blpop(["l"], timeout=0) == ("l", "b")
    assert r.exists("l") == 0


def test_first_nonempty_key_in_order_serves(r):
    r.rpush("{t}b", "b1")
    r.rpush("{t}c", "c1")
    assert r.blpop(["{t}a", "{t}b", "{t}c"], timeout=1) == ("{t}b", "b1")


def test_blmpop_bzpop_bzmpop_serve_at_once(r):
    r.rpush("l", "a", "b", "c")
    assert r.execute_command("BLMPOP", 1, 2, "nokey", "l", "RIGHT", "COUNT", 2) == \
        ["l", ["c", "b"]]
    r.zadd("z", {"m1": 1, "m2": 2, "m3": 3})
    assert r.bzpopmin(["z"], timeout=1) == ("z", "m1", 1.0)
    assert r.bzpopmax(["z"], timeout=1) == ("z", "m3", 3.0)
    assert r.execute_command("BZMPOP", 1, 1, "z", "MIN", "COUNT", 5) == ["z", [["m2", "2"]]]
    assert r.exists("z") == 0


def test_blmove_brpoplpush_serve_at_once(r):
    r.rpush("{m}src", "a", "b")
    assert r.blmove("{m}src", "{m}dst", 1, "LEFT", "RIGHT") == "a"
    assert r.brpoplpush("{m}src", "{m}dst", 1) == "b"
    assert r.lrange("{m}dst", 0, -1) == ["b", "a"]
    assert r.exists("{m}src") == 0


# ---- timeouts ------------------------------------------------------------------------------

def test_timeouts_reply_null(r):
    start = time.monotonic()
    assert r.blpop(["nothing"], timeout=0.2) is None
    elapsed = time.monotonic() - start
    assert 0.15 <= elapsed < 2.0
    assert r.brpoplpush("{x}a", "{x}b", 0.1) is None
    assert r.bzpopmin(["nothing"], timeout=0.1) is None
    assert r.execute_command("BLMPOP", 0.1, 1, "nothing", "LEFT") is None
    assert r.execute_command("BZMPOP", 0.1, 1, "nothing", "MAX") is None
    assert blocked_clients(r) == 0


def test_timeout_reply_bytes(raw):
    c = raw()
    assert c.call("BLPOP", "nothing", "0.05") == b"*-1\r\n"
    assert c.call("BLMOVE", "{y}a", "{y}b", "LEFT", "LEFT", "0.05") == b"*-1\r\n"
    c.call("HELLO", "3")
    assert c.call("BLPOP", "nothing", "0.05") == b"_\r\n"


def test_zero_timeout_waits_until_served(r, raw):
    c = raw(timeout=10)
    send(c, "BLPOP", "later", "0")
    wait_blocked(r, 1)
    c.assert_no_reply(0.3)
    r.rpush("later", "x")
    assert reply_of(c) == [b"later", b"x"]
    assert blocked_clients(r) == 0


# ---- woken by other connections ------------------------------------------------------------

def test_push_wakes_blocked_client(r, raw):
    c = raw(timeout=10)
    send(c, "BRPOP", "q", "5")
    wait_blocked(r, 1)
    assert r.lpush("q", "a", "b") == 2
    assert reply_of(c) == [b"q", b"a"]
    assert r.lrange("q", 0, -1) == ["b"]


def test_first_blocked_first_served(r, raw):
    clients = [raw(timeout=10) for _ in range(3)]
    for i, c in enumerate(clients):
        send(c, "BLPOP", "fifo", "5")
        wait_blocked(r, i + 1)
    r.rpush("fifo", "one")
    assert reply_of(clients[0]) == [b"fifo", b"one"]
    clients[1].assert_no_reply(0.1)
    r.rpush("fifo", "two", "three")
    assert reply_of(clients[1]) == [b"fifo", b"two"]
    assert reply_of(clients[2]) == [b"fifo", b"three"]
    assert r.exists("fifo") == 0


def test_multi_key_wait_served_by_the_key_that_gets_data(r, raw):
    c = raw(timeout=10)
    send(c, "BLPOP", "k1", "k2", "k3", "5")
    wait_blocked(r, 1)
    r.rpush("k3", "v3")
    assert reply_of(c) == [b"k3", b"v3"]
    assert blocked_clients(r) == 0
    # The client no longer waits on k1: a push there stays.
    r.rpush("k1", "v1")
    time.sleep(0.05)
    assert r.lrange("k1", 0, -1) == ["v1"]


def test_blmove_woken_moves_element(r, raw):
    c = raw(timeout=10)
    send(c, "BLMOVE", "{b}src", "{b}dst", "RIGHT", "LEFT", "5")
    wait_blocked(r, 1)
    r.rpush("{b}src", "x", "y")
    assert reply_of(c) == b"y"
    assert r.lrange("{b}dst", 0, -1) == ["y"]
    assert r.lrange("{b}src", 0, -1) == ["x"]


def test_blocked_chain_through_blmove(r, raw):
    # A BLMOVE into a list another client waits on wakes that client too.
    mover = raw(timeout=10)
    waiter = raw(timeout=10)
    send(waiter, "BLPOP", "{c}dst", "5")
    wait_blocked(r, 1)
    send(mover, "BLMOVE", "{c}src", "{c}dst", "LEFT", "LEFT", "5")
    wait_blocked(r, 2)
    r.rpush("{c}src", "hop")
    assert reply_of(mover) == b"hop"
    assert reply_of(waiter) == [b"{c}dst", b"hop"]
    assert r.exists("{c}dst") == 0


def test_zadd_wakes_bzpopmin_and_bzmpop(r, raw):
    c = raw(timeout=10)
    send(c, "BZPOPMIN", "zq", "5")
    wait_blocked(r, 1)
    r.zadd("zq", {"a": 2, "b": 1})
    assert reply_of(c) == [b"zq", b"b", b"1"]
    d = raw(timeout=10)
    send(d, "BZMPOP", "5", "2", "zz1", "zz2", "MAX", "COUNT", "10")
    wait_blocked(r, 1)
    r.zadd("zz2", {"x": 1, "y": 5})
    assert reply_of(d) == [b"zz2", [[b"y", b"5"], [b"x", b"1"]]]


def test_blmpop_woken_with_count(r, raw):
    c = raw(timeout=10)
    send(c, "BLMPOP", "5", "2", "ma", "mb", "LEFT", "COUNT", "2")
    wait_blocked(r, 1)
    r.rpush("mb", "1", "2", "3")
    assert reply_of(c) == [b"mb", [b"1", b"2"]]
    assert r.lrange("mb", 0, -1) == ["3"]


def test_pipelined_commands_wait_behind_blocked_one(r, raw):
    c = raw(timeout=10)
    from raw_client import encode_command
    c.send(encode_command("BLPOP", "pl", "5") + encode_command("PING"))
    wait_blocked(r, 1)
    c.assert_no_reply(0.1)
    r.rpush("pl", "v")
    assert reply_of(c) == [b"pl", b"v"]
    assert c.read_reply() == b"+PONG\r\n"


def test_string_created_on_waited_key_does_not_wake(r, raw):
    c = raw(timeout=10)
    send(c, "BLPOP", "sk", "5")
    wait_blocked(r, 1)
    r.set("sk", "string")
    c.assert_no_reply(0.2)
    r.delete("sk")
    r.rpush("sk", "v")
    assert reply_of(c) == [b"sk", b"v"]


# ---- clients that leave ----------------------------------------------------------------------

def test_disconnect_while_blocked_leaves_nothing(r, raw):
    c = raw(timeout=10)
    send(c, "BLPOP", "gone", "0")
    wait_blocked(r, 1)
    c.close()
    wait_blocked(r, 0)
    r.rpush("gone", "kept")
    time.sleep(0.05)
    assert r.lrange("gone", 0, -1) == ["kept"]


def test_many_disconnects_then_a_live_waiter_is_served(r, raw):
    leaving = [raw(timeout=10) for _ in range(5)]
    for c in leaving:
        send(c, "BLPOP", "crowd", "0")
    wait_blocked(r, 5)
    live = raw(timeout=10)
    send(live, "BLPOP", "crowd", "0")
    wait_blocked(r, 6)
    for c in leaving:
        c.close()
    wait_blocked(r, 1)
    r.rpush("crowd", "v")
    assert reply_of(live) == [b"crowd", b"v"]


# ---- races across shards -------------------------------------------------------------------

def test_race_no_element_lost_or_duplicated(r, server, raw):
    keys = ["race:%d" % i for i in range(8)]  # spread over the shards
    consumers = 12
    per_consumer = 5
    results = []
    lock = threading.Lock()

    def consume():
        c = server.client()
        got = []
        for _ in range(per_consumer):
            item = c.blpop(keys, timeout=10)
            assert item is not None, "a consumer timed out"
            got.append(item[1])
        c.close()
        with lock:
            results.extend(got)

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    for t in threads:
        t.start()
    wait_until(lambda: blocked_clients(r) > 0)

    def produce(offset):
        c = server.client()
        for i in range(consumers * per_consumer // 4):
            c.rpush(keys[(i + offset) % len(keys)], "v%d-%d" % (offset, i))
        c.close()

    producers = [threading.Thread(target=produce, args=(p,)) for p in range(4)]
    for t in producers:
        t.start()
    for t in producers + threads:
        t.join(30)
    total = consumers * per_consumer
    assert len(results) == total
    assert len(set(results)) == total
    assert sum(r.llen(k) for k in keys) == 0
    assert blocked_clients(r) == 0


def test_multi_shard_waiters_and_single_key_waiters_share_a_key(r, raw):
    multi = raw(timeout=10)
    send(multi, "BLPOP", "s1", "s2", "s3", "s4", "5")
    wait_blocked(r, 1)
    single = raw(timeout=10)
    send(single, "BLPOP", "s2", "5")
    wait_blocked(r, 2)
    r.rpush("s2", "first", "second")
    assert reply_of(multi) == [b"s2", b"first"]
    assert reply_of(single) == [b"s2", b"second"]


# ---- errors --------------------------------------------------------------------------------

def test_errors(rc):
    assert rc.call("BLPOP", "k", "abc") == b"-ERR timeout is not a float or out of range\r\n"
    assert rc.call("BLPOP", "k", "-1") == b"-ERR timeout is negative\r\n"
    assert rc.call("BRPOP", "k", "inf") == b"-ERR timeout is negative\r\n"
    assert rc.call("BLMPOP", "0", "0", "k", "LEFT") == \
        b"-ERR numkeys should be greater than 0\r\n"
    assert rc.call("BLMPOP", "0", "x", "k", "LEFT") == \
        b"-ERR numkeys should be greater than 0\r\n"
    assert rc.call("BLMPOP", "0", "2", "k", "LEFT") == b"-ERR syntax error\r\n"
    assert rc.call("BLMPOP", "0", "1", "k", "UP") == b"-ERR syntax error\r\n"
    assert rc.call("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0") == \
        b"-ERR count should be greater than 0\r\n"
    assert rc.call("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "1", "COUNT", "2") == \
        b"-ERR syntax error\r\n"
    assert rc.call("BZMPOP", "0", "1", "k", "MIN", "COUNT", "-1") == \
        b"-ERR count should be greater than 0\r\n"
    assert rc.call("BLMOVE", "{e}a", "{e}b", "UP", "LEFT", "0") == b"-ERR syntax error\r\n"
    assert rc.call("BLPOP", "k") == b"-ERR wrong number of arguments for 'blpop' command\r\n"
    assert rc.call("PING") == b"+PONG\r\n"


def test_wrongtype(r):
    r.set("str", "x")
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.blpop(["str"], timeout=0.1)
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.bzpopmin(["str"], timeout=0.1)
    r.rpush("{w}src", "a")
    r.set("{w}dst", "x")
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.blmove("{w}src", "{w}dst", 0.1, "LEFT", "LEFT")
    assert r.lrange("{w}src", 0, -1) == ["a"]
    r.rpush("list", "v")
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.bzpopmin(["list"], timeout=0.1)


def test_command_info_flags(rc):
    from raw_client import parse
    info = parse(rc.call("COMMAND", "INFO", "blpop", "blmpop"))
    blpop, blmpop = info
    assert b"blocking" in blpop[2]
    assert b"@blocking" in blpop[6] and b"@list" in blpop[6]
    assert b"movablekeys" in blmpop[2]
    assert b"movablekeys" not in blpop[2]
