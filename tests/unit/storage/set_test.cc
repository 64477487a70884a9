// SPDX-License-Identifier: Apache-2.0
// Tests of storage::Set (src/storage/set.cc): the encoding Create picks, every conversion at its
// threshold (intset to listpack or hashtable, listpack to hashtable, SADD's size hint), intset
// widths and Redis's integer rule, binary-safe members, the hashtable's growth and shrinking,
// exact memory accounting, scan cursors that survive growth and shrinking, random members and
// pops, and a randomized comparison with std::set.
#include "storage/set.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ringtail::storage {
namespace {

using Encoding = Set::Encoding;

EncodingLimits Limits(int64_t intset_entries, int64_t listpack_entries, int64_t listpack_value) {
  EncodingLimits limits;
  limits.set_max_intset_entries = intset_entries;
  limits.set_max_listpack_entries = listpack_entries;
  limits.set_max_listpack_value = listpack_value;
  return limits;
}

const EncodingLimits kDefaults;

std::vector<std::string> Members(const Set& set) {
  std::vector<std::string> out;
  set.ForEach([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

std::set<std::string> MemberSet(const Set& set) {
  std::vector<std::string> members = Members(set);
  std::set<std::string> out(members.begin(), members.end());
  EXPECT_EQ(out.size(), members.size()) << "ForEach returned a member twice";
  return out;
}

// A set of `encoding` holding the given members (added with the defaults).
std::unique_ptr<Set> Make(Encoding encoding, const std::vector<std::string>& members) {
  auto set = Set::CreateEmpty(encoding, members.size());
  for (const std::string& m : members) set->Add(m, kDefaults);
  EXPECT_EQ(set->encoding(), encoding);
  return set;
}

std::vector<std::string> Numbered(std::string_view prefix, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::string(prefix) + std::to_string(i));
  return out;
}

size_t Usable(size_t request) {
  void* p = std::malloc(request);
  size_t usable = malloc_usable_size(p);
  std::free(p);
  return usable;
}

// ---------------------------------------------------------------------------------------------
// Creation

TEST(SetTest, EmptySetIsAnIntsetOfItsOwnSize) {
  Set set;
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.EncodingName(), "intset");
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set));
  EXPECT_EQ(set.capacity(), 0u);
  EXPECT_FALSE(set.Contains("1"));
  EXPECT_FALSE(set.Remove("1"));
  EXPECT_TRUE(Members(set).empty());
}

TEST(SetTest, CreatePicksTheEncodingFromTheFirstMemberAndTheHint) {
  EncodingLimits limits = Limits(4, 3, 64);
  EXPECT_EQ(Set::Create("12", 4, limits)->EncodingName(), "intset");
  EXPECT_EQ(Set::Create("12", 5, limits)->EncodingName(), "hashtable");  // past both limits
  EXPECT_EQ(Set::Create("a", 3, limits)->EncodingName(), "listpack");
  EXPECT_EQ(Set::Create("a", 4, limits)->EncodingName(), "hashtable");
  // An integer with a hint past the intset limit but within the listpack one.
  EXPECT_EQ(Set::Create("1", 3, Limits(2, 3, 64))->EncodingName(), "listpack");
  // Not integers by Redis's rule.
  for (std::string_view s :
       {"01", "+1", "-0", " 1", "1 ", "", "-", "1.0", "99999999999999999999"}) {
    EXPECT_EQ(Set::Create(s, 1, limits)->EncodingName(), "listpack") << s;
  }
  auto big = Set::Create("x", 1000, kDefaults);
  EXPECT_EQ(big->EncodingName(), "hashtable");
  EXPECT_GE(big->capacity() * 3, 1000u * 4);  // sized for the hint
}

// ---------------------------------------------------------------------------------------------
// Intset

