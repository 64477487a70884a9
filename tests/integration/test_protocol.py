# SPDX-License-Identifier: Apache-2.0
"""The wire protocol seen through a raw socket: malformed input and its exact error replies,
inline commands, arbitrary TCP splits, abrupt disconnects, binary-safe and large values."""

import os
import random
import socket
import struct

import pytest

from raw_client import encode_command


def assert_error_and_close(conn, data, reply):
    conn.send(data)
    assert conn.read_until_closed() == reply


def assert_healthy(server, r):
    """The server process is alive and serves a new client and an old one."""
    assert server.is_alive(), server.output()[-3000:]
    fresh = server.raw()
    try:
        assert fresh.call("PING") == b"+PONG\r\n"
        assert fresh.call("SET", "health", "ok") == b"+OK\r\n"
        assert fresh.call("GET", "health") == b"$2\r\nok\r\n"
    finally:
        fresh.close()
    assert r.ping() is True


def reset_close(conn):
    """Closes with RST instead of FIN (SO_LINGER 0), dropping unsent and unread data."""
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.sock.close()


# ---- Malformed requests ------------------------------------------------------------------------

@pytest.mark.parametrize("data,reply", [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$abc\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$2147483648\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\nfoo\r\n", b"-ERR Protocol error: expected '$', got 'f'\r\n"),
    (b"*1\r\n-1\r\n", b"-ERR Protocol error: expected '$', got '-'\r\n"),
    (b"set a \"b\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"set a 'b\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"set a \"b\"c\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"set a \"b\" \"c\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
], ids=lambda v: repr(v)[2:40] if isinstance(v, bytes) else None)
def test_protocol_error_replies_then_closes(raw, server, r, data, reply):
    assert_error_and_close(raw(), data, reply)
    assert_healthy(server, r)


def test_bulk_length_at_the_limit_is_accepted(raw):
    # 512 MB exactly is allowed: the server waits for the payload instead of failing.
    conn = raw()
    conn.send(b"*1\r\n$536870912\r\n")
    conn.assert_no_reply(0.3)


def test_too_big_inline_request(raw, server, r):
    assert_error_and_close(raw(), b"x" * 70000,
                           b"-ERR Protocol error: too big inline request\r\n")
    assert_healthy(server, r)


def test_replies_before_a_protocol_error_are_sent(raw):
    conn = raw()
    conn.send(b"PING\r\n*1\r\n$4\r\nECHO\r\n*abc\r\nPING\r\n")
    assert conn.read_until_closed() == (
        b"+PONG\r\n-ERR wrong number of arguments for 'echo' command\r\n"
        b"-ERR Protocol error: invalid multibulk length\r\n")


def test_empty_multibulk_is_ignored(rc):
    rc.send(b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")
    assert rc.read_reply() == b"+PONG\r\n"
    rc.assert_no_reply(0.1)


# ---- Inline commands -----------------------------------------------------------------------------

def test_inline_commands(rc):
    rc.send(b"PING\r\n")
    assert rc.read_reply() == b"+PONG\r\n"
    rc.send(b"SET a \"x y\"\r\nGET a\r\n")
    assert rc.read_replies(2) == [b"+OK\r\n", b"$3\r\nx y\r\n"]
    rc.send(b"set b 'single quoted'\r\nget b\r\n")
    assert rc.read_replies(2) == [b"+OK\r\n", b"$13\r\nsingle quoted\r\n"]


def test_inline_escapes_and_whitespace(rc):
    rc.send(b"SET  k   \"a\\\"b\\x41\\n\"  \r\nGET k\r\n")
    assert rc.read_replies(2) == [b"+OK\r\n", b"$5\r\na\"bA\n\r\n"]
    rc.send(b"set k 'it\\'s'\r\nget k\r\n")
    assert rc.read_replies(2) == [b"+OK\r\n", b"$4\r\nit's\r\n"]
    rc.send(b"echo \"\"\r\n")
    assert rc.read_reply() == b"$0\r\n\r\n"


def test_inline_lf_only_and_blank_lines(rc):
    rc.send(b"PING\n")
    assert rc.read_reply() == b"+PONG\r\n"
    rc.send(b"\r\n\r\n  PING   \r\n")
    assert rc.read_reply() == b"+PONG\r\n"
    rc.assert_no_reply(0.1)


def test_inline_errors_use_redis_texts(rc):
    rc.send(b"get\r\n")
    assert rc.read_reply() == b"-ERR wrong number of arguments for 'get' command\r\n"
    rc.send(b"foo a b\r\n")
    assert rc.read_reply() == (
        b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n")


# ---- Error texts -----------------------------------------------------------------------------

def test_unknown_command(rc):
    assert rc.call("foo", "a", "b") == (
        b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n")
    assert rc.call("FOO") == b"-ERR unknown command 'FOO', with args beginning with: \r\n"
    # The argument list is cut after about 128 characters, and each argument too.
    assert rc.call("foo", *["a" * 50] * 5) == (
        b"-ERR unknown command 'foo', with args beginning with: '" + b"a" * 50 + b"' '"
        + b"a" * 50 + b"' '" + b"a" * 22 + b"' \r\n")
    assert rc.call("foo", "a" * 200) == (
        b"-ERR unknown command 'foo', with args beginning with: '" + b"a" * 128 + b"' \r\n")
    assert rc.call("foo", *["b"] * 100) == (
        b"-ERR unknown command 'foo', with args beginning with: " + b"'b' " * 32 + b"\r\n")
    # The connection stays usable.
    assert rc.call("PING") == b"+PONG\r\n"


def test_wrong_arity(rc):
    assert rc.call("GET") == b"-ERR wrong number of arguments for 'get' command\r\n"
    assert rc.call("get", "a", "b") == b"-ERR wrong number of arguments for 'get' command\r\n"
    assert rc.call("SET", "a") == b"-ERR wrong number of arguments for 'set' command\r\n"
    assert rc.call("MGET") == b"-ERR wrong number of arguments for 'mget' command\r\n"


# ---- Splits --------------------------------------------------------------------------------------

def test_command_split_into_single_bytes(rc):
    rc.send_in_pieces(encode_command("SET", "split", "value with spaces"), 1)
    assert rc.read_reply() == b"+OK\r\n"
    rc.send_in_pieces(encode_command("GET", "split"), 1)
    assert rc.read_reply() == b"$17\r\nvalue with spaces\r\n"
    rc.send_in_pieces(b"ECHO \"in line\"\r\n", 1)
    assert rc.read_reply() == b"$7\r\nin line\r\n"


def test_pipeline_split_at_every_boundary(rc):
    commands = [encode_command("SET", "k%d" % i, "v" * i) for i in range(20)]
    commands += [encode_command("GET", "k%d" % i) for i in range(20)]
    data = b"".join(commands)
    rng = random.Random(7)
    pos = 0
    while pos < len(data):
        step = rng.randint(1, 7)
        rc.send(data[pos:pos + step])
        pos += step
    replies = rc.read_replies(40)
    assert replies[:20] == [b"+OK\r\n"] * 20
    assert replies[20:] == [b"$%d\r\n%s\r\n" % (i, b"v" * i) for i in range(20)]


def test_bulk_split_in_the_middle_of_crlf(rc):
    rc.send(b"*2\r\n$4\r\nECHO\r\n$3\r\nabc\r")
    rc.assert_no_reply(0.1)
    rc.send(b"\n")
    assert rc.read_reply() == b"$3\r\nabc\r\n"


# ---- Disconnects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("partial", [
    b"*3\r\n$3\r\nSET\r\n$1\r\na",
    b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$10000000\r\n" + b"x" * 1000000,
    b"*2",
    b"SET a",
    b"SET a \"unterminated",
], ids=["mid-bulk", "mid-big-bulk", "mid-header", "inline", "inline-quote"])
def test_disconnect_with_half_sent_command(raw, server, r, partial):
    conn = raw()
    conn.send(partial)
    conn.assert_no_reply(0.05)
    conn.close()
    assert_healthy(server, r)
    assert r.exists("a") == 0


def test_disconnect_with_reset_mid_command(raw, server, r):
    for _ in range(10):
        conn = raw()
        conn.send(b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$100\r\n" + b"y" * 50)
        reset_close(conn)
    assert_healthy(server, r)


def test_disconnect_in_the_middle_of_a_pipeline(raw, server, r):
    r.set("big", "z" * 10000)
    keys = ["pipe:%d" % i for i in range(20)]  # over every shard
    r.mset({k: k for k in keys})
    batch = b"".join(encode_command("GET", "big") for _ in range(2000))
    batch += b"".join(encode_command("MGET", *keys) for _ in range(500))
    for round_ in range(5):
        conn = raw()
        conn.send(batch)
        conn.read_reply()  # the server is busy writing replies nobody will read
        if round_ % 2:
            reset_close(conn)
        else:
            conn.close()
    for _ in range(10):
        conn = raw()
        conn.send(batch[:len(batch) // 3])  # cut inside a command
        reset_close(conn)
    assert_healthy(server, r)
    assert r.mget(keys) == keys
    assert r.strlen("big") == 10000


def test_disconnect_with_writes_in_flight(raw, server, r):
    keys = ["inflight:%d" % i for i in range(32)]
    for _ in range(10):
        conn = raw()
        conn.send(b"".join(encode_command("MSET", *[x for k in keys for x in (k, "v")])
                           + encode_command("DEL", *keys) for _ in range(200)))
        reset_close(conn)
    assert_healthy(server, r)


def test_client_that_never_reads(raw, server, r):
    # A client that sends and does not read: the server must keep serving others while its
    # output for that client piles up.
    r.set("big", "q" * 100000)
    hog = raw()
    hog.send(b"".join(encode_command("GET", "big") for _ in range(200)))
    other = raw()
    assert other.call("PING") == b"+PONG\r\n"
    hog.close()
    assert_healthy(server, r)


# ---- Binary safety and sizes ------------------------------------------------------------------

def test_empty_key_and_value(r, rc):
    assert rc.call("SET", "", "empty-key") == b"+OK\r\n"
    assert rc.call("GET", "") == b"$9\r\nempty-key\r\n"
    assert rc.call("SET", "k", "") == b"+OK\r\n"
    assert rc.call("GET", "k") == b"$0\r\n\r\n"
    assert rc.call("EXISTS", "", "k") == b":2\r\n"
    assert rc.call("STRLEN", "") == b":9\r\n"
    assert rc.call("DEL", "") == b":1\r\n"


def test_binary_keys_and_values(client, rc):
    rb = client(decode_responses=False)
    value = bytes(range(256)) + b"\r\n\x00\r\n$5\r\n*1\r\n"
    key = b"bin\x00key\r\nwith\r\nbreaks"
    assert rb.set(key, value) is True
    assert rb.get(key) == value
    assert rb.get(b"bin\x00key") is None
    assert rb.strlen(key) == len(value)
    assert rc.call("GET", key) == b"$%d\r\n%s\r\n" % (len(value), value)
    assert rb.append(key, b"\x00") == len(value) + 1
    assert rb.getrange(key, 0, 3) == b"\x00\x01\x02\x03"
    assert rb.mget([key, b"\xff\xfe"]) == [value + b"\x00", None]
    assert rb.exists(key) == 1
    assert rb.keys(b"bin\x00*") == [key]


def test_ten_megabyte_value(client, rc):
    rb = client(decode_responses=False)
    value = os.urandom(10 * 1024 * 1024)
    assert rb.set("big", value) is True
    assert rb.get("big") == value
    assert rb.strlen("big") == len(value)
    rc.timeout = 30
    assert rc.call("GET", "big") == b"$%d\r\n%s\r\n" % (len(value), value)
    assert rb.getrange("big", 5_000_000, 5_000_009) == value[5_000_000:5_000_010]
    assert rb.append("big", b"tail") == len(value) + 4
    assert rb.delete("big") == 1


def test_large_multibulk(rc, r):
    keys = ["mb:%d" % i for i in range(20000)]
    args = []
    for k in keys:
        args += [k, k]
    rc.timeout = 30
    assert rc.call("MSET", *args) == b"+OK\r\n"
    assert r.dbsize() == 20000
    reply = rc.call("MGET", *keys)
    assert reply.startswith(b"*20000\r\n$4\r\nmb:0\r\n$4\r\nmb:1\r\n")
    assert r.mget(keys[-3:]) == keys[-3:]
