// SPDX-License-Identifier: Apache-2.0
// Tests of the HyperLogLog command family (src/commands/hyperloglog_commands.cc) on one
// in-process shard. Expected replies, error texts and value bytes were captured from
// redis-server 7.0.15 running the same commands.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_test.h"
#include "protocol/errors.h"
#include "storage/hyperloglog.h"

namespace ringtail::commands {
namespace {

using protocol::kHllCorrupt;
using protocol::kNotHll;
using protocol::kWrongType;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

class HyperLogLogCommandsTest : public CommandTest {
 protected:
  std::string Value(std::string_view key) {
    const storage::Entry* entry = shard_.dbs[0].Peek(key, NowMs());
    return entry == nullptr || !entry->IsString() ? std::string("<none>")
                                                  : std::string(entry->str());
  }
  int64_t DeadlineMs(std::string_view key) {
    const storage::Entry* entry = shard_.dbs[0].Peek(key, NowMs());
    return entry == nullptr ? -1 : entry->expire_at_ms();
  }
  // PFADD key elem:0 .. elem:n-1.
  void AddElements(std::string_view key, size_t n, std::string_view prefix = "elem:") {
    std::vector<std::string> names;
    for (size_t i = 0; i < n; ++i) names.push_back(std::string(prefix) + std::to_string(i));
    std::vector<std::string_view> args = {"PFADD", key};
    args.insert(args.end(), names.begin(), names.end());
    ASSERT_EQ(Run(args), Int(1));
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
};

TEST_F(HyperLogLogCommandsTest, RowsMatchRedisCommandInfo) {
  const CommandSpec* pfadd = DefaultCommandTable().Find("pfadd");
  const CommandSpec* pfcount = DefaultCommandTable().Find("pfcount");
  const CommandSpec* pfmerge = DefaultCommandTable().Find("pfmerge");
  ASSERT_NE(pfadd, nullptr);
  ASSERT_NE(pfcount, nullptr);
  ASSERT_NE(pfmerge, nullptr);
  EXPECT_EQ(pfadd->arity, -2);
  EXPECT_EQ(pfadd->flags, kWrite | kDenyOom | kFast);
  EXPECT_EQ(pfadd->last_key, 1);
  EXPECT_EQ(pfcount->arity, -2);
  EXPECT_EQ(pfcount->flags, kRead);
  EXPECT_EQ(pfcount->last_key, -1);
  EXPECT_EQ(pfmerge->arity, -2);
  EXPECT_EQ(pfmerge->flags, kWrite | kDenyOom);
  EXPECT_EQ(pfmerge->last_key, -1);
  for (const CommandSpec* spec : {pfadd, pfcount, pfmerge}) {
    EXPECT_EQ(spec->first_key, 1);
    EXPECT_EQ(spec->step, 1);
    EXPECT_EQ(spec->group, "hyperloglog");
  }
}

TEST_F(HyperLogLogCommandsTest, PfAddCreatesASparseHll) {
  EXPECT_EQ(Run({"PFADD", "e"}), Int(1));
  EXPECT_EQ(Value("e"), FromHex("48594c4c0100000000000000000000807fff"));  // cache stale
  EXPECT_EQ(Run({"PFADD", "e"}), Int(0));
  EXPECT_EQ(Run({"PFADD", "k", "a", "b", "c"}), Int(1));
  EXPECT_EQ(Value("k"), FromHex("48594c4c01000000000000000000008060f38050b1844bfb80425a"));
  EXPECT_EQ(Run({"PFADD", "k", "a", "c"}), Int(0));
  EXPECT_EQ(Run({"PFADD", "k", "a", "d"}), Int(1));
  EXPECT_EQ(Run({"GET", "e"}), Bulk(FromHex("48594c4c0100000000000000000000807fff")));
}

TEST_F(HyperLogLogCommandsTest, PfCountCachesTheCardinalityInTheHeader) {
  ASSERT_EQ(Run({"PFADD", "k", "a", "b", "c"}), Int(1));
  EXPECT_EQ(Run({"PFCOUNT", "k"}), Int(3));
  EXPECT_EQ(Value("k"), FromHex("48594c4c01000000030000000000000060f38050b1844bfb80425a"));
  // A valid cache is replied as it is, whatever the registers say (as in Redis).
  ASSERT_EQ(Run({"SETRANGE", "k", "8", std::string_view("\x2a", 1)}), Int(27));
  EXPECT_EQ(Run({"PFCOUNT", "k"}), Int(42));
  // An update marks it stale again.
  ASSERT_EQ(Run({"PFADD", "k", "d"}), Int(1));
  EXPECT_EQ(static_cast<uint8_t>(Value("k")[15]), 0x80);
  EXPECT_EQ(Run({"PFCOUNT", "k"}), Int(4));
  EXPECT_EQ(Run({"PFCOUNT", "missing"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(HyperLogLogCommandsTest, PfCountOfSeveralKeysIsTheUnion) {
  ASSERT_EQ(Run({"PFADD", "x", "elem:0"}), Int(1));
  ASSERT_EQ(Run({"PFADD", "y", "a", "b", "c"}), Int(1));
  std::string x_before = Value("x");
  EXPECT_EQ(Run({"PFCOUNT", "x", "y", "missing"}), Int(4));
  EXPECT_EQ(Run({"PFCOUNT", "x", "x"}), Int(1));
  EXPECT_EQ(Value("x"), x_before);  // the union's estimate is cached nowhere
}

TEST_F(HyperLogLogCommandsTest, EstimatesMatchRedis) {
  AddElements("n100", 100);
  AddElements("n1000", 1000);
  AddElements("n10000", 10000);
  EXPECT_EQ(Run({"PFCOUNT", "n100"}), Int(100));
  EXPECT_EQ(Run({"PFCOUNT", "n1000"}), Int(1005));
  EXPECT_EQ(Run({"PFCOUNT", "n10000"}), Int(9922));
  EXPECT_EQ(Value("n1000").size(), 1913u);  // still sparse
  EXPECT_EQ(Value("n10000").size(), storage::kHllDenseBytes);
  EXPECT_EQ(Run({"PFCOUNT", "n100", "n10000"}), Int(9922));
}

TEST_F(HyperLogLogCommandsTest, SparseMaxBytesDecidesPromotion) {
  shard_.config.hll_sparse_max_bytes = 100;
  AddElements("k", 40);
  EXPECT_EQ(Value("k").size(), storage::kHllDenseBytes);
  EXPECT_EQ(Run({"PFCOUNT", "k"}), Int(40));
  shard_.config.hll_sparse_max_bytes = 3000;
  AddElements("s", 40);
  EXPECT_LT(Value("s").size(), 200u);
  EXPECT_EQ(Run({"PFCOUNT", "s"}), Int(40));
}

TEST_F(HyperLogLogCommandsTest, PfMergeBytesMatchRedis) {
  ASSERT_EQ(Run({"PFADD", "x", "elem:0"}), Int(1));
  ASSERT_EQ(Run({"PFADD", "y", "a", "b", "c"}), Int(1));
  EXPECT_EQ(Run({"PFMERGE", "z", "x", "y"}), Ok());
  const std::string merged =
      FromHex("48594c4c01000000000000000000008053a4844d4d8050b1844bfb80425a");
  EXPECT_EQ(Value("z"), merged);
  EXPECT_EQ(Run({"PFCOUNT", "z"}), Int(4));
  // The destination's own registers take part.
  EXPECT_EQ(Run({"PFMERGE", "x", "y"}), Ok());
  EXPECT_EQ(Value("x"), merged);
  EXPECT_EQ(Run({"PFMERGE", "e"}), Ok());
  EXPECT_EQ(Value("e"), FromHex("48594c4c0100000000000000000000807fff"));
}

TEST_F(HyperLogLogCommandsTest, PfMergeWithADenseInputIsDense) {
  AddElements("big", 3000);
  ASSERT_EQ(Run({"PFADD", "small", "a"}), Int(1));
  ASSERT_EQ(Run({"PFMERGE", "d", "small", "big"}), Ok());
  EXPECT_EQ(Value("d").size(), storage::kHllDenseBytes);
  EXPECT_EQ(Run({"PFCOUNT", "d"}), Run({"PFCOUNT", "big", "small"}));
  ASSERT_EQ(Run({"PFMERGE", "small", "big"}), Ok());  // a sparse destination becomes dense
  EXPECT_EQ(Value("small").size(), storage::kHllDenseBytes);
}

TEST_F(HyperLogLogCommandsTest, PfMergeAndPfAddKeepTheDeadline) {
  ASSERT_EQ(Run({"PFADD", "k", "a"}), Int(1));
  ASSERT_EQ(Run({"PEXPIRE", "k", "5000"}), Int(1));
  ASSERT_EQ(Run({"PFADD", "k", "b"}), Int(1));
  ASSERT_EQ(Run({"PFADD", "src", "c"}), Int(1));
  ASSERT_EQ(Run({"PFMERGE", "k", "src"}), Ok());
  ASSERT_EQ(Run({"PFCOUNT", "k"}), Int(3));
  EXPECT_EQ(DeadlineMs("k"), NowMs() + 5000);
}

TEST_F(HyperLogLogCommandsTest, TypeErrors) {
  ASSERT_EQ(Run({"RPUSH", "l", "x"}), Int(1));
  ASSERT_EQ(Run({"SET", "s", "hello"}), Ok());
  ASSERT_EQ(Run({"PFADD", "h", "a"}), Int(1));
  for (std::string_view key : {"l", "s"}) {
    std::string_view error = key == "l" ? kWrongType : kNotHll;
    EXPECT_EQ(Run({"PFADD", key, "a"}), Err(error)) << key;
    EXPECT_EQ(Run({"PFCOUNT", key}), Err(error)) << key;
    EXPECT_EQ(Run({"PFCOUNT", "h", key}), Err(error)) << key;
    EXPECT_EQ(Run({"PFMERGE", "h", key}), Err(error)) << key;
    EXPECT_EQ(Run({"PFMERGE", key, "h"}), Err(error)) << key;
  }
  EXPECT_EQ(Value("s"), "hello");
  // Header checks: magic, encoding, and the exact size of a dense HLL.
  std::string header = FromHex("48594c4c0000000000000000000000");  // 15 bytes: too short
  ASSERT_EQ(Run({"SET", "bad", header}), Ok());
  EXPECT_EQ(Run({"PFCOUNT", "bad"}), Err(kNotHll));
  ASSERT_EQ(Run({"SET", "bad", header + std::string(1, '\0')}), Ok());  // dense of 16 bytes
  EXPECT_EQ(Run({"PFCOUNT", "bad"}), Err(kNotHll));
  ASSERT_EQ(Run({"SET", "bad", "HYLL\x02" + std::string(11, '\0')}), Ok());
  EXPECT_EQ(Run({"PFADD", "bad", "x"}), Err(kNotHll));
  ASSERT_EQ(Run({"SET", "bad", "HYLX\x01" + std::string(11, '\0')}), Ok());
  EXPECT_EQ(Run({"PFCOUNT", "bad"}), Err(kNotHll));
  // A bare sparse header describes no registers: valid as a type, corrupt when read.
  ASSERT_EQ(Run({"SET", "bad", "HYLL\x01" + std::string(10, '\0') + "\x80"}), Ok());
  EXPECT_EQ(Run({"PFCOUNT", "bad"}), Err(kHllCorrupt));
}

TEST_F(HyperLogLogCommandsTest, CorruptSparseOpcodes) {
  // XZERO of 16383 registers: one short.
  const std::string corrupt = FromHex("48594c4c0100000000000000000000807ffe");
  ASSERT_EQ(Run({"SET", "c", corrupt}), Ok());
  ASSERT_EQ(Run({"PFADD", "h", "a"}), Int(1));
  EXPECT_EQ(Run({"PFCOUNT", "c"}), Err(kHllCorrupt));
  EXPECT_EQ(Run({"PFCOUNT", "c", "h"}), Err(kHllCorrupt));
  EXPECT_EQ(Run({"PFMERGE", "h", "c"}), Err(kHllCorrupt));
  EXPECT_EQ(Run({"PFMERGE", "new", "c"}), Err(kHllCorrupt));
  EXPECT_EQ(Run({"EXISTS", "new"}), Int(0));
  // "a" goes to register 12711, inside the runs: fine. The last register is not covered.
  EXPECT_EQ(Run({"PFADD", "c", "a"}), Int(1));
  ASSERT_EQ(Run({"SET", "c", corrupt}), Ok());
  std::string last;  // an element whose register is 16383
  for (int i = 0; last.empty(); ++i) {
    std::string candidate = "e" + std::to_string(i);
    if (storage::HllHashElement(candidate).index == 16383) last = candidate;
  }
  EXPECT_EQ(Run({"PFADD", "c", last}), Err(kHllCorrupt));
  EXPECT_EQ(Value("c"), corrupt);
}

TEST_F(HyperLogLogCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  ASSERT_EQ(Run({"PFADD", "k", "a"}), Int(1));
  uint64_t h = hits();
  uint64_t m = misses();
  Run({"PFCOUNT", "k"});
  Run({"PFCOUNT", "k", "missing"});
  Run({"PFMERGE", "k", "missing"});
  EXPECT_EQ(hits() - h, 3u);
  EXPECT_EQ(misses() - m, 2u);
  Run({"PFADD", "k", "b"});
  Run({"PFADD", "other", "b"});
  EXPECT_EQ(hits() - h, 3u);
  EXPECT_EQ(misses() - m, 2u);
}

}  // namespace
}  // namespace ringtail::commands