TEST(SetTest, IntsetKeepsIntegersSortedAcrossWidths) {
  Set set;
  const std::vector<int64_t> values = {0,
                                       5,
                                       -5,
                                       std::numeric_limits<int16_t>::max(),
                                       std::numeric_limits<int16_t>::min(),
                                       int64_t{std::numeric_limits<int16_t>::max()} + 1,
                                       std::numeric_limits<int32_t>::max(),
                                       std::numeric_limits<int32_t>::min(),
                                       int64_t{std::numeric_limits<int32_t>::min()} - 1,
                                       std::numeric_limits<int64_t>::max(),
                                       std::numeric_limits<int64_t>::min(),
                                       42};
  for (int64_t v : values) EXPECT_TRUE(set.Add(std::to_string(v), kDefaults)) << v;
  for (int64_t v : values) EXPECT_FALSE(set.Add(std::to_string(v), kDefaults)) << v;
  EXPECT_EQ(set.EncodingName(), "intset");
  std::vector<int64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> expected;
  for (int64_t v : sorted) expected.push_back(std::to_string(v));
  EXPECT_EQ(Members(set), expected);
  for (int64_t v : values) EXPECT_TRUE(set.Contains(std::to_string(v))) << v;
  EXPECT_FALSE(set.Contains("7"));
  EXPECT_FALSE(set.Contains("05"));  // not the integer 5
  EXPECT_FALSE(set.Contains("abc"));
  EXPECT_FALSE(set.Remove("05"));
  EXPECT_TRUE(set.Remove("5"));
  EXPECT_FALSE(set.Contains("5"));
  EXPECT_EQ(set.size(), values.size() - 1);
}

TEST(SetTest, IntsetUsesTheNarrowestWidthThatHoldsEveryMember) {
  Set set;
  for (int i = 0; i < 100; ++i) set.Add(std::to_string(i), kDefaults);
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set) + Usable(100 * 2));
  set.Add("70000", kDefaults);  // needs 4 bytes: every member widens
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set) + Usable(101 * 4));
  set.Add("-5000000000", kDefaults);  // needs 8 bytes
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set) + Usable(102 * 8));
  EXPECT_EQ(Members(set).front(), "-5000000000");
  EXPECT_EQ(Members(set).back(), "70000");
  // Removing the wide members does not narrow the others, as in Redis.
  set.Remove("-5000000000");
  set.Remove("70000");
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set) + Usable(100 * 8));
  for (int i = 0; i < 100; ++i) set.Remove(std::to_string(i));
  EXPECT_EQ(set.AllocatedBytes(), sizeof(Set));
}

TEST(SetTest, IntsetBecomesAHashtablePastItsEntryLimit) {
  EncodingLimits limits = Limits(4, 128, 64);
  Set set;
  for (int i = 1; i <= 4; ++i) set.Add(std::to_string(i), limits);
  EXPECT_EQ(set.EncodingName(), "intset");
  EXPECT_FALSE(set.Add("4", limits));  // a duplicate does not convert
  EXPECT_EQ(set.EncodingName(), "intset");
  EXPECT_TRUE(set.Add("5", limits));
  EXPECT_EQ(set.EncodingName(), "hashtable");
  EXPECT_EQ(MemberSet(set), (std::set<std::string>{"1", "2", "3", "4", "5"}));
}

TEST(SetTest, IntsetTakesAStringAsAListpackWhenEverythingFits) {
  EncodingLimits limits = Limits(512, 3, 5);
  Set set;
  set.Add("10", limits);
  set.Add("-9999", limits);  // 5 characters: fits a listpack value of 5
  EXPECT_TRUE(set.Add("abcde", limits));
  EXPECT_EQ(set.EncodingName(), "listpack");
  // The integers keep their ascending order, then the new member.
  EXPECT_EQ(Members(set), (std::vector<std::string>{"-9999", "10", "abcde"}));
  EXPECT_TRUE(set.Contains("10"));
  // Integers go to the listpack as strings from now on.
  EXPECT_FALSE(set.Add("10", limits));
  EXPECT_EQ(set.size(), 3u);
}

