// SPDX-License-Identifier: Apache-2.0
// Tests of the list command family (src/commands/list_commands.cc) and of the helpers the
// blocking commands share (PopElements, PushElements), on one in-process shard. Expected
// replies and error texts were checked against redis-server 7.0.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_context.h"
#include "commands/command_test.h"
#include "commands/list_commands.h"
#include "protocol/errors.h"
#include "storage/list.h"

namespace ringtail::commands {
namespace {

using protocol::kNotInteger;
using protocol::kSyntax;
using protocol::kWrongType;

class ListCommandsTest : public CommandTest {
 protected:
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  // Bytes the table counts for db 0 beyond its bucket arrays: the sum over its entries.
  size_t TableBytes() const {
    return shard_.dbs[0].memory_bytes() - shard_.dbs[0].bucket_count() * sizeof(void*);
  }
  size_t EntryBytes(std::string_view key) {
    const storage::Entry* entry = shard_.dbs[0].Peek(key, NowMs());
    return entry == nullptr ? 0 : entry->AllocatedBytes();
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
  // A context on db 0 for calling the shared helpers directly.
  CommandContext Context(std::string* out) {
    reply_ = std::make_unique<protocol::ReplyBuilder>(out);
    return CommandContext(shard_, {}, 0, *reply_, nullptr);
  }
  std::unique_ptr<protocol::ReplyBuilder> reply_;
};

// ---------------------------------------------------------------------------------------------
// Command table rows

TEST_F(ListCommandsTest, RowsMatchRedisCommandInfo) {
  ExpectSpecRows({
      {"lpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"rpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"lpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"rpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"lpop", -2, kWrite | kFast, 1, 1, 1},
      {"rpop", -2, kWrite | kFast, 1, 1, 1},
      {"llen", 2, kRead | kFast, 1, 1, 1},
      {"lrange", 4, kRead, 1, 1, 1},
      {"lindex", 3, kRead, 1, 1, 1},
      {"lset", 4, kWrite | kDenyOom, 1, 1, 1},
      {"linsert", 5, kWrite | kDenyOom, 1, 1, 1},
      {"lrem", 4, kWrite, 1, 1, 1},
      {"ltrim", 4, kWrite, 1, 1, 1},
      {"lpos", -3, kRead, 1, 1, 1},
      {"lmove", 5, kWrite | kDenyOom, 1, 2, 1},
      {"rpoplpush", 3, kWrite | kDenyOom, 1, 2, 1},
      {"lmpop", -4, kWrite, 0, 0, 0},
  }, "list");
}

TEST_F(ListCommandsTest, LMPopKeysFollowNumkeys) {
  const CommandSpec* spec = DefaultCommandTable().Find("lmpop");
  ASSERT_NE(spec, nullptr);
  std::vector<std::string_view> args = {"LMPOP", "2", "a", "b", "LEFT", "COUNT", "3"};
  std::vector<uint32_t> positions;
  KeyPositions(*spec, args, &positions);
  EXPECT_EQ(positions, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(spec->RouteFor(args), Route::kKeys);
}

// ---------------------------------------------------------------------------------------------
// Push and pop

TEST_F(ListCommandsTest, PushesReturnTheLength) {
  EXPECT_EQ(Run({"RPUSH", "l", "a", "b"}), Int(2));
  EXPECT_EQ(Run({"LPUSH", "l", "x", "y"}), Int(4));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"y", "x", "a", "b"}));
  EXPECT_EQ(Run({"LPUSHX", "l", "1"}), Int(5));
  EXPECT_EQ(Run({"RPUSHX", "l", "2", "3"}), Int(7));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"1", "y", "x", "a", "b", "2", "3"}));
  EXPECT_EQ(Run({"LPUSHX", "missing", "a"}), Int(0));
  EXPECT_EQ(Run({"RPUSHX", "missing", "a"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
  EXPECT_EQ(Run({"TYPE", "l"}), Simple("list"));
}

TEST_F(ListCommandsTest, WrongTypeEverywhere) {
  Run({"SET", "s", "x"});
  const std::vector<std::vector<std::string_view>> commands = {
      {"LPUSH", "s", "a"},        {"RPUSH", "s", "a"},
      {"LPUSHX", "s", "a"},       {"RPUSHX", "s", "a"},
      {"LPOP", "s"},              {"RPOP", "s", "0"},
      {"LLEN", "s"},              {"LRANGE", "s", "0", "-1"},
      {"LINDEX", "s", "0"},       {"LSET", "s", "0", "a"},
      {"LINSERT", "s", "BEFORE", "a", "b"},
      {"LREM", "s", "0", "a"},    {"LTRIM", "s", "0", "1"},
      {"LPOS", "s", "a"},         {"LMOVE", "s", "d", "LEFT", "LEFT"},
      {"RPOPLPUSH", "s", "d"},    {"LMPOP", "1", "s", "LEFT"},
  };
  for (const auto& command : commands) {
    EXPECT_EQ(Run(command), Err(kWrongType)) << command[0];
  }
  EXPECT_EQ(Run({"GET", "s"}), Bulk("x"));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
}

TEST_F(ListCommandsTest, PopWithoutAndWithCount) {
  Run({"RPUSH", "l", "a", "b", "c", "d", "e"});
  EXPECT_EQ(Run({"LPOP", "l"}), Bulk("a"));
  EXPECT_EQ(Run({"RPOP", "l"}), Bulk("e"));
  EXPECT_EQ(Run({"LPOP", "l", "2"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"LPOP", "l", "0"}), Array({}));
  EXPECT_EQ(Run({"RPOP", "l", "5"}), Bulks({"d"}));
  EXPECT_EQ(Run({"EXISTS", "l"}), Int(0));
  EXPECT_EQ(Run({"LPOP", "l"}), Nil());
  EXPECT_EQ(Run({"LPOP", "l", "0"}), NilArray());
  EXPECT_EQ(Run({"RPOP", "l", "3"}), NilArray());
}

TEST_F(ListCommandsTest, PopCountErrors) {
  Run({"RPUSH", "l", "a"});
  EXPECT_EQ(Run({"LPOP", "l", "-1"}), Err(protocol::kNegativeCount));
  EXPECT_EQ(Run({"RPOP", "l", "abc"}), Err(protocol::kNegativeCount));
  EXPECT_EQ(Run({"LPOP", "missing", "-1"}), Err(protocol::kNegativeCount));
  EXPECT_EQ(Run({"LPOP", "l", "1", "2"}), WrongArgs("lpop"));
  EXPECT_EQ(Run({"RPOP", "l", "1", "2"}), WrongArgs("rpop"));
  EXPECT_EQ(Run({"LPOP"}), WrongArgs("lpop"));
  EXPECT_EQ(Run({"LLEN", "l"}), Int(1));
}

TEST_F(ListCommandsTest, Resp3NullShapes) {
  client_.resp3 = true;
  EXPECT_EQ(Run({"LPOP", "missing"}), "_\r\n");
  EXPECT_EQ(Run({"LPOP", "missing", "2"}), "_\r\n");
  EXPECT_EQ(Run({"LINDEX", "missing", "0"}), "_\r\n");
  EXPECT_EQ(Run({"LPOS", "missing", "a"}), "_\r\n");
  EXPECT_EQ(Run({"LMPOP", "1", "missing", "LEFT"}), "_\r\n");
  EXPECT_EQ(Run({"LMOVE", "missing", "d", "LEFT", "RIGHT"}), "_\r\n");
  EXPECT_EQ(Run({"LRANGE", "missing", "0", "-1"}), "*0\r\n");
  Run({"RPUSH", "l", "a"});
  EXPECT_EQ(Run({"LPOP", "l", "0"}), "*0\r\n");
}

TEST_F(ListCommandsTest, MoveBetweenListsAndRotate) {
  Run({"RPUSH", "{l}a", "1", "2", "3"});
  EXPECT_EQ(Run({"LMOVE", "{l}a", "{l}b", "LEFT", "RIGHT"}), Bulk("1"));
  EXPECT_EQ(Run({"LMOVE", "{l}a", "{l}b", "right", "left"}), Bulk("3"));
  EXPECT_EQ(Run({"LRANGE", "{l}b", "0", "-1"}), Bulks({"3", "1"}));
  EXPECT_EQ(Run({"RPOPLPUSH", "{l}a", "{l}b"}), Bulk("2"));
  EXPECT_EQ(Run({"EXISTS", "{l}a"}), Int(0));
  EXPECT_EQ(Run({"LRANGE", "{l}b", "0", "-1"}), Bulks({"2", "3", "1"}));
  // The same key: rotation, which keeps the key and its deadline even with one element.
  EXPECT_EQ(Run({"LMOVE", "{l}b", "{l}b", "LEFT", "RIGHT"}), Bulk("2"));
  EXPECT_EQ(Run({"LRANGE", "{l}b", "0", "-1"}), Bulks({"3", "1", "2"}));
  Run({"RPUSH", "one", "x"});
  Run({"EXPIRE", "one", "100"});
  EXPECT_EQ(Run({"RPOPLPUSH", "one", "one"}), Bulk("x"));
  EXPECT_EQ(Run({"TTL", "one"}), Int(100));
}

TEST_F(ListCommandsTest, MoveErrors) {
  Run({"SET", "s", "x"});
  Run({"RPUSH", "l", "a"});
  EXPECT_EQ(Run({"LMOVE", "l", "d", "UP", "LEFT"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMOVE", "l", "d", "LEFT", "DOWN"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMOVE", "missing", "s", "LEFT", "LEFT"}), Nil());  // no source: no check
  EXPECT_EQ(Run({"LMOVE", "l", "s", "LEFT", "LEFT"}), Err(kWrongType));
  EXPECT_EQ(Run({"RPOPLPUSH", "l", "s"}), Err(kWrongType));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a"}));
}

TEST_F(ListCommandsTest, LMPopParsingAndReplies) {
  Run({"RPUSH", "b", "1", "2", "3"});
  EXPECT_EQ(Run({"LMPOP", "2", "a", "b", "LEFT"}), Array({Bulk("b"), Bulks({"1"})}));
  EXPECT_EQ(Run({"LMPOP", "2", "a", "b", "right", "count", "5"}),
            Array({Bulk("b"), Bulks({"3", "2"})}));
  EXPECT_EQ(Run({"LMPOP", "2", "a", "b", "LEFT"}), NilArray());
  const std::string numkeys = Err(protocol::kNumKeysNotPositive);
  const std::string count = Err(protocol::kCountNotPositive);
  EXPECT_EQ(Run({"LMPOP", "0", "a", "LEFT"}), numkeys);
  EXPECT_EQ(Run({"LMPOP", "-1", "a", "LEFT"}), numkeys);
  EXPECT_EQ(Run({"LMPOP", "x", "a", "LEFT"}), numkeys);
  EXPECT_EQ(Run({"LMPOP", "2", "a", "LEFT"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "9223372036854775807", "a", "LEFT"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "1", "a", "MIDDLE"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "COUNT"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "COUNT", "0"}), count);
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "COUNT", "-2"}), count);
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "COUNT", "x"}), count);
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "1", "a", "LEFT", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"LMPOP", "1", "a"}), WrongArgs("lmpop"));
  // A key of another type only matters when reached before a non-empty list.
  Run({"SET", "s", "x"});
  Run({"RPUSH", "l", "v"});
  EXPECT_EQ(Run({"LMPOP", "2", "s", "l", "LEFT"}), Err(kWrongType));
  EXPECT_EQ(Run({"LMPOP", "2", "l", "s", "LEFT"}), Array({Bulk("l"), Bulks({"v"})}));
}

