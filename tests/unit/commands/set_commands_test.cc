// SPDX-License-Identifier: Apache-2.0
// Tests of the set command family (src/commands/set_commands.cc) on one in-process shard.
// Expected replies and error texts were checked against redis-server 7.0; encodings of
// non-integer sets follow Redis 7.2, the first version with listpack sets.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_test.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using protocol::kNegativeCount;
using protocol::kNotInteger;
using protocol::kRandCountOutOfRange;
using protocol::kSetLimitNegative;
using protocol::kNumKeysNotPositive;
using protocol::kSetNumKeysTooMany;
using protocol::kSyntax;
using protocol::kWrongType;

class SetCommandsTest : public CommandTest {
 protected:
  // The bulk strings of an array or set reply ("*n" or "~n" followed by n bulks).
  static std::vector<std::string> Elements(std::string_view reply) {
    std::vector<std::string> out;
    EXPECT_TRUE(!reply.empty() && (reply[0] == '*' || reply[0] == '~')) << reply;
    size_t pos = reply.find("\r\n") + 2;
    while (pos < reply.size()) {
      EXPECT_EQ(reply[pos], '$') << reply;
      size_t eol = reply.find("\r\n", pos);
      size_t len = std::stoul(std::string(reply.substr(pos + 1, eol - pos - 1)));
      out.emplace_back(reply.substr(eol + 2, len));
      pos = eol + 2 + len + 2;
    }
    EXPECT_EQ(std::to_string(out.size()), std::string(reply.substr(1, reply.find("\r\n") - 1)))
        << reply;
    return out;
  }
  static std::multiset<std::string> Sorted(std::string_view reply) {
    std::vector<std::string> e = Elements(reply);
    return {e.begin(), e.end()};
  }
  std::multiset<std::string> MembersOf(std::string_view key) {
    return Sorted(Run({"SMEMBERS", key}));
  }
  std::string Encoding(std::string_view key) { return Run({"OBJECT", "ENCODING", key}); }
  // Runs a command given as strings.
  std::string RunAll(const std::vector<std::string>& args) {
    return Run(std::vector<std::string_view>(args.begin(), args.end()));
  }
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
  static std::multiset<std::string> M(std::initializer_list<std::string> items) { return {items}; }
};

// ---------------------------------------------------------------------------------------------
// Command table rows

TEST_F(SetCommandsTest, RowsMatchRedisCommandInfo) {
  ExpectSpecRows({
      {"sadd", -3, kWrite | kDenyOom | kFast, 1, 1, 1},
      {"srem", -3, kWrite | kFast, 1, 1, 1},
      {"smembers", 2, kRead, 1, 1, 1},
      {"sismember", 3, kRead | kFast, 1, 1, 1},
      {"smismember", -3, kRead | kFast, 1, 1, 1},
      {"scard", 2, kRead | kFast, 1, 1, 1},
      {"spop", -2, kWrite | kFast, 1, 1, 1},
      {"srandmember", -2, kRead, 1, 1, 1},
      {"smove", 4, kWrite | kFast, 1, 2, 1},
      {"sinter", -2, kRead, 1, -1, 1},
      {"sunion", -2, kRead, 1, -1, 1},
      {"sdiff", -2, kRead, 1, -1, 1},
      {"sintercard", -3, kRead, 0, 0, 0},
      {"sinterstore", -3, kWrite | kDenyOom, 1, -1, 1},
      {"sunionstore", -3, kWrite | kDenyOom, 1, -1, 1},
      {"sdiffstore", -3, kWrite | kDenyOom, 1, -1, 1},
      {"sscan", -3, kRead, 1, 1, 1},
  }, "set");
}

