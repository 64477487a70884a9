// SPDX-License-Identifier: Apache-2.0
// Tests of the string command family (src/commands/string_commands.cc) on one in-process shard.
// Expected replies and error texts were checked against redis-server 7.0.
#include <cstdint>
#include <string>
#include <string_view>

#include "commands/command_test.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using protocol::kDecrementOverflow;
using protocol::kIncrFloatNaN;
using protocol::kNotFloat;
using protocol::kNotInteger;
using protocol::kOffsetOutOfRange;
using protocol::kOverflow;
using protocol::kStringTooLong;
using protocol::kSyntax;

class StringCommandsTest : public CommandTest {
 protected:
  // The key's deadline in Unix ms (0 for none), or -1 if the key is absent.
  int64_t DeadlineMs(std::string_view key) {
    const storage::Entry* entry = shard_.dbs[0].Find(key, NowMs());
    return entry == nullptr ? -1 : entry->expire_at_ms();
  }
  static std::string InvalidExpire(std::string_view command) {
    return Err("ERR invalid expire time in '" + std::string(command) + "' command");
  }
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
};

// ---------------------------------------------------------------------------------------------
// Command table rows

TEST_F(StringCommandsTest, RowsMatchRedisCommandInfo) {
  ExpectSpecRows({
      {"get", 2, kRead | kFast, 1, 1, 1},
      {"set", -3, kWrite | kDenyOom, 1, 1, 1},
      {"setnx", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"setex", 4, kWrite | kDenyOom, 1, 1, 1},
      {"psetex", 4, kWrite | kDenyOom, 1, 1, 1},
      {"getset", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"getdel", 2, kWrite | kFast, 1, 1, 1},
      {"getex", -2, kWrite | kFast, 1, 1, 1},
      {"mget", -2, kRead | kFast, 1, -1, 1},
      {"mset", -3, kWrite | kDenyOom, 1, -1, 2},
      {"msetnx", -3, kWrite | kDenyOom, 1, -1, 2},
      {"incr", 2, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"decr", 2, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"incrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"decrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"incrbyfloat", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"append", 3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"strlen", 2, kRead | kFast, 1, 1, 1},
      {"getrange", 4, kRead, 1, 1, 1},
      {"substr", 4, kRead, 1, 1, 1},
      {"setrange", 4, kWrite | kDenyOom, 1, 1, 1},
  }, "string");
  EXPECT_EQ(DefaultCommandTable().Find("mget")->merge, Merge::kKeyOrder);
  EXPECT_EQ(DefaultCommandTable().Find("mset")->merge, Merge::kAllOk);
  EXPECT_EQ(DefaultCommandTable().Find("msetnx")->merge, Merge::kNone);
}

TEST_F(StringCommandsTest, ArityErrorsNameTheCommand) {
  EXPECT_EQ(Run({"GET"}), WrongArgs("get"));
  EXPECT_EQ(Run({"GET", "a", "b"}), WrongArgs("get"));
  EXPECT_EQ(Run({"SET", "k"}), WrongArgs("set"));
  EXPECT_EQ(Run({"GETEX"}), WrongArgs("getex"));
  EXPECT_EQ(Run({"MSET", "a"}), WrongArgs("mset"));
  EXPECT_EQ(Run({"SETRANGE", "k", "0"}), WrongArgs("setrange"));
}

// ---------------------------------------------------------------------------------------------
// GET / SET

TEST_F(StringCommandsTest, GetAndSetBasics) {
  EXPECT_EQ(Run({"GET", "k"}), Nil());
  EXPECT_EQ(Run({"SET", "k", "v"}), Ok());
  EXPECT_EQ(Run({"get", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"SET", "k", "other"}), Ok());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("other"));
  EXPECT_EQ(Run({"SET", "", ""}), Ok());  // the empty key and the empty value are ordinary
  EXPECT_EQ(Run({"GET", ""}), Bulk(""));
}

TEST_F(StringCommandsTest, KeysAndValuesAreBinarySafe) {
  const std::string key("k\0ey\r\n", 6);
  const std::string value("\0\x01\xff\r\nv\0", 7);
  EXPECT_EQ(Run({"SET", key, value}), Ok());
  EXPECT_EQ(Run({"GET", key}), Bulk(value));
  EXPECT_EQ(Run({"GET", std::string_view("k", 1)}), Nil());
  EXPECT_EQ(Run({"STRLEN", key}), Int(7));
}

TEST_F(StringCommandsTest, GetNullInResp3) {
  client_.resp3 = true;
  EXPECT_EQ(Run({"GET", "missing"}), "_\r\n");
  EXPECT_EQ(Run({"SET", "k", "v", "XX"}), "_\r\n");
}