TEST(SetTest, IntsetTakesAStringAsAHashtableWhenSomethingDoesNotFit) {
  // Too many integers for a listpack (the intset has as many as the listpack may hold).
  {
    EncodingLimits limits = Limits(512, 3, 64);
    Set set;
    for (int i = 0; i < 3; ++i) set.Add(std::to_string(i), limits);
    set.Add("a", limits);
    EXPECT_EQ(set.EncodingName(), "hashtable");
    EXPECT_EQ(MemberSet(set), (std::set<std::string>{"0", "1", "2", "a"}));
  }
  // One fewer fits.
  {
    EncodingLimits limits = Limits(512, 3, 64);
    Set set;
    for (int i = 0; i < 2; ++i) set.Add(std::to_string(i), limits);
    set.Add("a", limits);
    EXPECT_EQ(set.EncodingName(), "listpack");
  }
  // The string is too long.
  {
    EncodingLimits limits = Limits(512, 128, 3);
    Set set;
    set.Add("1", limits);
    set.Add("abcd", limits);
    EXPECT_EQ(set.EncodingName(), "hashtable");
  }
  // An integer, written out, is too long (the smallest counts by its '-').
  {
    EncodingLimits limits = Limits(512, 128, 3);
    Set set;
    set.Add("-100", limits);
    set.Add("5", limits);
    set.Add("a", limits);
    EXPECT_EQ(set.EncodingName(), "hashtable");
    EXPECT_EQ(MemberSet(set), (std::set<std::string>{"-100", "5", "a"}));
  }
}

// ---------------------------------------------------------------------------------------------
// Listpack

TEST(SetTest, ListpackKeepsInsertionOrderAndConvertsAtItsLimits) {
  EncodingLimits limits = Limits(512, 3, 4);
  Set set;
  set.Add("b", limits);
  set.Add("a", limits);
  set.Add("1", limits);
  EXPECT_EQ(set.EncodingName(), "listpack");
  EXPECT_EQ(Members(set), (std::vector<std::string>{"b", "a", "1"}));

  auto pack = Set::CreateEmpty(Encoding::kListpack);
  EXPECT_TRUE(pack->Add("aaaa", limits));  // exactly the value limit
  EXPECT_TRUE(pack->Add("b", limits));
  EXPECT_TRUE(pack->Add("c", limits));  // exactly the entry limit
  EXPECT_EQ(pack->EncodingName(), "listpack");
  EXPECT_FALSE(pack->Add("b", limits));
  EXPECT_TRUE(pack->Remove("b"));
  EXPECT_EQ(Members(*pack), (std::vector<std::string>{"aaaa", "c"}));
  EXPECT_TRUE(pack->Add("d", limits));
  EXPECT_EQ(pack->EncodingName(), "listpack");
  EXPECT_TRUE(pack->Add("e", limits));  // one entry too many
  EXPECT_EQ(pack->EncodingName(), "hashtable");
  EXPECT_EQ(MemberSet(*pack), (std::set<std::string>{"aaaa", "c", "d", "e"}));

  auto wide = Set::CreateEmpty(Encoding::kListpack);
  wide->Add("a", limits);
  EXPECT_TRUE(wide->Add("abcde", limits));  // one byte too long
  EXPECT_EQ(wide->EncodingName(), "hashtable");
  EXPECT_TRUE(wide->Contains("a"));
  EXPECT_TRUE(wide->Contains("abcde"));
}

TEST(SetTest, ListpackMemoryIsTheBufferAndNothingElse) {
  auto set = Set::CreateEmpty(Encoding::kListpack);
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set));
  set->Add("abc", kDefaults);                               // 1 length byte + 3
  set->Add(std::string(200, 'x'), Limits(512, 128, 1000));  // 2 length bytes + 200
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set) + Usable(4 + 202));
  set->Remove("abc");
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set) + Usable(202));
  set->Remove(std::string(200, 'x'));
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set));
}

TEST(SetTest, SizeHintConvertsBeforeAdding) {
  EncodingLimits limits = Limits(4, 3, 64);
  Set ints;
  ints.Add("1", limits);
  ints.PrepareForAdds(4, limits);
  EXPECT_EQ(ints.EncodingName(), "intset");
  ints.PrepareForAdds(5, limits);
  EXPECT_EQ(ints.EncodingName(), "hashtable");
  EXPECT_TRUE(ints.Contains("1"));

  auto pack = Set::CreateEmpty(Encoding::kListpack);
  pack->Add("a", limits);
  pack->PrepareForAdds(3, limits);
  EXPECT_EQ(pack->EncodingName(), "listpack");
  pack->PrepareForAdds(4, limits);
  EXPECT_EQ(pack->EncodingName(), "hashtable");
  EXPECT_TRUE(pack->Contains("a"));
}