TEST_F(SetCommandsTest, SInterCardRoutesByItsNumkeysKeys) {
  const CommandSpec* spec = DefaultCommandTable().Find("sintercard");
  std::vector<std::string_view> args = {"SINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "5"};
  EXPECT_EQ(spec->RouteFor(args), Route::kKeys);
  std::vector<uint32_t> positions;
  KeyPositions(*spec, args, &positions);
  EXPECT_EQ(positions, (std::vector<uint32_t>{2, 3}));
  positions.clear();
  std::vector<std::string_view> bad = {"SINTERCARD", "3", "a", "b"};
  KeyPositions(*spec, bad, &positions);
  EXPECT_TRUE(positions.empty());  // the handler replies with the error
}

TEST_F(SetCommandsTest, ArityErrorsNameTheCommand) {
  EXPECT_EQ(Run({"SADD", "s"}), WrongArgs("sadd"));
  EXPECT_EQ(Run({"SREM", "s"}), WrongArgs("srem"));
  EXPECT_EQ(Run({"SMEMBERS"}), WrongArgs("smembers"));
  EXPECT_EQ(Run({"SISMEMBER", "s"}), WrongArgs("sismember"));
  EXPECT_EQ(Run({"SMISMEMBER", "s"}), WrongArgs("smismember"));
  EXPECT_EQ(Run({"SMOVE", "a", "b"}), WrongArgs("smove"));
  EXPECT_EQ(Run({"SINTERCARD", "1"}), WrongArgs("sintercard"));
  EXPECT_EQ(Run({"SINTERSTORE", "d"}), WrongArgs("sinterstore"));
  EXPECT_EQ(Run({"SDIFF"}), WrongArgs("sdiff"));
  EXPECT_EQ(Run({"SSCAN", "s"}), WrongArgs("sscan"));
}

// ---------------------------------------------------------------------------------------------
// SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS

TEST_F(SetCommandsTest, AddRemoveAndMembership) {
  EXPECT_EQ(Run({"SADD", "s", "a", "b", "a", "c"}), Int(3));
  EXPECT_EQ(Run({"SADD", "s", "a", "d"}), Int(1));
  EXPECT_EQ(Run({"SCARD", "s"}), Int(4));
  EXPECT_EQ(Run({"SCARD", "missing"}), Int(0));
  EXPECT_EQ(Run({"SISMEMBER", "s", "a"}), Int(1));
  EXPECT_EQ(Run({"SISMEMBER", "s", "z"}), Int(0));
  EXPECT_EQ(Run({"SISMEMBER", "missing", "a"}), Int(0));
  EXPECT_EQ(Run({"SMISMEMBER", "s", "a", "z", "d"}), Array({Int(1), Int(0), Int(1)}));
  EXPECT_EQ(Run({"SMISMEMBER", "missing", "a", "b"}), Array({Int(0), Int(0)}));
  EXPECT_EQ(MembersOf("s"), M({"a", "b", "c", "d"}));
  EXPECT_EQ(Run({"SREM", "s", "a", "z", "a"}), Int(1));
  EXPECT_EQ(Run({"SREM", "missing", "a"}), Int(0));
  EXPECT_EQ(Run({"SREM", "s", "b", "c", "d", "e"}), Int(3));
  EXPECT_EQ(Run({"EXISTS", "s"}), Int(0));  // an emptied set is deleted
  EXPECT_EQ(Run({"SMEMBERS", "s"}), "*0\r\n");
}

TEST_F(SetCommandsTest, MembersAreBinarySafe) {
  const std::string member("a\0b\r\n", 5);
  EXPECT_EQ(Run({"SADD", "s", member, "", std::string_view("a", 1)}), Int(3));
  EXPECT_EQ(Run({"SISMEMBER", "s", member}), Int(1));
  EXPECT_EQ(Run({"SISMEMBER", "s", ""}), Int(1));
  EXPECT_EQ(MembersOf("s"), M({member, "", "a"}));
}

TEST_F(SetCommandsTest, SMembersIsASetInResp3) {
  Run({"SADD", "s", "3", "1", "2"});
  EXPECT_EQ(Run({"SMEMBERS", "s"}), Bulks({"1", "2", "3"}));  // an intset is ascending
  client_.resp3 = true;
  EXPECT_EQ(Run({"SMEMBERS", "s"}), "~3\r\n" + Bulk("1") + Bulk("2") + Bulk("3"));
  EXPECT_EQ(Run({"SMEMBERS", "missing"}), "~0\r\n");
  EXPECT_EQ(Run({"SISMEMBER", "s", "1"}), Int(1));  // an integer, not a boolean
}

TEST_F(SetCommandsTest, EveryCommandRefusesAnotherType) {
  Run({"SET", "str", "v"});
  Run({"SADD", "s", "a"});
  const std::vector<std::vector<std::string_view>> commands = {
      {"SADD", "str", "a"},
      {"SREM", "str", "a"},
      {"SMEMBERS", "str"},
      {"SISMEMBER", "str", "a"},
      {"SMISMEMBER", "str", "a"},
      {"SCARD", "str"},
      {"SPOP", "str"},
      {"SPOP", "str", "0"},
      {"SRANDMEMBER", "str"},
      {"SRANDMEMBER", "str", "0"},
      {"SMOVE", "str", "s", "a"},
      {"SMOVE", "s", "str", "a"},
      {"SINTER", "s", "str"},
      {"SINTER", "missing", "str"},
      {"SUNION", "missing", "str"},
      {"SDIFF", "missing", "str"},
      {"SINTERCARD", "2", "missing", "str"},
      {"SINTERSTORE", "d", "s", "str"},
      {"SUNIONSTORE", "d", "str"},
      {"SDIFFSTORE", "d", "missing", "str"},
      {"SSCAN", "str", "0"},
      {"SSCAN", "str", "0", "COUNT", "0"},
  };
  for (const auto& command : commands) {
    EXPECT_EQ(Run(command), Err(kWrongType)) << command[0] << " " << command[1];
  }
  EXPECT_EQ(Run({"GET", "str"}), Bulk("v"));
  EXPECT_EQ(MembersOf("s"), M({"a"}));  // SMOVE to a wrong type took nothing from the source
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
}

TEST_F(SetCommandsTest, ReadsCountHitsAndMissesWritesDoNot) {
  Run({"SADD", "s", "a"});
  Run({"SREM", "missing", "a"});
  Run({"SPOP", "missing"});
  Run({"SMOVE", "s", "t", "x"});
  EXPECT_EQ(hits(), 0u);
  EXPECT_EQ(misses(), 0u);
  Run({"SMEMBERS", "s"});
  Run({"SISMEMBER", "missing", "a"});
  Run({"SINTER", "s", "missing"});
  EXPECT_EQ(hits(), 2u);
  EXPECT_EQ(misses(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Encodings

TEST_F(SetCommandsTest, EncodingsFollowTheConfiguredLimits) {
  EXPECT_EQ(Run({"CONFIG", "SET", "set-max-intset-entries", "3"}), Ok());
  EXPECT_EQ(Run({"CONFIG", "SET", "set-max-listpack-entries", "4"}), Ok());
  EXPECT_EQ(Run({"CONFIG", "SET", "set-max-listpack-value", "5"}), Ok());
  Run({"SADD", "ints", "1", "2", "3"});
  EXPECT_EQ(Encoding("ints"), Bulk("intset"));
  Run({"SADD", "ints", "4"});
  EXPECT_EQ(Encoding("ints"), Bulk("hashtable"));

  Run({"SADD", "mixed", "1", "2"});
  Run({"SADD", "mixed", "abcde"});  // fits: a listpack
  EXPECT_EQ(Encoding("mixed"), Bulk("listpack"));
  Run({"SADD", "mixed", "x"});
  EXPECT_EQ(Encoding("mixed"), Bulk("listpack"));
  Run({"SADD", "mixed", "y"});  // a fifth member
  EXPECT_EQ(Encoding("mixed"), Bulk("hashtable"));
  Run({"SREM", "mixed", "1", "2", "x", "y"});
  EXPECT_EQ(Encoding("mixed"), Bulk("hashtable"));  // never back

  Run({"SADD", "long", "abcdef"});
  EXPECT_EQ(Encoding("long"), Bulk("hashtable"));
  // The number of arguments is the hint: five, even if repeated, is past the listpack limit.
  Run({"SADD", "hinted", "a", "a", "a", "a", "a"});
  EXPECT_EQ(Encoding("hinted"), Bulk("hashtable"));
  EXPECT_EQ(Run({"SCARD", "hinted"}), Int(1));
}

TEST_F(SetCommandsTest, MemoryAccountingReturnsToItsStart) {
  // Enough keys that the table's bucket array (counted too) does not grow with the sets below:
  // whether SMOVE creates "t" depends on which members SPOP picked.
  for (int i = 0; i < 8; ++i) Run({"SET", "pad:" + std::to_string(i), "v"});
  Run({"SET", "anchor", "v"});
  auto settle = [&] {  // finish any incremental rehash, whose second array is counted too
    while (shard_.dbs[0].RehashStep(1024)) {
    }
  };
  settle();
  size_t start = shard_.dbs[0].memory_bytes();
  for (int i = 0; i < 1000; ++i) Run({"SADD", "s", std::to_string(i)});  // intset to hashtable
  for (int i = 0; i < 1000; ++i) Run({"SADD", "s", "m" + std::to_string(i)});
  for (int i = 0; i < 600; ++i) Run({"SREM", "s", "m" + std::to_string(i)});
  Run({"SPOP", "s", "30"});
  Run({"SPOP", "s"});
  Run({"SPOP", "s", "1300"});  // the rebuild path: few remain
  Run({"SMOVE", "s", "t", "m999"});
  Run({"SADD", "{k}a", "1", "2", "x"});
  Run({"SUNIONSTORE", "{k}b", "{k}a", "{k}a"});
  EXPECT_GT(shard_.dbs[0].memory_bytes(), start);
  Run({"DEL", "s", "t", "{k}a", "{k}b"});
  settle();
  EXPECT_EQ(shard_.dbs[0].memory_bytes(), start);
}

// ---------------------------------------------------------------------------------------------
// SPOP / SRANDMEMBER

TEST_F(SetCommandsTest, SPopWithoutCount) {
  EXPECT_EQ(Run({"SPOP", "missing"}), Nil());
  Run({"SADD", "s", "a", "b"});
  std::string first = Run({"SPOP", "s"});
  std::string second = Run({"SPOP", "s"});
  EXPECT_NE(first, second);
  EXPECT_TRUE(first == Bulk("a") || first == Bulk("b")) << first;
  EXPECT_TRUE(second == Bulk("a") || second == Bulk("b")) << second;
  EXPECT_EQ(Run({"EXISTS", "s"}), Int(0));
  client_.resp3 = true;
  EXPECT_EQ(Run({"SPOP", "missing"}), "_\r\n");
}

TEST_F(SetCommandsTest, SPopCountErrorsComeBeforeTheKey) {
  Run({"SET", "str", "v"});
  Run({"SADD", "s", "a"});
  EXPECT_EQ(Run({"SPOP", "s", "-1"}), Err(kNegativeCount));
  EXPECT_EQ(Run({"SPOP", "s", "x"}), Err(kNegativeCount));
  EXPECT_EQ(Run({"SPOP", "s", "99999999999999999999"}), Err(kNegativeCount));
  EXPECT_EQ(Run({"SPOP", "missing", "-1"}), Err(kNegativeCount));
  EXPECT_EQ(Run({"SPOP", "str", "-1"}), Err(kNegativeCount));
  EXPECT_EQ(Run({"SPOP", "s", "1", "2"}), Err(kSyntax));
  EXPECT_EQ(MembersOf("s"), M({"a"}));
}

TEST_F(SetCommandsTest, SPopWithCount) {
  EXPECT_EQ(Run({"SPOP", "missing", "3"}), "*0\r\n");
  Run({"SADD", "s", "1", "2", "3", "4", "5"});
  EXPECT_EQ(Run({"SPOP", "s", "0"}), "*0\r\n");
  std::multiset<std::string> popped = Sorted(Run({"SPOP", "s", "2"}));
  EXPECT_EQ(popped.size(), 2u);
  EXPECT_EQ(std::set<std::string>(popped.begin(), popped.end()).size(), 2u);
  std::multiset<std::string> rest = MembersOf("s");
  EXPECT_EQ(rest.size(), 3u);
  for (const std::string& m : popped) EXPECT_EQ(rest.count(m), 0u) << m;
  // A count of at least the size takes everything and deletes the key.
  client_.resp3 = true;
  std::string all = Run({"SPOP", "s", "10"});
  EXPECT_EQ(all.substr(0, 4), "~3\r\n");
  EXPECT_EQ(Sorted(all), rest);
  EXPECT_EQ(Run({"EXISTS", "s"}), Int(0));
  EXPECT_EQ(Run({"SPOP", "missing", "3"}), "~0\r\n");
  Run({"SADD", "s", "a", "b", "c"});
  EXPECT_EQ(Run({"SPOP", "s", "1"}).substr(0, 4), "~1\r\n");
  EXPECT_EQ(Run({"SPOP", "s", "0"}), "~0\r\n");
}

TEST_F(SetCommandsTest, SPopMostOfAHashtableLeavesAListpack) {
  std::vector<std::string> args = {"SADD", "s"};
  for (int i = 0; i < 300; ++i) args.push_back("m" + std::to_string(i));
  RunAll(args);
  EXPECT_EQ(Encoding("s"), Bulk("hashtable"));
  EXPECT_EQ(Elements(Run({"SPOP", "s", "290"})).size(), 290u);
  EXPECT_EQ(Run({"SCARD", "s"}), Int(10));
  EXPECT_EQ(Encoding("s"), Bulk("listpack"));  // Redis 7.2 rebuilds what stays
}

TEST_F(SetCommandsTest, SRandMember) {
  EXPECT_EQ(Run({"SRANDMEMBER", "missing"}), Nil());
  EXPECT_EQ(Run({"SRANDMEMBER", "missing", "5"}), "*0\r\n");
  EXPECT_EQ(Run({"SRANDMEMBER", "missing", "-5"}), "*0\r\n");
  EXPECT_EQ(Run({"SRANDMEMBER", "missing", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "-9223372036854775808"}), Err(kRandCountOutOfRange));
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "1", "2"}), Err(kSyntax));
  Run({"SADD", "s", "a", "b", "c"});
  std::string one = Run({"SRANDMEMBER", "s"});
  EXPECT_TRUE(one == Bulk("a") || one == Bulk("b") || one == Bulk("c")) << one;
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "0"}), "*0\r\n");
  EXPECT_EQ(Sorted(Run({"SRANDMEMBER", "s", "3"})), M({"a", "b", "c"}));
  EXPECT_EQ(Sorted(Run({"SRANDMEMBER", "s", "100"})), M({"a", "b", "c"}));
  std::multiset<std::string> two = Sorted(Run({"SRANDMEMBER", "s", "2"}));
  EXPECT_EQ(std::set<std::string>(two.begin(), two.end()).size(), 2u);
  // A negative count: exactly that many picks, repeats allowed.
  std::multiset<std::string> many = Sorted(Run({"SRANDMEMBER", "s", "-100"}));
  EXPECT_EQ(many.size(), 100u);
  for (const std::string& m : many) EXPECT_TRUE(m == "a" || m == "b" || m == "c") << m;
  EXPECT_EQ(std::set<std::string>(many.begin(), many.end()).size(), 3u);  // all 3, surely
  EXPECT_EQ(MembersOf("s"), M({"a", "b", "c"}));                          // nothing removed
  client_.resp3 = true;
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "2"}).substr(0, 4), "*2\r\n");  // an array, even in RESP3
  EXPECT_EQ(Run({"SRANDMEMBER", "missing"}), "_\r\n");
}

