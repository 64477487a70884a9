# SPDX-License-Identifier: Apache-2.0
"""Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO, their
error texts and the order in which errors win, as redis-server 7.0 replies. BITOP's keys share
a hash tag so that they live on one shard."""

import random

import pytest

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"
SYNTAX = "ERR syntax error"
BAD_OFFSET = "ERR bit offset is not an integer or out of range"
BAD_BIT = "ERR bit is not an integer or out of range"
BAD_BITPOS_BIT = "ERR The bit argument must be 1 or 0."
BAD_TYPE = ("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
            "supported but i64 is.")
BAD_OVERFLOW = "ERR Invalid OVERFLOW type specified"
RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand"
NOT_SINGLE = "ERR BITOP NOT must be called with a single source key."


@pytest.fixture
def rb(client):
    """A client that returns bytes."""
    return client(decode_responses=False)


def ints(*values):
    """The RESP2 bytes of an array of integers and nulls (None)."""
    out = b"*%d\r\n" % len(values)
    for v in values:
        out += b"$-1\r\n" if v is None else b":%d\r\n" % v
    return out


# ---- SETBIT / GETBIT ------------------------------------------------------------------------

def test_setbit_getbit(r, rb):
    assert r.setbit("k", 7, 1) == 0
    assert r.setbit("k", 7, 1) == 1
    assert rb.get("k") == b"\x01"
    assert r.setbit("k", 17, 1) == 0
    assert rb.get("k") == b"\x01\x00\x40"
    assert r.setbit("k", 7, 0) == 1
    assert rb.get("k") == b"\x00\x00\x40"
    assert r.getbit("k", 17) == 1
    assert r.getbit("k", 16) == 0
    assert r.getbit("k", 10 ** 6) == 0
    assert r.getbit("missing", 3) == 0
    assert r.exists("missing") == 0
    assert r.setbit("new", 100, 0) == 0  # a clear bit creates the key too
    assert r.strlen("new") == 13


def test_setbit_on_a_string_value_keeps_its_deadline(r):
    r.set("k", "a", ex=100)  # 0110 0001
    assert r.getbit("k", 1) == 1
    assert r.getbit("k", 7) == 1
    assert r.setbit("k", 6, 1) == 0
    assert r.get("k") == "c"
    assert 95 <= r.ttl("k") <= 100
    r.set("n", "12")  # an integer-looking value is its digits
    assert r.getbit("n", 2) == 1


def test_setbit_getbit_errors(r, rc):
    for offset in ["-1", "x", "1.5", "", "+1", "01", "#1", "4294967296"]:
        assert rc.call_error("SETBIT", "k", offset, "1") == BAD_OFFSET, offset
        assert rc.call_error("GETBIT", "k", offset) == BAD_OFFSET, offset
    for value in ["2", "-1", "x", "", "01"]:
        assert rc.call_error("SETBIT", "k", "0", value) == BAD_BIT, value
    r.rpush("l", "x")
    # Offset first, then the value, then the key's type.
    assert rc.call_error("SETBIT", "l", "x", "x") == BAD_OFFSET
    assert rc.call_error("SETBIT", "l", "0", "x") == BAD_BIT
    assert rc.call_error("SETBIT", "l", "0", "1") == WRONGTYPE
    assert rc.call_error("GETBIT", "l", "0") == WRONGTYPE
    assert rc.call_error("GETBIT", "l", "x") == BAD_OFFSET
    assert r.exists("k") == 0
    assert rc.call_error("SETBIT", "k", "1") == "ERR wrong number of arguments for 'setbit' command"