TEST(SetTest, NeverConvertsBackWhenShrinking) {
  Set set;
  EncodingLimits limits = Limits(2, 2, 64);
  for (std::string_view m : {"1", "2", "3"}) set.Add(m, limits);
  ASSERT_EQ(set.EncodingName(), "hashtable");
  set.Remove("2");
  set.Remove("3");
  EXPECT_EQ(set.EncodingName(), "hashtable");
  EXPECT_EQ(Members(set), (std::vector<std::string>{"1"}));
}

TEST(SetTest, MembersAreBinarySafe) {
  const std::vector<std::string> members = {std::string(),
                                            std::string("\0", 1),
                                            std::string("a\0b", 3),
                                            std::string(127, 'y'),
                                            std::string(128, 'y'),
                                            std::string(20000, 'z'),
                                            "\r\n",
                                            "1"};
  for (Encoding encoding : {Encoding::kListpack, Encoding::kHashtable}) {
    auto set = Set::CreateEmpty(encoding);
    EncodingLimits limits = Limits(512, 128, 100000);
    for (const std::string& m : members) EXPECT_TRUE(set->Add(m, limits));
    for (const std::string& m : members) EXPECT_FALSE(set->Add(m, limits));
    EXPECT_EQ(set->EncodingName(), encoding == Encoding::kListpack ? "listpack" : "hashtable");
    EXPECT_EQ(MemberSet(*set), std::set<std::string>(members.begin(), members.end()));
    EXPECT_FALSE(set->Contains(std::string(126, 'y')));
    for (const std::string& m : members) EXPECT_TRUE(set->Remove(m));
    EXPECT_EQ(set->size(), 0u);
  }
}

// ---------------------------------------------------------------------------------------------
// Hashtable

TEST(SetTest, HashtableGrowsAndShrinksKeepingEveryMember) {
  auto set = Set::CreateEmpty(Encoding::kHashtable);
  const std::vector<std::string> members = Numbered("member:", 100000);
  size_t last_capacity = set->capacity();
  for (const std::string& m : members) {
    ASSERT_TRUE(set->Add(m, kDefaults));
    ASSERT_LE(set->size() * 4, set->capacity() * 3) << "load above 3/4";
    ASSERT_GE(set->capacity(), last_capacity);
    last_capacity = set->capacity();
  }
  EXPECT_EQ(set->capacity() & (set->capacity() - 1), 0u) << "not a power of two";
  for (const std::string& m : members) ASSERT_TRUE(set->Contains(m)) << m;
  EXPECT_FALSE(set->Contains("member:100000"));
  for (size_t i = 0; i < members.size(); i += 2) ASSERT_TRUE(set->Remove(members[i]));
  for (size_t i = 0; i < members.size(); ++i) {
    ASSERT_EQ(set->Contains(members[i]), i % 2 == 1) << members[i];
  }
  // Emptying most of it shrinks the slot array, to at most 8x the members.
  for (size_t i = 1; i < members.size() - 10; i += 2) ASSERT_TRUE(set->Remove(members[i]));
  EXPECT_EQ(set->size(), 5u);
  EXPECT_LE(set->capacity(), 64u);
  EXPECT_EQ(set->EncodingName(), "hashtable");
  EXPECT_EQ(MemberSet(*set).size(), 5u);
}

// Makes changes that leave the set as it is until a rehash under way has finished.
void FinishRehash(Set& set) {
  for (int i = 0; set.rehashing() && i < 1000000; ++i) {
    set.Add("settle", kDefaults);
    set.Remove("settle");
  }
  ASSERT_FALSE(set.rehashing());
}