TEST_F(SetCommandsTest, SRandMemberDistinctFromLargeSets) {
  std::vector<std::string> args = {"SADD", "s"};
  for (int i = 0; i < 1000; ++i) args.push_back("m" + std::to_string(i));
  RunAll(args);
  for (const char* count : {"10", "500", "999"}) {
    std::multiset<std::string> got = Sorted(Run({"SRANDMEMBER", "s", count}));
    EXPECT_EQ(got.size(), std::stoul(count));
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size()) << count;
  }
}

// ---------------------------------------------------------------------------------------------
// SMOVE

TEST_F(SetCommandsTest, SMove) {
  Run({"SET", "str", "v"});
  EXPECT_EQ(Run({"SMOVE", "missing", "str", "a"}), Int(0));  // no source: 0 before any check
  Run({"SADD", "src", "1", "2"});
  EXPECT_EQ(Run({"SMOVE", "src", "src", "1"}), Int(1));
  EXPECT_EQ(Run({"SMOVE", "src", "src", "9"}), Int(0));
  EXPECT_EQ(Run({"SMOVE", "src", "dst", "9"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "dst"}), Int(0));
  EXPECT_EQ(Run({"SMOVE", "src", "dst", "1"}), Int(1));
  EXPECT_EQ(MembersOf("src"), M({"2"}));
  EXPECT_EQ(MembersOf("dst"), M({"1"}));
  EXPECT_EQ(Encoding("dst"), Bulk("intset"));
  Run({"SADD", "dst", "2"});
  EXPECT_EQ(Run({"SMOVE", "src", "dst", "2"}), Int(1));  // already there: still 1
  EXPECT_EQ(Run({"EXISTS", "src"}), Int(0));
  EXPECT_EQ(MembersOf("dst"), M({"1", "2"}));
  EXPECT_EQ(Run({"SMOVE", "dst", "other", "x"}), Int(0));
  Run({"SADD", "words", "hello"});
  EXPECT_EQ(Run({"SMOVE", "words", "w2", "hello"}), Int(1));
  EXPECT_EQ(Encoding("w2"), Bulk("listpack"));
}

