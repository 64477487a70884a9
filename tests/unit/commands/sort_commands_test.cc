// SPDX-License-Identifier: Apache-2.0
// Tests of SORT and SORT_RO (src/commands/sort_commands.cc) on one in-process shard. Expected
// replies and error texts were checked against redis-server 7.0.15 (C locale).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_test.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using protocol::kNotInteger;
using protocol::kSortScoreNotDouble;
using protocol::kSyntax;
using protocol::kWrongType;

class SortCommandsTest : public CommandTest {
 protected:
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  // Runs a command given as strings (for arguments holding NUL bytes).
  std::string RunAll(const std::vector<std::string>& args) {
    return Run(std::vector<std::string_view>(args.begin(), args.end()));
  }
  std::string Range(std::string_view key) { return Run({"LRANGE", key, "0", "-1"}); }
  // The key positions SORT's row gives for `args`.
  static std::vector<uint32_t> Keys(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> list(args);
    std::vector<uint32_t> out;
    KeyPositions(*DefaultCommandTable().Find(list[0]), list, &out);
    return out;
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }

  // w: a list of letters; weights w_a..w_c (w_d missing); hash fields h_a, h_b, h_d.
  void SetUpWeights() {
    Run({"RPUSH", "w", "a", "b", "c", "d"});
    Run({"MSET", "w_a", "3", "w_b", "1", "w_c", "2"});
    Run({"HSET", "h_a", "f", "30"});
    Run({"HSET", "h_b", "f", "10"});
    Run({"HSET", "h_d", "f", "5", "g", "z"});
  }
};

// ---------------------------------------------------------------------------------------------
// Command table rows and keys

TEST_F(SortCommandsTest, RowsMatchRedisCommandInfo) {
  const CommandSpec* sort = DefaultCommandTable().Find("sort");
  ASSERT_NE(sort, nullptr);
  EXPECT_EQ(sort->arity, -2);
  EXPECT_EQ(sort->flags, kWrite | kDenyOom);
  EXPECT_EQ(sort->first_key, 1);
  EXPECT_EQ(sort->last_key, 1);
  EXPECT_EQ(sort->step, 1);
  EXPECT_NE(sort->keys_fn, nullptr);
  EXPECT_EQ(sort->group, "generic");
  const CommandSpec* sort_ro = DefaultCommandTable().Find("sort_ro");
  ASSERT_NE(sort_ro, nullptr);
  EXPECT_EQ(sort_ro->arity, -2);
  EXPECT_EQ(sort_ro->flags, kRead);
  EXPECT_EQ(sort_ro->first_key, 1);
  EXPECT_EQ(sort_ro->last_key, 1);
  EXPECT_EQ(sort_ro->step, 1);
  EXPECT_EQ(sort_ro->keys_fn, nullptr);
  EXPECT_EQ(sort_ro->since, "7.0.0");
  EXPECT_EQ(Run({"SORT"}), WrongArgs("sort"));
  EXPECT_EQ(Run({"SORT_RO"}), WrongArgs("sort_ro"));
}

TEST_F(SortCommandsTest, KeysAreTheSortedKeyAndTheLastStoreDestination) {
  using V = std::vector<uint32_t>;
  EXPECT_EQ(Keys({"SORT", "l"}), V({1}));
  EXPECT_EQ(Keys({"SORT", "l", "STORE", "d"}), V({1, 3}));
  EXPECT_EQ(Keys({"SORT", "l", "STORE", "a", "BY", "x", "STORE", "b", "LIMIT", "0", "1", "GET",
                  "y"}),
            V({1, 7}));
  // Option arguments are skipped as the parser skips them.
  EXPECT_EQ(Keys({"SORT", "l", "LIMIT", "STORE", "x"}), V({1}));
  EXPECT_EQ(Keys({"SORT", "l", "GET", "store", "DESC"}), V({1}));
  EXPECT_EQ(Keys({"SORT", "l", "STORE", "by", "STORE", "d2"}), V({1, 5}));
  // STORE without a destination is a syntax error: no second key.
  EXPECT_EQ(Keys({"SORT", "l", "ALPHA", "STORE"}), V({1}));
  EXPECT_EQ(Keys({"SORT_RO", "l", "STORE", "d"}), V({1}));
}

// ---------------------------------------------------------------------------------------------
// Numeric and ALPHA order