TEST_F(StringCommandsTest, SetNxAndXx) {
  EXPECT_EQ(Run({"SET", "k", "v1", "XX"}), Nil());
  EXPECT_EQ(Run({"GET", "k"}), Nil());
  EXPECT_EQ(Run({"SET", "k", "v1", "NX"}), Ok());
  EXPECT_EQ(Run({"SET", "k", "v2", "nx"}), Nil());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v1"));
  EXPECT_EQ(Run({"SET", "k", "v3", "xx"}), Ok());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v3"));
  EXPECT_EQ(Run({"SET", "k", "v4", "NX", "NX"}), Nil());  // repeating an option is allowed
  EXPECT_EQ(Run({"SET", "k", "v4", "XX", "XX"}), Ok());
}

TEST_F(StringCommandsTest, SetGetRepliesWithTheOldValue) {
  EXPECT_EQ(Run({"SET", "k", "v1", "GET"}), Nil());
  EXPECT_EQ(Run({"SET", "k", "v2", "get"}), Bulk("v1"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  EXPECT_EQ(Run({"SET", "k", "v3", "GET", "GET"}), Bulk("v2"));
  // With NX the old value comes back and nothing is stored (allowed since Redis 7.0).
  EXPECT_EQ(Run({"SET", "k", "v4", "NX", "GET"}), Bulk("v3"));
  EXPECT_EQ(Run({"SET", "k", "v4", "EX", "10", "GET", "NX"}), Bulk("v3"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v3"));
  EXPECT_EQ(Run({"SET", "n", "v", "NX", "GET"}), Nil());
  EXPECT_EQ(Run({"GET", "n"}), Bulk("v"));
  // With XX on a missing key: null, nothing stored.
  EXPECT_EQ(Run({"SET", "m", "v", "XX", "GET"}), Nil());
  EXPECT_EQ(Run({"GET", "m"}), Nil());
  EXPECT_EQ(Run({"SET", "k", "v5", "XX", "GET"}), Bulk("v3"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v5"));
}

TEST_F(StringCommandsTest, SetSyntaxErrors) {
  const std::vector<std::vector<std::string_view>> bad = {
      {"SET", "k", "v", "NX", "XX"},
      {"SET", "k", "v", "XX", "NX"},
      {"SET", "k", "v", "EX", "10", "PX", "10"},
      {"SET", "k", "v", "PX", "10", "EXAT", "10"},
      {"SET", "k", "v", "EXAT", "10", "PXAT", "10"},
      {"SET", "k", "v", "EX", "10", "KEEPTTL"},
      {"SET", "k", "v", "KEEPTTL", "PX", "10"},
      {"SET", "k", "v", "EX"},
      {"SET", "k", "v", "PXAT"},
      {"SET", "k", "v", "FOO"},
      {"SET", "k", "v", "PERSIST"},
      {"SET", "k", "v", "EX", "abc", "FOO"},
      {"SET", "k", "v", "NXX"},
      {"SET", "k", "v", "10"},
  };
  for (const auto& args : bad) {
    EXPECT_EQ(Run(args), Err(kSyntax)) << args[3];
  }
  EXPECT_EQ(Run({"GET", "k"}), Nil());
}

TEST_F(StringCommandsTest, SetExpireErrors) {
  ASSERT_EQ(Run({"SET", "k", "old"}), Ok());
  for (std::string_view unit : {"EX", "PX", "EXAT", "PXAT"}) {
    EXPECT_EQ(Run({"SET", "k", "v", unit, "0"}), InvalidExpire("set")) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, "-1"}), InvalidExpire("set")) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, "abc"}), Err(kNotInteger)) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, "1.5"}), Err(kNotInteger)) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, "+10"}), Err(kNotInteger)) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, " 10"}), Err(kNotInteger)) << unit;
    EXPECT_EQ(Run({"SET", "k", "v", unit, "9223372036854775808"}), Err(kNotInteger)) << unit;
  }
  // Seconds must fit in int64 milliseconds; a relative deadline must fit after adding now.
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "9223372036854776"}), InvalidExpire("set"));
  EXPECT_EQ(Run({"SET", "k", "v", "EXAT", "9223372036854776"}), InvalidExpire("set"));
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "9223372036854775"}), InvalidExpire("set"));
  EXPECT_EQ(Run({"SET", "k", "v", "PX", "9223372036854775807"}), InvalidExpire("set"));
  EXPECT_EQ(Run({"SET", "k", "v", "PX", "9223372036854775000"}), InvalidExpire("set"));
  // The last of repeated expiries is the one checked.
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "10", "EX", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("old"));
  EXPECT_EQ(DeadlineMs("k"), 0);
}

