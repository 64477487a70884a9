// SPDX-License-Identifier: Apache-2.0
// Tests of storage::List (src/storage/list.cc): the entry encoding round trip, the listpack to
// quicklist conversion at each kind of list-max-listpack-size limit, node layout, and a
// randomized comparison with std::deque covering every operation across many nodes.
#include "storage/list.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ringtail::storage {
namespace {

EncodingLimits Fill(int64_t fill) {
  EncodingLimits limits;
  limits.list_max_listpack_size = fill;
  return limits;
}

std::string Text(const ListElement& e) {
  std::string out;
  e.AppendTo(&out);
  return out;
}

std::vector<std::string> Forward(const List& list) {
  std::vector<std::string> out;
  for (List::Iterator it(list, 0, true); !it.done(); it.Next()) out.push_back(Text(it.Get()));
  return out;
}

std::vector<std::string> Backward(const List& list) {
  std::vector<std::string> out;
  if (list.size() == 0) return out;
  for (List::Iterator it(list, list.size() - 1, false); !it.done(); it.Next()) {
    out.insert(out.begin(), Text(it.Get()));
  }
  return out;
}

size_t NodeSum(const List& list) {
  size_t sum = 0;
  for (size_t i = 0; i < list.node_count(); ++i) {
    EXPECT_GT(list.node_size(i), 0u) << "empty node " << i;
    sum += list.node_size(i);
  }
  return sum;
}

TEST(ListTest, EmptyListIsAListpackOfNoBytes) {
  List list;
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.EncodingName(), "listpack");
  EXPECT_EQ(list.AllocatedBytes(), sizeof(List));
  EXPECT_EQ(list.node_count(), 0u);
}

TEST(ListTest, ElementsRoundTripThroughEveryEncoding) {
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<std::string> values = {
      "0", "1", "127", "128", "-1", "2047", "2048", "-2048", "-2049", "1048575", "1048576",
      "-1048576", "-1048577", "8388607", "8388608", "-8388608", "-8388609", "2147483647",
      "2147483648", "-2147483648", "-2147483649", std::to_string(kMax), std::to_string(kMin),
      // Not canonical integers: stored as text, read back unchanged.
      "007", "-0", "+5", " 1", "1 ", "", "-", "1.5", "9223372036854775808",
      "-9223372036854775809", "18446744073709551616", "element:123456",
      std::string(63, 'a'), std::string(64, 'b'), std::string(2047, 'c'), std::string(2048, 'd'),
      std::string(8200, 'e'), std::string(70000, 'f')};
  List list;
  for (const std::string& v : values) list.Push(List::End::kTail, v, Fill(-2));
  ASSERT_EQ(list.size(), values.size());
  EXPECT_EQ(Forward(list), values);
  EXPECT_EQ(Backward(list), values);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(Text(list.At(i)), values[i]) << i;
  EXPECT_TRUE(list.At(0).is_int);
  EXPECT_EQ(list.At(22).num, kMin);
  EXPECT_FALSE(list.At(23).is_int);  // "007"
}

TEST(ListTest, PushAndPopAtBothEnds) {
  List list;
  list.Push(List::End::kTail, "b", Fill(-2));
  list.Push(List::End::kHead, "a", Fill(-2));
  list.Push(List::End::kTail, "3", Fill(-2));
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"a", "b", "3"}));
  EXPECT_EQ(Text(list.Peek(List::End::kHead)), "a");
  EXPECT_EQ(Text(list.Peek(List::End::kTail)), "3");
  list.Pop(List::End::kTail);
  list.Pop(List::End::kHead);
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"b"}));
  list.Pop(List::End::kHead);
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.node_count(), 0u);
  EXPECT_EQ(list.AllocatedBytes(), sizeof(List));
}

TEST(ListTest, CountLimitConvertsPastItsEntries) {
  List list;
  for (int i = 0; i < 4; ++i) list.Push(List::End::kTail, "x", Fill(4));
  EXPECT_EQ(list.EncodingName(), "listpack");
  EXPECT_EQ(list.node_count(), 1u);
  list.Push(List::End::kTail, "x", Fill(4));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  EXPECT_EQ(list.node_count(), 2u);
  for (int i = 0; i < 7; ++i) list.Push(List::End::kHead, "y", Fill(4));
  EXPECT_EQ(list.size(), 12u);
  EXPECT_EQ(list.node_count(), 4u);  // 3 + 4 | 4 + 1: the head grows by new nodes
  EXPECT_EQ(NodeSum(list), 12u);
}

