// SPDX-License-Identifier: Apache-2.0
// Tests of storage::Hash: both encodings, conversion at the entry-count and the length
// thresholds (and never back), growth and shrinking of the table with every field findable
// throughout, memory accounting, the scan cursor guarantee while the table grows and shrinks
// between calls, saturated probe distances, and random fields.
#include "storage/hash.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"

namespace ringtail::storage {
namespace {

std::string Field(int i) { return "field:" + std::to_string(i); }
std::string Value(int i) { return "v" + std::to_string(i * 7); }

EncodingLimits Limits(int64_t entries, int64_t value_bytes) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = entries;
  limits.hash_max_listpack_value = value_bytes;
  return limits;
}

const EncodingLimits kDefault = Limits(128, 64);
const EncodingLimits kAlwaysTable = Limits(0, 64);

// Every (field, value) a full ForEach walk yields, checking no field comes twice.
std::map<std::string, std::string> Contents(const Hash& hash) {
  std::map<std::string, std::string> out;
  hash.ForEach([&](std::string_view field, std::string_view value) {
    EXPECT_TRUE(out.emplace(field, value).second) << "field twice: " << field;
  });
  return out;
}

// Every field a complete scan of `count` per call yields (duplicates collapsed).
std::set<std::string> ScanAll(const Hash& hash, size_t count, size_t* calls = nullptr) {
  std::set<std::string> seen;
  uint64_t cursor = 0;
  size_t n = 0;
  do {
    cursor = hash.Scan(cursor, count,
                       [&](std::string_view field, std::string_view) { seen.emplace(field); });
    ++n;
  } while (cursor != 0 && n < 10'000'000);
  if (calls != nullptr) *calls = n;
  return seen;
}

TEST(HashTest, EmptyHash) {
  Hash hash;
  EXPECT_EQ(hash.size(), 0u);
  EXPECT_EQ(hash.EncodingName(), "listpack");
  EXPECT_EQ(hash.Get("f"), std::nullopt);
  EXPECT_FALSE(hash.Erase("f"));
  EXPECT_EQ(hash.AllocatedBytes(), sizeof(Hash));
  EXPECT_TRUE(Contents(hash).empty());
  EXPECT_EQ(hash.Scan(0, 10, [](std::string_view, std::string_view) { FAIL(); }), 0u);
}

TEST(HashTest, ListpackSetGetEraseInInsertionOrder) {
  Hash hash;
  EXPECT_TRUE(hash.Set("b", "1", kDefault));
  EXPECT_TRUE(hash.Set("a", "2", kDefault));
  EXPECT_TRUE(hash.Set("c", "", kDefault));
  EXPECT_TRUE(hash.Set("", "empty field", kDefault));
  EXPECT_FALSE(hash.Set("a", "22222", kDefault));  // longer value, in the middle
  EXPECT_FALSE(hash.Set("b", "", kDefault));       // shorter
  EXPECT_EQ(hash.size(), 4u);
  EXPECT_EQ(hash.EncodingName(), "listpack");
  EXPECT_EQ(hash.Get("a"), "22222");
  EXPECT_EQ(hash.Get("b"), "");
  EXPECT_EQ(hash.Get("c"), "");
  EXPECT_EQ(hash.Get(""), "empty field");
  EXPECT_EQ(hash.Get("d"), std::nullopt);
  EXPECT_TRUE(hash.Contains("c"));
  EXPECT_FALSE(hash.Contains("x"));

  std::vector<std::string> order;
  hash.ForEach([&](std::string_view f, std::string_view) { order.emplace_back(f); });
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a", "c", ""}));

  EXPECT_TRUE(hash.Erase("a"));
  EXPECT_FALSE(hash.Erase("a"));
  EXPECT_EQ(hash.size(), 3u);
  order.clear();
  hash.ForEach([&](std::string_view f, std::string_view) { order.emplace_back(f); });
  EXPECT_EQ(order, (std::vector<std::string>{"b", "c", ""}));
  EXPECT_EQ(hash.Get(""), "empty field");

  EXPECT_TRUE(hash.Erase("b"));
  EXPECT_TRUE(hash.Erase("c"));
  EXPECT_TRUE(hash.Erase(""));
  EXPECT_EQ(hash.size(), 0u);
  EXPECT_EQ(hash.AllocatedBytes(), sizeof(Hash));  // the block is freed with the last field
}

TEST(HashTest, LongStringsUseMultiByteLengths) {
  const std::string long_field(300, 'f');
  const std::string long_value(70000, 'v');
  for (const EncodingLimits& limits : {Limits(128, 100000), kAlwaysTable}) {
    Hash hash;
    hash.Set("short", "x", limits);
    hash.Set(long_field, long_value, limits);
    hash.Set("after", "y", limits);
    EXPECT_EQ(hash.Get(long_field), long_value);
    EXPECT_EQ(hash.Get("short"), "x");
    EXPECT_EQ(hash.Get("after"), "y");
    hash.Set(long_field, "now short", limits);
    EXPECT_EQ(hash.Get(long_field), "now short");
    EXPECT_EQ(hash.Get("after"), "y");
  }
}

TEST(HashTest, ConvertsPastTheEntryLimit) {
  const EncodingLimits limits = Limits(4, 64);
  Hash hash;
  for (int i = 0; i < 4; ++i) hash.Set(Field(i), Value(i), limits);
  EXPECT_EQ(hash.EncodingName(), "listpack");
  hash.Set(Field(0), "updated", limits);  // no new field: stays
  EXPECT_EQ(hash.EncodingName(), "listpack");
  hash.Set(Field(4), Value(4), limits);
  EXPECT_EQ(hash.EncodingName(), "hashtable");
  EXPECT_EQ(hash.size(), 5u);
  EXPECT_EQ(hash.Get(Field(0)), "updated");
  for (int i = 1; i < 5; ++i) EXPECT_EQ(hash.Get(Field(i)), Value(i)) << i;
}

TEST(HashTest, ConvertsOnAFieldOrValueLongerThanTheLimit) {
  const EncodingLimits limits = Limits(128, 8);
  {
    Hash hash;
    hash.Set("12345678", "87654321", limits);  // exactly the limit
    EXPECT_EQ(hash.EncodingName(), "listpack");
    hash.Set("a", "123456789", limits);
    EXPECT_EQ(hash.EncodingName(), "hashtable");
    EXPECT_EQ(hash.Get("12345678"), "87654321");
    EXPECT_EQ(hash.Get("a"), "123456789");
  }
  {
    Hash hash;
    hash.Set("a", "1", limits);
    hash.Set("123456789", "1", limits);
    EXPECT_EQ(hash.EncodingName(), "hashtable");
  }
  {
    // An existing field given a long value converts too.
    Hash hash;
    hash.Set("a", "1", limits);
    EXPECT_FALSE(hash.Set("a", "123456789", limits));
    EXPECT_EQ(hash.EncodingName(), "hashtable");
    EXPECT_EQ(hash.Get("a"), "123456789");
  }
  {
    // A zero limit: only empty strings fit.
    Hash hash;
    hash.Set("", "", Limits(128, 0));
    EXPECT_EQ(hash.EncodingName(), "listpack");
    hash.Set("", "x", Limits(128, 0));
    EXPECT_EQ(hash.EncodingName(), "hashtable");
  }
  {
    Hash hash;
    hash.Set("a", "1", Limits(0, 64));  // zero entries allowed
    EXPECT_EQ(hash.EncodingName(), "hashtable");
    EXPECT_EQ(hash.Get("a"), "1");
  }
}

TEST(HashTest, PrepareToAddConvertsOnLengthOnly) {
  const EncodingLimits limits = Limits(128, 8);
  Hash hash;
  hash.Set("a", "1", limits);
  hash.PrepareToAdd(8, 1000, limits);
  EXPECT_EQ(hash.EncodingName(), "listpack");
  hash.PrepareToAdd(9, 9, limits);
  EXPECT_EQ(hash.EncodingName(), "hashtable");
  EXPECT_EQ(hash.Get("a"), "1");
  // Past the listpack safety size, whatever the limits.
  Hash big;
  big.Set("a", "1", Limits(128, int64_t{1} << 40));
  big.PrepareToAdd(10, Hash::kListpackSafeBytes, Limits(128, int64_t{1} << 40));
  EXPECT_EQ(big.EncodingName(), "hashtable");
}

TEST(HashTest, NeverConvertsBack) {
  const EncodingLimits limits = Limits(4, 64);
  Hash hash;
  for (int i = 0; i < 10; ++i) hash.Set(Field(i), Value(i), limits);
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(hash.Erase(Field(i)));
  EXPECT_EQ(hash.size(), 1u);
  EXPECT_EQ(hash.EncodingName(), "hashtable");
  EXPECT_EQ(hash.Get(Field(9)), Value(9));
}

TEST(HashTest, TableGrowsWithEveryFieldFindableThroughout) {
  Hash hash;
  constexpr int kFields = 200'000;
  size_t resizes_seen = 0;
  bool was_resizing = false;
  for (int i = 0; i < kFields; ++i) {
    ASSERT_TRUE(hash.Set(Field(i), Value(i), kDefault));
    if (hash.is_resizing() && !was_resizing) ++resizes_seen;
    was_resizing = hash.is_resizing();
    // Check everything at a few points, some of them in the middle of a resize.
    if (i == 1000 || i == 7200 || i == 60'000 || (hash.is_resizing() && i % 15'000 == 0)) {
      for (int j = 0; j <= i; ++j) ASSERT_EQ(hash.Get(Field(j)), Value(j)) << j << " at " << i;
      ASSERT_EQ(hash.Get("field:-1"), std::nullopt);
    }
  }
  EXPECT_GE(resizes_seen, 8u);  // 2^9 slots (the conversion) to 2^18
  EXPECT_EQ(hash.size(), static_cast<size_t>(kFields));
  std::map<std::string, std::string> contents = Contents(hash);
  ASSERT_EQ(contents.size(), static_cast<size_t>(kFields));
  for (int i = 0; i < kFields; ++i) EXPECT_EQ(contents[Field(i)], Value(i));
  // At most 7/8 full, and at least 7/32 once a growth has finished.
  EXPECT_LE(hash.size() * 8, hash.slot_count() * 7);
}

