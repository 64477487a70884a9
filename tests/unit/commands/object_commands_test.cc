// SPDX-License-Identifier: Apache-2.0
// Unit tests for OBJECT (object_commands.cc), MEMORY (memory_commands.cc), the eviction options
// and maxmemory through Execute (evicting, or refusing a write with the OOM error), on one
// in-process shard.
#include <gmock/gmock.h>

#include <string>

#include "command_test.h"
#include "protocol/errors.h"
#include "storage/eviction.h"

namespace ringtail::commands {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ObjectCommandsTest : public CommandTest {
 protected:
  // Eviction without a time limit, so that a slow or busy machine cannot let a write through
  // before its shard is back under the limit (maxmemory-eviction-tenacity 100).
  ObjectCommandsTest() { shard_.config.maxmemory_eviction_tenacity = 100; }

  // INFO's "name:value" line for `name`, or "" if absent.
  std::string InfoField(std::string_view section, std::string_view name) {
    std::string info = Run({"INFO", section});
    std::string prefix = "\r\n" + std::string(name) + ":";
    size_t at = info.find(prefix);
    if (at == std::string::npos) return "";
    at += prefix.size();
    return info.substr(at, info.find('\r', at) - at);
  }
  const CommandStats& StatsOf(std::string_view command) {
    return shard_.stats.commands[shard_.commands->Find(command)->id];
  }
  // Writes `n` keys "prefix<i>" with 100-byte values.
  void Fill(int n, std::string_view prefix = "key:") {
    std::string value(100, 'v');
    for (int i = 0; i < n; ++i) {
      std::string key = std::string(prefix) + std::to_string(i);
      ASSERT_EQ(Run({"SET", key, value}), Ok());
    }
  }
};

// ---- OBJECT ----

TEST_F(ObjectCommandsTest, Encoding) {
  Run({"SET", "n", "12345"});
  Run({"SET", "s", "hello"});
  Run({"SET", "long", std::string(45, 'x')});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "n"}), Bulk("int"));
  EXPECT_EQ(Run({"object", "encoding", "s"}), Bulk("embstr"));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "long"}), Bulk("raw"));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "missing"}), Nil());
}

TEST_F(ObjectCommandsTest, ErrorsAndHelp) {
  EXPECT_EQ(Run({"OBJECT"}), Err("ERR wrong number of arguments for 'object' command"));
  EXPECT_EQ(Run({"OBJECT", "ENCODING"}),
            Err("ERR wrong number of arguments for 'object|encoding' command"));
  EXPECT_EQ(Run({"OBJECT", "encoding", "a", "b"}),
            Err("ERR wrong number of arguments for 'object|encoding' command"));
  EXPECT_EQ(Run({"OBJECT", "help", "x"}),
            Err("ERR wrong number of arguments for 'object|help' command"));
  EXPECT_EQ(Run({"OBJECT", "FOO", "a"}), Err("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
  std::string help = Run({"OBJECT", "HELP"});
  EXPECT_THAT(help, StartsWith("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. "
                               "Subcommands are:\r\n+ENCODING <key>\r\n"));
  EXPECT_THAT(help, HasSubstr("+    Prints this help.\r\n"));
}

TEST_F(ObjectCommandsTest, IdleTimeCountsSecondsSinceTheLastAccess) {
  Run({"SET", "k", "v"});
  AdvanceTime(10'500);
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(10));
  // OBJECT itself is no access.
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "k"}), Bulk("embstr"));
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(10));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(0));
  AdvanceTime(3000);
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(3));
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "missing"}), Nil());
}

TEST_F(ObjectCommandsTest, FreqNeedsAnLfuPolicy) {
  Run({"SET", "k", "hello"});
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Err(protocol::kObjectFreqNotLfu));
  EXPECT_EQ(Run({"OBJECT", "FREQ", "missing"}), Nil());  // the key is looked up first
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}), Ok());
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Err(protocol::kObjectIdleTimeLfu));
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "missing"}), Nil());
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "volatile-lfu"}), Ok());
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Err(protocol::kObjectIdleTimeLfu));
}