def test_bit_offset_limit_is_proto_max_bulk_len(r, rc):
    r.config_set("proto-max-bulk-len", str(1024 * 1024))
    try:
        assert rc.call_error("SETBIT", "k", str(8 * 1024 * 1024), "1") == BAD_OFFSET
        assert rc.call_error("GETBIT", "k", str(8 * 1024 * 1024)) == BAD_OFFSET
        assert rc.call_error("BITFIELD", "k", "GET", "u8", "#1048576") == BAD_OFFSET
        assert r.setbit("k", 8 * 1024 * 1024 - 1, 1) == 0
        assert r.strlen("k") == 1024 * 1024
        assert r.bitcount("k") == 1
    finally:
        r.config_set("proto-max-bulk-len", str(512 * 1024 * 1024))


# ---- BITCOUNT -------------------------------------------------------------------------------

def test_bitcount(r, rc):
    r.set("k", "foobar")
    assert r.bitcount("k") == 26
    assert r.bitcount("k", 0, 0) == 4
    assert r.bitcount("k", 1, 1) == 6
    assert rc.call("BITCOUNT", "k", "1", "1", "BYTE") == b":6\r\n"
    assert rc.call("BITCOUNT", "k", "5", "30", "BIT") == b":17\r\n"
    assert rc.call("BITCOUNT", "k", "5", "30", "bit") == b":17\r\n"
    assert r.bitcount("k", 0, -1) == 26
    assert r.bitcount("k", -2, -1) == 7
    assert r.bitcount("k", -100, 100) == 26
    assert r.bitcount("k", 3, 1) == 0
    assert r.bitcount("k", 6, 100) == 0
    assert r.bitcount("k", -100, -200) == 0  # out of order: nothing, though both clamp to 0
    assert r.bitcount("k", -200, -100) == 4
    assert r.bitcount("missing") == 0
    r.set("e", "")
    assert r.bitcount("e") == 0
    assert r.bitcount("e", 0, -1) == 0


def test_bitcount_errors(r, rc):
    # Redis 7.0 looks the key up first: a missing key replies 0 whatever follows.
    assert rc.call("BITCOUNT", "missing", "0", "x") == b":0\r\n"
    assert rc.call("BITCOUNT", "missing", "1") == b":0\r\n"
    r.set("k", "foobar")
    assert rc.call_error("BITCOUNT", "k", "1") == SYNTAX
    assert rc.call_error("BITCOUNT", "k", "0", "1", "BIT", "x") == SYNTAX
    assert rc.call_error("BITCOUNT", "k", "x", "1") == NOT_INTEGER
    assert rc.call_error("BITCOUNT", "k", "0", "x") == NOT_INTEGER
    assert rc.call_error("BITCOUNT", "k", "0", "1", "bits") == SYNTAX
    assert rc.call("BITCOUNT", "k", "-1", "-2", "bits") == b":0\r\n"  # before the unit check
    assert rc.call_error("BITCOUNT", "k", "-2", "-1", "bits") == SYNTAX
    r.rpush("l", "x")
    assert rc.call_error("BITCOUNT", "l") == WRONGTYPE
    assert rc.call_error("BITCOUNT", "l", "x") == WRONGTYPE
    assert rc.call_error("BITCOUNT") == "ERR wrong number of arguments for 'bitcount' command"


# ---- BITPOS ---------------------------------------------------------------------------------

def test_bitpos(r, rb):
    rb.set("k", b"\xff\xf0\x00")
    assert r.bitpos("k", 0) == 12
    assert r.bitpos("k", 1) == 0
    rb.set("k", b"\x00\xff\xf0")
    assert r.bitpos("k", 1, 0) == 8
    assert r.bitpos("k", 1, 2) == 16
    assert r.bitpos("k", 1, 2, -1) == 16
    assert r.execute_command("BITPOS", "k", 1, 7, 15, "BIT") == 8
    assert r.execute_command("BITPOS", "k", 1, 7, -3, "bit") == 8
    assert r.execute_command("BITPOS", "k", 0, 8, 15, "BIT") == -1
    assert r.execute_command("BITPOS", "k", 0, 1, 1, "BYTE") == -1
    assert r.bitpos("k", 1, 3) == -1  # an empty range
    rb.set("z", b"\x00\x00\x00")
    assert r.bitpos("z", 1) == -1
    assert r.bitpos("missing", 1) == -1
    assert r.bitpos("missing", 0) == 0