TEST_F(SortCommandsTest, SortsNumbersByDefault) {
  Run({"RPUSH", "l", "3", "1", "2", "10", "-1.5"});
  EXPECT_EQ(Run({"SORT", "l"}), Bulks({"-1.5", "1", "2", "3", "10"}));
  EXPECT_EQ(Run({"SORT", "l", "DESC"}), Bulks({"10", "3", "2", "1", "-1.5"}));
  EXPECT_EQ(Run({"SORT", "l", "DESC", "ASC"}), Bulks({"-1.5", "1", "2", "3", "10"}));
  EXPECT_EQ(Run({"SORT_RO", "l"}), Bulks({"-1.5", "1", "2", "3", "10"}));
  EXPECT_EQ(Range("l"), Bulks({"3", "1", "2", "10", "-1.5"}));  // untouched
}

TEST_F(SortCommandsTest, AlphaComparesBytes) {
  Run({"RPUSH", "l", "3", "1", "2", "10", "B", "a"});
  EXPECT_EQ(Run({"SORT", "l", "ALPHA"}), Bulks({"1", "10", "2", "3", "B", "a"}));
  EXPECT_EQ(Run({"SORT", "l", "alpha", "desc"}), Bulks({"a", "B", "3", "2", "10", "1"}));
}

TEST_F(SortCommandsTest, NonNumbersFailUnlessAlpha) {
  Run({"RPUSH", "l", "2", "b", "1"});
  EXPECT_EQ(Run({"SORT", "l"}), Err(kSortScoreNotDouble));
  EXPECT_EQ(Run({"SORT_RO", "l", "DESC"}), Err(kSortScoreNotDouble));
  // Every score is read, even when LIMIT selects none.
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "5", "5"}), Err(kSortScoreNotDouble));
  EXPECT_EQ(Run({"SORT", "l", "ALPHA"}), Bulks({"1", "2", "b"}));
}

TEST_F(SortCommandsTest, ScoresAreReadAsStrtodReadsThem) {
  const std::string_view accepted[] = {" 3", "0x10", "inf", "-inf", "infinity", "+5", "",
                                       "-0", ".5", "5.", "1e5"};
  for (std::string_view value : accepted) {
    Run({"DEL", "l"});
    Run({"RPUSH", "l", value});
    EXPECT_EQ(Run({"SORT", "l"}), Bulks({value})) << value;
  }
  const std::string_view rejected[] = {"3 ", "1e400", "1e-400", "nan", "1_0", "abc"};
  for (std::string_view value : rejected) {
    Run({"DEL", "l"});
    Run({"RPUSH", "l", value});
    EXPECT_EQ(Run({"SORT", "l"}), Err(kSortScoreNotDouble)) << value;
  }
  // strtod stops at a NUL byte, which then ends the value.
  RunAll({"RPUSH", "n", std::string("1\0x", 3), "2"});
  EXPECT_EQ(Run({"SORT", "n", "DESC"}), Bulks({"2", std::string_view("1\0x", 3)}));
  Run({"RPUSH", "hex", "0x10", "15", "17"});
  EXPECT_EQ(Run({"SORT", "hex"}), Bulks({"15", "0x10", "17"}));
}

TEST_F(SortCommandsTest, EqualScoresOrderByTheElementsBytes) {
  Run({"RPUSH", "l", "1", "1.0", "01", "001", "+1", "1e0", " 1", "0x1"});
  EXPECT_EQ(Run({"SORT", "l"}), Bulks({" 1", "+1", "001", "01", "0x1", "1", "1.0", "1e0"}));
  EXPECT_EQ(Run({"SORT", "l", "DESC"}),
            Bulks({"1e0", "1.0", "1", "0x1", "01", "001", "+1", " 1"}));
}

TEST_F(SortCommandsTest, AlphaStopsAtNulButStoreComparesAllBytes) {
  RunAll({"RPUSH", "l", std::string("a\0c", 3), std::string("a\0b", 3), "a", std::string("a\0", 2),
          "b"});
  // strcoll sees "a" four times: they keep the list's order.
  std::string expected = Array({Bulk(std::string_view("a\0c", 3)),
                                Bulk(std::string_view("a\0b", 3)), Bulk("a"),
                                Bulk(std::string_view("a\0", 2)), Bulk("b")});
  EXPECT_EQ(Run({"SORT", "l", "ALPHA"}), expected);
  EXPECT_EQ(Run({"SORT", "l", "ALPHA", "STORE", "d"}), Int(5));
  EXPECT_EQ(Range("d"), Array({Bulk("a"), Bulk(std::string_view("a\0", 2)),
                               Bulk(std::string_view("a\0b", 3)),
                               Bulk(std::string_view("a\0c", 3)), Bulk("b")}));
}