TEST(HashTest, TableShrinksAsFieldsGo) {
  Hash hash;
  constexpr int kFields = 50'000;
  for (int i = 0; i < kFields; ++i) hash.Set(Field(i), Value(i), kDefault);
  size_t big_slots = hash.slot_count();
  size_t big_bytes = hash.AllocatedBytes();
  for (int i = 0; i < kFields - 10; ++i) {
    ASSERT_TRUE(hash.Erase(Field(i)));
    if (i % 9973 == 0) {
      for (int j = i + 1; j < kFields; ++j) ASSERT_EQ(hash.Get(Field(j)), Value(j)) << j;
    }
  }
  EXPECT_EQ(hash.size(), 10u);
  EXPECT_LT(hash.slot_count(), big_slots / 100);
  EXPECT_LT(hash.AllocatedBytes(), big_bytes / 100);
  for (int i = kFields - 10; i < kFields; ++i) EXPECT_EQ(hash.Get(Field(i)), Value(i));
  EXPECT_EQ(hash.EncodingName(), "hashtable");
}

TEST(HashTest, AllocatedBytesStaysExact) {
  absl::BitGen rng;
  for (const EncodingLimits& limits : {kDefault, Limits(100, 1000), kAlwaysTable}) {
    Hash hash;
    for (int op = 0; op < 20'000; ++op) {
      int i = absl::Uniform<int>(rng, 0, 300);
      if (absl::Bernoulli(rng, 0.6)) {
        hash.Set(Field(i), std::string(absl::Uniform<size_t>(rng, 0, 200), 'x'), limits);
      } else {
        hash.Erase(Field(i));
      }
      if (op % 97 == 0) {
        ASSERT_EQ(hash.AllocatedBytes(), hash.CountAllocatedBytes()) << op;
      }
    }
    EXPECT_EQ(hash.AllocatedBytes(), hash.CountAllocatedBytes());
    EXPECT_GT(hash.AllocatedBytes(), sizeof(Hash) + hash.size() * 10);
  }
}