TEST(SetTest, HashtableMemoryIsExactlyItsAllocations) {
  auto set = Set::CreateEmpty(Encoding::kHashtable);
  const std::vector<std::string> members = Numbered("member:", 20000);
  size_t member_bytes = 0;
  for (const std::string& m : members) {
    set->Add(m, kDefaults);
    member_bytes += Usable(1 + m.size());  // one length byte and the bytes
  }
  set->Add(std::string(300, 'q'), kDefaults);  // two length bytes
  member_bytes += Usable(2 + 300);
  FinishRehash(*set);
  size_t slot_bytes = Usable(set->capacity() * sizeof(uintptr_t));
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set) + slot_bytes + member_bytes);
  for (const std::string& m : members) set->Remove(m);
  set->Remove(std::string(300, 'q'));
  FinishRehash(*set);
  EXPECT_EQ(set->AllocatedBytes(), sizeof(Set) + Usable(set->capacity() * sizeof(uintptr_t)));
  // The design target: well under Redis's 56 bytes per member of this shape.
  auto big = Set::CreateEmpty(Encoding::kHashtable);
  for (const std::string& m : Numbered("member:", 200000)) big->Add(m, kDefaults);
  FinishRehash(*big);
  EXPECT_LT(big->AllocatedBytes() / big->size(), 40u);
}

TEST(SetTest, LargeTablesRehashIncrementally) {
  auto set = Set::CreateEmpty(Encoding::kHashtable);
  std::vector<std::string> members;
  size_t rehashing_changes = 0;
  for (size_t i = 0; i < 40000; ++i) {
    members.push_back("r" + std::to_string(i));
    set->Add(members.back(), kDefaults);
    if (!set->rehashing()) continue;
    ++rehashing_changes;
    if (rehashing_changes % 97 != 0) continue;
    // Mid-rehash, members are in either array: all findable, each listed once, removable.
    ASSERT_EQ(MemberSet(*set).size(), set->size());
    for (const std::string& m : members) ASSERT_TRUE(set->Contains(m)) << m;
    ASSERT_TRUE(set->Remove(members.front()));
    ASSERT_FALSE(set->Contains(members.front()));
    ASSERT_TRUE(set->Add(members.front(), kDefaults));
  }
  // 8192 -> 16384 -> 32768 -> 65536 slots, each spread over many changes.
  EXPECT_GT(rehashing_changes, 300u);
  EXPECT_LT(rehashing_changes, 2000u);
  FinishRehash(*set);
  EXPECT_EQ(set->capacity(), 65536u);
  EXPECT_EQ(MemberSet(*set), std::set<std::string>(members.begin(), members.end()));
  // Shrinking is incremental too.
  bool shrank_incrementally = false;
  for (size_t i = 0; i < members.size() - 100; ++i) {
    ASSERT_TRUE(set->Remove(members[i]));
    shrank_incrementally |= set->rehashing();
  }
  EXPECT_TRUE(shrank_incrementally);
  for (size_t i = members.size() - 100; i < members.size(); ++i) {
    ASSERT_TRUE(set->Contains(members[i]));
  }
}

TEST(SetTest, RandomMembersDuringARehashComeFromBothArrays) {
  auto set = Set::CreateEmpty(Encoding::kHashtable);
  size_t i = 0;
  while (!set->rehashing()) set->Add("x" + std::to_string(i++), kDefaults);
  // Right after the rehash starts most members are still in the old array.
  absl::BitGen rng;
  Set::IntBuffer buffer;
  std::set<std::string> seen;
  for (int draw = 0; draw < 200000; ++draw) seen.emplace(set->RandomMember(rng, buffer));
  ASSERT_TRUE(set->rehashing());
  EXPECT_EQ(seen, MemberSet(*set));
}

TEST(SetTest, RandomizedAgainstStdSet) {
  std::mt19937_64 gen(7);
  for (int64_t intset_limit : {0, 16, 512}) {
    EncodingLimits limits = Limits(intset_limit, 16, 8);
    Set set;
    std::set<std::string> model;
    for (int step = 0; step < 20000; ++step) {
      uint64_t r = gen();
      std::string member;
      switch (r % 3) {
        case 0:
          member = std::to_string(static_cast<int64_t>(gen() % 200) - 100);
          break;
        case 1:
          member = "m" + std::to_string(gen() % 300);
          break;
        default:
          member = std::to_string(gen() % 50000) + std::string(gen() % 12, 'x');
      }
      if ((r >> 8) % 10 < 6) {
        ASSERT_EQ(set.Add(member, limits), model.insert(member).second) << member;
      } else {
        ASSERT_EQ(set.Remove(member), model.erase(member) == 1) << member;
      }
      ASSERT_EQ(set.size(), model.size());
      if (step % 997 == 0) {
        ASSERT_EQ(MemberSet(set), model);
      }
    }
    EXPECT_EQ(MemberSet(set), model);
    for (const std::string& m : model) ASSERT_TRUE(set.Contains(m)) << m;
  }
}