TEST_F(SortCommandsTest, SortsSetsAndSortedSetMembers) {
  Run({"SADD", "s", "5", "3", "1", "4", "2", "10"});
  EXPECT_EQ(Run({"SORT", "s"}), Bulks({"1", "2", "3", "4", "5", "10"}));
  EXPECT_EQ(Run({"SORT", "s", "DESC", "LIMIT", "1", "2"}), Bulks({"5", "4"}));
  EXPECT_EQ(Run({"SORT", "s", "ALPHA"}), Bulks({"1", "10", "2", "3", "4", "5"}));
  Run({"SADD", "words", "pear", "apple", "fig"});
  EXPECT_EQ(Run({"SORT", "words", "ALPHA"}), Bulks({"apple", "fig", "pear"}));
  EXPECT_EQ(Run({"SORT", "words"}), Err(kSortScoreNotDouble));
  // A sorted set's members are sorted, not its scores.
  Run({"ZADD", "z", "3", "a", "1", "b", "2", "c", "2", "d", "0", "e"});
  EXPECT_EQ(Run({"SORT", "z", "ALPHA"}), Bulks({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Run({"SORT", "z", "ALPHA", "DESC"}), Bulks({"e", "d", "c", "b", "a"}));
  EXPECT_EQ(Run({"SORT", "z"}), Err(kSortScoreNotDouble));
  Run({"ZADD", "zn", "1", "30", "2", "20", "3", "100"});
  EXPECT_EQ(Run({"SORT", "zn"}), Bulks({"20", "30", "100"}));
}

// ---------------------------------------------------------------------------------------------
// LIMIT

TEST_F(SortCommandsTest, LimitSelectsARangeOfTheSortedElements) {
  Run({"RPUSH", "l", "3", "1", "2", "10"});
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "2"}), Bulks({"2", "3"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "2", "DESC"}), Bulks({"3", "2"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "-1", "2"}), Bulks({"1", "2"}));  // offset from 0
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "-1"}), Bulks({"2", "3", "10"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "-5"}), Bulks({"2", "3", "10"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "3", "1"}), Bulks({"10"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "3", "5"}), Bulks({"10"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "4", "1"}), Bulks({}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "10", "2"}), Bulks({}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "0", "0"}), Bulks({}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "2", "9223372036854775807"}), Bulks({"3", "10"}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"}), Bulks({}));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "-9223372036854775808", "-9223372036854775808"}),
            Bulks({"1", "2", "3", "10"}));
  // The last LIMIT wins.
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "0", "1", "LIMIT", "2", "1"}), Bulks({"3"}));
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST_F(SortCommandsTest, SyntaxAndIntegerErrors) {
  Run({"RPUSH", "l", "1"});
  EXPECT_EQ(Run({"SORT", "l", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "BY"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "GET"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "STORE"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "a", "1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "1.5"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "1", "9223372036854775808"}), Err(kNotInteger));
  // The first bad option decides the error.
  EXPECT_EQ(Run({"SORT", "l", "FOO", "LIMIT", "a", "b"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "a", "b", "FOO"}), Err(kNotInteger));
  // STORE is not an option of SORT_RO.
  EXPECT_EQ(Run({"SORT_RO", "l", "STORE", "d"}), Err(kSyntax));
  EXPECT_EQ(Run({"SORT_RO", "l", "LIMIT", "0", "1", "STORE", "d"}), Err(kSyntax));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
}

TEST_F(SortCommandsTest, WrongTypeAfterTheOptions) {
  Run({"SET", "str", "x"});
  Run({"HSET", "h", "f", "v"});
  EXPECT_EQ(Run({"SORT", "str"}), Err(kWrongType));
  EXPECT_EQ(Run({"SORT_RO", "str"}), Err(kWrongType));
  EXPECT_EQ(Run({"SORT", "h", "BY", "nosort"}), Err(kWrongType));
  EXPECT_EQ(Run({"SORT", "str", "STORE", "d"}), Err(kWrongType));
  EXPECT_EQ(Run({"SORT", "str", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
}

TEST_F(SortCommandsTest, MissingKeySortsAsEmpty) {
  EXPECT_EQ(Run({"SORT", "missing"}), Bulks({}));
  EXPECT_EQ(Run({"SORT_RO", "missing", "BY", "nosort", "DESC", "LIMIT", "1", "1", "GET", "#"}),
            Bulks({}));
  Run({"RPUSH", "gone", "1"});
  Run({"PEXPIRE", "gone", "10"});
  AdvanceTime(11);
  EXPECT_EQ(Run({"SORT", "gone"}), Bulks({}));
}

// ---------------------------------------------------------------------------------------------
// BY

TEST_F(SortCommandsTest, ByStringKeys) {
  SetUpWeights();
  // w_d is missing and weighs 0.
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*"}), Bulks({"d", "b", "c", "a"}));
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*", "DESC"}), Bulks({"a", "c", "b", "d"}));
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*", "LIMIT", "1", "2"}), Bulks({"b", "c"}));
  Run({"SET", "w_b", "x"});
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*"}), Err(kSortScoreNotDouble));
}

TEST_F(SortCommandsTest, ByHashFields) {
  SetUpWeights();
  // c has no hash: 0.
  EXPECT_EQ(Run({"SORT", "w", "BY", "h_*->f"}), Bulks({"c", "d", "b", "a"}));
  EXPECT_EQ(Run({"SORT", "w", "BY", "h_*->f", "DESC"}), Bulks({"a", "b", "d", "c"}));
  // A missing field and a key of another type weigh 0 too.
  EXPECT_EQ(Run({"SORT", "w", "BY", "h_*->g", "DESC"}), Err(kSortScoreNotDouble));
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*->f"}), Bulks({"a", "b", "c", "d"}));
}

TEST_F(SortCommandsTest, ByMissingValuesTieOnTheElement) {
  Run({"RPUSH", "l", "c", "a", "d", "b"});
  Run({"MSET", "w_a", "1", "w_b", "1"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*"}), Bulks({"c", "d", "a", "b"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "DESC"}), Bulks({"b", "a", "d", "c"}));
  // A key of another type weighs 0.
  Run({"RPUSH", "w_c", "9"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*"}), Bulks({"c", "d", "a", "b"}));
}

TEST_F(SortCommandsTest, ByAlphaPutsMissingFirstAndKeepsTies) {
  Run({"RPUSH", "l", "c", "a", "d", "b"});
  Run({"MSET", "w_a", "x", "w_b", "y"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "ALPHA"}), Bulks({"c", "d", "a", "b"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "ALPHA", "DESC"}), Bulks({"b", "a", "c", "d"}));
  Run({"MSET", "w_a", "5", "w_b", "5", "w_c", "5", "w_d", "5"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "ALPHA"}), Bulks({"c", "a", "d", "b"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "ALPHA", "DESC"}), Bulks({"c", "a", "d", "b"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "1", "2"}), Bulks({"a", "d"}));
}

TEST_F(SortCommandsTest, ByWithoutStarKeepsTheOrder) {
  Run({"RPUSH", "l", "c", "a", "d", "b", "e"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort"}), Bulks({"c", "a", "d", "b", "e"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "DESC"}), Bulks({"e", "b", "d", "a", "c"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "LIMIT", "1", "2"}), Bulks({"a", "d"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"}), Bulks({"b", "d"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "LIMIT", "-2", "3"}), Bulks({"c", "a", "d"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "LIMIT", "3", "-1", "DESC"}), Bulks({"a", "c"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "LIMIT", "5", "1"}), Bulks({}));
  // Not numbers, but nothing is sorted.
  EXPECT_EQ(Run({"SORT", "l", "BY", "#"}), Bulks({"c", "a", "d", "b", "e"}));
  // One BY without '*' is enough, whichever comes last.
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "BY", "w_*"}), Bulks({"c", "a", "d", "b", "e"}));
  EXPECT_EQ(Run({"SORT", "l", "BY", "w_*", "BY", "nosort"}), Bulks({"c", "a", "d", "b", "e"}));
}

TEST_F(SortCommandsTest, ByWithoutStarKeepsTheSortedSetOrder) {
  Run({"ZADD", "z", "3", "a", "1", "b", "2", "c", "2", "d", "0", "e"});
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort"}), Bulks({"e", "b", "c", "d", "a"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "DESC"}), Bulks({"a", "d", "c", "b", "e"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"}), Bulks({"d", "c"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "LIMIT", "4", "10"}), Bulks({"a"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "LIMIT", "-3", "2", "DESC"}), Bulks({"a", "d"}));
  EXPECT_EQ(Run({"SORT", "z", "BY", "nosort", "DESC", "STORE", "d"}), Int(5));
  EXPECT_EQ(Range("d"), Bulks({"a", "d", "c", "b", "e"}));
}

TEST_F(SortCommandsTest, SetWithoutSortingIsSortedAlphaWhenStored) {
  Run({"SADD", "s", "5", "3", "1", "4", "2", "10"});
  EXPECT_EQ(Run({"SORT", "s", "BY", "nosort", "STORE", "d"}), Int(6));
  EXPECT_EQ(Range("d"), Bulks({"1", "10", "2", "3", "4", "5"}));
  EXPECT_EQ(Run({"SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "d"}), Int(2));
  EXPECT_EQ(Range("d"), Bulks({"4", "3"}));
  // Without STORE the set's own order is kept; one member shows it is not an error.
  Run({"SADD", "one", "x"});
  EXPECT_EQ(Run({"SORT", "one", "BY", "nosort"}), Bulks({"x"}));
  EXPECT_EQ(Run({"SORT", "s", "BY", "nosort", "LIMIT", "0", "0"}), Bulks({}));
}

// ---------------------------------------------------------------------------------------------
// GET

TEST_F(SortCommandsTest, GetPatterns) {
  SetUpWeights();
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "h_*->f"}),
            Array({Bulk("d"), Nil(), Bulk("5"), Bulk("b"), Bulk("1"), Bulk("10"), Bulk("c"),
                   Bulk("2"), Nil(), Bulk("a"), Bulk("3"), Bulk("30")}));
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*", "LIMIT", "1", "1", "GET", "h_*->f", "GET", "#"}),
            Array({Bulk("10"), Bulk("b")}));
  EXPECT_EQ(Run({"SORT", "w", "BY", "nosort", "GET", "h_*->g"}),
            Array({Nil(), Nil(), Nil(), Bulk("z")}));
}