// ---------------------------------------------------------------------------------------------
// SINTER / SUNION / SDIFF and their STORE forms, SINTERCARD

TEST_F(SetCommandsTest, IntersectionUnionAndDifference) {
  Run({"SADD", "{k}a", "1", "2", "3", "x"});
  Run({"SADD", "{k}b", "2", "3", "4", "x", "y"});
  Run({"SADD", "{k}c", "3", "x", "z"});
  EXPECT_EQ(Sorted(Run({"SINTER", "{k}a", "{k}b", "{k}c"})), M({"3", "x"}));
  EXPECT_EQ(Sorted(Run({"SINTER", "{k}a"})), M({"1", "2", "3", "x"}));
  EXPECT_EQ(Sorted(Run({"SINTER", "{k}a", "{k}a"})), M({"1", "2", "3", "x"}));
  EXPECT_EQ(Run({"SINTER", "{k}a", "{k}missing"}), "*0\r\n");
  EXPECT_EQ(Sorted(Run({"SUNION", "{k}a", "{k}b", "{k}missing", "{k}c"})),
            M({"1", "2", "3", "4", "x", "y", "z"}));
  EXPECT_EQ(Run({"SUNION", "{k}missing"}), "*0\r\n");
  EXPECT_EQ(Sorted(Run({"SDIFF", "{k}a", "{k}b"})), M({"1"}));
  EXPECT_EQ(Sorted(Run({"SDIFF", "{k}b", "{k}a", "{k}c"})), M({"4", "y"}));
  EXPECT_EQ(Sorted(Run({"SDIFF", "{k}a", "{k}missing"})), M({"1", "2", "3", "x"}));
  EXPECT_EQ(Run({"SDIFF", "{k}missing", "{k}a"}), "*0\r\n");
  EXPECT_EQ(Run({"SDIFF", "{k}a", "{k}b", "{k}a"}), "*0\r\n");
  client_.resp3 = true;
  EXPECT_EQ(Run({"SINTER", "{k}a", "{k}b", "{k}c"}).substr(0, 4), "~2\r\n");
  EXPECT_EQ(Run({"SINTER", "{k}a", "{k}missing"}), "~0\r\n");
  EXPECT_EQ(Run({"SUNION", "{k}a", "{k}c"}).substr(0, 4), "~5\r\n");
  EXPECT_EQ(Run({"SDIFF", "{k}a", "{k}b"}), "~1\r\n" + Bulk("1"));
}

