// SPDX-License-Identifier: Apache-2.0
#include "storage/zset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ringtail::storage {
namespace {

using Pair = std::pair<double, std::string>;

constexpr double kInf = std::numeric_limits<double>::infinity();

EncodingLimits Limits(int64_t entries, int64_t value = 64) {
  EncodingLimits limits;
  limits.zset_max_listpack_entries = entries;
  limits.zset_max_listpack_value = value;
  return limits;
}

std::vector<Pair> Contents(const ZSet& zset, size_t first, size_t last, bool reverse) {
  std::vector<Pair> out;
  zset.ForRange(first, last, reverse, [&](std::string_view member, double score) {
    out.emplace_back(score, std::string(member));
  });
  return out;
}

std::vector<Pair> Contents(const ZSet& zset) { return Contents(zset, 0, zset.size(), false); }

TEST(ZSetTest, EmptySet) {
  ZSet zset;
  EXPECT_EQ(zset.size(), 0u);
  EXPECT_EQ(zset.EncodingName(), "listpack");
  EXPECT_FALSE(zset.Score("a").has_value());
  EXPECT_FALSE(zset.Rank("a").has_value());
  EXPECT_FALSE(zset.Remove("a"));
  EXPECT_EQ(zset.CountBelow(ScoreBound{0, false}), 0u);
  EXPECT_EQ(zset.CountThrough(ScoreBound{0, false}), 0u);
  EXPECT_EQ(zset.AllocatedBytes(), sizeof(ZSet));
}

TEST(ZSetTest, AddUpdateRemoveFlat) {
  ZSet zset;
  EncodingLimits limits;
  EXPECT_EQ(zset.Set("b", 2, limits), ZSet::SetResult::kAdded);
  EXPECT_EQ(zset.Set("a", 1, limits), ZSet::SetResult::kAdded);
  EXPECT_EQ(zset.Set("c", 2, limits), ZSet::SetResult::kAdded);
  EXPECT_EQ(zset.Set("c", 2, limits), ZSet::SetResult::kUnchanged);
  EXPECT_EQ(zset.Set("a", 3, limits), ZSet::SetResult::kUpdated);
  EXPECT_EQ(Contents(zset), (std::vector<Pair>{{2, "b"}, {2, "c"}, {3, "a"}}));
  EXPECT_EQ(Contents(zset, 0, 3, true), (std::vector<Pair>{{3, "a"}, {2, "c"}, {2, "b"}}));
  EXPECT_EQ(zset.Score("a"), 3.0);
  EXPECT_EQ(zset.Rank("c")->rank, 1u);
  EXPECT_EQ(zset.At(2).member, "a");
  EXPECT_TRUE(zset.Remove("b"));
  EXPECT_FALSE(zset.Remove("b"));
  EXPECT_EQ(Contents(zset), (std::vector<Pair>{{2, "c"}, {3, "a"}}));
  EXPECT_EQ(zset.EncodingName(), "listpack");
  EXPECT_TRUE(zset.Remove("c"));
  EXPECT_TRUE(zset.Remove("a"));
  EXPECT_EQ(zset.size(), 0u);
  EXPECT_EQ(zset.AllocatedBytes(), sizeof(ZSet));
}

TEST(ZSetTest, NegativeZeroIsZeroInFlatEncodingOnly) {
  ZSet flat;
  flat.Set("z", -0.0, EncodingLimits{});
  EXPECT_FALSE(std::signbit(*flat.Score("z")));
  ZSet full;
  full.Set("z", -0.0, Limits(0));
  EXPECT_EQ(full.EncodingName(), "skiplist");
  EXPECT_TRUE(std::signbit(*full.Score("z")));
}

TEST(ZSetTest, ConvertsPastEntryLimit) {
  ZSet zset;
  EncodingLimits limits = Limits(4);
  for (int i = 0; i < 4; ++i) zset.Set("m" + std::to_string(i), i, limits);
  EXPECT_EQ(zset.EncodingName(), "listpack");
  zset.Set("m1", 10, limits);  // an update does not convert
  EXPECT_EQ(zset.EncodingName(), "listpack");
  zset.Set("m4", 4, limits);
  EXPECT_EQ(zset.EncodingName(), "skiplist");
  EXPECT_EQ(Contents(zset),
            (std::vector<Pair>{{0, "m0"}, {2, "m2"}, {3, "m3"}, {4, "m4"}, {10, "m1"}}));
  // Never back, even when it shrinks.
  for (int i = 0; i < 5; ++i) zset.Remove("m" + std::to_string(i));
  zset.Set("x", 1, limits);
  EXPECT_EQ(zset.EncodingName(), "skiplist");
}

TEST(ZSetTest, ConvertsForLongMember) {
  ZSet zset;
  EncodingLimits limits = Limits(128, 8);
  zset.Set("12345678", 1, limits);
  EXPECT_EQ(zset.EncodingName(), "listpack");
  zset.Set("123456789", 2, limits);
  EXPECT_EQ(zset.EncodingName(), "skiplist");
  EXPECT_EQ(Contents(zset), (std::vector<Pair>{{1, "12345678"}, {2, "123456789"}}));
}

TEST(ZSetTest, ZeroEntryLimitStartsFull) {
  ZSet zset;
  zset.Set("a", 1, Limits(0));
  EXPECT_EQ(zset.EncodingName(), "skiplist");
}

TEST(ZSetTest, LongMembersInFlatEncoding) {
  // Lengths that take 1, 2 and 3 varint bytes, walked both ways.
  ZSet zset;
  EncodingLimits limits = Limits(128, 1 << 20);
  std::vector<std::string> members = {std::string(5, 'a'), std::string(127, 'b'),
                                      std::string(128, 'c'), std::string(20000, 'd')};
  for (size_t i = 0; i < members.size(); ++i) zset.Set(members[i], static_cast<double>(i), limits);
  EXPECT_EQ(zset.EncodingName(), "listpack");
  std::vector<Pair> reversed = Contents(zset, 0, 4, true);
  ASSERT_EQ(reversed.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(reversed[i].second, members[3 - i]);
  EXPECT_EQ(Contents(zset, 1, 3, true), (std::vector<Pair>{{2, members[2]}, {1, members[1]}}));
  EXPECT_EQ(zset.Rank(members[3])->rank, 3u);
}

TEST(ZSetTest, BinaryMembers) {
  for (int64_t entries : {128, 0}) {
    ZSet zset;
    EncodingLimits limits = Limits(entries);
    std::string with_nul("a\0b", 3);
    std::string prefix("a", 1);
    zset.Set(with_nul, 1, limits);
    zset.Set(prefix, 1, limits);
    zset.Set("\xff", 1, limits);
    EXPECT_EQ(Contents(zset), (std::vector<Pair>{{1, prefix}, {1, with_nul}, {1, "\xff"}}));
    EXPECT_EQ(zset.Score(with_nul), 1.0);
    EXPECT_FALSE(zset.Score(std::string("a\0c", 3)).has_value());
    EXPECT_TRUE(zset.Remove(with_nul));
    EXPECT_EQ(zset.size(), 2u);
  }
}

TEST(ZSetTest, ScoreAndLexBounds) {
  for (int64_t entries : {128, 0}) {
    ZSet zset;
    EncodingLimits limits = Limits(entries);
    for (const char* m : {"a", "b", "c", "d", "e"}) zset.Set(m, 0, limits);
    zset.Set("lo", -kInf, limits);
    zset.Set("hi", kInf, limits);
    // Ranks: lo a b c d e hi
    EXPECT_EQ(zset.CountBelow(ScoreBound{0, false}), 1u);
    EXPECT_EQ(zset.CountBelow(ScoreBound{0, true}), 6u);
    EXPECT_EQ(zset.CountThrough(ScoreBound{0, false}), 6u);
    EXPECT_EQ(zset.CountThrough(ScoreBound{0, true}), 1u);
    EXPECT_EQ(zset.CountBelow(ScoreBound{-kInf, false}), 0u);
    EXPECT_EQ(zset.CountThrough(ScoreBound{kInf, false}), 7u);
    EXPECT_EQ(zset.CountThrough(ScoreBound{kInf, true}), 6u);

    zset.Remove("lo");
    zset.Remove("hi");
    using K = LexBound::Kind;
    EXPECT_EQ(zset.CountBelow(LexBound{K::kInclusive, "b"}), 1u);
    EXPECT_EQ(zset.CountBelow(LexBound{K::kExclusive, "b"}), 2u);
    EXPECT_EQ(zset.CountThrough(LexBound{K::kInclusive, "d"}), 4u);
    EXPECT_EQ(zset.CountThrough(LexBound{K::kExclusive, "d"}), 3u);
    EXPECT_EQ(zset.CountBelow(LexBound{K::kMinusInf, ""}), 0u);
    EXPECT_EQ(zset.CountThrough(LexBound{K::kPlusInf, ""}), 5u);
    EXPECT_EQ(zset.CountBelow(LexBound{K::kPlusInf, ""}), 5u);
    EXPECT_EQ(zset.CountThrough(LexBound{K::kMinusInf, ""}), 0u);
    EXPECT_EQ(zset.CountBelow(LexBound{K::kInclusive, "bb"}), 2u);
    EXPECT_EQ(zset.CountThrough(LexBound{K::kInclusive, "bb"}), 2u);
  }
}

TEST(ZSetTest, RemoveRange) {
  for (int64_t entries : {128, 0}) {
    ZSet zset;
    EncodingLimits limits = Limits(entries);
    for (int i = 0; i < 10; ++i) zset.Set("m" + std::to_string(i), i, limits);
    zset.RemoveRange(2, 5);
    EXPECT_EQ(zset.size(), 7u);
    EXPECT_EQ(zset.At(2).member, "m5");
    EXPECT_FALSE(zset.Score("m3").has_value());
    zset.RemoveRange(0, 7);
    EXPECT_EQ(zset.size(), 0u);
    EXPECT_FALSE(zset.Score("m9").has_value());
    zset.Set("again", 1, limits);
    EXPECT_EQ(zset.Score("again"), 1.0);
  }
}

// Checks the queries of `zset` against the reference contents.
void ExpectMatches(const ZSet& zset, const std::set<Pair>& ref,
                   const std::map<std::string, double>& scores, std::mt19937_64& rng) {
  ASSERT_EQ(zset.size(), ref.size());
  std::vector<Pair> all(ref.begin(), ref.end());
  ASSERT_EQ(Contents(zset), all);
  EXPECT_FALSE(zset.Score("absent-member").has_value());
  if (all.empty()) return;
  std::uniform_int_distribution<size_t> pick(0, all.size() - 1);
  for (int probe = 0; probe < 20; ++probe) {
    size_t rank = pick(rng);
    const Pair& expected = all[rank];
    ZSet::Item item = zset.At(rank);
    EXPECT_EQ(item.member, expected.second);
    EXPECT_EQ(item.score, expected.first);
    auto found = zset.Rank(expected.second);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->rank, rank);
    EXPECT_EQ(*zset.Score(expected.second), scores.at(expected.second));
    size_t other = pick(rng);
    size_t first = std::min(rank, other);
    size_t last = std::max(rank, other) + 1;
    std::vector<Pair> forward(all.begin() + static_cast<std::ptrdiff_t>(first),
                              all.begin() + static_cast<std::ptrdiff_t>(last));
    EXPECT_EQ(Contents(zset, first, last, false), forward);
    std::vector<Pair> backward(forward.rbegin(), forward.rend());
    EXPECT_EQ(Contents(zset, first, last, true), backward);
    double bound = expected.first;
    size_t below = 0;
    size_t through = 0;
    for (const Pair& p : all) {
      if (p.first < bound) ++below;
      if (p.first <= bound) ++through;
    }
    EXPECT_EQ(zset.CountBelow(ScoreBound{bound, false}), below);
    EXPECT_EQ(zset.CountBelow(ScoreBound{bound, true}), through);
    EXPECT_EQ(zset.CountThrough(ScoreBound{bound, false}), through);
    EXPECT_EQ(zset.CountThrough(ScoreBound{bound, true}), below);
  }
}

// Random adds, updates, removals and range removals against a std::set reference; with few
// distinct scores, ties ordered by member are common.
void RandomOps(const EncodingLimits& limits, int ops, int members, int distinct_scores,
               uint64_t seed) {
  std::mt19937_64 rng(seed);
  ZSet zset;
  std::set<Pair> ref;
  std::map<std::string, double> scores;
  std::uniform_int_distribution<int> member_dist(0, members - 1);
  std::uniform_int_distribution<int> score_dist(0, distinct_scores - 1);
  std::uniform_int_distribution<int> op_dist(0, 99);
  for (int op = 0; op < ops; ++op) {
    std::string member = "member:" + std::to_string(member_dist(rng));
    int kind = op_dist(rng);
    if (kind < 60) {
      double score = score_dist(rng) * 0.5 - 3;
      auto it = scores.find(member);
      ZSet::SetResult expected = ZSet::SetResult::kAdded;
      if (it != scores.end()) {
        expected = it->second == score ? ZSet::SetResult::kUnchanged : ZSet::SetResult::kUpdated;
        ref.erase({it->second, member});
      }
      scores[member] = score;
      ref.insert({score, member});
      ASSERT_EQ(zset.Set(member, score, limits), expected);
    } else if (kind < 96) {
      auto it = scores.find(member);
      bool present = it != scores.end();
      if (present) {
        ref.erase({it->second, member});
        scores.erase(it);
      }
      ASSERT_EQ(zset.Remove(member), present);
    } else if (!ref.empty()) {
      std::uniform_int_distribution<size_t> pos(0, ref.size());
      size_t a = pos(rng);
      size_t b = pos(rng);
      size_t first = std::min(a, b);
      size_t last = std::min(first + 40, std::max(a, b));
      auto begin = std::next(ref.begin(), static_cast<std::ptrdiff_t>(first));
      auto end = std::next(ref.begin(), static_cast<std::ptrdiff_t>(last));
      for (auto it = begin; it != end; ++it) scores.erase(it->second);
      ref.erase(begin, end);
      zset.RemoveRange(first, last);
    }
    if (op % 97 == 0) ExpectMatches(zset, ref, scores, rng);
  }
  ExpectMatches(zset, ref, scores, rng);
}

TEST(ZSetTest, RandomOpsFlat) { RandomOps(Limits(1 << 20, 1 << 20), 4000, 150, 8, 1); }

TEST(ZSetTest, RandomOpsFullManyTies) { RandomOps(Limits(0), 60000, 3000, 5, 2); }

TEST(ZSetTest, RandomOpsFullDistinctScores) { RandomOps(Limits(0), 60000, 5000, 1 << 30, 3); }

TEST(ZSetTest, RandomOpsAcrossConversion) { RandomOps(Limits(64), 20000, 400, 50, 4); }

TEST(ZSetTest, GrowAndShrinkKeepsOrder) {
  // Ascending, descending and random inserts, then removal of almost everything: splits,
  // merges and rebalancing at every level.
  std::mt19937_64 rng(5);
  for (int pattern = 0; pattern < 3; ++pattern) {
    ZSet zset;
    std::set<Pair> ref;
    std::map<std::string, double> scores;
    const int n = 12000;
    for (int i = 0; i < n; ++i) {
      double score = pattern == 0 ? i : pattern == 1 ? -i : static_cast<double>(rng() % 100000);
      std::string member = "m" + std::to_string(i);
      zset.Set(member, score, Limits(0));
      ref.insert({score, member});
      scores[member] = score;
    }
    ExpectMatches(zset, ref, scores, rng);
    std::vector<std::string> order;
    for (const auto& entry : scores) order.push_back(entry.first);
    std::shuffle(order.begin(), order.end(), rng);
    for (int i = 0; i < n - 10; ++i) {
      ASSERT_TRUE(zset.Remove(order[i]));
      ref.erase({scores[order[i]], order[i]});
      scores.erase(order[i]);
      if (i % 3000 == 0) ExpectMatches(zset, ref, scores, rng);
    }
    ExpectMatches(zset, ref, scores, rng);
  }
}

TEST(ZSetTest, AscendingInsertsFillLeaves) {
  // Appends (timestamps as scores) leave full tree leaves: less memory than random inserts.
  ZSet ascending;
  ZSet random;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 50000; ++i) {
    std::string member = "m" + std::to_string(i);
    ascending.Set(member, i, Limits(0));
    random.Set(member, static_cast<double>(rng() % 1000000), Limits(0));
  }
  EXPECT_LT(ascending.AllocatedBytes(), random.AllocatedBytes());
}