TEST_F(ObjectCommandsTest, FreqCountsAccessesAndDecays) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}), Ok());
  Run({"SET", "k", "hello"});
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Int(5));  // Redis's initial value
  Run({"GET", "k"});
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Int(6));
  for (int i = 0; i < 1000; ++i) Run({"GET", "k"});
  std::string freq = Run({"OBJECT", "FREQ", "k"});
  int64_t counter = std::stoll(freq.substr(1));
  EXPECT_GT(counter, 10);
  EXPECT_LT(counter, 30);
  // One step per lfu-decay-time minutes without access.
  AdvanceTime(3 * 60'000);
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Int(counter - 3));
  EXPECT_EQ(Run({"CONFIG", "SET", "lfu-decay-time", "0"}), Ok());
  AdvanceTime(10 * 60'000);
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Int(counter));
}

TEST_F(ObjectCommandsTest, LogFactorZeroCountsEveryAccess) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0"}), Ok());
  Run({"SET", "k", "hello"});
  for (int i = 0; i < 20; ++i) Run({"GET", "k"});
  EXPECT_EQ(Run({"OBJECT", "FREQ", "k"}), Int(25));
}

TEST_F(ObjectCommandsTest, RefcountOfSharedIntegers) {
  Run({"SET", "small", "42"});
  Run({"SET", "big", "12345"});
  Run({"SET", "s", "hello"});
  EXPECT_EQ(Run({"OBJECT", "REFCOUNT", "small"}), Int(2147483647));
  EXPECT_EQ(Run({"OBJECT", "REFCOUNT", "big"}), Int(1));
  EXPECT_EQ(Run({"OBJECT", "REFCOUNT", "s"}), Int(1));
  EXPECT_EQ(Run({"OBJECT", "REFCOUNT", "missing"}), Nil());
  // With maxmemory and an LRU policy Redis stops sharing integers.
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory", "1gb", "maxmemory-policy", "allkeys-lru"}), Ok());
  EXPECT_EQ(Run({"OBJECT", "REFCOUNT", "small"}), Int(1));
}

// ---- MEMORY ----

TEST_F(ObjectCommandsTest, MemoryUsage) {
  Run({"SET", "k", "hello"});
  Run({"SET", "long", std::string(1000, 'x')});
  storage::Table& table = shard_.dbs[0];
  size_t share = table.bucket_count() * sizeof(void*) / table.size();
  EXPECT_EQ(Run({"MEMORY", "USAGE", "k"}),
            Int(static_cast<int64_t>(table.Peek("k", NowMs())->AllocatedBytes() + share)));
  std::string usage = Run({"MEMORY", "USAGE", "long", "SAMPLES", "0"});
  EXPECT_GT(std::stoll(usage.substr(1)), 1000);
  EXPECT_EQ(Run({"MEMORY", "USAGE", "missing"}), Nil());
}

TEST_F(ObjectCommandsTest, MemoryUsageOptions) {
  Run({"SET", "k", "v"});
  EXPECT_THAT(Run({"MEMORY", "USAGE", "k", "samples", "5"}), StartsWith(":"));
  EXPECT_EQ(Run({"MEMORY", "USAGE", "k", "SAMPLES", "-1"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"MEMORY", "USAGE", "k", "SAMPLES", "abc"}), Err(protocol::kNotInteger));
  EXPECT_EQ(Run({"MEMORY", "USAGE", "k", "SAMPLES"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"MEMORY", "USAGE", "k", "FOO"}), Err(protocol::kSyntax));
  // Options are checked before the lookup.
  EXPECT_EQ(Run({"MEMORY", "USAGE", "missing", "SAMPLES", "abc"}), Err(protocol::kNotInteger));
  EXPECT_EQ(Run({"MEMORY", "USAGE"}),
            Err("ERR wrong number of arguments for 'memory|usage' command"));
}