TEST_F(StringCommandsTest, SetExpiryIsExact) {
  ASSERT_EQ(Run({"SET", "k", "v", "PX", "100"}), Ok());
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 100);
  AdvanceTime(100);  // still there during its deadline's millisecond, as in Redis
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));
  AdvanceTime(1);
  EXPECT_EQ(Run({"GET", "k"}), Nil());

  ASSERT_EQ(Run({"SET", "s", "v", "ex", "2"}), Ok());
  EXPECT_EQ(DeadlineMs("s"), NowMs() + 2000);
  AdvanceTime(2000);
  EXPECT_EQ(Run({"GET", "s"}), Bulk("v"));
  AdvanceTime(1);
  EXPECT_EQ(Run({"GET", "s"}), Nil());
}

TEST_F(StringCommandsTest, SetAbsoluteExpiry) {
  const int64_t at_s = kStartMs / 1000 + 5;
  const std::string at_s_text = std::to_string(at_s);
  ASSERT_EQ(Run({"SET", "a", "v", "EXAT", at_s_text}), Ok());
  EXPECT_EQ(DeadlineMs("a"), at_s * 1000);
  const std::string at_ms_text = std::to_string(kStartMs + 1234);
  ASSERT_EQ(Run({"SET", "b", "v", "PXAT", at_ms_text}), Ok());
  EXPECT_EQ(DeadlineMs("b"), kStartMs + 1234);
  AdvanceTime(1234);
  EXPECT_EQ(Run({"GET", "b"}), Bulk("v"));
  AdvanceTime(1);
  EXPECT_EQ(Run({"GET", "b"}), Nil());
  // The largest deadlines are accepted.
  EXPECT_EQ(Run({"SET", "c", "v", "PXAT", "9223372036854775807"}), Ok());
  EXPECT_EQ(DeadlineMs("c"), INT64_MAX);
  EXPECT_EQ(Run({"SET", "c", "v", "EXAT", "9223372036854775"}), Ok());
  EXPECT_EQ(DeadlineMs("c"), 9223372036854775000);
  // A deadline in the past stores a key that is already gone.
  EXPECT_EQ(Run({"SET", "d", "v", "EXAT", "1"}), Ok());
  EXPECT_EQ(Run({"GET", "d"}), Nil());
  EXPECT_EQ(Run({"SET", "c", "v2", "PXAT", "1", "GET"}), Bulk("v"));
  EXPECT_EQ(Run({"GET", "c"}), Nil());
}

TEST_F(StringCommandsTest, SetClearsOrKeepsTheDeadline) {
  ASSERT_EQ(Run({"SET", "k", "v", "EX", "10", "EX", "20"}), Ok());  // the last one counts
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 20000);
  ASSERT_EQ(Run({"SET", "k", "v2", "KEEPTTL"}), Ok());
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 20000);
  EXPECT_EQ(Run({"SET", "k", "v3", "keepttl", "GET", "KEEPTTL"}), Bulk("v2"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 20000);
  ASSERT_EQ(Run({"SET", "k", "v4", "XX"}), Ok());
  EXPECT_EQ(DeadlineMs("k"), 0);
  ASSERT_EQ(Run({"SET", "k", "v", "PX", "500"}), Ok());
  ASSERT_EQ(Run({"SET", "k", "v"}), Ok());
  EXPECT_EQ(DeadlineMs("k"), 0);
  ASSERT_EQ(Run({"SET", "n", "v", "KEEPTTL"}), Ok());  // KEEPTTL on a new key: no deadline
  EXPECT_EQ(DeadlineMs("n"), 0);
}

TEST_F(StringCommandsTest, SetNx) {
  EXPECT_EQ(Run({"SETNX", "k", "v1"}), Int(1));
  EXPECT_EQ(Run({"SETNX", "k", "v2"}), Int(0));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v1"));
  ASSERT_EQ(Run({"SET", "e", "v", "PX", "10"}), Ok());
  AdvanceTime(11);
  EXPECT_EQ(Run({"SETNX", "e", "new"}), Int(1));  // an expired key counts as absent
  EXPECT_EQ(Run({"GET", "e"}), Bulk("new"));
  EXPECT_EQ(DeadlineMs("e"), 0);
}

TEST_F(StringCommandsTest, SetExAndPSetEx) {
  EXPECT_EQ(Run({"SETEX", "k", "10", "v"}), Ok());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 10000);
  EXPECT_EQ(Run({"PSETEX", "p", "150", "w"}), Ok());
  EXPECT_EQ(DeadlineMs("p"), kStartMs + 150);
  AdvanceTime(150);
  EXPECT_EQ(Run({"GET", "p"}), Bulk("w"));
  AdvanceTime(1);
  EXPECT_EQ(Run({"GET", "p"}), Nil());

  EXPECT_EQ(Run({"SETEX", "k", "0", "v"}), InvalidExpire("setex"));
  EXPECT_EQ(Run({"SETEX", "k", "-5", "v"}), InvalidExpire("setex"));
  EXPECT_EQ(Run({"SETEX", "k", "9223372036854775", "v"}), InvalidExpire("setex"));
  EXPECT_EQ(Run({"SETEX", "k", "abc", "v"}), Err(kNotInteger));
  EXPECT_EQ(Run({"PSETEX", "k", "0", "v"}), InvalidExpire("psetex"));
  EXPECT_EQ(Run({"PSETEX", "k", "9223372036854775807", "v"}), InvalidExpire("psetex"));
  EXPECT_EQ(Run({"PSETEX", "k", "1.0", "v"}), Err(kNotInteger));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));
}