TEST(ZSetTest, AllocatedBytesTracksChanges) {
  for (int64_t entries : {1 << 20, 0}) {
    ZSet zset;
    EncodingLimits limits = Limits(entries);
    size_t empty = zset.AllocatedBytes();
    for (int i = 0; i < 1000; ++i) zset.Set("member:" + std::to_string(i), i, limits);
    size_t full = zset.AllocatedBytes();
    EXPECT_GT(full, empty + 1000 * 16);
    for (int i = 0; i < 1000; ++i) zset.Remove("member:" + std::to_string(i));
    // Nodes and tree are gone; the hash set shrinks as it goes, a step behind.
    EXPECT_LT(zset.AllocatedBytes(), full / 5);
    if (entries != 0) {
      EXPECT_EQ(zset.AllocatedBytes(), empty);
    }
  }
}

TEST(ZSetTest, MemoryPerMemberOfLargeSet) {
  // Members as in the 1M-member comparison with Redis ("member:123456", random scores). Redis
  // takes about 110 bytes per member.
  ZSet zset;
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> score(0, 1e6);
  const int n = 200000;
  char name[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(name, sizeof(name), "member:%06d", i);
    zset.Set(name, score(rng), EncodingLimits{});
  }
  double per_member = static_cast<double>(zset.AllocatedBytes()) / n;
  EXPECT_LT(per_member, 80.0);
}

