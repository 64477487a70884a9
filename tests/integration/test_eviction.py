# SPDX-License-Identifier: Apache-2.0
"""maxmemory and eviction (every maxmemory-policy), and the introspection around them: OBJECT
ENCODING/FREQ/IDLETIME/REFCOUNT, MEMORY USAGE/STATS, INFO's evicted_keys and memory fields.

Each eviction test sets maxmemory to 2mb, writes ~20k keys of 100 bytes (about twice what fits)
and checks what was kept. Ringtail splits maxmemory evenly over its shards and limits each
shard's dataset (INFO used_memory_dataset); Redis limits its whole used memory, so under Redis
the dataset stays further below the limit. Both must keep the dataset under maxmemory, up to a
key or so per shard written after the last eviction.
"""

import time

import pytest
import redis

MAXMEMORY = 2 * 1024 * 1024
VALUE = "x" * 100
KEYS = 20_000
# The last write of each shard may land after its eviction; allow a few KB per shard.
TOLERANCE = 1.02

OOM = "OOM command not allowed when used memory > 'maxmemory'."
FREQ_NOT_LFU = ("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                "Please note that when switching between policies at runtime LRU and LFU data "
                "will take some time to adjust.")
IDLETIME_LFU = ("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                "that when switching between policies at runtime LRU and LFU data will take "
                "some time to adjust.")


@pytest.fixture
def limits(r):
    """Sets maxmemory-policy (and maxmemory, default 2mb) for one test; restores the defaults
    (no limit, noeviction) afterwards, since the server outlives the test."""

    def apply(policy, maxmemory="2mb"):
        r.config_set("maxmemory-policy", policy)
        r.config_set("maxmemory", maxmemory)

    yield apply
    r.config_set("maxmemory", "0")
    r.config_set("maxmemory-policy", "noeviction")
    r.config_set("maxmemory-samples", "5")
    r.config_set("lfu-log-factor", "10")
    r.config_set("lfu-decay-time", "1")


def fill(r, prefix, count, ex=None, ttl_of=None, batch=1000):
    """Writes prefix<i> = VALUE for i < count in pipelined batches; `ex` or ttl_of(i) gives a
    TTL in seconds. Returns the replies (exceptions included, not raised)."""
    replies = []
    for start in range(0, count, batch):
        pipe = r.pipeline(transaction=False)
        for i in range(start, min(count, start + batch)):
            seconds = ttl_of(i) if ttl_of else ex
            pipe.set("%s%d" % (prefix, i), VALUE, ex=seconds)
        replies += pipe.execute(raise_on_error=False)
    return replies


def present(r, prefix, indexes):
    """For each index, whether prefix<index> exists."""
    pipe = r.pipeline(transaction=False)
    for i in indexes:
        pipe.exists("%s%d" % (prefix, i))
    return [bool(n) for n in pipe.execute()]


def dataset_bytes(r):
    return r.info("memory")["used_memory_dataset"]


def evicted_keys(r):
    return r.info("stats")["evicted_keys"]


def assert_keys_accounted(r, written, evicted_before):
    """Every key written is still there or was counted as evicted. DBSIZE comes first: Redis
    also evicts before a read while over its limit (its client buffers count), so the INFO after
    it may count a few more."""
    size = r.dbsize()
    evicted = evicted_keys(r) - evicted_before
    assert written <= size + evicted <= written + 500, (size, evicted, written)


# ---- policies ----


@pytest.mark.parametrize("policy", ["allkeys-lru", "allkeys-lfu", "allkeys-random"])
def test_allkeys_policies_keep_the_dataset_under_maxmemory(r, limits, policy):
    limits(policy)
    evicted_before = evicted_keys(r)
    replies = fill(r, "evict:", KEYS)
    assert all(reply is True for reply in replies), [x for x in replies if x is not True][:3]
    assert dataset_bytes(r) <= MAXMEMORY * TOLERANCE
    assert evicted_keys(r) > evicted_before
    assert 1000 < r.dbsize() < KEYS
    assert_keys_accounted(r, KEYS, evicted_before)
    # Recently written keys are there (an LRU/LFU policy keeps them, and random keeps most).
    assert sum(present(r, "evict:", range(KEYS - 100, KEYS))) >= 50