TEST_F(SetCommandsTest, DifferenceOfALargeFirstSetUsesEitherStrategy) {
  // A first set much larger than the others is probed; a small first one is copied and
  // trimmed. Both give the same members.
  std::vector<std::string> big = {"SADD", "{k}big"};
  for (int i = 0; i < 500; ++i) big.push_back("m" + std::to_string(i));
  RunAll(big);
  Run({"SADD", "{k}small", "m1", "m2", "zzz"});
  EXPECT_EQ(Elements(Run({"SDIFF", "{k}big", "{k}small"})).size(), 498u);
  EXPECT_EQ(Sorted(Run({"SDIFF", "{k}small", "{k}big", "{k}big"})), M({"zzz"}));
  EXPECT_EQ(Sorted(Run({"SDIFF", "{k}small", "{k}big"})), M({"zzz"}));
}

TEST_F(SetCommandsTest, AllIntegerResultsComeBackAscending) {
  Run({"SADD", "{k}a", "30", "10", "20"});
  Run({"SADD", "{k}b", "5", "20", "30"});
  EXPECT_EQ(Run({"SUNION", "{k}a", "{k}b"}), Bulks({"5", "10", "20", "30"}));
  EXPECT_EQ(Run({"SINTER", "{k}a", "{k}b"}), Bulks({"20", "30"}));
  EXPECT_EQ(Run({"SDIFF", "{k}a", "{k}b"}), Bulks({"10"}));
}