TEST(ZSetTest, ScanFlatReturnsEverything) {
  ZSet zset;
  for (const char* m : {"a", "b", "c"}) zset.Set(m, 1, EncodingLimits{});
  std::vector<std::string> seen;
  EXPECT_EQ(zset.Scan(0, 1, [&](std::string_view m, double) { seen.emplace_back(m); }), 0u);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ZSetTest, ScanVisitsEveryLongLivedMemberAcrossResizes) {
  ZSet zset;
  EncodingLimits limits = Limits(0);
  for (int i = 0; i < 5000; ++i) zset.Set("keep:" + std::to_string(i), i, limits);
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    cursor = zset.Scan(cursor, 10, [&](std::string_view m, double) { seen.emplace(m); });
    // Grow the set, then shrink it, while the scan is under way.
    if (step < 200) {
      for (int j = 0; j < 200; ++j) zset.Set("temp:" + std::to_string(step * 200 + j), 0, limits);
    } else if (step < 400) {
      for (int j = 0; j < 200; ++j) zset.Remove("temp:" + std::to_string((step - 200) * 200 + j));
    }
    ++step;
  } while (cursor != 0);
  for (int i = 0; i < 5000; ++i) EXPECT_GE(seen.count("keep:" + std::to_string(i)), 1u) << i;
}