TEST(ListTest, ByteLimitConvertsWhenTheNextEntryWouldNotFit) {
  // A 10-byte string takes 12 bytes (header, payload, back-length): 341 fill 4092 bytes of
  // the 4 KB that -1 allows, and the 342nd would not fit.
  List list;
  for (int i = 0; i < 341; ++i) list.Push(List::End::kTail, "abcdefghij", Fill(-1));
  EXPECT_EQ(list.EncodingName(), "listpack");
  list.Push(List::End::kTail, "abcdefghij", Fill(-1));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  EXPECT_EQ(list.node_count(), 2u);
  EXPECT_EQ(list.node_size(0), 341u);
}

TEST(ListTest, FillIsClampedAsInRedis) {
  // Below -5 means -5 (64 KB); a 62-byte string takes 64 bytes, so 1024 fit.
  List list;
  std::string value(62, 'v');
  for (int i = 0; i < 1024; ++i) list.Push(List::End::kTail, value, Fill(-100));
  EXPECT_EQ(list.EncodingName(), "listpack");
  list.Push(List::End::kTail, value, Fill(-100));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  // A fill of 0 allows one element per node.
  List single;
  single.Push(List::End::kTail, "a", Fill(0));
  EXPECT_EQ(single.EncodingName(), "listpack");
  single.Push(List::End::kTail, "b", Fill(0));
  EXPECT_EQ(single.EncodingName(), "quicklist");
  EXPECT_EQ(single.node_count(), 2u);
}

TEST(ListTest, PositiveFillStillKeepsNodesWithinTheSafetyLimit) {
  List list;
  std::string value(1000, 'v');  // 1003 bytes an entry: 8 fit in 8 KB
  for (int i = 0; i < 8; ++i) list.Push(List::End::kTail, value, Fill(1000));
  EXPECT_EQ(list.EncodingName(), "listpack");
  list.Push(List::End::kTail, value, Fill(1000));
  EXPECT_EQ(list.EncodingName(), "quicklist");
}

TEST(ListTest, LargeElementGetsItsOwnNode) {
  List list;
  list.Push(List::End::kTail, std::string(9000, 'x'), Fill(-2));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  list.Push(List::End::kTail, "small", Fill(-2));
  list.Push(List::End::kHead, "small", Fill(-2));
  EXPECT_EQ(list.node_count(), 3u);
  EXPECT_EQ(list.node_size(1), 1u);
  EXPECT_EQ(Text(list.At(1)), std::string(9000, 'x'));
}

TEST(ListTest, NeverConvertsBackWhenShrinking) {
  List list;
  for (int i = 0; i < 10; ++i) list.Push(List::End::kTail, std::to_string(i), Fill(4));
  ASSERT_EQ(list.EncodingName(), "quicklist");
  while (list.size() > 1) list.Pop(List::End::kHead);
  EXPECT_EQ(list.EncodingName(), "quicklist");
  EXPECT_EQ(Text(list.Peek(List::End::kHead)), "9");
}

TEST(ListTest, InsertIntoAFullNodeSplitsIt) {
  List list;
  for (int i = 0; i < 8; ++i) list.Push(List::End::kTail, std::to_string(i), Fill(4));
  ASSERT_EQ(list.node_count(), 2u);
  list.Insert(2, "x", Fill(4));
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"0", "1", "x", "2", "3", "4", "5", "6",
                                                     "7"}));
  EXPECT_EQ(NodeSum(list), 9u);
  list.Insert(4, "y", Fill(4));  // at a node boundary
  list.Insert(list.size(), "z", Fill(4));
  list.Insert(0, "w", Fill(4));
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"w", "0", "1", "x", "2", "y", "3", "4",
                                                     "5", "6", "7", "z"}));
  EXPECT_EQ(Backward(list), Forward(list));
  EXPECT_EQ(NodeSum(list), 12u);
}