TEST_F(SetCommandsTest, StoreReplacesAnyValueAndDeadline) {
  Run({"SADD", "{k}a", "1", "2", "3"});
  Run({"SADD", "{k}b", "2", "3", "4"});
  Run({"SET", "{k}d", "text", "EX", "100"});
  EXPECT_EQ(Run({"SINTERSTORE", "{k}d", "{k}a", "{k}b"}), Int(2));
  EXPECT_EQ(Run({"TYPE", "{k}d"}), Simple("set"));
  EXPECT_EQ(Run({"TTL", "{k}d"}), Int(-1));
  EXPECT_EQ(MembersOf("{k}d"), M({"2", "3"}));
  Run({"SADD", "{k}e", "z"});
  Run({"EXPIRE", "{k}e", "100"});
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}e", "{k}a", "{k}b"}), Int(4));
  EXPECT_EQ(Run({"TTL", "{k}e"}), Int(-1));
  EXPECT_EQ(MembersOf("{k}e"), M({"1", "2", "3", "4"}));
  EXPECT_EQ(Run({"SDIFFSTORE", "{k}d", "{k}a", "{k}b"}), Int(1));
  EXPECT_EQ(MembersOf("{k}d"), M({"1"}));
  // The destination may be one of the sources.
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}a", "{k}a", "{k}b"}), Int(4));
  EXPECT_EQ(MembersOf("{k}a"), M({"1", "2", "3", "4"}));
  EXPECT_EQ(Run({"SINTERSTORE", "{k}a", "{k}a", "{k}d"}), Int(1));
  EXPECT_EQ(MembersOf("{k}a"), M({"1"}));
}