TEST(ZSetTest, LargeHashSetResizesWhileScanningAndRemoving) {
  // Past 2^16 slots an element's home needs its name's hash, not just the slot's tag bits; the
  // set grows and then shrinks (incrementally) while a scan is under way.
  ZSet zset;
  EncodingLimits limits = Limits(0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) zset.Set("m" + std::to_string(i), i % 1000, limits);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int removed = 0;
  do {
    cursor = zset.Scan(cursor, 200, [&](std::string_view m, double) { seen.emplace(m); });
    // Remove the odd members (they may or may not be seen), then add and remove others.
    for (int j = 0; j < 400 && removed < n / 2; ++j, ++removed) {
      ASSERT_TRUE(zset.Remove("m" + std::to_string(2 * removed + 1)));
    }
  } while (cursor != 0);
  for (int i = 0; i < n; i += 2) ASSERT_EQ(seen.count("m" + std::to_string(i)), 1u) << i;
  while (removed < n / 2) ASSERT_TRUE(zset.Remove("m" + std::to_string(2 * removed++ + 1)));
  for (int i = 0; i < n; ++i) {
    std::optional<double> score = zset.Score("m" + std::to_string(i));
    ASSERT_EQ(score.has_value(), i % 2 == 0) << i;
    if (score) {
      ASSERT_EQ(*score, i % 1000);
    }
  }
  for (int i = 0; i < n; i += 2) ASSERT_TRUE(zset.Remove("m" + std::to_string(i)));
  EXPECT_EQ(zset.size(), 0u);
}

TEST(ZSetTest, ScanWithoutChangesReturnsEachMemberOnce) {
  ZSet zset;
  for (int i = 0; i < 10000; ++i) zset.Set("m" + std::to_string(i), i, Limits(0));
  size_t calls = 0;
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = zset.Scan(cursor, 100, [&](std::string_view m, double) { seen.emplace(m); });
    ++calls;
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 10000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 10000u);
  EXPECT_GT(calls, 50u);
  EXPECT_LT(calls, 200u);
}

}  // namespace
}  // namespace ringtail::storage