TEST_F(ObjectCommandsTest, MemoryStats) {
  Run({"SET", "a", "1"});
  Run({"SET", "b", "2"});
  Run({"SELECT", "3"});
  Run({"SET", "c", "3"});
  std::string stats = Run({"MEMORY", "STATS"});
  EXPECT_THAT(stats, StartsWith("*58\r\n$14\r\npeak.allocated\r\n"));  // 27 fields + 2 dbs
  EXPECT_THAT(stats, HasSubstr("$10\r\nkeys.count\r\n:3\r\n"));
  EXPECT_THAT(stats, HasSubstr("$4\r\ndb.0\r\n*6\r\n$23\r\noverhead.hashtable.main\r\n"));
  EXPECT_THAT(stats, HasSubstr("$4\r\ndb.3\r\n"));
  EXPECT_THAT(stats, HasSubstr("$13\r\ndataset.bytes\r\n:" + std::to_string(shard_.DatasetBytes()) +
                               "\r\n"));
  EXPECT_THAT(stats, HasSubstr("$18\r\ndataset.percentage\r\n$"));  // a double, RESP2: bulk
  EXPECT_EQ(Run({"MEMORY", "STATS", "x"}),
            Err("ERR wrong number of arguments for 'memory|stats' command"));
  client_.resp3 = true;
  EXPECT_THAT(Run({"MEMORY", "STATS"}), StartsWith("%29\r\n"));
}

TEST_F(ObjectCommandsTest, MemoryDoctorHelpAndErrors) {
  EXPECT_EQ(Run({"MEMORY", "DOCTOR"}),
            Bulk("Hi Sam, this instance is empty or is using very little memory, my issues "
                 "detector can't be used in these conditions. Please, leave for your mission on "
                 "Earth and fill it with some data. The new Sam and I will be back to our "
                 "programming as soon as I finished rebooting.\n"));
  EXPECT_THAT(Run({"MEMORY", "HELP"}),
              StartsWith("*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands "
                         "are:\r\n+DOCTOR\r\n"));
  EXPECT_EQ(Run({"MEMORY", "PURGE"}), Ok());
  EXPECT_EQ(Run({"MEMORY", "MALLOC-STATS"}), Bulk("Stats not supported for the current allocator"));
  EXPECT_EQ(Run({"MEMORY"}), Err("ERR wrong number of arguments for 'memory' command"));
  EXPECT_EQ(Run({"MEMORY", "foo"}), Err("ERR unknown subcommand 'foo'. Try MEMORY HELP."));
  EXPECT_EQ(Run({"MEMORY", "DOCTOR", "x"}),
            Err("ERR wrong number of arguments for 'memory|doctor' command"));
}

// ---- Config ----

TEST_F(ObjectCommandsTest, EvictionOptions) {
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory-samples"}), Bulks({"maxmemory-samples", "5"}));
  EXPECT_EQ(Run({"CONFIG", "GET", "lfu-log-factor"}), Bulks({"lfu-log-factor", "10"}));
  EXPECT_EQ(Run({"CONFIG", "GET", "lfu-decay-time"}), Bulks({"lfu-decay-time", "1"}));
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-samples", "10"}), Ok());
  EXPECT_EQ(shard_.config.maxmemory_samples, 10);
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-samples", "0"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - "
                "argument must be between 1 and 2147483647 inclusive"));
  EXPECT_EQ(Run({"CONFIG", "SET", "lfu-log-factor", "-1"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'lfu-log-factor') - "
                "argument must be between 0 and 2147483647 inclusive"));
  EXPECT_EQ(Run({"CONFIG", "SET", "lfu-decay-time", "abc"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'lfu-decay-time') - "
                "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory-eviction-tenacity"}),
            Bulks({"maxmemory-eviction-tenacity", "100"}));  // set by the fixture; default 10
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-eviction-tenacity", "101"}),
            Err("ERR CONFIG SET failed (possibly related to argument "
                "'maxmemory-eviction-tenacity') - argument must be between 0 and 100 inclusive"));
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "VOLATILE-TTL"}), Ok());
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory-policy"}),
            Bulks({"maxmemory-policy", "volatile-ttl"}));
  EXPECT_EQ(shard_.eviction_policy, storage::EvictionPolicy::kVolatileTtl);
}