TEST_F(StringCommandsTest, GetSet) {
  EXPECT_EQ(Run({"GETSET", "k", "v1"}), Nil());
  EXPECT_EQ(Run({"GETSET", "k", "v2"}), Bulk("v1"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  ASSERT_EQ(Run({"SET", "k", "v3", "EX", "100"}), Ok());
  EXPECT_EQ(Run({"GETSET", "k", "v4"}), Bulk("v3"));
  EXPECT_EQ(DeadlineMs("k"), 0);  // GETSET clears the deadline
}

TEST_F(StringCommandsTest, GetDel) {
  EXPECT_EQ(Run({"GETDEL", "k"}), Nil());
  ASSERT_EQ(Run({"SET", "k", "v"}), Ok());
  EXPECT_EQ(Run({"GETDEL", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"GET", "k"}), Nil());
  EXPECT_EQ(Run({"GETDEL", "k"}), Nil());
  EXPECT_EQ(shard_.dbs[0].size(), 0u);
}

// ---------------------------------------------------------------------------------------------
// GETEX

TEST_F(StringCommandsTest, GetExWithoutOptionsKeepsTheDeadline) {
  EXPECT_EQ(Run({"GETEX", "k"}), Nil());
  ASSERT_EQ(Run({"SET", "k", "v", "PX", "100"}), Ok());
  EXPECT_EQ(Run({"GETEX", "k"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 100);
}

TEST_F(StringCommandsTest, GetExSetsTheDeadline) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Ok());
  EXPECT_EQ(Run({"GETEX", "k", "EX", "10"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 10000);
  EXPECT_EQ(Run({"GETEX", "k", "px", "250"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 250);
  const std::string at_s = std::to_string(kStartMs / 1000 + 60);
  EXPECT_EQ(Run({"GETEX", "k", "EXAT", at_s}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), (kStartMs / 1000 + 60) * 1000);
  const std::string at_ms = std::to_string(kStartMs + 7);
  EXPECT_EQ(Run({"GETEX", "k", "PXAT", at_ms}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 7);
  EXPECT_EQ(Run({"GETEX", "k", "EX", "10", "EX", "20"}), Bulk("v"));  // the last one counts
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 20000);
  EXPECT_EQ(Run({"GETEX", "k", "PERSIST"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), 0);
  EXPECT_EQ(Run({"GETEX", "k", "PERSIST", "persist"}), Bulk("v"));
  EXPECT_EQ(DeadlineMs("k"), 0);
}

TEST_F(StringCommandsTest, GetExDeadlineInThePastDeletes) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Ok());
  EXPECT_EQ(Run({"GETEX", "k", "EXAT", "1"}), Bulk("v"));
  EXPECT_EQ(shard_.dbs[0].size(), 0u);
  ASSERT_EQ(Run({"SET", "k", "v"}), Ok());
  const std::string now = std::to_string(kStartMs);
  EXPECT_EQ(Run({"GETEX", "k", "PXAT", now}), Bulk("v"));
  EXPECT_EQ(Run({"GET", "k"}), Nil());
}

TEST_F(StringCommandsTest, GetExErrors) {
  // Syntax is checked first, even for a missing key.
  for (std::string_view option : {"NX", "XX", "GET", "KEEPTTL", "FOO", "EX"}) {
    EXPECT_EQ(Run({"GETEX", "missing", option}), Err(kSyntax)) << option;
  }
  EXPECT_EQ(Run({"GETEX", "k", "EX", "10", "PERSIST"}), Err(kSyntax));
  EXPECT_EQ(Run({"GETEX", "k", "PERSIST", "EX", "10"}), Err(kSyntax));
  EXPECT_EQ(Run({"GETEX", "k", "EX", "10", "PX", "10"}), Err(kSyntax));
  // The number is checked only when the key exists.
  EXPECT_EQ(Run({"GETEX", "missing", "EX", "0"}), Nil());
  EXPECT_EQ(Run({"GETEX", "missing", "EX", "abc"}), Nil());
  ASSERT_EQ(Run({"SET", "k", "v", "PX", "100"}), Ok());
  EXPECT_EQ(Run({"GETEX", "k", "EX", "0"}), InvalidExpire("getex"));
  EXPECT_EQ(Run({"GETEX", "k", "PXAT", "-1"}), InvalidExpire("getex"));
  EXPECT_EQ(Run({"GETEX", "k", "EX", "9223372036854775"}), InvalidExpire("getex"));
  EXPECT_EQ(Run({"GETEX", "k", "PX", "x"}), Err(kNotInteger));
  EXPECT_EQ(DeadlineMs("k"), kStartMs + 100);
}

// ---------------------------------------------------------------------------------------------
// MGET / MSET / MSETNX

TEST_F(StringCommandsTest, MGet) {
  ASSERT_EQ(Run({"SET", "a", "1"}), Ok());
  ASSERT_EQ(Run({"SET", "c", ""}), Ok());
  EXPECT_EQ(Run({"MGET", "a", "b", "c", "a"}), Array({Bulk("1"), Nil(), Bulk(""), Bulk("1")}));
  EXPECT_EQ(Run({"MGET", "none"}), Array({Nil()}));
}

TEST_F(StringCommandsTest, MSet) {
  EXPECT_EQ(Run({"MSET", "a", "1", "b", "2", "a", "3"}), Ok());  // the last value wins
  EXPECT_EQ(Run({"MGET", "a", "b"}), Bulks({"3", "2"}));
  ASSERT_EQ(Run({"SET", "t", "v", "EX", "10"}), Ok());
  EXPECT_EQ(Run({"MSET", "t", "w"}), Ok());
  EXPECT_EQ(DeadlineMs("t"), 0);
  EXPECT_EQ(Run({"MSET", "a", "1", "b"}), WrongArgs("mset"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("3"));
}

TEST_F(StringCommandsTest, MSetNx) {
  EXPECT_EQ(Run({"MSETNX", "a", "1", "b", "2"}), Int(1));
  EXPECT_EQ(Run({"MSETNX", "c", "3", "b", "4"}), Int(0));  // b exists: nothing is stored
  EXPECT_EQ(Run({"MGET", "a", "b", "c"}), Array({Bulk("1"), Bulk("2"), Nil()}));
  EXPECT_EQ(Run({"MSETNX", "d", "1", "d", "2"}), Int(1));
  EXPECT_EQ(Run({"GET", "d"}), Bulk("2"));
  EXPECT_EQ(Run({"MSETNX", "e", "1", "f"}), WrongArgs("msetnx"));
  EXPECT_EQ(Run({"GET", "e"}), Nil());
}

// ---------------------------------------------------------------------------------------------
// INCR family

TEST_F(StringCommandsTest, IncrAndDecr) {
  EXPECT_EQ(Run({"INCR", "n"}), Int(1));
  EXPECT_EQ(Run({"INCR", "n"}), Int(2));
  EXPECT_EQ(Run({"DECR", "n"}), Int(1));
  EXPECT_EQ(Run({"DECR", "m"}), Int(-1));
  EXPECT_EQ(Run({"GET", "m"}), Bulk("-1"));
  ASSERT_EQ(Run({"SET", "n", "41"}), Ok());
  EXPECT_EQ(Run({"INCR", "n"}), Int(42));
  EXPECT_EQ(Run({"GET", "n"}), Bulk("42"));
  EXPECT_EQ(Run({"INCRBY", "n", "-50"}), Int(-8));
  EXPECT_EQ(Run({"DECRBY", "n", "-10"}), Int(2));
  EXPECT_EQ(Run({"INCRBY", "z", "0"}), Int(0));
  EXPECT_EQ(Run({"GET", "z"}), Bulk("0"));
}

TEST_F(StringCommandsTest, IncrKeepsTheDeadline) {
  ASSERT_EQ(Run({"SET", "n", "5", "PX", "100"}), Ok());
  EXPECT_EQ(Run({"INCRBY", "n", "5"}), Int(10));
  EXPECT_EQ(DeadlineMs("n"), kStartMs + 100);
}

TEST_F(StringCommandsTest, IncrRejectsNonIntegers) {
  for (std::string_view value : {"abc", "", " 1", "1 ", "+1", "01", "1.5", "1e3", "0x10",
                                 "9223372036854775808", "-9223372036854775809"}) {
    ASSERT_EQ(Run({"SET", "n", value}), Ok());
    EXPECT_EQ(Run({"INCR", "n"}), Err(kNotInteger)) << value;
    EXPECT_EQ(Run({"GET", "n"}), Bulk(value));
  }
  ASSERT_EQ(Run({"SET", "n", std::string("1\0", 2)}), Ok());
  EXPECT_EQ(Run({"DECR", "n"}), Err(kNotInteger));
  EXPECT_EQ(Run({"INCRBY", "n", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"INCRBY", "n", "1.0"}), Err(kNotInteger));
  EXPECT_EQ(Run({"DECRBY", "n", " 1"}), Err(kNotInteger));
}

TEST_F(StringCommandsTest, IncrOverflow) {
  ASSERT_EQ(Run({"SET", "n", "9223372036854775807"}), Ok());
  EXPECT_EQ(Run({"INCR", "n"}), Err(kOverflow));
  EXPECT_EQ(Run({"INCRBY", "n", "-1"}), Int(9223372036854775806));
  EXPECT_EQ(Run({"INCRBY", "n", "2"}), Err(kOverflow));
  ASSERT_EQ(Run({"SET", "n", "-9223372036854775808"}), Ok());
  EXPECT_EQ(Run({"DECR", "n"}), Err(kOverflow));
  EXPECT_EQ(Run({"GET", "n"}), Bulk("-9223372036854775808"));
  EXPECT_EQ(Run({"DECRBY", "n", "9223372036854775807"}), Err(kOverflow));
  EXPECT_EQ(Run({"INCRBY", "n", "9223372036854775807"}), Int(-1));
  // DECRBY cannot negate the smallest int64.
  EXPECT_EQ(Run({"DECRBY", "m", "-9223372036854775808"}), Err(kDecrementOverflow));
  EXPECT_EQ(Run({"GET", "m"}), Nil());
  EXPECT_EQ(Run({"INCRBY", "m", "-9223372036854775808"}), Int(INT64_MIN));
}

TEST_F(StringCommandsTest, IncrByFloatFormatsLikeRedis) {
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "10.5"}), Bulk("10.5"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "-5.0e3"}), Bulk("-4989.39999999999999991"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "1.23e-10"}), Bulk("-4989.39999999987700008"));
  EXPECT_EQ(Run({"GET", "f"}), Bulk("-4989.39999999987700008"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "q", "0.1"}), Bulk("0.1"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "q", "0.2"}), Bulk("0.3"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "w", "3.0"}), Bulk("3"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "w", "1E2"}), Bulk("103"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "z", "123.456e2"}), Bulk("12345.59999999999999964"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "z", "-0.00000000000000001"}), Bulk("12345.59999999999999964"));
  // Below the 17th decimal the result is 0, and never "-0".
  EXPECT_EQ(Run({"INCRBYFLOAT", "tiny", "1.5e-18"}), Bulk("0"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "neg", "-0.0000000000000000001"}), Bulk("0"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "sub", "1e-400"}), Bulk("0"));  // fits a long double
  ASSERT_EQ(Run({"SET", "h", "-0.5"}), Ok());
  EXPECT_EQ(Run({"INCRBYFLOAT", "h", "0.5"}), Bulk("0"));
  ASSERT_EQ(Run({"SET", "i", "5"}), Ok());
  EXPECT_EQ(Run({"INCRBYFLOAT", "i", "1.5"}), Bulk("6.5"));
  ASSERT_EQ(Run({"SET", "g", "5.0e3"}), Ok());
  EXPECT_EQ(Run({"INCRBYFLOAT", "g", "2.0e2"}), Bulk("5200"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "g", "0x10"}), Bulk("5216"));  // strtold reads hexadecimal
  ASSERT_EQ(Run({"SET", "l", "00012"}), Ok());
  EXPECT_EQ(Run({"INCRBYFLOAT", "l", "1"}), Bulk("13"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "big", "123456789012345678901234567890"}),
            Bulk("123456789012345678899921813504"));
}