// ---------------------------------------------------------------------------------------------
// Reads

TEST_F(ListCommandsTest, RangeClampsLikeRedis) {
  Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(Run({"LRANGE", "l", "-100", "100"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(Run({"LRANGE", "l", "1", "1"}), Bulks({"b"}));
  EXPECT_EQ(Run({"LRANGE", "l", "-2", "-1"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"LRANGE", "l", "2", "1"}), Array({}));
  EXPECT_EQ(Run({"LRANGE", "l", "5", "10"}), Array({}));
  EXPECT_EQ(Run({"LRANGE", "l", "2", "-100"}), Array({}));
  EXPECT_EQ(Run({"LRANGE", "l", "-9223372036854775808", "9223372036854775807"}),
            Bulks({"a", "b", "c"}));
  EXPECT_EQ(Run({"LRANGE", "l", "a", "1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LRANGE", "missing", "0", "b"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LRANGE", "missing", "0", "-1"}), Array({}));
}

TEST_F(ListCommandsTest, IndexAndLength) {
  Run({"RPUSH", "l", "a", "-7", "c"});
  EXPECT_EQ(Run({"LLEN", "l"}), Int(3));
  EXPECT_EQ(Run({"LLEN", "missing"}), Int(0));
  EXPECT_EQ(Run({"LINDEX", "l", "1"}), Bulk("-7"));
  EXPECT_EQ(Run({"LINDEX", "l", "-1"}), Bulk("c"));
  EXPECT_EQ(Run({"LINDEX", "l", "3"}), Nil());
  EXPECT_EQ(Run({"LINDEX", "l", "-4"}), Nil());
  EXPECT_EQ(Run({"LINDEX", "l", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LINDEX", "missing", "x"}), Nil());  // the key is looked up first
}

TEST_F(ListCommandsTest, ReadsCountHitsAndMissesWritesDoNot) {
  Run({"RPUSH", "l", "a"});
  uint64_t h = hits();
  uint64_t m = misses();
  Run({"LLEN", "l"});
  Run({"LRANGE", "l", "0", "-1"});
  Run({"LINDEX", "l", "0"});
  Run({"LPOS", "l", "a"});
  Run({"LLEN", "missing"});
  EXPECT_EQ(hits(), h + 4);
  EXPECT_EQ(misses(), m + 1);
  Run({"RPUSH", "l", "b"});
  Run({"LPOP", "missing"});
  Run({"LSET", "l", "0", "z"});
  EXPECT_EQ(hits(), h + 4);
  EXPECT_EQ(misses(), m + 1);
}

TEST_F(ListCommandsTest, PosWithRankCountMaxlen) {
  Run({"RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"});
  EXPECT_EQ(Run({"LPOS", "l", "c"}), Int(2));
  EXPECT_EQ(Run({"LPOS", "l", "3"}), Int(5));
  EXPECT_EQ(Run({"LPOS", "l", "03"}), Nil());
  EXPECT_EQ(Run({"LPOS", "l", "c", "RANK", "2"}), Int(6));
  EXPECT_EQ(Run({"LPOS", "l", "c", "RANK", "-1"}), Int(7));
  EXPECT_EQ(Run({"LPOS", "l", "c", "RANK", "-9223372036854775808"}), Int(7));
  EXPECT_EQ(Run({"LPOS", "l", "c", "RANK", "4"}), Nil());
  EXPECT_EQ(Run({"LPOS", "l", "c", "COUNT", "0"}), Array({Int(2), Int(6), Int(7)}));
  EXPECT_EQ(Run({"LPOS", "l", "c", "COUNT", "2"}), Array({Int(2), Int(6)}));
  EXPECT_EQ(Run({"LPOS", "l", "c", "COUNT", "0", "RANK", "-2"}), Array({Int(6), Int(2)}));
  EXPECT_EQ(Run({"LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"}), Array({Int(2), Int(6)}));
  EXPECT_EQ(Run({"LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"}), Int(7));
  EXPECT_EQ(Run({"LPOS", "l", "a", "RANK", "-1", "MAXLEN", "7"}), Nil());
  EXPECT_EQ(Run({"LPOS", "l", "z", "COUNT", "1"}), Array({}));
  EXPECT_EQ(Run({"LPOS", "missing", "z", "COUNT", "1"}), Array({}));
  EXPECT_EQ(Run({"LPOS", "missing", "z"}), Nil());
}

TEST_F(ListCommandsTest, PosErrors) {
  Run({"RPUSH", "l", "a"});
  EXPECT_EQ(Run({"LPOS", "l", "a", "RANK", "0"}), Err(protocol::kLposRankZero));
  EXPECT_EQ(Run({"LPOS", "l", "a", "RANK", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LPOS", "l", "a", "COUNT", "-1"}), Err(protocol::kLposCountNegative));
  EXPECT_EQ(Run({"LPOS", "l", "a", "COUNT", "x"}), Err(protocol::kLposCountNegative));
  EXPECT_EQ(Run({"LPOS", "l", "a", "MAXLEN", "-1"}), Err(protocol::kLposMaxLenNegative));
  EXPECT_EQ(Run({"LPOS", "l", "a", "RANK"}), Err(kSyntax));
  EXPECT_EQ(Run({"LPOS", "l", "a", "FOO", "1"}), Err(kSyntax));
  // Options are checked before the key.
  Run({"SET", "s", "x"});
  EXPECT_EQ(Run({"LPOS", "s", "a", "RANK", "0"}), Err(protocol::kLposRankZero));
}

// ---------------------------------------------------------------------------------------------
// Changes in place

TEST_F(ListCommandsTest, SetByIndex) {
  Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(Run({"LSET", "l", "1", "B"}), Ok());
  EXPECT_EQ(Run({"LSET", "l", "-1", "42"}), Ok());
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a", "B", "42"}));
  EXPECT_EQ(Run({"LSET", "l", "3", "x"}), Err(protocol::kIndexOutOfRange));
  EXPECT_EQ(Run({"LSET", "l", "-4", "x"}), Err(protocol::kIndexOutOfRange));
  EXPECT_EQ(Run({"LSET", "l", "x", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LSET", "missing", "x", "x"}), Err(protocol::kNoSuchKey));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(ListCommandsTest, InsertAroundAPivot) {
  Run({"RPUSH", "l", "a", "c"});
  EXPECT_EQ(Run({"LINSERT", "l", "BEFORE", "c", "b"}), Int(3));
  EXPECT_EQ(Run({"LINSERT", "l", "after", "c", "d"}), Int(4));
  EXPECT_EQ(Run({"LINSERT", "l", "before", "a", "0"}), Int(5));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"0", "a", "b", "c", "d"}));
  EXPECT_EQ(Run({"LINSERT", "l", "BEFORE", "zz", "x"}), Int(-1));
  EXPECT_EQ(Run({"LINSERT", "missing", "BEFORE", "a", "x"}), Int(0));
  EXPECT_EQ(Run({"LINSERT", "missing", "UNDER", "a", "x"}), Err(kSyntax));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(ListCommandsTest, RemoveFromEitherEnd) {
  Run({"RPUSH", "l", "x", "a", "x", "b", "x", "c", "x"});
  EXPECT_EQ(Run({"LREM", "l", "2", "x"}), Int(2));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a", "b", "x", "c", "x"}));
  EXPECT_EQ(Run({"LREM", "l", "-1", "x"}), Int(1));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"a", "b", "x", "c"}));
  EXPECT_EQ(Run({"LREM", "l", "-9223372036854775808", "x"}), Int(1));
  EXPECT_EQ(Run({"LREM", "l", "0", "nope"}), Int(0));
  EXPECT_EQ(Run({"LREM", "l", "-3", "nope"}), Int(0));
  EXPECT_EQ(Run({"LREM", "l", "x", "a"}), Err(kNotInteger));
  EXPECT_EQ(Run({"LREM", "missing", "0", "a"}), Int(0));
  EXPECT_EQ(Run({"LREM", "l", "0", "a"}), Int(1));
  EXPECT_EQ(Run({"LREM", "l", "0", "b"}), Int(1));
  EXPECT_EQ(Run({"LREM", "l", "0", "c"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "l"}), Int(0));
}

TEST_F(ListCommandsTest, RemoveMatchesIntegersByText) {
  Run({"RPUSH", "l", "1", "01", "1", "-0", "0"});
  EXPECT_EQ(Run({"LREM", "l", "0", "1"}), Int(2));
  EXPECT_EQ(Run({"LREM", "l", "0", "0"}), Int(1));
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"01", "-0"}));
}

TEST_F(ListCommandsTest, TrimKeepsARange) {
  Run({"RPUSH", "l", "a", "b", "c", "d", "e"});
  EXPECT_EQ(Run({"LTRIM", "l", "1", "-2"}), Ok());
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"b", "c", "d"}));
  EXPECT_EQ(Run({"LTRIM", "l", "-100", "100"}), Ok());
  EXPECT_EQ(Run({"LLEN", "l"}), Int(3));
  EXPECT_EQ(Run({"LTRIM", "l", "1", "1"}), Ok());
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"c"}));
  EXPECT_EQ(Run({"LTRIM", "l", "5", "10"}), Ok());
  EXPECT_EQ(Run({"EXISTS", "l"}), Int(0));
  EXPECT_EQ(Run({"LTRIM", "missing", "0", "1"}), Ok());
  EXPECT_EQ(Run({"LTRIM", "missing", "x", "1"}), Err(kNotInteger));
}

// ---------------------------------------------------------------------------------------------
// Encoding and memory accounting

TEST_F(ListCommandsTest, EncodingFollowsListMaxListpackSize) {
  EXPECT_EQ(Run({"CONFIG", "SET", "list-max-listpack-size", "4"}), Ok());
  Run({"RPUSH", "l", "1", "2", "3", "4"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "l"}), Bulk("listpack"));
  Run({"RPUSH", "l", "5"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "l"}), Bulk("quicklist"));
  Run({"LTRIM", "l", "0", "0"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "l"}), Bulk("quicklist"));
  EXPECT_EQ(Run({"CONFIG", "SET", "list-max-listpack-size", "-2"}), Ok());
  Run({"RPUSH", "big", std::string(9000, 'x')});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "big"}), Bulk("quicklist"));
  Run({"RPUSH", "small", std::string(100, 'x')});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "small"}), Bulk("listpack"));
}

