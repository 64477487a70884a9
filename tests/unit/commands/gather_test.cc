// SPDX-License-Identifier: Apache-2.0
// Values moving between shards for gathered commands: what DumpKey describes, RestoreKey
// recreates, for every type, with its deadline.
#include "commands/gather.h"

#include "commands/command_test.h"

namespace ringtail::commands {
namespace {

class GatherTest : public CommandTest {
 protected:
  // Dumps `key`, deletes it, restores it from the dump; returns the dump.
  std::string RoundTrip(std::string_view key) {
    std::string dump = DumpKey(shard_, 0, key);
    Run({"DEL", key});
    RestoreKey(shard_, 0, key, dump);
    EXPECT_EQ(DumpKey(shard_, 0, key), dump);
    return dump;
  }
};

TEST_F(GatherTest, EveryTypeRoundTrips) {
  Run({"SET", "s", "hello"});
  Run({"RPUSH", "l", "a", "b", "a"});
  Run({"SADD", "set", "x", "y", "1"});
  Run({"ZADD", "z", "1.5", "m", "-2", "n"});
  Run({"HSET", "h", "f", "v", "g", "w"});
  RoundTrip("s");
  RoundTrip("l");
  RoundTrip("set");
  RoundTrip("z");
  RoundTrip("h");
  EXPECT_EQ(Run({"GET", "s"}), Bulk("hello"));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a", "b", "a"}));
  EXPECT_EQ(Run({"SCARD", "set"}), Int(3));
  EXPECT_EQ(Run({"ZSCORE", "z", "m"}), Bulk("1.5"));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "0"}), Bulks({"n"}));
  EXPECT_EQ(Run({"HGET", "h", "g"}), Bulk("w"));
  EXPECT_EQ(Run({"TYPE", "z"}), Simple("zset"));
}

TEST_F(GatherTest, DeadlineAndAbsenceRoundTrip) {
  Run({"SET", "k", "v", "PX", "5000"});
  RoundTrip("k");
  EXPECT_EQ(Run({"PTTL", "k"}), Int(5000));
  EXPECT_EQ(DumpKey(shard_, 0, "missing"), Nil());
  RestoreKey(shard_, 0, "k", Nil());
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(GatherTest, RestoreReplacesAnotherType) {
  Run({"RPUSH", "l", "a"});
  std::string dump = DumpKey(shard_, 0, "l");
  Run({"SET", "other", "string"});
  RestoreKey(shard_, 0, "other", dump);
  EXPECT_EQ(Run({"TYPE", "other"}), Simple("list"));
  EXPECT_EQ(Run({"LRANGE", "other", "0", "-1"}), Bulks({"a"}));
}

}  // namespace
}  // namespace ringtail::commands