TEST_F(StringCommandsTest, IncrByFloatHugeValues) {
  ASSERT_EQ(Run({"SET", "h", "1e4000"}), Ok());  // beyond double, within long double
  const std::string big_prefix = "$4000\r\n99999999999999999999654638730996237849324925835069";
  EXPECT_EQ(Run({"INCRBYFLOAT", "h", "1"}).substr(0, big_prefix.size()), big_prefix);
  const std::string max_prefix = "$309\r\n179769313486231569995921046774104434048386446944";
  EXPECT_EQ(Run({"INCRBYFLOAT", "d", "1.7976931348623157e308"}).substr(0, max_prefix.size()),
            max_prefix);
}

TEST_F(StringCommandsTest, IncrByFloatErrors) {
  for (std::string_view increment : {"abc", "", " 1", "1 ", "nan", "1e5000", "1e-5000"}) {
    EXPECT_EQ(Run({"INCRBYFLOAT", "f", increment}), Err(kNotFloat)) << increment;
  }
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", std::string("1\0", 2)}), Err(kNotFloat));
  EXPECT_EQ(Run({"GET", "f"}), Nil());
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "inf"}), Err(kIncrFloatNaN));
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "-inf"}), Err(kIncrFloatNaN));
  for (std::string_view value : {"abc", " 1", "12abc", "1e5000"}) {
    ASSERT_EQ(Run({"SET", "v", value}), Ok());
    EXPECT_EQ(Run({"INCRBYFLOAT", "v", "1"}), Err(kNotFloat)) << value;
  }
  ASSERT_EQ(Run({"SET", "v", "inf"}), Ok());  // a stored inf reads, but the sum is rejected
  EXPECT_EQ(Run({"INCRBYFLOAT", "v", "1"}), Err(kIncrFloatNaN));
  ASSERT_EQ(Run({"SET", "v", "1.5"}), Ok());
  EXPECT_EQ(Run({"INCR", "v"}), Err(kNotInteger));
}