TEST(ListTest, InsertIntoAFullListpackConvertsIt) {
  List list;
  for (int i = 0; i < 4; ++i) list.Push(List::End::kTail, std::to_string(i), Fill(4));
  list.Insert(2, "x", Fill(4));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"0", "1", "x", "2", "3"}));
}

TEST(ListTest, SetReplacesInPlaceOrMovesToAnotherNode) {
  List list;
  for (int i = 0; i < 4; ++i) list.Push(List::End::kTail, "abc", Fill(-1));
  list.Set(1, "a much longer element than before", Fill(-1));
  list.Set(2, "7", Fill(-1));
  EXPECT_EQ(Forward(list),
            (std::vector<std::string>{"abc", "a much longer element than before", "7", "abc"}));
  EXPECT_EQ(list.EncodingName(), "listpack");
  // Too large for the node: the element moves to a node of its own.
  list.Set(2, std::string(5000, 'z'), Fill(-1));
  EXPECT_EQ(list.EncodingName(), "quicklist");
  EXPECT_EQ(Text(list.At(2)), std::string(5000, 'z'));
  EXPECT_EQ(list.size(), 4u);
  EXPECT_EQ(NodeSum(list), 4u);
}

TEST(ListTest, EraseRangesAcrossNodes) {
  List list;
  for (int i = 0; i < 20; ++i) list.Push(List::End::kTail, std::to_string(i), Fill(3));
  list.Erase(2, 10);  // ends mid-node, spans whole nodes
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"0", "1", "12", "13", "14", "15", "16",
                                                     "17", "18", "19"}));
  list.Erase(8, 2);
  list.Erase(0, 1);
  EXPECT_EQ(Forward(list), (std::vector<std::string>{"1", "12", "13", "14", "15", "16", "17"}));
  EXPECT_EQ(NodeSum(list), 7u);
  list.Erase(0, 7);
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.node_count(), 0u);
}

TEST(ListTest, RemoveMatchesHonoursStartAndLimitAndMergesNodes) {
  List list;
  for (int i = 0; i < 30; ++i) list.Push(List::End::kTail, i % 3 == 0 ? "x" : "y", Fill(4));
  size_t nodes_before = list.node_count();
  EXPECT_EQ(list.RemoveMatches(ListNeedle("x"), 4, 3, Fill(4)), 3u);  // indexes 6, 9, 12
  EXPECT_EQ(list.size(), 27u);
  EXPECT_EQ(list.RemoveMatches(ListNeedle("y"), 0, 0, Fill(4)), 20u);
  EXPECT_EQ(Forward(list), std::vector<std::string>(7, "x"));
  EXPECT_LT(list.node_count(), nodes_before);
  EXPECT_EQ(list.node_count(), 2u);  // 7 elements in nodes of 4
  EXPECT_EQ(list.RemoveMatches(ListNeedle("x"), 0, 0, Fill(4)), 7u);
  EXPECT_EQ(list.node_count(), 0u);
}

TEST(ListTest, NeedleComparesTextExactly) {
  List list;
  for (std::string_view v : {"1", "01", "-0", "0", "a"}) list.Push(List::End::kTail, v, Fill(-2));
  EXPECT_TRUE(ListNeedle("1").Matches(list.At(0)));
  EXPECT_FALSE(ListNeedle("1").Matches(list.At(1)));
  EXPECT_TRUE(ListNeedle("01").Matches(list.At(1)));
  EXPECT_FALSE(ListNeedle("0").Matches(list.At(2)));
  EXPECT_TRUE(ListNeedle("-0").Matches(list.At(2)));
  EXPECT_TRUE(ListNeedle("0").Matches(list.At(3)));
  EXPECT_FALSE(ListNeedle("1").Matches(list.At(4)));
}

TEST(ListTest, ShortStringsAndSmallIntegersAreCompact) {
  // The figures the memory comparison with Redis rests on: per element, "element:NNNNNN" takes
  // 16 bytes plus a share of its node; integers below a million at most 4.
  List strings;
  List numbers;
  const int kCount = 100000;
  for (int i = 0; i < kCount; ++i) {
    strings.Push(List::End::kTail, "element:" + std::to_string(100000 + i), Fill(-2));
    numbers.Push(List::End::kTail, std::to_string(i * 10), Fill(-2));
  }
  EXPECT_LE(strings.AllocatedBytes(), kCount * 16.15);
  EXPECT_LE(numbers.AllocatedBytes(), kCount * 4.05);
}