// ---- maxmemory through Execute ----

TEST_F(ObjectCommandsTest, NoEvictionRefusesWritesButServesReads) {
  Fill(10);
  shard_.config.maxmemory = 1;
  EXPECT_EQ(Run({"SET", "new", "v"}), Err(protocol::kOom));
  EXPECT_EQ(Run({"APPEND", "key:1", "x"}), Err(protocol::kOom));
  EXPECT_EQ(Run({"GET", "key:1"}), Bulk(std::string(100, 'v')));
  EXPECT_EQ(Run({"DEL", "key:2"}), Int(1));  // not denyoom: frees memory
  EXPECT_EQ(Run({"EXISTS", "new"}), Int(0));
  EXPECT_EQ(StatsOf("set").rejected_calls, 1u);
  EXPECT_EQ(StatsOf("set").calls, 10u);
  EXPECT_EQ(StatsOf("append").rejected_calls, 1u);
  EXPECT_EQ(StatsOf("append").calls, 0u);
  EXPECT_EQ(InfoField("stats", "total_error_replies"), "2");
  EXPECT_THAT(Run({"INFO", "commandstats"}), HasSubstr("cmdstat_set:calls=10,usec="));
  EXPECT_THAT(Run({"INFO", "commandstats"}), HasSubstr(",rejected_calls=1,failed_calls=0"));
  EXPECT_EQ(InfoField("stats", "evicted_keys"), "0");
  // Back under the limit, writes work again.
  shard_.config.maxmemory = 0;
  EXPECT_EQ(Run({"SET", "new", "v"}), Ok());
}

TEST_F(ObjectCommandsTest, AllKeysLruEvictsBeforeAWrite) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}), Ok());
  Fill(200);
  AdvanceTime(100'000);
  size_t budget = shard_.DatasetBytes() / 2;
  shard_.config.maxmemory = static_cast<int64_t>(budget);
  EXPECT_EQ(Run({"SET", "new:0", "v"}), Ok());
  EXPECT_EQ(Run({"GET", "new:0"}), Bulk("v"));
  EXPECT_GT(shard_.stats.evicted_keys, 0u);
  // One command evicts for a bounded time (a slow debug build may not finish in one); the
  // next writes carry on. The old keys go first.
  for (int i = 1; i <= 20; ++i) Run({"SET", "new:" + std::to_string(i), "v"});
  uint64_t evicted = shard_.stats.evicted_keys;
  EXPECT_GT(evicted, 50u);
  EXPECT_EQ(shard_.dbs[0].size(), 221 - evicted);
  for (int i = 0; i <= 20; ++i) EXPECT_EQ(Run({"EXISTS", "new:" + std::to_string(i)}), Int(1));
  EXPECT_LE(shard_.DatasetBytes(), budget + 200);  // the last key came after the eviction
  EXPECT_EQ(InfoField("stats", "evicted_keys"), std::to_string(evicted));
}

TEST_F(ObjectCommandsTest, TenacityBoundsTheEvictionOfOneCommand) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-random"}), Ok());
  Fill(200);
  // Tenacity 0: a command stops evicting at the first check (after 16 keys) and, as in Redis,
  // runs although the shard is still over its limit.
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-eviction-tenacity", "0"}), Ok());
  shard_.config.maxmemory = 1;
  EXPECT_EQ(Run({"SET", "new1", "v"}), Ok());
  EXPECT_EQ(shard_.stats.evicted_keys, 16u);
  EXPECT_EQ(Run({"SET", "new2", "v"}), Ok());
  EXPECT_EQ(shard_.stats.evicted_keys, 32u);
  // No limit: everything goes, and with nothing left to evict the write is refused.
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-eviction-tenacity", "100"}), Ok());
  EXPECT_EQ(Run({"SET", "new3", "v"}), Err(protocol::kOom));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  EXPECT_EQ(shard_.stats.evicted_keys, 202u);
}