TEST_F(StringCommandsTest, IncrByFloatKeepsTheDeadline) {
  ASSERT_EQ(Run({"SET", "f", "1.5", "PX", "100000"}), Ok());
  EXPECT_EQ(Run({"INCRBYFLOAT", "f", "1"}), Bulk("2.5"));
  EXPECT_EQ(DeadlineMs("f"), kStartMs + 100000);
}

// ---------------------------------------------------------------------------------------------
// APPEND, STRLEN, GETRANGE, SETRANGE

TEST_F(StringCommandsTest, Append) {
  EXPECT_EQ(Run({"APPEND", "k", "Hello"}), Int(5));
  EXPECT_EQ(Run({"APPEND", "k", " World"}), Int(11));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("Hello World"));
  EXPECT_EQ(Run({"APPEND", "e", ""}), Int(0));  // creates the key with an empty string
  EXPECT_EQ(Run({"GET", "e"}), Bulk(""));
  EXPECT_EQ(Run({"APPEND", "b", std::string("\0\0", 2)}), Int(2));
  EXPECT_EQ(Run({"APPEND", "b", std::string("x\0", 2)}), Int(4));
  EXPECT_EQ(Run({"GET", "b"}), Bulk(std::string("\0\0x\0", 4)));
  ASSERT_EQ(Run({"SET", "t", "a", "PX", "100"}), Ok());
  EXPECT_EQ(Run({"APPEND", "t", "b"}), Int(2));
  EXPECT_EQ(DeadlineMs("t"), kStartMs + 100);
}

