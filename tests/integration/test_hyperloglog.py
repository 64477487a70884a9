# SPDX-License-Identifier: Apache-2.0
"""HyperLogLog commands: PFADD, PFCOUNT and PFMERGE. An HLL is a string in Redis's own format,
so the bytes GET returns must be those redis-server 7.0.15 stores for the same additions: the
hex literals and SHA-256 digests below were captured from it, with PFADD of "elem:0",
"elem:1", ... in batches of 1000. Multi-key commands use keys sharing a hash tag."""

import hashlib

import pytest

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value."
CORRUPT = "INVALIDOBJ Corrupted HLL object detected"

EMPTY = bytes.fromhex("48594c4c0100000000000000000000807fff")
# PFADD of "a", "b", "c": three VAL opcodes between zero runs; then with the cached count 3.
ABC = bytes.fromhex("48594c4c01000000000000000000008060f38050b1844bfb80425a")
ABC_COUNTED = bytes.fromhex("48594c4c01000000030000000000000060f38050b1844bfb80425a")
ELEM_1 = bytes.fromhex("48594c4c01000000000000000000008053a4846c59")
ELEM_10 = bytes.fromhex(
    "48594c4c01000000000000000000008044bc8408844edc84477d8c4522884e228045658040a58c470c80420e8042"
    "66")
ELEM_100 = bytes.fromhex(
    "48594c4c01000000000000000000008044768440448408844042801580420a8c405584415c8040d1843c843a84"
    "40728040708c41b484198c40b48042e088405080405884099440fb800980413b84288441ac84409c8040af8841"
    "0480437a8c2f802080409c8c008c4104844160804110803c80338017841a800d880a8c188441158008882e8032"
    "8040a7a0405f8440578011803b8840f380405c8011842e8440648c40df800a80416b80413780417380406e8038"
    "844075841e80407a804047901b84419d8040af8440de8442bd8040598440ba800e8040958c4043800a8840ea80"
    "028040a884408d8018843190404980419f844186804060802084404d80088440d3882c8840c2803d803288409f"
    "8040d0908040be")
# (elements, Redis's PFCOUNT, SHA-256 of the value before and after that PFCOUNT, encoding).
SIZES = [
    (500, 505, "d951f6717fa56f13dfb7a4df1d727baff6d144869cd8130732a09d46d64811a2",
     "608aca56255a7d910236df7a4421b995f12b14a948b48d7eb1ea8cc6bb7abc50", 1),
    (1000, 1005, "7b3b159d576a4be00740eaf8ea3f408f1ee3e7de65f9e4ff0dac9d4a0024efd8",
     "0f3347868880eb36395c73c8cc3695c5933d58f77c60215f5249794f800c4f88", 1),
    (2000, 1994, "7626ef0fdd1501cf2d9522692d429e8c9cef59a05d9ce95dcb4a99d6b560e66e",
     "bb79e5c6d53229492ee69f038f1eaa7d6bdbb50f00f41e11d8c739071f3590d1", 0),
    (10000, 9922, "2da93ebc832bdacc5df20b93af988c44081d50cdcbe9002346acbbeea6a49591",
     "68dd6f33bbca247078112803bf15ca330c78ff7d6c0f83eab8aab521ec2323be", 0),
    (100000, 99904, "1d91e682c3831ce745e31c97647c9071421e871007f307eb80416530b871986b",
     "ea0c2a62b61eee3909bdd35c9ea541628a3c9683b830cdfba508ca75305b931e", 0),
]


@pytest.fixture
def rb(client):
    """A client that returns bytes."""
    return client(decode_responses=False)


def add_elements(r, key, n, prefix="elem:"):
    pipe = r.pipeline(transaction=False)
    for start in range(0, n, 1000):
        pipe.pfadd(key, *["%s%d" % (prefix, i) for i in range(start, min(n, start + 1000))])
    pipe.execute()


def sha256(value):
    return hashlib.sha256(value).hexdigest()


# ---- PFADD / PFCOUNT ------------------------------------------------------------------------

def test_pfadd_replies_whether_anything_changed(r, rb):
    assert r.pfadd("e") == 1
    assert rb.get("e") == EMPTY
    assert r.pfadd("e") == 0
    assert r.pfadd("k", "a", "b", "c") == 1
    assert rb.get("k") == ABC
    assert r.pfadd("k", "a", "c") == 0
    assert r.pfadd("k", "a", "d") == 1
    assert r.type("k") == "string"