TEST_F(SortCommandsTest, GetPatternsThatNameNothing) {
  SetUpWeights();
  Run({"HSET", "p->q_a", "z", "1"});
  // No '*'; "->" with no field; a hash read as a string; a string read as a hash; "->" before
  // the '*' is part of the key name; "#" followed by more.
  EXPECT_EQ(Run({"SORT", "w", "BY", "nosort", "LIMIT", "0", "1", "GET", "nostar", "GET", "h_*->",
                 "GET", "h_*", "GET", "w_*->f", "GET", "p->q_*", "GET", "#x"}),
            Array({Nil(), Nil(), Nil(), Nil(), Nil(), Nil()}));
}

TEST_F(SortCommandsTest, PatternSubstitutesTheFirstStarOnly) {
  Run({"RPUSH", "l", "a", "b"});
  Run({"SET", "x_a_*", "9"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "GET", "x_*_*"}), Array({Bulk("9"), Nil()}));
  Run({"SET", "k*x", "7"});
  // The '*' of the element is not a pattern.
  Run({"RPUSH", "stars", "*"});
  EXPECT_EQ(Run({"SORT", "stars", "BY", "k*x", "GET", "k*x"}), Array({Bulk("7")}));
}

TEST_F(SortCommandsTest, PatternsWithNulBytes) {
  Run({"RPUSH", "l", "a"});
  Run({"SET", "w_a", "1"});
  // "#\0..." is "#"; a '*' after a NUL is not seen; the suffix runs past a NUL.
  EXPECT_EQ(RunAll({"SORT", "l", "BY", "nosort", "GET", std::string("#\0y", 3), "GET",
                    std::string("w_\0*", 4), "GET", std::string("w_*\0", 4)}),
            Array({Bulk("a"), Nil(), Nil()}));
  RunAll({"SET", std::string("a\0s", 3), "3"});
  EXPECT_EQ(RunAll({"SORT", "l", "BY", "nosort", "GET", std::string("*\0s", 3)}),
            Array({Bulk("3")}));
}