// ---------------------------------------------------------------------------------------------
// Scan

// Runs a scan to its end; `between` is called after each call with the call number.
std::multiset<std::string> ScanAll(Set& set, size_t count,
                                   const std::function<void(int)>& between) {
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = set.Scan(cursor, count, [&](std::string_view m) { seen.emplace(m); });
    between(++calls);
    EXPECT_LT(calls, 10000000) << "scan does not end";
  } while (cursor != 0 && calls < 10000000);
  return seen;
}

TEST(SetTest, FlatScanReturnsEverythingAtOnce) {
  Set ints;
  for (int i = 0; i < 100; ++i) ints.Add(std::to_string(i), kDefaults);
  auto pack = Make(Encoding::kListpack, {"a", "b", "c"});
  for (uint64_t cursor : {uint64_t{0}, uint64_t{77}}) {
    size_t n = 0;
    EXPECT_EQ(ints.Scan(cursor, 1, [&](std::string_view) { ++n; }), 0u);
    EXPECT_EQ(n, 100u);
    std::vector<std::string> got;
    EXPECT_EQ(pack->Scan(cursor, 1, [&](std::string_view m) { got.emplace_back(m); }), 0u);
    EXPECT_EQ(got, (std::vector<std::string>{"a", "b", "c"}));
  }
}

TEST(SetTest, HashtableScanOfAStableTableReturnsEachMemberOnce) {
  auto set = Make(Encoding::kHashtable, Numbered("s", 10000));
  std::multiset<std::string> seen = ScanAll(*set, 7, [](int) {});
  EXPECT_EQ(seen.size(), 10000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), MemberSet(*set));
  // COUNT bounds a call: about `count` members, never a huge batch.
  size_t n = 0;
  uint64_t cursor = set->Scan(0, 10, [&](std::string_view) { ++n; });
  EXPECT_NE(cursor, 0u);
  EXPECT_GE(n, 10u);
  EXPECT_LT(n, 40u);
}

TEST(SetTest, HashtableScanSurvivesGrowth) {
  const std::vector<std::string> original = Numbered("orig:", 500);
  auto set = Make(Encoding::kHashtable, original);
  size_t capacity_before = set->capacity();
  int added = 0;
  std::multiset<std::string> seen = ScanAll(*set, 5, [&](int call) {
    // Grow the table several times while the scan runs.
    if (call % 3 == 0 && added < 20000) {
      for (int i = 0; i < 2000; ++i) set->Add("new:" + std::to_string(added++), kDefaults);
    }
  });
  EXPECT_GE(set->capacity(), capacity_before * 16);
  for (const std::string& m : original) EXPECT_EQ(seen.count(m), 1u) << m;
}

TEST(SetTest, HashtableScanSurvivesShrinking) {
  const std::vector<std::string> kept = Numbered("keep:", 50);
  const std::vector<std::string> dropped = Numbered("drop:", 20000);
  auto set = Make(Encoding::kHashtable, kept);
  for (const std::string& m : dropped) set->Add(m, kDefaults);
  size_t capacity_before = set->capacity();
  size_t next_drop = 0;
  std::multiset<std::string> seen = ScanAll(*set, 20, [&](int) {
    for (int i = 0; i < 3000 && next_drop < dropped.size(); ++i) set->Remove(dropped[next_drop++]);
  });
  EXPECT_LE(set->capacity() * 64, capacity_before);
  // Every member present for the whole scan is returned; some may come twice after a shrink.
  for (const std::string& m : kept) EXPECT_GE(seen.count(m), 1u) << m;
}