def test_bitpos_clear_bit_past_the_end_only_without_an_end(r, rb, rc):
    rb.set("k", b"\xff\xff\xff")
    assert r.bitpos("k", 0) == 24
    assert r.bitpos("k", 0, 1) == 24
    assert r.bitpos("k", 0, 1, -1) == -1
    assert r.execute_command("BITPOS", "k", 0, 9, -1, "BIT") == -1
    rb.set("e", b"")
    assert r.bitpos("e", 0) == -1
    assert r.bitpos("e", 1) == -1


def test_bitpos_errors(r, rc):
    assert rc.call_error("BITPOS", "k", "2") == BAD_BITPOS_BIT
    assert rc.call_error("BITPOS", "k", "-1") == BAD_BITPOS_BIT
    assert rc.call_error("BITPOS", "k", "x") == NOT_INTEGER
    assert rc.call("BITPOS", "missing", "0", "x") == b":0\r\n"
    r.set("k", "foobar")
    assert rc.call_error("BITPOS", "k", "1", "x") == NOT_INTEGER
    assert rc.call_error("BITPOS", "k", "1", "0", "x") == NOT_INTEGER
    assert rc.call_error("BITPOS", "k", "1", "0", "x", "foo") == SYNTAX  # unit before end
    assert rc.call_error("BITPOS", "k", "1", "0", "x", "BIT") == NOT_INTEGER
    assert rc.call_error("BITPOS", "k", "1", "0", "1", "BIT", "x") == SYNTAX
    r.rpush("l", "x")
    assert rc.call_error("BITPOS", "l", "1") == WRONGTYPE
    assert rc.call_error("BITPOS", "l", "2") == BAD_BITPOS_BIT
    assert rc.call_error("BITPOS", "k") == "ERR wrong number of arguments for 'bitpos' command"


def reference_bitcount(data, args):
    """BITCOUNT on bytes `data` with [start, end, unit] as Redis 7.0 computes it."""
    if not args:
        return sum(bin(b).count("1") for b in data)
    start, end = args[0], args[1]
    in_bits = len(args) == 3 and args[2] == "BIT"
    if start < 0 and end < 0 and start > end:
        return 0
    total = len(data) * 8 if in_bits else len(data)
    start, end = normalize(start, end, total)
    if start > end:
        return 0
    if not in_bits:
        start, end = start * 8, end * 8 + 7
    return sum(bit_at(data, i) for i in range(start, end + 1))


def normalize(start, end, total):
    if start < 0:
        start += total
    if end < 0:
        end += total
    start, end = max(start, 0), max(end, 0)
    return start, min(end, total - 1)