TEST_F(StringCommandsTest, AppendStopsAtProtoMaxBulkLen) {
  shard_.config.proto_max_bulk_len = 10;
  ASSERT_EQ(Run({"SET", "k", "12345678"}), Ok());
  EXPECT_EQ(Run({"APPEND", "k", "90"}), Int(10));
  EXPECT_EQ(Run({"APPEND", "k", "x"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"APPEND", "k", ""}), Int(10));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("1234567890"));
}

TEST_F(StringCommandsTest, StrLen) {
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "Hello"}), Ok());
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(5));
  ASSERT_EQ(Run({"SET", "k", ""}), Ok());
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(0));
}

TEST_F(StringCommandsTest, GetRangeIndexes) {
  ASSERT_EQ(Run({"SET", "k", "Hello"}), Ok());
  struct Case {
    std::string_view start, end, expected;
  };
  const Case cases[] = {
      {"0", "-1", "Hello"},  {"0", "0", "H"},
      {"1", "3", "ell"},     {"4", "4", "o"},
      {"-3", "-1", "llo"},   {"-1", "-5", ""},
      {"3", "2", ""},        {"10", "20", ""},
      {"5", "5", ""},        {"0", "-100", "H"},
      {"-100", "-100", "H"}, {"-100", "100", "Hello"},
      {"2", "100", "llo"},   {"-9223372036854775808", "9223372036854775807", "Hello"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Run({"GETRANGE", "k", c.start, c.end}), Bulk(c.expected)) << c.start << " " << c.end;
  }
  EXPECT_EQ(Run({"SUBSTR", "k", "1", "3"}), Bulk("ell"));
}

TEST_F(StringCommandsTest, GetRangeEdgeCases) {
  EXPECT_EQ(Run({"GETRANGE", "missing", "0", "-1"}), Bulk(""));
  EXPECT_EQ(Run({"GETRANGE", "missing", "a", "0"}), Err(kNotInteger));
  EXPECT_EQ(Run({"GETRANGE", "missing", "0", "1.0"}), Err(kNotInteger));
  ASSERT_EQ(Run({"SET", "e", ""}), Ok());
  EXPECT_EQ(Run({"GETRANGE", "e", "0", "-1"}), Bulk(""));
  EXPECT_EQ(Run({"GETRANGE", "e", "0", "0"}), Bulk(""));
  const std::string binary("a\0b\0c", 5);
  ASSERT_EQ(Run({"SET", "b", binary}), Ok());
  EXPECT_EQ(Run({"GETRANGE", "b", "1", "3"}), Bulk(std::string("\0b\0", 3)));
}