TEST(SetTest, HashtableScanDuringIncrementalRehashes) {
  // Grow one member per call, so that many calls land while a rehash is under way.
  const std::vector<std::string> original = Numbered("orig:", 6000);
  auto set = Make(Encoding::kHashtable, original);
  int added = 0;
  int calls_while_rehashing = 0;
  std::multiset<std::string> seen = ScanAll(*set, 3, [&](int) {
    calls_while_rehashing += set->rehashing() ? 1 : 0;
    set->Add("new:" + std::to_string(added++), kDefaults);
  });
  EXPECT_GT(calls_while_rehashing, 50);
  for (const std::string& m : original) EXPECT_EQ(seen.count(m), 1u) << m;

  // And shrink one member per call.
  const std::vector<std::string> kept = Numbered("keep:", 300);
  const std::vector<std::string> dropped = Numbered("drop:", 20000);
  auto shrinking = Make(Encoding::kHashtable, kept);
  for (const std::string& m : dropped) shrinking->Add(m, kDefaults);
  FinishRehash(*shrinking);
  size_t next_drop = 0;
  calls_while_rehashing = 0;
  seen = ScanAll(*shrinking, 2, [&](int) {
    calls_while_rehashing += shrinking->rehashing() ? 1 : 0;
    for (int k = 0; k < 20 && next_drop < dropped.size(); ++k) {
      shrinking->Remove(dropped[next_drop++]);
    }
  });
  EXPECT_GT(calls_while_rehashing, 10);
  for (const std::string& m : kept) EXPECT_GE(seen.count(m), 1u) << m;
}

// ---------------------------------------------------------------------------------------------
// Random members

// Draws `draws` random members of `set` and checks every member comes up about equally often.
void ExpectUniform(const Set& set, int draws) {
  absl::BitGen rng;
  Set::IntBuffer buffer;
  std::map<std::string, int> counts;
  for (int i = 0; i < draws; ++i) ++counts[std::string(set.RandomMember(rng, buffer))];
  EXPECT_EQ(counts.size(), set.size()) << set.EncodingName();
  double expected = static_cast<double>(draws) / static_cast<double>(set.size());
  for (const auto& [member, n] : counts) {
    EXPECT_GT(n, expected * 0.7) << member << " in " << set.EncodingName();
    EXPECT_LT(n, expected * 1.3) << member << " in " << set.EncodingName();
  }
}

TEST(SetTest, RandomMemberIsUniformInEveryEncoding) {
  Set ints;
  for (int i = 0; i < 20; ++i) ints.Add(std::to_string(i * 1000), kDefaults);
  ExpectUniform(ints, 40000);
  ExpectUniform(*Make(Encoding::kListpack, Numbered("p", 20)), 40000);
  ExpectUniform(*Make(Encoding::kHashtable, Numbered("h", 20)), 40000);
}

TEST(SetTest, RandomDistinctReturnsDistinctMembersOfTheSet) {
  absl::BitGen rng;
  for (Encoding encoding : {Encoding::kIntset, Encoding::kListpack, Encoding::kHashtable}) {
    std::vector<std::string> members = Numbered("", 100);
    if (encoding != Encoding::kIntset)
      members = Numbered("x", encoding == Encoding::kHashtable ? 1000 : 100);
    auto set = Make(encoding, members);
    std::set<std::string> all(members.begin(), members.end());
    for (size_t count : {size_t{1}, size_t{5}, size_t{50}, size_t{99}, size_t{100}}) {
      std::vector<std::string> got;
      set->RandomDistinct(count, rng, [&](std::string_view m) { got.emplace_back(m); });
      std::set<std::string> distinct(got.begin(), got.end());
      EXPECT_EQ(got.size(), count);
      EXPECT_EQ(distinct.size(), count) << "repeated member";
      for (const std::string& m : got) EXPECT_TRUE(all.count(m)) << m;
    }
  }
  // Every member is equally likely to be in a sample.
  auto set = Make(Encoding::kHashtable, Numbered("u", 30));
  std::map<std::string, int> counts;
  for (int i = 0; i < 6000; ++i) {
    set->RandomDistinct(3, rng, [&](std::string_view m) { ++counts[std::string(m)]; });
  }
  EXPECT_EQ(counts.size(), 30u);
  for (const auto& [member, n] : counts) {
    EXPECT_GT(n, 600 * 0.7) << member;
    EXPECT_LT(n, 600 * 1.3) << member;
  }
}