TEST_F(ObjectCommandsTest, BudgetIsSplitAcrossShards) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-random"}), Ok());
  Fill(100);
  size_t used = shard_.DatasetBytes();
  // With four shards this one may use a quarter of maxmemory.
  shard_.shard_count = 4;
  shard_.config.maxmemory = static_cast<int64_t>(used * 4);
  Run({"SET", "x", "1"});
  EXPECT_EQ(shard_.stats.evicted_keys, 0u);
  shard_.config.maxmemory = static_cast<int64_t>(used * 2);
  Run({"SET", "y", "1"});
  EXPECT_GT(shard_.stats.evicted_keys, 0u);
  EXPECT_LE(shard_.DatasetBytes(), used / 2 + 200);
}

TEST_F(ObjectCommandsTest, VolatilePoliciesKeepKeysWithoutDeadline) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "volatile-lru"}), Ok());
  Fill(50, "plain:");
  for (int i = 0; i < 50; ++i) {
    std::string key = "ttl:" + std::to_string(i);
    ASSERT_EQ(Run({"SET", key, std::string(100, 'v'), "EX", "1000"}), Ok());
  }
  shard_.config.maxmemory = static_cast<int64_t>(shard_.DatasetBytes() * 3 / 4);
  EXPECT_EQ(Run({"SET", "new", "v"}), Ok());
  EXPECT_GT(shard_.stats.evicted_keys, 0u);
  EXPECT_EQ(Run({"DBSIZE"}), Int(static_cast<int64_t>(101 - shard_.stats.evicted_keys)));
  for (int i = 0; i < 50; ++i) {
    std::string key = "plain:" + std::to_string(i);
    EXPECT_EQ(Run({"EXISTS", key}), Int(1)) << key;
  }
  // With every volatile key gone and still too much data: OOM.
  shard_.config.maxmemory = 1;
  EXPECT_EQ(Run({"SET", "more", "v"}), Err(protocol::kOom));
  EXPECT_EQ(shard_.dbs[0].expires_count(), 0u);
  EXPECT_EQ(Run({"DBSIZE"}), Int(51));
}

TEST_F(ObjectCommandsTest, VolatileTtlEvictsTheShortestTtlFirst) {
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory-policy", "volatile-ttl"}), Ok());
  for (int i = 0; i < 20; ++i) {
    std::string key = "k" + std::to_string(i);
    ASSERT_EQ(Run({"SET", key, std::string(100, 'v'), "EX", std::to_string(100 + i)}), Ok());
  }
  shard_.config.maxmemory = static_cast<int64_t>(shard_.DatasetBytes() - 1);
  EXPECT_EQ(Run({"SET", "new", "v"}), Ok());
  EXPECT_EQ(shard_.stats.evicted_keys, 1u);
  EXPECT_EQ(Run({"EXISTS", "k0"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "k1"}), Int(1));
}

TEST_F(ObjectCommandsTest, InfoMemoryAndKeyspace) {
  Fill(10);
  Run({"SET", "t1", "v", "EX", "100"});
  Run({"SET", "t2", "v", "EX", "200"});
  std::string dataset = std::to_string(shard_.DatasetBytes());
  EXPECT_EQ(InfoField("memory", "used_memory_dataset"), dataset);
  EXPECT_EQ(InfoField("memory", "used_memory"), dataset);  // the test's baseline is 0
  EXPECT_EQ(InfoField("memory", "used_memory_startup"), "0");
  EXPECT_EQ(InfoField("memory", "used_memory_peak"), dataset);
  EXPECT_EQ(InfoField("memory", "maxmemory_policy"), "noeviction");
  EXPECT_FALSE(InfoField("memory", "mem_fragmentation_ratio").empty());
  EXPECT_EQ(InfoField("keyspace", "db0"), "keys=12,expires=2,avg_ttl=150000");
  Run({"FLUSHALL"});
  EXPECT_EQ(InfoField("memory", "used_memory_peak"), dataset);  // the peak stays
}

}  // namespace
}  // namespace ringtail::commands
