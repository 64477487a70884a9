# SPDX-License-Identifier: Apache-2.0
"""Multi-key commands whose keys live on different shards (no hash tags): with --shards 4 the
values are gathered on the client's shard, the command runs there, and changed values are
written back to their owners. The replies and the resulting keys must be Redis's."""

import pytest

# Keys without hash tags: with 4 shards these land on different shards.
A, B, C, D = "ms:alpha", "ms:beta", "ms:gamma", "ms:delta"


def test_set_algebra_across_shards(r):
    r.sadd(A, "1", "2", "3", "x")
    r.sadd(B, "2", "3", "4")
    r.sadd(C, "3", "9")
    assert r.sinter([A, B, C]) == {"3"}
    assert r.sunion([A, B, C]) == {"1", "2", "3", "4", "9", "x"}
    assert r.sdiff([A, B, C]) == {"1", "x"}
    assert r.execute_command("SINTERCARD", 2, A, B) == 2
    assert r.sinterstore(D, [A, B]) == 2
    assert r.smembers(D) == {"2", "3"}
    assert r.sunionstore(D, [B, C]) == 4
    assert r.smembers(D) == {"2", "3", "4", "9"}
    assert r.sdiffstore(D, [C, A]) == 1
    assert r.smembers(D) == {"9"}
    # An empty result deletes the destination.
    assert r.sinterstore(D, [A, "ms:none"]) == 0
    assert r.exists(D) == 0
    # Sources are unchanged.
    assert r.smembers(A) == {"1", "2", "3", "x"}


def test_smove_across_shards(r):
    r.sadd(A, "m", "n")
    assert r.smove(A, B, "m") is True
    assert r.smove(A, B, "absent") is False
    assert r.smembers(A) == {"n"}
    assert r.smembers(B) == {"m"}
    assert r.smove(A, B, "n") is True
    assert r.exists(A) == 0


def test_lmove_rpoplpush_lmpop_across_shards(r):
    r.rpush(A, "a", "b", "c")
    assert r.lmove(A, B, "LEFT", "RIGHT") == "a"
    assert r.rpoplpush(A, B) == "c"
    assert r.lrange(A, 0, -1) == ["b"]
    assert r.lrange(B, 0, -1) == ["c", "a"]
    assert r.execute_command("LMPOP", 3, "ms:none", B, A, "LEFT", "COUNT", 5) == [B, ["c", "a"]]
    assert r.exists(B) == 0


def test_zset_algebra_across_shards(r):
    r.zadd(A, {"a": 1, "b": 2})
    r.zadd(B, {"b": 3, "c": 4})
    assert r.zunion([A, B], withscores=True) == [("a", 1.0), ("c", 4.0), ("b", 5.0)]
    assert r.zinter([A, B], withscores=True) == [("b", 5.0)]
    assert r.zdiff([A, B]) == ["a"]
    assert r.zunionstore(C, {A: 2, B: 1}) == 3
    assert r.zrange(C, 0, -1, withscores=True) == [("a", 2.0), ("c", 4.0), ("b", 7.0)]
    assert r.zinterstore(C, [A, B], aggregate="MAX") == 1
    assert r.zrange(C, 0, -1, withscores=True) == [("b", 3.0)]
    assert r.execute_command("ZINTERCARD", 2, A, B) == 1
    assert r.zrangestore(D, A, 0, -1) == 2
    assert r.zrange(D, 0, -1) == ["a", "b"]


def test_bitop_and_hyperloglog_across_shards(r):
    r.set(A, b"\xf0")
    r.set(B, b"\x3c")
    assert r.bitop("AND", C, A, B) == 1
    assert r.get(C) == "\x30"
    r.pfadd(A + "h", "a", "b", "c")
    r.pfadd(B + "h", "c", "d")
    assert r.pfcount(A + "h", B + "h") == 4
    assert r.pfmerge(C + "h", A + "h", B + "h") is True
    assert r.pfcount(C + "h") == 4


def test_expiry_survives_the_write_back(r):
    r.sadd(A, "m")
    r.sadd(B, "z")
    r.pexpire(B, 100000)
    assert r.smove(A, B, "m") is True
    assert 0 < r.pttl(B) <= 100000
    assert r.smembers(B) == {"m", "z"}


def test_wrongtype_across_shards(r):
    r.set(A, "string")
    r.sadd(B, "x")
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.sinter([B, A])
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.smove(B, A, "x")
    assert r.get(A) == "string"
    assert r.smembers(B) == {"x"}