TEST(SetTest, PopRandomRemovesWhatItReturns) {
  absl::BitGen rng;
  for (Encoding encoding : {Encoding::kIntset, Encoding::kListpack, Encoding::kHashtable}) {
    std::vector<std::string> members =
        encoding == Encoding::kIntset ? Numbered("", 50) : Numbered("m", 50);
    auto set = Make(encoding, members);
    std::set<std::string> popped;
    while (set->size() > 0) {
      std::string m = set->PopRandom(rng);
      EXPECT_FALSE(set->Contains(m)) << m;
      EXPECT_TRUE(popped.insert(m).second) << m;
    }
    EXPECT_EQ(popped, std::set<std::string>(members.begin(), members.end()));
  }
}

TEST(SetTest, PopRandomManySplitsTheSetInBothStrategies) {
  absl::BitGen rng;
  for (Encoding encoding : {Encoding::kIntset, Encoding::kListpack, Encoding::kHashtable}) {
    // count 10 of 100 pops one by one; count 90 of 100 rebuilds the 10 that stay.
    for (size_t count : {size_t{1}, size_t{10}, size_t{90}, size_t{99}}) {
      std::vector<std::string> members =
          encoding == Encoding::kIntset ? Numbered("", 100) : Numbered("m", 100);
      auto set = Make(encoding, members);
      std::vector<std::string> popped;
      set->PopRandomMany(count, rng, kDefaults,
                         [&](std::string_view m) { popped.emplace_back(m); });
      EXPECT_EQ(popped.size(), count);
      EXPECT_EQ(set->size(), 100 - count);
      std::set<std::string> rest = MemberSet(*set);
      std::set<std::string> union_set(popped.begin(), popped.end());
      EXPECT_EQ(union_set.size(), count) << "popped a member twice";
      for (const std::string& m : rest) EXPECT_TRUE(union_set.insert(m).second) << m;
      EXPECT_EQ(union_set, std::set<std::string>(members.begin(), members.end()));
      for (const std::string& m : rest) EXPECT_TRUE(set->Contains(m));
      for (const std::string& m : popped) EXPECT_FALSE(set->Contains(m));
    }
  }
}

TEST(SetTest, PopRandomManyRebuildEncodings) {
  absl::BitGen rng;
  // An intset stays an intset.
  auto ints = Make(Encoding::kIntset, Numbered("", 100));
  ints->PopRandomMany(95, rng, kDefaults, [](std::string_view) {});
  EXPECT_EQ(ints->EncodingName(), "intset");
  // A hashtable left with few small members is rebuilt as a listpack, as Redis 7.2 does...
  auto small = Make(Encoding::kHashtable, Numbered("m", 600));
  small->PopRandomMany(590, rng, kDefaults, [](std::string_view) {});
  EXPECT_EQ(small->EncodingName(), "listpack");
  EXPECT_EQ(small->size(), 10u);
  // ...and stays a hashtable when more remain than a listpack holds.
  auto large = Make(Encoding::kHashtable, Numbered("m", 2000));
  large->PopRandomMany(1800, rng, kDefaults, [](std::string_view) {});
  EXPECT_EQ(large->EncodingName(), "hashtable");
  EXPECT_EQ(large->size(), 200u);
  // Memory follows the rebuild.
  EXPECT_EQ(small->AllocatedBytes(), Make(Encoding::kListpack, Members(*small))->AllocatedBytes());
}

TEST(SetTest, CloneKeepsMembersAndEncoding) {
  std::vector<std::unique_ptr<Set>> sets;
  sets.push_back(Make(Encoding::kIntset, Numbered("", 40)));
  sets.push_back(Make(Encoding::kListpack, Numbered("p", 40)));
  sets.push_back(Make(Encoding::kHashtable, Numbered("h", 4000)));
  for (const auto& set : sets) {
    auto copy = set->Clone();
    EXPECT_EQ(copy->encoding(), set->encoding());
    EXPECT_EQ(MemberSet(*copy), MemberSet(*set)) << set->EncodingName();
    EXPECT_EQ(copy->AllocatedBytes(), set->AllocatedBytes()) << set->EncodingName();
    copy->Add("another", kDefaults);
    EXPECT_FALSE(set->Contains("another"));
  }
}

}  // namespace
}  // namespace ringtail::storage