TEST_F(StringCommandsTest, SetRange) {
  ASSERT_EQ(Run({"SET", "k", "Hello World"}), Ok());
  EXPECT_EQ(Run({"SETRANGE", "k", "6", "Redis"}), Int(11));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("Hello Redis"));
  EXPECT_EQ(Run({"SETRANGE", "k", "9", "xyz"}), Int(12));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("Hello Redxyz"));
  // A missing key is created and padded with zero bytes.
  EXPECT_EQ(Run({"SETRANGE", "n", "2", "ab"}), Int(4));
  EXPECT_EQ(Run({"GET", "n"}), Bulk(std::string("\0\0ab", 4)));
  EXPECT_EQ(Run({"SETRANGE", "n", "6", "c"}), Int(7));
  EXPECT_EQ(Run({"GET", "n"}), Bulk(std::string("\0\0ab\0\0c", 7)));
  ASSERT_EQ(Run({"SET", "t", "abc", "PX", "100"}), Ok());
  EXPECT_EQ(Run({"SETRANGE", "t", "0", "X"}), Int(3));
  EXPECT_EQ(DeadlineMs("t"), kStartMs + 100);
}

TEST_F(StringCommandsTest, SetRangeWithEmptyValueChangesNothing) {
  EXPECT_EQ(Run({"SETRANGE", "missing", "0", ""}), Int(0));
  EXPECT_EQ(Run({"SETRANGE", "missing", "536870912", ""}), Int(0));
  EXPECT_EQ(Run({"GET", "missing"}), Nil());
  EXPECT_EQ(shard_.dbs[0].size(), 0u);
  ASSERT_EQ(Run({"SET", "k", "abc"}), Ok());
  EXPECT_EQ(Run({"SETRANGE", "k", "100", ""}), Int(3));
  EXPECT_EQ(Run({"SETRANGE", "k", "9223372036854775807", ""}), Int(3));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("abc"));
}

TEST_F(StringCommandsTest, SetRangeErrors) {
  ASSERT_EQ(Run({"SET", "k", "abc"}), Ok());
  EXPECT_EQ(Run({"SETRANGE", "k", "-1", "x"}), Err(kOffsetOutOfRange));
  EXPECT_EQ(Run({"SETRANGE", "k", "-1", ""}), Err(kOffsetOutOfRange));
  EXPECT_EQ(Run({"SETRANGE", "k", "abc", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SETRANGE", "k", "9223372036854775808", "x"}), Err(kNotInteger));
  // The default limit is 512 MB: offset 2^29 with one byte is one byte too many.
  EXPECT_EQ(Run({"SETRANGE", "k", "536870912", "x"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"SETRANGE", "new", "536870912", "x"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"SETRANGE", "k", "9223372036854775807", "xx"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"GET", "new"}), Nil());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("abc"));

  shard_.config.proto_max_bulk_len = 8;
  EXPECT_EQ(Run({"SETRANGE", "k", "7", "x"}), Int(8));
  EXPECT_EQ(Run({"SETRANGE", "k", "7", "xy"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"SETRANGE", "k", "8", "x"}), Err(kStringTooLong));
}

// ---------------------------------------------------------------------------------------------
// Keyspace statistics

TEST_F(StringCommandsTest, ReadsCountHitsAndMisses) {
  ASSERT_EQ(Run({"SET", "s", "hello"}), Ok());
  Run({"GET", "s"});
  Run({"GET", "m"});
  EXPECT_EQ(hits(), 1u);
  EXPECT_EQ(misses(), 1u);
  Run({"MGET", "s", "m", "s"});
  EXPECT_EQ(hits(), 3u);
  EXPECT_EQ(misses(), 2u);
  Run({"STRLEN", "s"});
  Run({"GETRANGE", "m", "0", "1"});
  Run({"SUBSTR", "s", "0", "1"});
  Run({"GETEX", "s"});
  Run({"SET", "s", "v", "GET"});
  Run({"GETSET", "m", "v"});
  Run({"GETDEL", "m"});
  EXPECT_EQ(hits(), 8u);
  EXPECT_EQ(misses(), 4u);
  // Argument errors come before the lookup.
  Run({"GETRANGE", "s", "x", "1"});
  // Commands that only modify do not count.
  for (auto args : std::vector<std::vector<std::string_view>>{{"SET", "n", "1"},
                                                              {"SET", "n", "2", "NX"},
                                                              {"SETNX", "n", "3"},
                                                              {"INCR", "n"},
                                                              {"INCRBYFLOAT", "n", "1"},
                                                              {"APPEND", "n", "0"},
                                                              {"SETRANGE", "n", "0", "1"},
                                                              {"MSETNX", "n", "1"},
                                                              {"MSET", "n", "1"}}) {
    Run(args);
  }
  EXPECT_EQ(hits(), 8u);
  EXPECT_EQ(misses(), 4u);
}

}  // namespace
}  // namespace ringtail::commands