def test_pfcount_caches_the_cardinality(r, rb):
    r.pfadd("k", "a", "b", "c")
    assert r.pfcount("k") == 3
    assert rb.get("k") == ABC_COUNTED
    # A valid cached value is replied as it is, whatever the registers say.
    r.setrange("k", 8, "*")
    assert r.pfcount("k") == 42
    assert r.pfadd("k", "d") == 1  # an update marks the cache stale again
    assert rb.get("k")[15] == 0x80
    assert r.pfcount("k") == 4
    assert r.pfcount("missing") == 0
    assert r.exists("missing") == 0


@pytest.mark.parametrize("n,value", [(1, ELEM_1), (10, ELEM_10), (100, ELEM_100)])
def test_sparse_bytes_are_redis_bytes(r, rb, n, value):
    add_elements(r, "k", n)
    assert rb.get("k") == value
    assert r.pfcount("k") == n
    counted = rb.get("k")
    assert counted[:8] == value[:8] and counted[16:] == value[16:]
    assert int.from_bytes(counted[8:16], "little") == n


@pytest.mark.parametrize("n,estimate,before,after,encoding", SIZES, ids=[str(s[0]) for s in SIZES])
def test_values_and_estimates_are_redis_ones(r, rb, n, estimate, before, after, encoding):
    add_elements(r, "k", n)
    value = rb.get("k")
    assert value[4] == encoding
    assert sha256(value) == before
    assert r.pfcount("k") == estimate
    assert sha256(rb.get("k")) == after
    assert r.pfcount("k") == estimate  # from the cache


def test_sparse_max_bytes_decides_promotion(r, rb):
    r.config_set("hll-sparse-max-bytes", "300")
    try:
        add_elements(r, "k", 200)
        value = rb.get("k")
        assert len(value) == 12304 and value[4] == 0
        assert sha256(value) == "d71203b56dba13932b8a063cb4ce562390ce392b4ff87e3b206de391cf0a869a"
    finally:
        r.config_set("hll-sparse-max-bytes", "3000")
    add_elements(r, "s", 200)
    assert rb.get("s")[4] == 1
    assert len(rb.get("s")) == 494


def test_pfcount_of_several_keys_is_the_union(r, rb):
    add_elements(r, "{h}n100", 100)
    add_elements(r, "{h}o300", 300, "other:")
    add_elements(r, "{h}n2000", 2000)
    before = rb.get("{h}n100")
    assert r.pfcount("{h}n100", "{h}o300") == 398
    assert r.pfcount("{h}n100", "{h}n2000", "{h}o300", "{h}missing") == 2287
    assert r.pfcount("{h}n100", "{h}n100") == 100
    assert rb.get("{h}n100") == before  # nothing cached for a union


# ---- PFMERGE --------------------------------------------------------------------------------

def test_pfmerge_bytes_are_redis_bytes(r, rb):
    add_elements(r, "{h}n100", 100)
    add_elements(r, "{h}o300", 300, "other:")
    assert r.pfmerge("{h}m", "{h}n100", "{h}o300") is True
    value = rb.get("{h}m")
    assert len(value) == 864 and value[4] == 1
    assert sha256(value) == "f9622df30e67ad91316e0387ddb6631a2899bd2ad59ca3bf23698bcb9edc68f8"
    assert r.pfcount("{h}m") == 398
    # Into an existing destination, whose registers take part.
    add_elements(r, "{h}d", 50, "x:")
    assert r.pfmerge("{h}d", "{h}n100") is True
    assert sha256(rb.get("{h}d")) == (
        "cfdacad7f89a8fe85c8eaccf64b468b5419739cc129f087fd7531af22195ffab")
    assert r.pfmerge("{h}e") is True
    assert rb.get("{h}e") == EMPTY


def test_pfmerge_small_inputs(r, rb):
    r.pfadd("{h}x", "elem:0")
    r.pfadd("{h}y", "a", "b", "c")
    merged = bytes.fromhex("48594c4c01000000000000000000008053a4844d4d8050b1844bfb80425a")
    assert r.pfmerge("{h}z", "{h}x", "{h}y") is True
    assert rb.get("{h}z") == merged
    assert r.pfmerge("{h}x", "{h}y", "{h}missing") is True
    assert rb.get("{h}x") == merged
    assert r.pfcount("{h}x") == 4