TEST_F(SetCommandsTest, AnEmptyResultDeletesTheDestination) {
  Run({"SADD", "{k}a", "1"});
  Run({"SADD", "{k}b", "2"});
  Run({"SET", "{k}d", "text"});
  EXPECT_EQ(Run({"SINTERSTORE", "{k}d", "{k}a", "{k}b"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}d"}), Int(0));
  Run({"SADD", "{k}d", "x"});
  EXPECT_EQ(Run({"SINTERSTORE", "{k}d", "{k}a", "{k}missing"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}d"}), Int(0));
  Run({"SADD", "{k}d", "x"});
  EXPECT_EQ(Run({"SDIFFSTORE", "{k}d", "{k}a", "{k}a"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}d"}), Int(0));
  Run({"SADD", "{k}d", "x"});
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}d", "{k}missing"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}d"}), Int(0));
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}new", "{k}missing"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}new"}), Int(0));
}

TEST_F(SetCommandsTest, StoredResultsGetTheEncodingRedisGives) {
  Run({"SADD", "{k}ints", "1", "2", "3"});
  Run({"SADD", "{k}words", "a", "b", "3"});
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}d", "{k}ints"}), Int(3));
  EXPECT_EQ(Encoding("{k}d"), Bulk("intset"));
  EXPECT_EQ(Run({"SUNIONSTORE", "{k}d", "{k}ints", "{k}words"}), Int(5));
  EXPECT_EQ(Encoding("{k}d"), Bulk("listpack"));
  // An integer-only intersection of non-intsets is an intset.
  EXPECT_EQ(Run({"SINTERSTORE", "{k}d", "{k}words", "{k}ints"}), Int(1));
  EXPECT_EQ(Encoding("{k}d"), Bulk("intset"));
  std::vector<std::string> args = {"SADD", "{k}big"};
  for (int i = 0; i < 600; ++i) args.push_back(std::to_string(i));
  RunAll(args);
  EXPECT_EQ(Run({"SDIFFSTORE", "{k}d", "{k}big", "{k}ints"}), Int(597));
  EXPECT_EQ(Encoding("{k}d"), Bulk("hashtable"));
}

TEST_F(SetCommandsTest, SInterCard) {
  Run({"SADD", "{k}a", "1", "2", "3", "4"});
  Run({"SADD", "{k}b", "2", "3", "4", "5"});
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}b"}), Int(3));
  EXPECT_EQ(Run({"SINTERCARD", "1", "{k}a"}), Int(4));
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "2"}), Int(2));
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}b", "limit", "0"}), Int(3));  // 0: no limit
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "10"}), Int(3));
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "1", "LIMIT", "0"}), Int(3));
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "{k}missing"}), Int(0));
  EXPECT_EQ(Run({"SINTERCARD", "2", "{k}a", "LIMIT"}), Int(0));  // "LIMIT" is the second key
}