TEST_F(ListCommandsTest, TableMemoryFollowsEveryChange) {
  Run({"CONFIG", "SET", "list-max-listpack-size", "3"});
  Run({"RPUSH", "l", "a", "b", "c", "d", "e", "f", "g"});
  Run({"LPUSH", "l", "1", "2"});
  Run({"LSET", "l", "4", std::string(500, 'z')});
  Run({"LINSERT", "l", "BEFORE", "d", "x"});
  Run({"LREM", "l", "1", "a"});
  Run({"LTRIM", "l", "1", "-2"});
  Run({"LPOP", "l"});
  Run({"RPOP", "l", "2"});
  Run({"RPUSH", "{l}2", "q"});
  Run({"LMOVE", "l", "{l}2", "LEFT", "LEFT"});
  EXPECT_EQ(TableBytes(), EntryBytes("l") + EntryBytes("{l}2"));
  Run({"DEL", "l", "{l}2"});
  EXPECT_EQ(TableBytes(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the blocking commands

TEST_F(ListCommandsTest, PopElementsHelper) {
  Run({"RPUSH", "l", "a", "7", "c"});
  Run({"SET", "s", "x"});
  std::string out;
  CommandContext ctx = Context(&out);
  std::vector<std::string> popped;
  EXPECT_EQ(PopElements(ctx, "missing", true, 1, &popped), ListOpResult::kNoList);
  EXPECT_EQ(PopElements(ctx, "s", true, 1, &popped), ListOpResult::kWrongType);
  EXPECT_TRUE(popped.empty());
  EXPECT_EQ(PopElements(ctx, "l", false, 2, &popped), ListOpResult::kDone);
  EXPECT_EQ(popped, (std::vector<std::string>{"c", "7"}));
  EXPECT_EQ(PopElements(ctx, "l", true, 5, &popped), ListOpResult::kDone);
  EXPECT_EQ(popped, (std::vector<std::string>{"c", "7", "a"}));
  EXPECT_TRUE(out.empty());  // no reply written
  EXPECT_EQ(Run({"EXISTS", "l"}), Int(0));
}

TEST_F(ListCommandsTest, PushElementsHelper) {
  Run({"SET", "s", "x"});
  std::string out;
  CommandContext ctx = Context(&out);
  std::vector<std::string_view> elements = {"a", "b"};
  EXPECT_EQ(PushElements(ctx, "s", true, elements), ListOpResult::kWrongType);
  EXPECT_EQ(PushElements(ctx, "l", true, elements), ListOpResult::kDone);
  EXPECT_EQ(PushElements(ctx, "l", false, elements), ListOpResult::kDone);
  EXPECT_EQ(PushElements(ctx, "none", false, {}), ListOpResult::kDone);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(Run({"LRANGE", "l", "0", "-1"}), Bulks({"b", "a", "a", "b"}));
  EXPECT_EQ(Run({"EXISTS", "none"}), Int(0));
  EXPECT_EQ(Run({"GET", "s"}), Bulk("x"));
}

TEST_F(ListCommandsTest, NewListsAreReadyKeys) {
  shard_.dbs[0].WatchReadyKeys(true);
  Run({"RPUSH", "l", "a"});
  Run({"RPUSH", "l", "b"});
  Run({"LPUSHX", "other", "b"});
  Run({"LMOVE", "l", "{x}d", "LEFT", "LEFT"});
  EXPECT_EQ(shard_.dbs[0].TakeReadyKeys(), (std::vector<std::string>{"l", "{x}d"}));
  shard_.dbs[0].WatchReadyKeys(false);
}

}  // namespace
}  // namespace ringtail::commands
