// SPDX-License-Identifier: Apache-2.0
// The blocking commands' handlers are the non-blocking attempt (as inside MULTI): they serve
// from the first key that can, else reply as on a timeout. The waiting is tested through the
// server (tests/integration/test_blocking.py).
#include "commands/blocking_commands.h"

#include "commands/command_test.h"

namespace ringtail::commands {
namespace {

class BlockingCommandsTest : public CommandTest {};

TEST_F(BlockingCommandsTest, ListPopsServeFromTheFirstNonEmptyKey) {
  Run({"RPUSH", "b", "1", "2", "3"});
  EXPECT_EQ(Run({"BLPOP", "a", "b", "0"}), Bulks({"b", "1"}));
  EXPECT_EQ(Run({"BRPOP", "a", "b", "0"}), Bulks({"b", "3"}));
  EXPECT_EQ(Run({"BLPOP", "a", "1.5"}), NilArray());
  EXPECT_EQ(Run({"BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5"}),
            Array({Bulk("b"), Bulks({"2"})}));
  EXPECT_EQ(Run({"EXISTS", "b"}), Int(0));
}

TEST_F(BlockingCommandsTest, MovesPushToTheDestination) {
  Run({"RPUSH", "src", "a", "b"});
  EXPECT_EQ(Run({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"}), Bulk("b"));
  EXPECT_EQ(Run({"BRPOPLPUSH", "src", "dst", "0"}), Bulk("a"));
  EXPECT_EQ(Run({"LRANGE", "dst", "0", "-1"}), Bulks({"a", "b"}));
  EXPECT_EQ(Run({"BLMOVE", "src", "dst", "LEFT", "LEFT", "0"}), Nil());
  Run({"RPUSH", "src", "x"});
  Run({"SET", "str", "v"});
  EXPECT_EQ(Run({"BLMOVE", "src", "str", "LEFT", "LEFT", "0"}), Err(protocol::kWrongType));
  EXPECT_EQ(Run({"LLEN", "src"}), Int(1));
}

TEST_F(BlockingCommandsTest, SortedSetPops) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"BZPOPMIN", "none", "z", "0"}), Bulks({"z", "a", "1"}));
  EXPECT_EQ(Run({"BZPOPMAX", "z", "0"}), Bulks({"z", "c", "3"}));
  EXPECT_EQ(Run({"BZMPOP", "0", "1", "z", "MIN", "COUNT", "9"}),
            Array({Bulk("z"), Array({Bulks({"b", "2"})})}));
  EXPECT_EQ(Run({"BZPOPMIN", "z", "0"}), NilArray());
}

TEST_F(BlockingCommandsTest, WrongTypeEndsTheCommand) {
  Run({"SET", "s", "v"});
  EXPECT_EQ(Run({"BLPOP", "missing", "s", "0"}), Err(protocol::kWrongType));
  Run({"RPUSH", "l", "v"});
  EXPECT_EQ(Run({"BZPOPMIN", "l", "0"}), Err(protocol::kWrongType));
}

TEST_F(BlockingCommandsTest, Errors) {
  EXPECT_EQ(Run({"BLPOP", "k", "x"}), Err(protocol::kTimeoutNotFloat));
  EXPECT_EQ(Run({"BLPOP", "k", "-0.5"}), Err(protocol::kTimeoutNegative));
  EXPECT_EQ(Run({"BLPOP", "k", "inf"}), Err(protocol::kTimeoutNegative));
  EXPECT_EQ(Run({"BLMPOP", "0", "0", "k", "LEFT"}), Err(protocol::kNumKeysNotPositive));
  EXPECT_EQ(Run({"BLMPOP", "0", "3", "k", "LEFT"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"}),
            Err(protocol::kCountNotPositive));
  EXPECT_EQ(Run({"BZMPOP", "0", "1", "k", "MIN", "COUNT", "1", "COUNT", "1"}),
            Err(protocol::kSyntax));
  EXPECT_EQ(Run({"BLMOVE", "a", "b", "UP", "LEFT", "0"}), Err(protocol::kSyntax));
}

TEST_F(BlockingCommandsTest, ParseReadsTimeoutsInMilliseconds) {
  std::string out;
  protocol::ReplyBuilder reply(&out);
  std::string_view args[] = {"BLPOP", "a", "b", "0.0001"};
  std::optional<BlockingCall> call = ParseBlockingCall(args, reply);
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->timeout_ms, 1);  // rounded up: a tiny timeout still times out
  EXPECT_EQ(call->keys.size(), 2u);
  EXPECT_EQ(call->wanted_type(), storage::ValueType::kList);
  std::string_view zargs[] = {"BZMPOP", "2.5", "1", "z", "MAX"};
  call = ParseBlockingCall(zargs, reply);
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->timeout_ms, 2500);
  EXPECT_FALSE(call->left);
  EXPECT_EQ(call->wanted_type(), storage::ValueType::kZSet);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace ringtail::commands