TEST_F(SortCommandsTest, Resp3RepliesAnArrayWithNulls) {
  Run({"RPUSH", "l", "a", "b"});
  Run({"SET", "w_a", "1"});
  client_.resp3 = true;
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "GET", "w_*", "GET", "#"}),
            "*4\r\n$1\r\n1\r\n$1\r\na\r\n_\r\n$1\r\nb\r\n");
  EXPECT_EQ(Run({"SORT", "missing"}), "*0\r\n");
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "STORE", "d"}), Int(2));
}

// ---------------------------------------------------------------------------------------------
// STORE

TEST_F(SortCommandsTest, StoreWritesAList) {
  SetUpWeights();
  Run({"RPUSH", "l", "3", "1", "2", "10"});
  EXPECT_EQ(Run({"SORT", "l", "STORE", "d"}), Int(4));
  EXPECT_EQ(Range("d"), Bulks({"1", "2", "3", "10"}));
  EXPECT_EQ(Run({"TYPE", "d"}), Simple("list"));
  // A missing GET value is stored as an empty string; the count is of stored elements.
  EXPECT_EQ(Run({"SORT", "w", "BY", "w_*", "GET", "w_*", "GET", "h_*->f", "STORE", "d"}),
            Int(8));
  EXPECT_EQ(Range("d"), Bulks({"", "5", "1", "10", "2", "", "3", "30"}));
  // The last STORE wins.
  EXPECT_EQ(Run({"SORT", "l", "STORE", "a", "STORE", "b", "LIMIT", "0", "1"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(0));
  EXPECT_EQ(Range("b"), Bulks({"1"}));
}

TEST_F(SortCommandsTest, StoreReplacesAnyValueAndItsDeadline) {
  Run({"RPUSH", "l", "3", "1", "2"});
  Run({"SET", "d", "v"});
  Run({"EXPIRE", "d", "100"});
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "0", "2", "STORE", "d"}), Int(2));
  EXPECT_EQ(Run({"TTL", "d"}), Int(-1));
  EXPECT_EQ(Range("d"), Bulks({"1", "2"}));
  Run({"SADD", "set", "x"});
  EXPECT_EQ(Run({"SORT", "l", "STORE", "set"}), Int(3));
  EXPECT_EQ(Range("set"), Bulks({"1", "2", "3"}));
}