TEST(HashTest, MemoryPerFieldOfALargeTable) {
  // A pair block of 2 + 12 + 6 bytes takes a 32-byte size class with 16-byte classes (24
  // with 8-byte ones); the slot array adds 8 / load factor bytes. Redis: about 64 to 72.
  Hash hash;
  constexpr int kFields = 300'000;
  for (int i = 0; i < kFields; ++i) {
    char field[16];
    std::snprintf(field, sizeof(field), "field:%06d", i);
    hash.Set(field, std::to_string(100000 + i), kDefault);
  }
  ASSERT_FALSE(hash.is_resizing());
  double per_field = static_cast<double>(hash.AllocatedBytes()) / kFields;
  // At most a 32-byte pair plus slots at the lowest load after a growth (7/16); at least a
  // 24-byte pair plus slots at the highest (7/8).
  EXPECT_LT(per_field, 32 + 8 / (7.0 / 16) + 1);
  EXPECT_GT(per_field, 24 + 8 / (7.0 / 8));
}

TEST(HashTest, ListpackScanReturnsEverythingWithCursorZero) {
  Hash hash;
  for (int i = 0; i < 50; ++i) hash.Set(Field(i), Value(i), kDefault);
  size_t seen = 0;
  EXPECT_EQ(hash.Scan(12345, 1, [&](std::string_view, std::string_view) { ++seen; }), 0u);
  EXPECT_EQ(seen, 50u);
}