// Applies random operations to a List and a std::deque and compares them after each one.
void RandomizedAgainstDeque(int64_t fill, uint32_t seed) {
  std::mt19937 rng(seed);
  List list;
  std::deque<std::string> model;
  EncodingLimits limits = Fill(fill);
  auto random_value = [&]() -> std::string {
    switch (rng() % 5) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng() % 5000) - 2500);
      case 1:
        return std::string(rng() % 300, static_cast<char>('a' + rng() % 3));
      case 2:
        return std::to_string(static_cast<int64_t>(rng()) * 100003);
      default:
        return "v" + std::to_string(rng() % 10);
    }
  };
  for (int step = 0; step < 4000; ++step) {
    size_t n = model.size();
    switch (rng() % 9) {
      case 0:
      case 1: {
        std::string v = random_value();
        bool head = rng() % 2 == 0;
        list.Push(head ? List::End::kHead : List::End::kTail, v, limits);
        if (head) {
          model.push_front(v);
        } else {
          model.push_back(v);
        }
        break;
      }
      case 2:
        if (n > 0) {
          bool head = rng() % 2 == 0;
          ASSERT_EQ(Text(list.Peek(head ? List::End::kHead : List::End::kTail)),
                    head ? model.front() : model.back());
          list.Pop(head ? List::End::kHead : List::End::kTail);
          if (head) {
            model.pop_front();
          } else {
            model.pop_back();
          }
        }
        break;
      case 3: {
        size_t at = rng() % (n + 1);
        std::string v = random_value();
        list.Insert(at, v, limits);
        model.insert(model.begin() + static_cast<std::ptrdiff_t>(at), v);
        break;
      }
      case 4:
        if (n > 0) {
          size_t at = rng() % n;
          std::string v = random_value();
          list.Set(at, v, limits);
          model[at] = v;
        }
        break;
      case 5:
        if (n > 0) {
          size_t start = rng() % n;
          size_t count = rng() % (std::min<size_t>(n - start, 40) + 1);
          list.Erase(start, count);
          model.erase(model.begin() + static_cast<std::ptrdiff_t>(start),
                      model.begin() + static_cast<std::ptrdiff_t>(start + count));
        }
        break;
      case 6:
        if (n > 0) {
          std::string needle = "v" + std::to_string(rng() % 10);
          size_t start = rng() % n;
          size_t limit = rng() % 4;
          size_t removed = 0;
          for (size_t i = start; i < model.size();) {
            if (model[i] == needle && (limit == 0 || removed < limit)) {
              model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
              ++removed;
            } else {
              ++i;
            }
          }
          ASSERT_EQ(list.RemoveMatches(ListNeedle(needle), start, limit, limits), removed);
        }
        break;
      default:
        if (n > 0) {
          size_t at = rng() % n;
          ASSERT_EQ(Text(list.At(at)), model[at]) << "step " << step;
        }
        break;
    }
    ASSERT_EQ(list.size(), model.size()) << "step " << step;
    ASSERT_EQ(NodeSum(list), model.size()) << "step " << step;
    ASSERT_GE(list.AllocatedBytes(), sizeof(List));
    if (step % 100 == 0) {
      std::vector<std::string> expected(model.begin(), model.end());
      ASSERT_EQ(Forward(list), expected) << "step " << step;
      ASSERT_EQ(Backward(list), expected) << "step " << step;
    }
  }
  std::vector<std::string> expected(model.begin(), model.end());
  EXPECT_EQ(Forward(list), expected);
}

TEST(ListTest, RandomizedSmallCountNodes) { RandomizedAgainstDeque(5, 1); }
TEST(ListTest, RandomizedByteLimitedNodes) { RandomizedAgainstDeque(-1, 2); }
TEST(ListTest, RandomizedOneElementNodes) { RandomizedAgainstDeque(0, 3); }
TEST(ListTest, RandomizedDefaultNodes) { RandomizedAgainstDeque(-2, 4); }

}  // namespace
}  // namespace ringtail::storage