TEST_F(SetCommandsTest, SInterCardErrors) {
  Run({"SADD", "s", "a"});
  EXPECT_EQ(Run({"SINTERCARD", "0", "s"}), Err(kNumKeysNotPositive));
  EXPECT_EQ(Run({"SINTERCARD", "-1", "s"}), Err(kNumKeysNotPositive));
  EXPECT_EQ(Run({"SINTERCARD", "x", "s"}), Err(kNumKeysNotPositive));
  EXPECT_EQ(Run({"SINTERCARD", "3", "s"}), Err(kSetNumKeysTooMany));
  EXPECT_EQ(Run({"SINTERCARD", "1", "s", "LIMIT", "-1"}), Err(kSetLimitNegative));
  EXPECT_EQ(Run({"SINTERCARD", "1", "s", "LIMIT", "x"}), Err(kSetLimitNegative));
  EXPECT_EQ(Run({"SINTERCARD", "1", "missing", "LIMIT", "-5"}), Err(kSetLimitNegative));
  EXPECT_EQ(Run({"SINTERCARD", "1", "s", "LIMIT"}), Err(kSyntax));
  EXPECT_EQ(Run({"SINTERCARD", "1", "s", "foo"}), Err(kSyntax));
}

// ---------------------------------------------------------------------------------------------
// SSCAN

TEST_F(SetCommandsTest, SScanErrorsAndAbsentKeys) {
  Run({"SET", "str", "v"});
  Run({"SADD", "s", "a"});
  const std::string empty_scan = Array({Bulk("0"), "*0\r\n"});
  EXPECT_EQ(Run({"SSCAN", "s", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"SSCAN", "missing", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"SSCAN", "s", "18446744073709551616"}), Err("ERR invalid cursor"));
  // An absent key ends the scan before the options are read.
  EXPECT_EQ(Run({"SSCAN", "missing", "0"}), empty_scan);
  EXPECT_EQ(Run({"SSCAN", "missing", "0", "COUNT", "0"}), empty_scan);
  EXPECT_EQ(Run({"SSCAN", "missing", "0", "foo"}), empty_scan);
  EXPECT_EQ(Run({"SSCAN", "s", "0", "COUNT", "0"}), Err(kSyntax));
  EXPECT_EQ(Run({"SSCAN", "s", "0", "COUNT", "-1"}), Err(kSyntax));
  EXPECT_EQ(Run({"SSCAN", "s", "0", "COUNT", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SSCAN", "s", "0", "MATCH"}), Err(kSyntax));
  EXPECT_EQ(Run({"SSCAN", "s", "0", "TYPE", "string"}), Err(kSyntax));
}

TEST_F(SetCommandsTest, SScanOfAFlatSetReturnsEverythingWithCursorZero) {
  Run({"SADD", "ints", "3", "1", "2", "10"});
  EXPECT_EQ(Run({"SSCAN", "ints", "0", "COUNT", "1"}),
            Array({Bulk("0"), Bulks({"1", "2", "3", "10"})}));
  EXPECT_EQ(Run({"SSCAN", "ints", "-1"}), Array({Bulk("0"), Bulks({"1", "2", "3", "10"})}));
  EXPECT_EQ(Run({"SSCAN", "ints", "0", "MATCH", "1*"}), Array({Bulk("0"), Bulks({"1", "10"})}));
  Run({"SADD", "words", "apple", "banana", "avocado"});
  EXPECT_EQ(Run({"SSCAN", "words", "0", "MATCH", "b*", "MATCH", "a*", "COUNT", "1"}),
            Array({Bulk("0"), Bulks({"apple", "avocado"})}));
  client_.resp3 = true;
  EXPECT_EQ(Run({"SSCAN", "words", "0", "MATCH", "x*"}), Array({Bulk("0"), "*0\r\n"}));
}

TEST_F(SetCommandsTest, SScanOfAHashtableVisitsEveryMember) {
  std::vector<std::string> args = {"SADD", "s"};
  for (int i = 0; i < 1000; ++i) args.push_back("m" + std::to_string(i));
  RunAll(args);
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string reply = Run({"SSCAN", "s", cursor, "COUNT", "20"});
    ASSERT_EQ(reply.substr(0, 5), "*2\r\n$");
    size_t eol = reply.find("\r\n", 4);
    size_t len = std::stoul(reply.substr(5, eol - 5));
    cursor = reply.substr(eol + 2, len);
    std::vector<std::string> batch = Elements(std::string_view(reply).substr(eol + 2 + len + 2));
    EXPECT_LE(batch.size(), 100u);
    seen.insert(batch.begin(), batch.end());
    ++calls;
  } while (cursor != "0" && calls < 10000);
  EXPECT_GT(calls, 10);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 1000u);
}

}  // namespace
}  // namespace ringtail::commands