TEST(HashTest, TableScanVisitsEachFieldOnceWhenStable) {
  Hash hash;
  constexpr int kFields = 5000;
  for (int i = 0; i < kFields; ++i) hash.Set(Field(i), Value(i), kAlwaysTable);
  while (hash.is_resizing()) hash.Set(Field(0), Value(0), kAlwaysTable);  // finish it
  for (size_t count : {size_t{1}, size_t{10}, size_t{1000}, size_t{1} << 40}) {
    std::map<std::string, int> times;
    uint64_t cursor = 0;
    size_t calls = 0;
    do {
      cursor = hash.Scan(cursor, count, [&](std::string_view field, std::string_view value) {
        ++times[std::string(field)];
        EXPECT_EQ(value, Value(std::stoi(std::string(field.substr(6)))));
      });
      EXPECT_LT(cursor, hash.slot_count());  // cursors look like Redis's: below the slot count
      ++calls;
    } while (cursor != 0);
    ASSERT_EQ(times.size(), static_cast<size_t>(kFields)) << count;
    for (const auto& [field, n] : times) EXPECT_EQ(n, 1) << field;
    if (count == 1) {
      EXPECT_GT(calls, static_cast<size_t>(kFields) / 2);
    }
    if (count == (size_t{1} << 40)) {
      EXPECT_EQ(calls, 1u);
    }
  }
}

TEST(HashTest, ScanCursorSurvivesGrowthBetweenCalls) {
  Hash hash;
  constexpr int kInitial = 1000;
  constexpr int kFinal = 100'000;
  for (int i = 0; i < kInitial; ++i) hash.Set(Field(i), Value(i), kAlwaysTable);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int next = kInitial;
  size_t slots_at_start = hash.slot_count();
  size_t calls_while_resizing = 0;
  do {
    if (hash.is_resizing()) ++calls_while_resizing;
    cursor = hash.Scan(cursor, 5,
                       [&](std::string_view field, std::string_view) { seen.emplace(field); });
    // Grow a lot between calls: many resizes, some calls in the middle of one.
    for (int k = 0; k < 300 && next < kFinal; ++k, ++next) {
      hash.Set(Field(next), Value(next), kAlwaysTable);
    }
  } while (cursor != 0);
  EXPECT_GE(hash.slot_count(), slots_at_start * 32);
  EXPECT_GT(calls_while_resizing, 0u);
  for (int i = 0; i < kInitial; ++i) EXPECT_TRUE(seen.count(Field(i))) << Field(i);
}

TEST(HashTest, ScanCursorSurvivesShrinkingBetweenCalls) {
  Hash hash;
  constexpr int kFields = 40'000;
  constexpr int kKept = 300;  // fields 0..kKept-1 stay for the whole scan
  for (int i = 0; i < kFields; ++i) hash.Set(Field(i), Value(i), kAlwaysTable);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int next_erase = kFields - 1;
  size_t slots_at_start = hash.slot_count();
  size_t calls = 0;
  do {
    cursor = hash.Scan(cursor, 20,
                       [&](std::string_view field, std::string_view) { seen.emplace(field); });
    for (int k = 0; k < 500 && next_erase >= kKept; ++k) hash.Erase(Field(next_erase--));
    ++calls;
  } while (cursor != 0);
  // Several shrinks happened (the last one may still be moving: only changes move pairs).
  EXPECT_LE(hash.slot_count(), slots_at_start / 8);
  EXPECT_GT(calls, 5u);
  for (int i = 0; i < kKept; ++i) EXPECT_TRUE(seen.count(Field(i))) << Field(i);
}