def test_allkeys_lru_keeps_recently_used_keys(r, limits):
    limits("allkeys-lru")
    # How many keys fit (the LRU clock counts seconds, so the test needs idle times of seconds).
    fill(r, "probe:", KEYS)
    capacity = r.dbsize()
    r.flushall()
    fill(r, "old:", capacity // 2)
    hot = ["hot:%d" % i for i in range(100)]
    r.mset({key: VALUE for key in hot})
    time.sleep(2.1)
    for key in hot:
        assert r.get(key) == VALUE
    evicted_before = evicted_keys(r)
    fill(r, "new:", capacity // 2)
    assert evicted_keys(r) > evicted_before
    # The idle old keys went first.
    assert r.exists(*hot) >= 95
    assert sum(present(r, "new:", range(capacity // 2))) >= 0.95 * (capacity // 2)


@pytest.mark.parametrize("policy", ["volatile-lru", "volatile-lfu", "volatile-random"])
def test_volatile_policies_evict_only_keys_with_a_ttl(r, limits, policy):
    fill(r, "keep:", 3000)
    limits(policy)
    evicted_before = evicted_keys(r)
    replies = fill(r, "ttl:", KEYS, ex=3600)
    assert all(reply is True for reply in replies), [x for x in replies if x is not True][:3]
    assert dataset_bytes(r) <= MAXMEMORY * TOLERANCE
    assert evicted_keys(r) > evicted_before
    assert all(present(r, "keep:", range(3000)))
    assert_keys_accounted(r, 3000 + KEYS, evicted_before)


def test_volatile_ttl_evicts_the_shortest_ttl_first(r, limits):
    fill(r, "keep:", 1000)
    limits("volatile-ttl")
    # Later keys live longer: the earliest written are the first to go.
    replies = fill(r, "ttl:", KEYS, ttl_of=lambda i: 10_000 + i)
    assert all(reply is True for reply in replies)
    assert dataset_bytes(r) <= MAXMEMORY * TOLERANCE
    assert evicted_keys(r) > 0
    assert all(present(r, "keep:", range(1000)))
    shortest = present(r, "ttl:", range(2000))
    longest = present(r, "ttl:", range(KEYS - 2000, KEYS))
    assert sum(shortest) <= 100, sum(shortest)
    assert sum(longest) >= 1900, sum(longest)


def test_volatile_policy_without_volatile_keys_refuses_writes(r, rc, limits):
    fill(r, "keep:", 3000)
    limits("volatile-lru", maxmemory="100kb")
    assert rc.call_error("SET", "one-more", "v") == OOM
    assert r.dbsize() == 3000


def test_noeviction_refuses_writes_with_the_oom_error(r, rc, limits):
    r.set("before", "still here")
    limits("noeviction")
    set_before = r.info("commandstats").get("cmdstat_set", {}).get("rejected_calls", 0)
    evicted_before = evicted_keys(r)
    replies = fill(r, "fill:", 30_000)
    refused = [reply for reply in replies if isinstance(reply, Exception)]
    assert refused, "no write was refused"
    assert all(isinstance(e, redis.exceptions.ResponseError) for e in refused)
    assert evicted_keys(r) == evicted_before
    # The exact error, and reads (and deletes) keep working.
    assert rc.call_error("SET", "one-more", "v") == OOM
    assert rc.call_error("APPEND", "before", "x") == OOM  # every shard is full by now
    assert r.get("before") == "still here"
    assert r.dbsize() == 1 + sum(1 for reply in replies if reply is True)
    stats = r.info("commandstats")["cmdstat_set"]
    assert stats["rejected_calls"] - set_before >= len(refused)
    # Lifting the limit lets writes through again.
    r.config_set("maxmemory", "0")
    assert r.set("one-more", "v") is True


def test_raising_maxmemory_lets_writes_through(r, rc, limits):
    fill(r, "keep:", 3000)
    limits("noeviction", maxmemory="100kb")
    assert rc.call_error("SET", "k", "v") == OOM
    r.config_set("maxmemory", "100mb")
    assert r.set("k", "v") is True


# ---- OBJECT ----


def test_object_encoding(r):
    r.set("int", "12345")
    r.set("short", "hello")
    r.set("long", "x" * 100)
    assert r.object("encoding", "int") == "int"
    assert r.object("encoding", "short") == "embstr"
    assert r.object("encoding", "long") == "raw"
    assert r.object("encoding", "missing") is None


def test_object_refcount(r):
    r.set("shared", "42")
    r.set("short", "hello")
    assert r.object("refcount", "shared") == 2147483647
    assert r.object("refcount", "short") == 1
    assert r.object("refcount", "missing") is None


def test_object_idletime(r, rc):
    r.set("k", "hello")
    assert r.object("idletime", "k") <= 1
    time.sleep(1.6)
    assert r.object("idletime", "k") >= 1
    # OBJECT is no access; GET is.
    assert r.object("idletime", "k") >= 1
    assert r.get("k") == "hello"
    assert r.object("idletime", "k") <= 1
    assert r.object("idletime", "missing") is None
    assert rc.call_error("OBJECT", "FREQ", "k") == FREQ_NOT_LFU


def test_object_freq_under_an_lfu_policy(r, rc, limits):
    limits("allkeys-lfu", maxmemory="0")
    r.config_set("lfu-decay-time", "0")  # no decay when a minute starts mid-test
    r.set("k", "hello")
    assert r.object("freq", "k") == 5
    assert r.get("k") == "hello"
    assert r.object("freq", "k") == 6
    for _ in range(200):
        r.get("k")
    assert 8 <= r.object("freq", "k") <= 20
    assert r.object("freq", "missing") is None
    assert rc.call_error("OBJECT", "IDLETIME", "k") == IDLETIME_LFU
    r.config_set("lfu-log-factor", "0")
    before = r.object("freq", "k")
    for _ in range(10):
        r.get("k")
    assert r.object("freq", "k") == before + 10


def test_object_errors(rc):
    assert rc.call_error("OBJECT") == "ERR wrong number of arguments for 'object' command"
    assert rc.call_error("OBJECT", "ENCODING") == (
        "ERR wrong number of arguments for 'object|encoding' command")
    assert rc.call_error("OBJECT", "FOO", "k") == "ERR unknown subcommand 'FOO'. Try OBJECT HELP."
    help_lines = rc.call_parsed("OBJECT", "HELP")
    assert help_lines[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(help_lines) == 15


# ---- MEMORY ----


def test_memory_usage(r, rc):
    r.set("short", "hello")
    r.set("big", "x" * 5000)
    short = r.memory_usage("short")
    assert 16 <= short <= 200
    assert r.memory_usage("big") > 5000
    assert r.memory_usage("big", samples=0) > 5000
    assert r.memory_usage("missing") is None
    assert rc.call_error("MEMORY", "USAGE", "short", "SAMPLES", "-1") == "ERR syntax error"
    assert rc.call_error("MEMORY", "USAGE", "short", "FOO") == "ERR syntax error"
    assert rc.call_error("MEMORY", "USAGE", "short", "SAMPLES", "x") == (
        "ERR value is not an integer or out of range")


def test_memory_stats(r):
    keys = ["stats:%d" % i for i in range(64)]
    r.mset({k: VALUE for k in keys})
    stats = r.memory_stats()
    assert stats["keys.count"] == 64
    assert stats["dataset.bytes"] > 64 * 100
    assert stats["total.allocated"] >= stats["startup.allocated"]
    assert stats["peak.allocated"] >= stats["total.allocated"]
    assert "overhead.hashtable.main" in stats["db.0"]
    assert 0 < stats["keys.bytes-per-key"]


def test_memory_doctor_and_help(rc):
    doctor = rc.call_parsed("MEMORY", "DOCTOR")
    assert doctor.startswith(b"Hi Sam, ")
    help_lines = rc.call_parsed("MEMORY", "HELP")
    assert help_lines[0] == b"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert rc.call_error("MEMORY", "FOO") == "ERR unknown subcommand 'FOO'. Try MEMORY HELP."


# ---- INFO and CONFIG ----


def test_info_memory_fields(r):
    fields = r.info("memory")
    for name in ("used_memory", "used_memory_rss", "used_memory_peak", "used_memory_dataset",
                 "used_memory_startup", "maxmemory", "maxmemory_human", "maxmemory_policy",
                 "mem_fragmentation_ratio"):
        assert name in fields, name
    assert fields["used_memory_peak"] >= fields["used_memory"] >= fields["used_memory_dataset"]


def test_info_used_memory_dataset_follows_the_data(r):
    before = dataset_bytes(r)
    fill(r, "grow:", 5000)
    grown = dataset_bytes(r)
    assert grown - before > 5000 * 100
    r.flushall()
    assert dataset_bytes(r) < grown


@pytest.mark.ringtail_only
def test_info_keyspace_avg_ttl(r):
    # Redis estimates avg_ttl slowly in its expiry cycle; Ringtail samples the deadline index.
    keys = ["ttl:%d" % i for i in range(64)]
    for key in keys:
        r.set(key, "v", ex=1000)
    db0 = r.info("keyspace")["db0"]
    assert db0["expires"] == 64
    assert 990_000 <= db0["avg_ttl"] <= 1_000_000


def test_config_eviction_options(r, limits):
    assert r.config_get("maxmemory-samples") == {"maxmemory-samples": "5"}
    assert r.config_get("lfu-log-factor") == {"lfu-log-factor": "10"}
    assert r.config_get("lfu-decay-time") == {"lfu-decay-time": "1"}
    assert r.config_get("maxmemory-eviction-tenacity") == {"maxmemory-eviction-tenacity": "10"}
    assert r.config_set("maxmemory-samples", "10") is True
    assert r.config_get("maxmemory-samples") == {"maxmemory-samples": "10"}
    assert r.config_set("lfu-decay-time", "0") is True
    with pytest.raises(redis.exceptions.ResponseError):
        r.config_set("maxmemory-samples", "0")
    with pytest.raises(redis.exceptions.ResponseError):
        r.config_set("maxmemory-policy", "lru")