def test_pfmerge_with_a_dense_input_is_dense(r, rb):
    add_elements(r, "{h}n2000", 2000)
    add_elements(r, "{h}n100", 100)
    assert r.pfmerge("{h}m", "{h}n100", "{h}n2000") is True
    value = rb.get("{h}m")
    assert len(value) == 12304 and value[4] == 0
    assert sha256(value) == "7626ef0fdd1501cf2d9522692d429e8c9cef59a05d9ce95dcb4a99d6b560e66e"
    assert r.pfcount("{h}m") == 1994
    assert r.pfmerge("{h}n100", "{h}n2000") is True  # a sparse destination becomes dense
    assert len(rb.get("{h}n100")) == 12304


def test_pfadd_and_pfmerge_keep_the_deadline(r):
    r.pfadd("{h}k", "a")
    r.expire("{h}k", 100)
    r.pfadd("{h}k", "b")
    r.pfadd("{h}src", "c")
    r.pfmerge("{h}k", "{h}src")
    assert r.pfcount("{h}k") == 3
    assert 95 <= r.ttl("{h}k") <= 100


# ---- Errors ---------------------------------------------------------------------------------

def test_type_errors(r, rb, rc):
    r.rpush("{h}l", "x")
    r.set("{h}s", "hello")
    r.pfadd("{h}h", "a")
    for key, error in [("{h}l", WRONGTYPE), ("{h}s", NOT_HLL)]:
        assert rc.call_error("PFADD", key, "a") == error
        assert rc.call_error("PFCOUNT", key) == error
        assert rc.call_error("PFCOUNT", "{h}h", key) == error
        assert rc.call_error("PFMERGE", "{h}h", key) == error
        assert rc.call_error("PFMERGE", key, "{h}h") == error
    assert r.get("{h}s") == "hello"
    header = bytes.fromhex("48594c4c0000000000000000000000")  # 15 bytes
    for bad in [header, header + b"\x00", b"HYLL\x02" + bytes(11), b"HYLX\x01" + bytes(11),
                EMPTY[:4], b"12345"]:
        rb.set("bad", bad)
        assert rc.call_error("PFCOUNT", "bad") == NOT_HLL, bad
        assert rc.call_error("PFADD", "bad", "x") == NOT_HLL, bad
    for command in ["PFADD", "PFCOUNT", "PFMERGE"]:
        assert rc.call_error(command) == (
            "ERR wrong number of arguments for '%s' command" % command.lower())


def test_corrupt_sparse_values(r, rb, rc):
    corrupt = bytes.fromhex("48594c4c0100000000000000000000807ffe")  # covers 16383 registers
    rb.set("{h}c", corrupt)
    r.pfadd("{h}h", "a")
    assert rc.call_error("PFCOUNT", "{h}c") == CORRUPT
    assert rc.call_error("PFCOUNT", "{h}c", "{h}h") == CORRUPT
    assert rc.call_error("PFMERGE", "{h}h", "{h}c") == CORRUPT
    assert rc.call_error("PFMERGE", "{h}new", "{h}c") == CORRUPT
    assert r.exists("{h}new") == 0
    # A register inside the runs can still be set; register 16383 is not covered
    # ("e1674" is an element hashed to it).
    assert r.pfadd("{h}c", "a") == 1
    rb.set("{h}c", corrupt)
    assert rc.call_error("PFADD", "{h}c", "e1674") == CORRUPT
    assert rb.get("{h}c") == corrupt
    rb.set("{h}c", b"HYLL\x01" + bytes(10) + b"\x80")  # no opcodes at all
    assert rc.call_error("PFCOUNT", "{h}c") == CORRUPT
    rb.set("{h}c", EMPTY + b"\x00")  # one register too many
    assert rc.call_error("PFCOUNT", "{h}c") == CORRUPT


def test_hll_keys_spread_over_shards(r):
    keys = ["hll:%d" % i for i in range(40)]
    pipe = r.pipeline(transaction=False)
    for i, key in enumerate(keys):
        pipe.pfadd(key, *["e%d" % j for j in range(i + 1)])
    assert pipe.execute() == [1] * len(keys)
    for i, key in enumerate(keys):
        assert r.pfcount(key) == i + 1