TEST_F(SortCommandsTest, StoreOfNothingDeletesTheDestination) {
  Run({"RPUSH", "l", "1"});
  Run({"SET", "d", "v"});
  EXPECT_EQ(Run({"SORT", "missing", "STORE", "d"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
  Run({"SET", "d", "v"});
  EXPECT_EQ(Run({"SORT", "l", "LIMIT", "5", "1", "STORE", "d"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
  // An error leaves it alone.
  Run({"SET", "d", "v"});
  Run({"RPUSH", "bad", "x"});
  EXPECT_EQ(Run({"SORT", "bad", "STORE", "d"}), Err(kSortScoreNotDouble));
  EXPECT_EQ(Run({"GET", "d"}), Bulk("v"));
}

TEST_F(SortCommandsTest, StoreIntoTheSortedKeyOrAPatternKey) {
  Run({"RPUSH", "l", "3", "1", "2"});
  EXPECT_EQ(Run({"SORT", "l", "DESC", "STORE", "l"}), Int(3));
  EXPECT_EQ(Range("l"), Bulks({"3", "2", "1"}));
  Run({"MSET", "w_1", "one", "w_2", "two", "w_3", "three"});
  EXPECT_EQ(Run({"SORT", "l", "BY", "nosort", "GET", "w_*", "STORE", "w_1"}), Int(3));
  EXPECT_EQ(Range("w_1"), Bulks({"three", "two", "one"}));
}

// ---------------------------------------------------------------------------------------------
// Keyspace statistics

TEST_F(SortCommandsTest, CountsOneLookupPerKeyRead) {
  SetUpWeights();
  uint64_t hits_before = hits();
  uint64_t misses_before = misses();
  // The list, then 4 BY lookups (w_d missing), then 4 GET lookups (h_c missing).
  Run({"SORT", "w", "BY", "w_*", "GET", "h_*->f"});
  EXPECT_EQ(hits() - hits_before, 1u + 3u + 3u);
  EXPECT_EQ(misses() - misses_before, 1u + 1u);
  // With STORE too the sorted key counts (its destination does not), and BY nosort reads no
  // pattern keys.
  hits_before = hits();
  Run({"SORT", "w", "BY", "nosort", "STORE", "d"});
  EXPECT_EQ(hits() - hits_before, 1u);
  Run({"SORT", "missing"});
  EXPECT_EQ(misses() - misses_before, 3u);
}

}  // namespace
}  // namespace ringtail::commands