def bit_at(data, i):
    return (data[i // 8] >> (7 - i % 8)) & 1


def reference_bitpos(data, bit, args):
    """BITPOS on bytes `data` with [start [end [unit]]] as Redis 7.0 computes it."""
    in_bits = len(args) == 3 and args[2] == "BIT"
    total = len(data) * 8 if in_bits else len(data)
    if args:
        end = args[1] if len(args) >= 2 else total - 1
        start, end = normalize(args[0], end, total)
    else:
        start, end = 0, total - 1
    if start > end:
        return -1
    if not in_bits:
        start, end = start * 8, end * 8 + 7
    for i in range(start, end + 1):
        if bit_at(data, i) == bit:
            return i
    if bit == 1 or len(args) >= 2:
        return -1
    return len(data) * 8


def test_bitcount_and_bitpos_on_random_ranges(r, rb):
    rng = random.Random(7)
    for _ in range(40):
        size = rng.randint(0, 40)
        style = rng.choice([0, 0xFF, None])
        data = bytes(rng.randint(0, 255) if style is None or rng.random() < 0.1 else style
                     for _ in range(size))
        rb.set("k", data)
        pipe = r.pipeline(transaction=False)
        cases = []
        for _ in range(25):
            n = rng.choice([0, 2, 3])
            args = [rng.randint(-size * 9 - 3, size * 9 + 3) for _ in range(min(n, 2))]
            if n == 3:
                args.append(rng.choice(["BIT", "BYTE"]))
            cases.append(("count", args))
            pipe.execute_command("BITCOUNT", "k", *args)
            bit = rng.randint(0, 1)
            pos_args = args[:rng.randint(0, len(args))] if n != 3 else args
            cases.append(("pos", bit, pos_args))
            pipe.execute_command("BITPOS", "k", bit, *pos_args)
        for case, got in zip(cases, pipe.execute()):
            if case[0] == "count":
                assert got == reference_bitcount(data, case[1]), (data, case)
            else:
                assert got == reference_bitpos(data, case[1], case[2]), (data, case)


# ---- BITOP ----------------------------------------------------------------------------------

def test_bitop_operations(r, rb):
    rb.set("{b}a", b"\xff\x0f\xf0")
    rb.set("{b}b", b"\x0f")
    assert r.bitop("AND", "{b}d", "{b}a", "{b}b") == 3
    assert rb.get("{b}d") == b"\x0f\x00\x00"
    assert r.bitop("or", "{b}d", "{b}a", "{b}b", "{b}missing") == 3
    assert rb.get("{b}d") == b"\xff\x0f\xf0"
    assert r.bitop("XOR", "{b}d", "{b}a", "{b}b") == 3
    assert rb.get("{b}d") == b"\xf0\x0f\xf0"
    assert r.bitop("NOT", "{b}d", "{b}a") == 3
    assert rb.get("{b}d") == b"\x00\xf0\x0f"
    assert r.bitop("AND", "{b}d", "{b}a", "{b}missing") == 3  # a missing key is zero bytes
    assert rb.get("{b}d") == b"\x00\x00\x00"
    assert r.bitop("NOT", "{b}a", "{b}a") == 3  # the destination may be a source
    assert rb.get("{b}a") == b"\x00\xf0\x0f"


def test_bitop_on_long_values(r, rb):
    rng = random.Random(3)
    a = bytes(rng.randint(0, 255) for _ in range(1001))
    b = bytes(rng.randint(0, 255) for _ in range(517))
    rb.set("{b}a", a)
    rb.set("{b}b", b)
    padded = b + bytes(len(a) - len(b))
    assert r.bitop("AND", "{b}d", "{b}a", "{b}b") == 1001
    assert rb.get("{b}d") == bytes(x & y for x, y in zip(a, padded))
    assert r.bitop("OR", "{b}d", "{b}b", "{b}a") == 1001
    assert rb.get("{b}d") == bytes(x | y for x, y in zip(a, padded))
    assert r.bitop("XOR", "{b}d", "{b}a", "{b}b", "{b}a") == 1001
    assert rb.get("{b}d") == padded
    assert r.bitop("NOT", "{b}d", "{b}a") == 1001
    assert rb.get("{b}d") == bytes(255 - x for x in a)


def test_bitop_replaces_the_destination(r):
    r.set("{b}a", "x")
    r.rpush("{b}d", "item")
    assert r.bitop("OR", "{b}d", "{b}a") == 1
    assert r.get("{b}d") == "x"
    r.set("{b}d", "old", ex=100)
    assert r.bitop("OR", "{b}d", "{b}a") == 1
    assert r.ttl("{b}d") == -1


def test_bitop_empty_result_deletes_the_destination(r):
    r.set("{b}d", "old")
    assert r.bitop("AND", "{b}d", "{b}m1", "{b}m2") == 0
    assert r.exists("{b}d") == 0
    r.set("{b}e", "")
    r.rpush("{b}l", "x")
    assert r.bitop("NOT", "{b}l", "{b}e") == 0
    assert r.exists("{b}l") == 0


def test_bitop_errors(r, rc):
    r.set("{b}a", "x")
    r.rpush("{b}l", "x")
    assert rc.call_error("BITOP", "NAND", "{b}d", "{b}a") == SYNTAX
    assert rc.call_error("BITOP", "NOT", "{b}d", "{b}a", "{b}a") == NOT_SINGLE
    assert rc.call_error("BITOP", "AND", "{b}d", "{b}a", "{b}l") == WRONGTYPE
    assert rc.call_error("BITOP", "NOT", "{b}d", "{b}l") == WRONGTYPE
    assert r.exists("{b}d") == 0
    assert rc.call_error("BITOP", "AND", "{b}d") == (
        "ERR wrong number of arguments for 'bitop' command")


# ---- BITFIELD -------------------------------------------------------------------------------

def test_bitfield_get_set_incrby(r, rb, rc):
    assert rc.call("BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0",
                   "GET", "i8", "0") == ints(0, 255, -1)
    assert rb.get("k") == b"\xff"
    assert rc.call("BITFIELD", "k", "INCRBY", "u2", "100", "1", "GET", "u4", "98") == ints(1, 1)
    assert r.strlen("k") == 13
    assert rc.call("BITFIELD", "k", "GET", "u4", "1000") == ints(0)
    assert rc.call("BITFIELD", "k") == b"*0\r\n"
    assert rc.call("BITFIELD", "missing", "GET", "i64", "0") == ints(0)
    assert r.exists("missing") == 0
    # "#N" offsets count fields of the type's width.
    assert rc.call("BITFIELD", "h", "SET", "i8", "#1", "100", "SET", "u4", "#0", "15") == ints(0, 0)
    assert rb.get("h") == b"\xf0\x64"
    assert rc.call("BITFIELD", "h", "GET", "i8", "#1", "GET", "u8", "8") == ints(100, 100)
    assert rc.call("BITFIELD", "h", "GET", "u8", "#2305843009213693953") == ints(100)
    r.set("t", "a", ex=100)
    assert rc.call("BITFIELD", "t", "SET", "u8", "8", "1") == ints(0)
    assert 95 <= r.ttl("t") <= 100


def test_bitfield_overflow(r, rb, rc):
    assert rc.call("BITFIELD", "k", "SET", "u8", "0", "300", "GET", "u8", "0") == ints(0, 44)
    assert rc.call("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-1",
                   "GET", "u8", "0") == ints(44, 255)
    assert rc.call("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1",
                   "INCRBY", "u8", "0", "-255", "INCRBY", "u8", "0", "-1") == ints(None, 0, None)
    assert rc.call("BITFIELD", "k", "INCRBY", "u8", "0", "-1", "OVERFLOW", "sat", "INCRBY", "u8",
                   "0", "10", "OVERFLOW", "wrap", "INCRBY", "u8", "0", "1") == ints(255, 255, 0)
    assert rc.call("BITFIELD", "s", "OVERFLOW", "SAT", "SET", "i8", "0", "200", "GET", "i8", "0",
                   "OVERFLOW", "WRAP", "SET", "i8", "0", "200",
                   "GET", "i8", "0") == ints(0, 127, 127, -56)
    assert rc.call("BITFIELD", "w", "SET", "i64", "0", str(2 ** 63 - 1), "INCRBY", "i64", "0",
                   "1", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1") == ints(0, -2 ** 63, -2 ** 63)
    assert rc.call("BITFIELD", "u", "SET", "u63", "0", str(2 ** 63 - 1),
                   "GET", "u63", "0") == ints(0, 2 ** 63 - 1)
    assert rc.call("BITFIELD", "i1", "INCRBY", "i1", "0", "1", "OVERFLOW", "SAT",
                   "INCRBY", "i1", "0", "-5") == ints(-1, -1)
    # A write that fails still creates and sizes the key.
    assert rc.call("BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "u8", "8", "256") == ints(None)
    assert rb.get("f") == b"\x00\x00"


def test_bitfield_errors(r, rc):
    for field_type in ["I8", "u64", "i65", "u0", "i0", "x8", "i", "u08", "i+8", ""]:
        assert rc.call_error("BITFIELD", "k", "GET", field_type, "0") == BAD_TYPE, field_type
    for offset in ["-1", "#-1", "#", "x", "#x", "4294967296"]:
        assert rc.call_error("BITFIELD", "k", "GET", "u8", offset) == BAD_OFFSET, offset
    assert rc.call("BITFIELD", "k", "GET", "u8", "4294967295") == ints(0)
    assert rc.call_error("BITFIELD", "k", "GET") == SYNTAX
    assert rc.call_error("BITFIELD", "k", "GET", "u8") == SYNTAX
    assert rc.call_error("BITFIELD", "k", "SET", "u8", "0") == SYNTAX
    assert rc.call_error("BITFIELD", "k", "FOO") == SYNTAX
    assert rc.call_error("BITFIELD", "k", "OVERFLOW") == SYNTAX
    assert rc.call_error("BITFIELD", "k", "OVERFLOW", "FOO") == BAD_OVERFLOW
    assert rc.call_error("BITFIELD", "k", "SET", "u8", "0", "x") == NOT_INTEGER
    assert rc.call_error("BITFIELD", "k", "INCRBY", "u8", "0", "1.5") == NOT_INTEGER
    # Everything is parsed before anything runs.
    assert rc.call_error("BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0") == BAD_TYPE
    assert r.exists("k") == 0
    assert rc.call("BITFIELD", "k", "OVERFLOW", "SAT") == b"*0\r\n"
    r.rpush("l", "x")
    assert rc.call_error("BITFIELD", "l") == WRONGTYPE
    assert rc.call_error("BITFIELD", "l", "GET", "u8", "0") == WRONGTYPE
    assert rc.call_error("BITFIELD", "l", "SET", "u8", "0", "1") == WRONGTYPE
    assert rc.call_error("BITFIELD", "l", "GET", "u8", "x") == BAD_OFFSET
    assert rc.call_error("BITFIELD") == "ERR wrong number of arguments for 'bitfield' command"


def test_bitfield_ro(r, rb, rc):
    rb.set("k", b"\x80")
    assert rc.call("BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u1", "0") == ints(-128, 1)
    assert rc.call("BITFIELD_RO", "missing", "GET", "u8", "0") == ints(0)
    assert rc.call_error("BITFIELD_RO", "k", "SET", "u8", "0", "1") == RO_WRITE
    assert rc.call_error("BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1") == RO_WRITE
    assert rc.call_error("BITFIELD_RO", "k", "SET", "u8", "0", "1", "GET", "x", "0") == BAD_TYPE
    r.rpush("l", "x")
    assert rc.call_error("BITFIELD_RO", "l", "GET", "u8", "0") == WRONGTYPE
    assert rc.call_error("BITFIELD_RO", "l", "SET", "u8", "0", "1") == RO_WRITE
    assert rb.get("k") == b"\x80"


def test_bitfield_resp3_null(raw, r):
    conn = raw()
    conn.call("HELLO", "3")
    assert conn.call("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "4") == (
        b"*1\r\n_\r\n")


def test_bitmap_commands_spread_over_shards(r):
    # Single-key commands on keys owned by every shard.
    keys = ["bm:%d" % i for i in range(40)]
    for i, key in enumerate(keys):
        assert r.setbit(key, i, 1) == 0
    for i, key in enumerate(keys):
        assert r.bitcount(key) == 1
        assert r.bitpos(key, 1) == i
        assert r.getbit(key, i) == 1
