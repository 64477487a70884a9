# SPDX-License-Identifier: Apache-2.0
"""RESP3 replies, byte for byte, after HELLO 3.

The installed redis-py (4.x) cannot speak RESP3, so these tests use the raw socket client.
"""

import pytest

from raw_client import parse


@pytest.mark.parametrize("args,reply", [
    (["GET", "missing"], b"_\r\n"),
    (["GETDEL", "missing"], b"_\r\n"),
    (["GETEX", "missing"], b"_\r\n"),
    (["GETSET", "fresh", "x"], b"_\r\n"),
    (["SET", "fresh2", "x", "GET"], b"_\r\n"),
    (["RANDOMKEY"], b"_\r\n"),
    (["CLIENT", "GETNAME"], b"_\r\n"),
    (["COMMAND", "INFO", "nosuchcommand"], b"*1\r\n_\r\n"),
    (["MGET", "missing", "missing2"], b"*2\r\n_\r\n_\r\n"),
    (["CONFIG", "GET", "nosuchoption"], b"%0\r\n"),
    (["SCAN", "0"], b"*2\r\n$1\r\n0\r\n*0\r\n"),
    (["KEYS", "*"], b"*0\r\n"),
    (["TTL", "missing"], b":-2\r\n"),
    (["EXISTS", "missing"], b":0\r\n"),
    (["TYPE", "missing"], b"+none\r\n"),
    (["PING"], b"+PONG\r\n"),
    (["PING", "x"], b"$1\r\nx\r\n"),
    (["ECHO", "hello"], b"$5\r\nhello\r\n"),
    (["DBSIZE"], b":0\r\n"),
    (["INCRBYFLOAT", "f", "1.5"], b"$3\r\n1.5\r\n"),
    (["GET", "a", "b"], b"-ERR wrong number of arguments for 'get' command\r\n"),
    (["SELECT", "99"], b"-ERR DB index is out of range\r\n"),
])
def test_reply_on_empty_keyspace(rc3, args, reply):
    assert rc3.call(*args) == reply


def test_replies_with_data(rc3):
    assert rc3.call("SET", "k", "v") == b"+OK\r\n"
    assert rc3.call("SET", "k", "w", "NX") == b"_\r\n"
    assert rc3.call("SET", "k", "w", "GET") == b"$1\r\nv\r\n"
    assert rc3.call("GET", "k") == b"$1\r\nw\r\n"
    assert rc3.call("MSET", "a", "1", "b", "2") == b"+OK\r\n"
    assert rc3.call("MGET", "a", "missing", "b") == b"*3\r\n$1\r\n1\r\n_\r\n$1\r\n2\r\n"
    assert rc3.call("INCR", "n") == b":1\r\n"
    assert rc3.call("TTL", "k") == b":-1\r\n"
    assert rc3.call("EXISTS", "a", "b") == b":2\r\n"
    assert rc3.call("TYPE", "k") == b"+string\r\n"
    assert rc3.call("RANDOMKEY")[:1] == b"$"


def test_config_get_is_a_map(rc3):
    assert rc3.call("CONFIG", "GET", "maxmemory") == (
        b"%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n")
    reply = parse(rc3.call("CONFIG", "GET", "maxmemory", "appendonly"))
    assert reply == {"maxmemory": b"0", "appendonly": b"no"}


def test_time_and_scan_stay_arrays(rc3):
    time_reply = parse(rc3.call("TIME"))
    assert isinstance(time_reply, list) and len(time_reply) == 2
    rc3.call("SET", "k", "v")
    assert rc3.call("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n"


def test_client_list_is_verbatim(rc3):
    assert rc3.call("CLIENT", "LIST", "ID", "999999999") == b"=4\r\ntxt:\r\n"
    listing = parse(rc3.call("CLIENT", "LIST"))
    assert listing.format == "txt" and listing.startswith("id=")


def test_protocol_is_per_connection(rc3, raw):
    other = raw()
    assert other.call("GET", "missing") == b"$-1\r\n"
    assert rc3.call("GET", "missing") == b"_\r\n"


def test_pipelined_hello_switches_between_replies(rc):
    rc.send(b"GET x\r\nHELLO 3\r\nGET x\r\nHELLO 2\r\nGET x\r\n")
    replies = rc.read_replies(5)
    assert replies[0] == b"$-1\r\n"
    assert replies[1].startswith(b"%7\r\n")
    assert replies[2] == b"_\r\n"
    assert replies[3].startswith(b"*14\r\n")
    assert replies[4] == b"$-1\r\n"


def test_resp3_across_shards(rc3):
    keys = ["r3:%d" % i for i in range(40)]
    args = []
    for k in keys[::2]:
        args += [k, k]
    assert rc3.call("MSET", *args) == b"+OK\r\n"
    reply = parse(rc3.call("MGET", *keys))
    assert reply == [k.encode() if i % 2 == 0 else None for i, k in enumerate(keys)]
    frame = rc3.call("MGET", *keys)
    assert frame.count(b"_\r\n") == 20