TEST(HashTest, ScanCursorSurvivesMixedChurn) {
  absl::BitGen rng;
  Hash hash;
  constexpr int kStable = 2000;
  for (int i = 0; i < kStable; ++i) hash.Set(Field(i), Value(i), kAlwaysTable);
  for (int round = 0; round < 10; ++round) {
    std::set<std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = hash.Scan(cursor, absl::Uniform<size_t>(rng, 1, 50),
                         [&](std::string_view field, std::string_view) { seen.emplace(field); });
      // Add or remove a random batch of other fields: growth and shrinking.
      int batch = absl::Uniform<int>(rng, 0, 800);
      bool add = absl::Bernoulli(rng, 0.5);
      for (int k = 0; k < batch; ++k) {
        std::string f = "churn:" + std::to_string(absl::Uniform<int>(rng, 0, 30'000));
        if (add) {
          hash.Set(f, "x", kAlwaysTable);
        } else {
          hash.Erase(f);
        }
      }
    } while (cursor != 0);
    for (int i = 0; i < kStable; ++i) ASSERT_TRUE(seen.count(Field(i))) << round << " " << i;
  }
}

// Fields whose hashes share their top 12 bits: in a table of up to 4096 slots they all have
// the same home slot, so probe distances pass 255 and are recomputed from the hash.
std::vector<std::string> CollidingFields(size_t n) {
  std::vector<std::string> out;
  for (uint64_t i = 0; out.size() < n; ++i) {
    std::string f = "c" + std::to_string(i);
    if ((Hash::FieldHash(f) >> 52) == 0) out.push_back(f);
  }
  return out;
}

TEST(HashTest, SaturatedProbeDistances) {
  std::vector<std::string> colliding = CollidingFields(400);
  Hash hash;
  for (size_t i = 0; i < colliding.size(); ++i) {
    ASSERT_TRUE(hash.Set(colliding[i], std::to_string(i), kAlwaysTable));
    hash.Set(Field(static_cast<int>(i)), "other", kAlwaysTable);  // and some ordinary ones
  }
  ASSERT_LE(hash.slot_count(), 4096u);
  for (size_t i = 0; i < colliding.size(); ++i) {
    ASSERT_EQ(hash.Get(colliding[i]), std::to_string(i)) << i;
  }
  EXPECT_EQ(hash.Get("c-none"), std::nullopt);
  EXPECT_EQ(ScanAll(hash, 3).size(), 800u);
  // Remove every other colliding field: the rest shift back and stay findable.
  for (size_t i = 0; i < colliding.size(); i += 2) ASSERT_TRUE(hash.Erase(colliding[i]));
  for (size_t i = 0; i < colliding.size(); ++i) {
    EXPECT_EQ(hash.Get(colliding[i]).has_value(), i % 2 == 1) << i;
  }
  for (size_t i = 0; i < colliding.size(); ++i) {
    EXPECT_EQ(hash.Get(Field(static_cast<int>(i))), "other");
  }
  EXPECT_EQ(ScanAll(hash, 7).size(), 600u);
}

TEST(HashTest, RandomPairsComeFromTheHash) {
  absl::BitGen rng;
  for (const EncodingLimits& limits : {kDefault, kAlwaysTable}) {
    Hash hash;
    for (int i = 0; i < 10; ++i) hash.Set(Field(i), Value(i), limits);
    std::map<std::string, int> times;
    hash.RandomPairs(10'000, rng, [&](std::string_view field, std::string_view value) {
      ++times[std::string(field)];
      EXPECT_EQ(hash.Get(field), value);
    });
    ASSERT_EQ(times.size(), 10u) << hash.EncodingName();
    for (const auto& [field, n] : times) EXPECT_GT(n, 700) << field;  // expected 1000
    // One at a time (HRANDFIELD without a count) takes another path.
    times.clear();
    for (int i = 0; i < 10'000; ++i) {
      hash.RandomPairs(1, rng, [&](std::string_view field, std::string_view value) {
        ++times[std::string(field)];
        EXPECT_EQ(hash.Get(field), value);
      });
    }
    ASSERT_EQ(times.size(), 10u) << hash.EncodingName();
    for (const auto& [field, n] : times) EXPECT_GT(n, 700) << field;
  }
}

TEST(HashTest, RandomDistinctPairs) {
  absl::BitGen rng;
  for (const EncodingLimits& limits : {kDefault, kAlwaysTable}) {
    Hash hash;
    for (int i = 0; i < 100; ++i) hash.Set(Field(i), Value(i), limits);
    // Few of many (random draws), most of them (a shuffle), and all.
    for (size_t count :
         {size_t{0}, size_t{1}, size_t{10}, size_t{33}, size_t{34}, size_t{99}, size_t{100}}) {
      std::set<std::string> fields;
      size_t calls = 0;
      hash.RandomDistinctPairs(count, rng, [&](std::string_view field, std::string_view value) {
        fields.emplace(field);
        EXPECT_EQ(hash.Get(field), value);
        ++calls;
      });
      EXPECT_EQ(calls, count);
      EXPECT_EQ(fields.size(), count) << hash.EncodingName();
    }
  }
}

}  // namespace
}  // namespace ringtail::storage
