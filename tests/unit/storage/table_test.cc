// SPDX-License-Identifier: Apache-2.0
// Tests of storage::Table: insert/find/erase, growth through many incremental rehashes with
// every key findable throughout, shrinking, lazy and active expiry, the SCAN cursor guarantee
// while the table grows and shrinks, RandomEntry and Clear.
#include "storage/table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/random/random.h"
#include "storage/encoding_limits.h"
#include "storage/hash.h"
#include "storage/set.h"
#include "storage/zset.h"

namespace ringtail::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

std::string Key(int i) { return "key:" + std::to_string(i); }
std::string ValueOf(int i) { return "value-" + std::to_string(i * 31); }

// Inserts Key(i) -> ValueOf(i).
void Put(Table& table, int i, int64_t now = kNow) {
  Table::InsertResult result = table.FindOrInsert(Key(i), now);
  ASSERT_NE(result.entry, nullptr);
  table.SetString(result.entry, ValueOf(i));
}

// True if a rehash is in progress (RehashStep(0) moves nothing and reports the state).
bool IsRehashing(Table& table) { return table.RehashStep(0); }

// Every key the table yields in a full ForEach walk.
std::vector<std::string> AllKeys(const Table& table, int64_t now = kNow) {
  std::vector<std::string> keys;
  table.ForEach([&](const Entry& e) { keys.emplace_back(e.key()); }, now);
  return keys;
}

// Number of Scan calls of `count` needed to walk the whole table.
size_t ScanCalls(const Table& table, size_t count) {
  size_t calls = 0;
  uint64_t cursor = 0;
  do {
    cursor = table.Scan(
        cursor, count, [](const Entry&) {}, kNow);
    ++calls;
  } while (cursor != 0 && calls < 10'000'000);
  return calls;
}

TEST(TableTest, EmptyTable) {
  Table table;
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find("missing", kNow), nullptr);
  EXPECT_FALSE(table.Erase("missing", kNow));
  EXPECT_EQ(table.Scan(
                0, 10, [](const Entry&) { ADD_FAILURE(); }, kNow),
            0u);
  EXPECT_TRUE(AllKeys(table).empty());
  EXPECT_EQ(table.ActiveExpire(kNow, 100), 0u);
  EXPECT_FALSE(IsRehashing(table));
  table.PrefetchBucket(Table::HashOf("missing"));
  table.PrefetchEntry(Table::HashOf("missing"));
}

TEST(TableTest, InsertFindErase) {
  Table table;
  Table::InsertResult first = table.FindOrInsert("k", kNow);
  ASSERT_NE(first.entry, nullptr);
  EXPECT_TRUE(first.inserted);
  EXPECT_EQ(first.entry->key(), "k");
  EXPECT_TRUE(first.entry->IsString());
  EXPECT_EQ(first.entry->type(), ValueType::kString);
  EXPECT_EQ(first.entry->str(), "");
  EXPECT_FALSE(first.entry->has_expiry());
  table.SetString(first.entry, "v1");
  EXPECT_EQ(table.size(), 1u);

  Table::InsertResult again = table.FindOrInsert("k", kNow);
  EXPECT_FALSE(again.inserted);
  EXPECT_EQ(again.entry, first.entry);
  EXPECT_EQ(again.entry->str(), "v1");
  EXPECT_EQ(table.size(), 1u);

  Entry* found = table.Find("k", kNow);
  ASSERT_EQ(found, first.entry);
  char* data = table.ResizeString(found, 7);
  std::memcpy(data + 2, "+more", 5);
  EXPECT_EQ(table.Find("k", kNow)->str(), "v1+more");
  EXPECT_EQ(table.Find("K", kNow), nullptr);
  EXPECT_EQ(table.Find("", kNow), nullptr);

  EXPECT_TRUE(table.Erase("k", kNow));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find("k", kNow), nullptr);
  EXPECT_FALSE(table.Erase("k", kNow));
}

TEST(TableTest, BinaryAndEmptyKeys) {
  Table table;
  const std::string with_nul("a\0b", 3);
  table.SetString(table.FindOrInsert(with_nul, kNow).entry, "nul");
  table.SetString(table.FindOrInsert("a", kNow).entry, "plain");
  table.SetString(table.FindOrInsert("", kNow).entry, "empty");
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.Find(with_nul, kNow)->str(), "nul");
  EXPECT_EQ(table.Find("a", kNow)->str(), "plain");
  EXPECT_EQ(table.Find("", kNow)->str(), "empty");
}

TEST(TableTest, EraseByEntry) {
  Table table;
  for (int i = 0; i < 100; ++i) Put(table, i);
  Entry* entry = table.Find(Key(42), kNow);
  ASSERT_NE(entry, nullptr);
  table.Erase(entry);
  EXPECT_EQ(table.size(), 99u);
  EXPECT_EQ(table.Find(Key(42), kNow), nullptr);
  for (int i = 0; i < 100; ++i) {
    if (i != 42) {
      EXPECT_NE(table.Find(Key(i), kNow), nullptr) << i;
    }
  }
}

TEST(TableTest, GrowthKeepsEveryKeyFindableDuringRehash) {
  constexpr int kKeys = 100'000;
  Table table;
  int rehashes_seen = 0;
  bool was_rehashing = false;
  for (int i = 0; i < kKeys; ++i) {
    Put(table, i);
    bool rehashing = IsRehashing(table);
    if (rehashing && !was_rehashing) {
      // A rehash just started: every key so far must be reachable while buckets move.
      ++rehashes_seen;
      for (int j = 0; j <= i; ++j) {
        Entry* entry = table.Find(Key(j), kNow);
        ASSERT_NE(entry, nullptr) << "key " << j << " lost at size " << i + 1;
        ASSERT_EQ(entry->key(), Key(j));
        ASSERT_EQ(entry->str(), ValueOf(j));
      }
      ASSERT_EQ(AllKeys(table).size(), static_cast<size_t>(i + 1));
    }
    was_rehashing = rehashing;
  }
  EXPECT_EQ(table.size(), static_cast<size_t>(kKeys));
  // 4 buckets to at least 2^17: one rehash per doubling.
  EXPECT_GE(rehashes_seen, 14);

  for (int i = 0; i < kKeys; ++i) {
    Entry* entry = table.Find(Key(i), kNow);
    ASSERT_NE(entry, nullptr) << i;
    EXPECT_EQ(entry->str(), ValueOf(i));
  }
  EXPECT_EQ(table.Find(Key(kKeys), kNow), nullptr);
}

TEST(TableTest, LookupsDuringSteppedRehash) {
  Table table;
  int i = 0;
  while (!IsRehashing(table)) Put(table, i++);
  // Grow on until a big rehash starts, then move it one bucket at a time checking all keys
  // with const walks (which do not advance the rehash).
  while (table.size() < 5000 || !IsRehashing(table)) Put(table, i++);
  const size_t size = table.size();
  int steps = 0;
  while (table.RehashStep(1)) {
    ++steps;
    if (steps % 64 == 0) {
      ASSERT_EQ(AllKeys(table).size(), size) << "after step " << steps;
    }
  }
  EXPECT_GT(steps, 100);
  for (int j = 0; j < i; ++j) ASSERT_NE(table.Find(Key(j), kNow), nullptr) << j;
  EXPECT_FALSE(IsRehashing(table));
}

TEST(TableTest, EntryPointersSurviveRehash) {
  Table table;
  Entry* entry = table.FindOrInsert("pinned", kNow).entry;
  table.SetString(entry, "here");
  for (int i = 0; i < 20'000; ++i) Put(table, i);
  EXPECT_EQ(table.Find("pinned", kNow), entry);
  EXPECT_EQ(entry->str(), "here");
}

TEST(TableTest, ShrinksAfterDeletes) {
  constexpr int kKeys = 100'000;
  constexpr int kKept = 100;
  Table table;
  for (int i = 0; i < kKeys; ++i) Put(table, i);
  while (table.RehashStep(1000)) {
  }
  const size_t calls_when_full = ScanCalls(table, 1);

  // Erase all but kKept + kLast keys. A shrink starts on the way; the deletes outrun its
  // rehash (a bucket or so per operation), so finish it, and erase the last kLast keys: the next
  // shrink is decided at an Erase.
  constexpr int kLast = 20;
  bool shrink_started = false;
  for (int i = kKept + kLast; i < kKeys; ++i) {
    ASSERT_TRUE(table.Erase(Key(i), kNow)) << i;
    shrink_started |= IsRehashing(table);
  }
  EXPECT_TRUE(shrink_started);
  for (int i = 0; i < kKeys; ++i) {
    Entry* entry = table.Find(Key(i), kNow);
    if (i < kKept + kLast) {
      ASSERT_NE(entry, nullptr) << i;
      EXPECT_EQ(entry->str(), ValueOf(i));
    } else {
      ASSERT_EQ(entry, nullptr) << i;
    }
  }
  while (table.RehashStep(1000)) {
  }
  for (int i = kKept; i < kKept + kLast; ++i) {
    ASSERT_TRUE(table.Erase(Key(i), kNow)) << i;
    while (table.RehashStep(1000)) {
    }
  }
  EXPECT_EQ(table.size(), static_cast<size_t>(kKept));
  for (int i = 0; i < kKept; ++i) ASSERT_NE(table.Find(Key(i), kNow), nullptr) << i;
  // A full scan now walks a bucket array sized for ~100 keys, not for 100k.
  const size_t calls_when_small = ScanCalls(table, 1);
  EXPECT_LT(calls_when_small, 1000u);
  EXPECT_GT(calls_when_full, 10 * calls_when_small);

  // Deleting everything and inserting again works.
  for (int i = 0; i < kKept; ++i) ASSERT_TRUE(table.Erase(Key(i), kNow));
  EXPECT_EQ(table.size(), 0u);
  for (int i = 0; i < 1000; ++i) Put(table, i);
  for (int i = 0; i < 1000; ++i) ASSERT_NE(table.Find(Key(i), kNow), nullptr);
}

// --- expiry ---

TEST(TableTest, SetExpiryCountsDeadlines) {
  Table table;
  Entry* a = table.FindOrInsert("a", kNow).entry;
  Entry* b = table.FindOrInsert("b", kNow).entry;
  a = table.SetExpiry(a, kNow + 100);
  EXPECT_TRUE(a->has_expiry());
  EXPECT_EQ(a->expire_at_ms(), kNow + 100);
  EXPECT_EQ(table.expires_count(), 1u);
  a = table.SetExpiry(a, kNow + 200);  // a new deadline, still one key with one
  EXPECT_EQ(table.expires_count(), 1u);
  b = table.SetExpiry(b, kNow + 300);
  EXPECT_EQ(table.expires_count(), 2u);
  a = table.SetExpiry(a, 0);
  EXPECT_FALSE(a->has_expiry());
  EXPECT_EQ(table.expires_count(), 1u);
  a = table.SetExpiry(a, 0);
  EXPECT_EQ(table.expires_count(), 1u);
  EXPECT_TRUE(table.Erase("b", kNow));
  EXPECT_EQ(table.expires_count(), 0u);
  EXPECT_EQ(table.expired_keys(), 0u);
}

TEST(TableTest, FindDeletesExpiredEntry) {
  Table table;
  Put(table, 1);
  Put(table, 2);
  (void)table.SetExpiry(table.Find(Key(1), kNow), kNow + 100);

  // As in Redis, a key is still there at its deadline and gone once the clock is past it.
  EXPECT_NE(table.Find(Key(1), kNow + 99), nullptr);
  EXPECT_NE(table.Find(Key(1), kNow + 100), nullptr);
  EXPECT_EQ(table.expired_keys(), 0u);
  EXPECT_EQ(table.Find(Key(1), kNow + 101), nullptr);
  EXPECT_EQ(table.expired_keys(), 1u);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.expires_count(), 0u);
  // Gone for good, even if the clock went back.
  EXPECT_EQ(table.Find(Key(1), kNow), nullptr);
  EXPECT_EQ(table.expired_keys(), 1u);
  EXPECT_NE(table.Find(Key(2), kNow + 1'000'000), nullptr);
}

TEST(TableTest, FindOrInsertReplacesExpiredEntry) {
  Table table;
  Entry* old = table.FindOrInsert("k", kNow).entry;
  table.SetString(old, "old");
  old = table.SetExpiry(old, kNow + 10);
  EXPECT_FALSE(table.FindOrInsert("k", kNow + 10).inserted);
  Table::InsertResult result = table.FindOrInsert("k", kNow + 11);
  EXPECT_TRUE(result.inserted);
  EXPECT_EQ(result.entry->str(), "");
  EXPECT_FALSE(result.entry->has_expiry());
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.expires_count(), 0u);
  EXPECT_EQ(table.expired_keys(), 1u);
}

TEST(TableTest, EraseOfExpiredEntryReportsAbsent) {
  Table table;
  Entry* entry = table.FindOrInsert("k", kNow).entry;
  entry = table.SetExpiry(entry, kNow + 10);
  EXPECT_FALSE(table.Erase("k", kNow + 11));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.expires_count(), 0u);
  EXPECT_EQ(table.expired_keys(), 1u);
}

TEST(TableTest, ExpiredEntriesAreInvisibleToWalks) {
  Table table;
  for (int i = 0; i < 100; ++i) {
    Put(table, i);
    if (i % 2 == 0) (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 50);
  }
  const int64_t later = kNow + 51;
  std::vector<std::string> keys = AllKeys(table, later);
  EXPECT_EQ(keys.size(), 50u);
  size_t scanned = 0;
  uint64_t cursor = 0;
  do {
    cursor = table.Scan(
        cursor, 7,
        [&](const Entry& e) {
          ++scanned;
          EXPECT_FALSE(e.has_expiry()) << e.key();
        },
        later);
  } while (cursor != 0);
  EXPECT_EQ(scanned, 50u);
  // Up to the deadline they are all there.
  EXPECT_EQ(AllKeys(table, later - 1).size(), 100u);
}

TEST(TableTest, ActiveExpireReclaimsInBoundedSteps) {
  constexpr int kKeys = 20'000;
  constexpr size_t kMaxDeletes = 100;
  Table table;
  for (int i = 0; i < kKeys; ++i) {
    Put(table, i);
    if (i % 2 == 0) (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 1000 + i % 7);
  }
  // Keys with a later deadline stay.
  for (int i = 1; i < kKeys; i += 20) (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 5000);
  const size_t live_expiring = table.expires_count() - kKeys / 2;

  // Nothing has expired yet.
  EXPECT_EQ(table.ActiveExpire(kNow, kMaxDeletes), 0u);
  EXPECT_EQ(table.size(), static_cast<size_t>(kKeys));

  const int64_t later = kNow + 2000;
  size_t reclaimed = 0;
  int calls = 0;
  while (table.expires_count() > live_expiring && calls < 100'000) {
    size_t deleted = table.ActiveExpire(later, kMaxDeletes);
    // A call deletes at most max_deletes keys, the earliest deadlines first.
    ASSERT_LE(deleted, kMaxDeletes) << "call " << calls;
    reclaimed += deleted;
    ++calls;
  }
  EXPECT_EQ(reclaimed, static_cast<size_t>(kKeys / 2));
  EXPECT_EQ(table.expired_keys(), static_cast<uint64_t>(kKeys / 2));
  EXPECT_EQ(table.size(), static_cast<size_t>(kKeys / 2));
  EXPECT_EQ(table.expires_count(), live_expiring);
  // The work was spread over many calls.
  EXPECT_EQ(calls, kKeys / 2 / static_cast<int>(kMaxDeletes));
  for (int i = 0; i < kKeys; ++i) {
    EXPECT_EQ(table.Find(Key(i), later) != nullptr, i % 2 == 1) << i;
  }
}

TEST(TableTest, ActiveExpireWithoutDeadlinesIsFree) {
  Table table;
  for (int i = 0; i < 1000; ++i) Put(table, i);
  EXPECT_EQ(table.ActiveExpire(kNow + 1'000'000, 10), 0u);
  EXPECT_EQ(table.size(), 1000u);
}

TEST(TableTest, SetExpiryReturnsTheEntryToUseAfterwards) {
  Table table;
  Entry* entry = table.FindOrInsert("k", kNow).entry;
  table.SetString(entry, "value");
  // The first deadline may move the entry: the result is where it lives now.
  Entry* moved = table.SetExpiry(entry, kNow + 100);
  EXPECT_EQ(table.Find("k", kNow), moved);
  EXPECT_EQ(moved->str(), "value");
  EXPECT_EQ(moved->key(), "k");
  EXPECT_EQ(moved->expire_at_ms(), kNow + 100);
  // A later deadline for a key that has one does not move it.
  Entry* again = table.SetExpiry(moved, kNow + 200);
  EXPECT_EQ(again, moved);
  EXPECT_EQ(again->expire_at_ms(), kNow + 200);
  Entry* cleared = table.SetExpiry(again, 0);
  EXPECT_EQ(table.Find("k", kNow + 1'000'000), cleared);
  EXPECT_FALSE(cleared->has_expiry());
  EXPECT_EQ(table.expires_count(), 0u);
}

TEST(TableTest, SetExpiryOnManyKeysDuringRehash) {
  Table table;
  int n = 0;
  while (table.size() < 5000 || !IsRehashing(table)) Put(table, n++);
  for (int i = 0; i < n; i += 2) {
    Entry* entry = table.SetExpiry(table.Find(Key(i), kNow), kNow + 1000 + i);
    ASSERT_EQ(entry->expire_at_ms(), kNow + 1000 + i);
  }
  EXPECT_EQ(table.expires_count(), static_cast<size_t>((n + 1) / 2));
  for (int i = 0; i < n; ++i) {
    Entry* entry = table.Find(Key(i), kNow);
    ASSERT_NE(entry, nullptr) << i;
    EXPECT_EQ(entry->str(), ValueOf(i));
    EXPECT_EQ(entry->expire_at_ms(), i % 2 == 0 ? kNow + 1000 + i : 0) << i;
  }
}

TEST(TableTest, EarliestDeadline) {
  Table table;
  EXPECT_EQ(table.EarliestDeadline(), nullptr);
  for (int i = 0; i < 4; ++i) Put(table, i);
  EXPECT_EQ(table.EarliestDeadline(), nullptr);
  (void)table.SetExpiry(table.Find(Key(0), kNow), kNow + 300);
  (void)table.SetExpiry(table.Find(Key(1), kNow), kNow + 100);
  (void)table.SetExpiry(table.Find(Key(2), kNow), kNow + 200);
  ASSERT_NE(table.EarliestDeadline(), nullptr);
  EXPECT_EQ(table.EarliestDeadline()->key(), Key(1));

  // Clearing the earliest deadline, or expiring the key, moves on to the next one.
  (void)table.SetExpiry(table.Find(Key(1), kNow), 0);
  EXPECT_EQ(table.EarliestDeadline()->key(), Key(2));
  EXPECT_EQ(table.Find(Key(2), kNow + 201), nullptr);
  EXPECT_EQ(table.EarliestDeadline()->key(), Key(0));
  EXPECT_TRUE(table.Erase(Key(0), kNow));
  EXPECT_EQ(table.EarliestDeadline(), nullptr);
}

TEST(TableTest, ActiveExpireTakesEarliestDeadlinesFirst) {
  Table table;
  constexpr int kKeys = 1000;
  for (int i = 0; i < kKeys; ++i) {
    Put(table, i);
    // Deadlines in an order unrelated to insertion or hashing.
    (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 1 + (i * 7919) % kKeys);
  }
  // At kNow + 500 the keys due at kNow + 1 .. kNow + 499 have expired.
  const int64_t now = kNow + 500;
  EXPECT_EQ(table.ActiveExpire(now, 10), 10u);
  ASSERT_NE(table.EarliestDeadline(), nullptr);
  EXPECT_EQ(table.EarliestDeadline()->expire_at_ms(), kNow + 11);
  size_t total = 10;
  while (size_t deleted = table.ActiveExpire(now, 64)) total += deleted;
  EXPECT_EQ(total, 499u);
  EXPECT_EQ(table.expired_keys(), 499u);
  // Keys due at the current millisecond or later stay.
  EXPECT_EQ(table.EarliestDeadline()->expire_at_ms(), now);
  EXPECT_EQ(table.size(), static_cast<size_t>(kKeys - 499));
}

TEST(TableTest, AverageTtl) {
  Table table;
  EXPECT_EQ(table.AverageTtlMs(kNow), 0);
  for (int i = 0; i < 1000; ++i) {
    Put(table, i);
    if (i % 2 == 0) (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 10'000);
  }
  EXPECT_EQ(table.AverageTtlMs(kNow), 10'000);
  EXPECT_EQ(table.AverageTtlMs(kNow + 4'000), 6'000);
}

// --- memory accounting ---

// memory_bytes() must equal what the entries and bucket arrays occupy.
size_t CountedBytes(const Table& table) {
  size_t bytes = table.bucket_count() * sizeof(Entry*);
  table.ForEach([&](const Entry& e) { bytes += e.AllocatedBytes(); }, kNow);
  return bytes;
}

TEST(TableTest, MemoryBytesMatchesEntriesAndBuckets) {
  Table table;
  EXPECT_EQ(table.memory_bytes(), 0u);
  for (int i = 0; i < 5000; ++i) {
    Put(table, i);
    if (i % 997 == 0) {
      ASSERT_EQ(table.memory_bytes(), CountedBytes(table)) << i;
    }
  }
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  const size_t with_small_values = table.memory_bytes();

  // Values that leave the entry for the heap, grow, shrink back, and deadlines that move it.
  Entry* entry = table.Find(Key(7), kNow);
  table.SetString(entry, std::string(5000, 'x'));
  EXPECT_GE(table.memory_bytes(), with_small_values + 5000 - ValueOf(7).size());
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  table.ResizeString(entry, 20'000);
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  table.SetString(entry, "small");
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  for (int i = 0; i < 5000; i += 3) {
    (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 1'000'000);
  }
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));

  // Deletes, expiry and shrinking give the bytes back.
  for (int i = 0; i < 4000; ++i) ASSERT_TRUE(table.Erase(Key(i), kNow));
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  EXPECT_EQ(table.Find(Key(4002), kNow + 1'000'001), nullptr);
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
  table.Clear();
  EXPECT_EQ(table.memory_bytes(), 0u);
  EXPECT_EQ(table.memory_bytes(), CountedBytes(table));
}

// --- scan ---

// Walks the whole table with `count`, calling `between` after every Scan call. Returns how often
// each key was seen.
template <typename Between>
std::unordered_map<std::string, int> FullScan(Table& table, size_t count, Between between) {
  std::unordered_map<std::string, int> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = table.Scan(
        cursor, count, [&](const Entry& e) { ++seen[std::string(e.key())]; }, kNow);
    between();
    ++calls;
  } while (cursor != 0 && calls < 10'000'000);
  return seen;
}

TEST(TableTest, ScanOfUnchangingTableHasNoDuplicates) {
  for (int keys : {1, 5, 100, 10'000}) {
    for (size_t count : {size_t{1}, size_t{10}, size_t{1000}}) {
      SCOPED_TRACE(testing::Message() << keys << " keys, count " << count);
      Table table;
      for (int i = 0; i < keys; ++i) Put(table, i);
      while (table.RehashStep(1000)) {
      }
      auto seen = FullScan(table, count, [] {});
      EXPECT_EQ(seen.size(), static_cast<size_t>(keys));
      for (const auto& [key, times] : seen) EXPECT_EQ(times, 1) << key;
    }
  }
}

TEST(TableTest, ScanOfTableFrozenMidRehashHasNoDuplicates) {
  Table table;
  int i = 0;
  while (table.size() < 3000 || !IsRehashing(table)) Put(table, i++);
  table.RehashStep(50);  // part of the buckets moved, the rest still in the old array
  ASSERT_TRUE(IsRehashing(table));
  auto seen = FullScan(table, 10, [] {});
  EXPECT_EQ(seen.size(), table.size());
  for (const auto& [key, times] : seen) EXPECT_EQ(times, 1) << key;
  EXPECT_TRUE(IsRehashing(table));  // Scan is const: it did not move buckets
}

TEST(TableTest, ScanReturnsStableKeysWhileTableGrows) {
  Table table;
  constexpr int kStable = 1000;
  for (int i = 0; i < kStable; ++i) Put(table, i);
  // Grows through several doublings, then stops so that the scan can finish.
  constexpr int kFirstNew = 1'000'000;
  constexpr int kNew = 64'000;
  int next = kFirstNew;
  auto seen = FullScan(table, 10, [&] {
    for (int n = 0; n < 300 && next < kFirstNew + kNew; ++n) Put(table, next++);
  });
  EXPECT_GT(table.size(), 30u * kStable);
  for (int i = 0; i < kStable; ++i) EXPECT_GE(seen[Key(i)], 1) << Key(i);
}

TEST(TableTest, ScanReturnsStableKeysWhileTableShrinks) {
  Table table;
  constexpr int kStable = 500;
  constexpr int kVolatile = 100'000;
  for (int i = 0; i < kStable; ++i) Put(table, i);
  for (int i = 0; i < kVolatile; ++i) Put(table, 1'000'000 + i);
  while (table.RehashStep(1000)) {
  }
  int next_delete = 0;
  bool shrank = false;
  auto seen = FullScan(table, 20, [&] {
    for (int n = 0; n < 2000 && next_delete < kVolatile; ++n) {
      ASSERT_TRUE(table.Erase(Key(1'000'000 + next_delete++), kNow));
    }
    shrank |= IsRehashing(table);
  });
  EXPECT_TRUE(shrank);
  for (int i = 0; i < kStable; ++i) EXPECT_GE(seen[Key(i)], 1) << Key(i);
}

TEST(TableTest, ScanGuaranteeUnderRandomChurn) {
  absl::BitGen rng;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    Table table;
    std::unordered_set<int> stable;
    std::unordered_set<int> present;  // keys in the table now
    const int initial = absl::Uniform(rng, 0, 20'000);
    for (int i = 0; i < initial; ++i) {
      Put(table, i);
      present.insert(i);
      if (absl::Bernoulli(rng, 0.2)) stable.insert(i);
    }
    int next = initial;
    std::unordered_set<int> ever;  // every key present at some point of the scan
    ever.insert(present.begin(), present.end());
    const bool growing = absl::Bernoulli(rng, 0.5);
    const size_t count = absl::Uniform<size_t>(rng, 1, 100);
    // Changes stop after a budget, or a growing table could outrun the cursor forever.
    int budget = 40'000;

    auto seen = FullScan(table, count, [&] {
      const int ops = std::min(budget, absl::Uniform(rng, 0, 400));
      budget -= ops;
      for (int n = 0; n < ops; ++n) {
        if (absl::Bernoulli(rng, growing ? 0.7 : 0.2) || present.empty()) {
          Put(table, next);
          present.insert(next);
          ever.insert(next);
          ++next;
        } else {
          // Delete a random non-stable key, if one is found quickly.
          for (int attempt = 0; attempt < 4; ++attempt) {
            int victim = absl::Uniform(rng, 0, next);
            if (stable.count(victim) != 0 || present.count(victim) == 0) continue;
            ASSERT_TRUE(table.Erase(Key(victim), kNow));
            present.erase(victim);
            break;
          }
        }
      }
    });
    for (int i : stable) EXPECT_GE(seen[Key(i)], 1) << Key(i);
    std::unordered_set<std::string> ever_keys;
    for (int i : ever) ever_keys.insert(Key(i));
    for (const auto& [key, times] : seen) EXPECT_EQ(ever_keys.count(key), 1u) << key;
  }
}

// --- random, clear ---

TEST(TableTest, RandomEntry) {
  absl::BitGen rng;
  Table table;
  EXPECT_EQ(table.RandomEntry(rng), nullptr);
  for (int i = 0; i < 10; ++i) Put(table, i);
  std::unordered_set<std::string> seen;
  for (int n = 0; n < 2000; ++n) {
    Entry* entry = table.RandomEntry(rng);
    ASSERT_NE(entry, nullptr);
    ASSERT_EQ(table.Find(entry->key(), kNow), entry);
    seen.emplace(entry->key());
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(TableTest, RandomEntryDuringRehashAndAfterDeletes) {
  absl::BitGen rng;
  Table table;
  int i = 0;
  while (table.size() < 1000 || !IsRehashing(table)) Put(table, i++);
  for (int n = 0; n < 1000; ++n) {
    Entry* entry = table.RandomEntry(rng);
    ASSERT_NE(entry, nullptr);
    ASSERT_EQ(table.Find(entry->key(), kNow), entry);
  }
  // Down to a single key.
  for (int j = 1; j < i; ++j) table.Erase(Key(j), kNow);
  ASSERT_EQ(table.size(), 1u);
  for (int n = 0; n < 100; ++n) {
    Entry* entry = table.RandomEntry(rng);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->key(), Key(0));
  }
}

TEST(TableTest, Clear) {
  Table table;
  for (int i = 0; i < 10'000; ++i) {
    Put(table, i);
    if (i % 3 == 0) (void)table.SetExpiry(table.Find(Key(i), kNow), kNow + 100);
  }
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.expires_count(), 0u);
  EXPECT_EQ(table.Find(Key(1), kNow), nullptr);
  EXPECT_TRUE(AllKeys(table).empty());
  EXPECT_FALSE(IsRehashing(table));
  EXPECT_EQ(table.ActiveExpire(kNow + 1000, 100), 0u);

  // Usable again afterwards.
  for (int i = 0; i < 1000; ++i) Put(table, i);
  EXPECT_EQ(table.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_NE(table.Find(Key(i), kNow), nullptr);
  table.Clear();
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
}

TEST(TableTest, PrefetchIsHarmless) {
  Table table;
  int i = 0;
  // Also in the middle of a rehash, and for absent keys.
  while (table.size() < 1000 || !IsRehashing(table)) Put(table, i++);
  for (const std::string& key : {Key(5), Key(i - 1), std::string("absent")}) {
    const uint64_t hash = Table::HashOf(key);
    table.PrefetchBucket(hash);
    table.PrefetchEntry(hash);
  }
  EXPECT_NE(table.Find(Key(5), kNow), nullptr);
  EXPECT_NE(table.Find(Key(i - 1), kNow), nullptr);
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// Large bucket arrays are faulted in before a rehash uses them and given back to the kernel
// after it, a slice per BackgroundStep(), while every key stays reachable.
TEST(TableTest, LargeBucketArraysArePreparedAndReleasedInSlices) {
  Table table;
  constexpr int kKeys = 300'000;  // grows the bucket array past 1 MB
  constexpr int64_t kNow = 1'700'000'000'000;
  int background_steps = 0;
  bool saw_retired = false;
  for (int i = 0; i < kKeys; ++i) {
    table.FindOrInsert("key:" + std::to_string(i), kNow);
    if (table.has_background_work()) {
      saw_retired |= table.has_retired();
      table.BackgroundStep();
      ++background_steps;
    }
  }
  while (table.RehashStep(100'000) || table.has_background_work()) {
    saw_retired |= table.has_retired();
    table.BackgroundStep();
    ++background_steps;
  }
  EXPECT_TRUE(saw_retired);
  EXPECT_GT(background_steps, 2);  // work in several slices
  EXPECT_FALSE(table.has_background_work());
  EXPECT_EQ(table.size(), static_cast<size_t>(kKeys));
  for (int i = 0; i < kKeys; i += 997) {
    EXPECT_NE(table.Find("key:" + std::to_string(i), kNow), nullptr) << i;
  }
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// Clearing a table in the middle of preparing a large array leaves nothing behind and counts
// no memory; the table then works as new.
TEST(TableTest, ClearDuringBackgroundWorkResetsEverything) {
  Table table;
  constexpr int64_t kNow = 1'700'000'000'000;
  int i = 0;
  while (!table.has_background_work() && i < 1'000'000) {
    table.FindOrInsert("key:" + std::to_string(i++), kNow);
  }
  ASSERT_TRUE(table.has_background_work());
  table.Clear();
  EXPECT_FALSE(table.has_background_work());
  EXPECT_EQ(table.memory_bytes(), 0u);
  EXPECT_EQ(table.size(), 0u);
  table.FindOrInsert("again", kNow);
  EXPECT_NE(table.Find("again", kNow), nullptr);
  EXPECT_GT(table.memory_bytes(), 0u);
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// A lazy clear empties the table at once; the entries are freed over several background steps.
TEST(TableTest, ClearLazilyEmptiesAtOnceAndFreesInSlices) {
  Table table;
  constexpr int64_t kNow = 1'700'000'000'000;
  for (int i = 0; i < 50'000; ++i) {
    Entry* e = table.FindOrInsert("key:" + std::to_string(i), kNow).entry;
    if (i % 2 == 0) (void)table.SetExpiry(e, kNow + 1000);
  }
  table.ClearLazily();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.expires_count(), 0u);
  EXPECT_EQ(table.memory_bytes(), 0u);
  EXPECT_EQ(table.Find("key:1", kNow), nullptr);
  EXPECT_TRUE(table.has_background_work());
  // The table is usable while the old entries are being freed.
  table.FindOrInsert("key:1", kNow);
  EXPECT_NE(table.Find("key:1", kNow), nullptr);
  int steps = 0;
  while (table.BackgroundStep()) ++steps;
  EXPECT_GE(steps, 20);  // 50,000 entries take 25 slices of 2,000
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.ActiveExpire(kNow + 5000, 100), 0u);  // no stale deadline records
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// The large bucket array of a lazily cleared table goes back to the kernel in chunks too, after
// its entries are freed: unmapping it whole would pause the shard.
TEST(TableTest, ClearLazilyReleasesALargeArrayInChunks) {
  Table table;
  constexpr int64_t kNow = 1'700'000'000'000;
  constexpr int kKeys = 300'000;  // a bucket array of 2 MB or more
  for (int i = 0; i < kKeys; ++i) {
    table.FindOrInsert("key:" + std::to_string(i), kNow);
    if (table.has_background_work()) table.BackgroundStep();
  }
  while (table.RehashStep(100'000) || table.has_background_work()) table.BackgroundStep();
  ASSERT_GE(table.bucket_count() * sizeof(Entry*), size_t{2} << 20);
  table.ClearLazily();
  int retired_steps = 0;
  while (table.has_background_work()) {
    if (table.has_retired()) ++retired_steps;
    table.BackgroundStep();
  }
  EXPECT_GE(retired_steps, 8);  // 2 MB or more, 256 KB per step
  EXPECT_EQ(table.memory_bytes(), 0u);
  table.FindOrInsert("again", kNow);
  EXPECT_NE(table.Find("again", kNow), nullptr);
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// The prefetch hints read only live links and entries: on an empty table, on chains of every
// length, during a rehash and after erasures (ASan checks the reads), and they change nothing.
TEST(TableTest, PrefetchHintsAreSafeEverywhere) {
  Table table;
  constexpr int64_t kNow = 1'700'000'000'000;
  auto hint = [&](std::string_view key) {
    uint64_t hash = Table::HashOf(key);
    table.PrefetchBucket(hash);
    table.PrefetchEntry(hash);
    table.PrefetchChain(hash);
  };
  hint("nothing");
  for (int i = 0; i < 5000; ++i) {
    std::string key = "key:" + std::to_string(i);
    hint(key);
    table.FindOrInsert(key, kNow);
    hint(key);
    hint("missing:" + std::to_string(i));
    if (i % 3 == 0) {
      std::string gone = "key:" + std::to_string(i / 2);
      EXPECT_EQ(table.Erase(gone, kNow), true) << gone;
      hint(gone);
      table.FindOrInsert(gone, kNow);
    }
  }
  EXPECT_EQ(table.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    EXPECT_NE(table.Find("key:" + std::to_string(i), kNow), nullptr) << i;
  }
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

constexpr int64_t kLazyNow = 1'700'000'000'000;

// A key of `table` holding a collection of `members` members of `type` (hash, set or zset).
Entry* BigCollection(Table& table, std::string_view key, ValueType type, int members) {
  EncodingLimits limits;
  Entry* entry = table.FindOrInsert(key, kLazyNow).entry;
  size_t before = entry->AllocatedBytes();
  switch (type) {
    case ValueType::kHash: {
      Hash* hash = table.SetObject(entry, std::make_unique<Hash>());
      before = entry->AllocatedBytes();
      for (int i = 0; i < members; ++i) {
        hash->Set("field:" + std::to_string(i), "value:" + std::to_string(i), limits);
      }
      break;
    }
    case ValueType::kSet: {
      Set* set = table.SetObject(entry, std::make_unique<Set>());
      before = entry->AllocatedBytes();
      for (int i = 0; i < members; ++i) set->Add("member:" + std::to_string(i), limits);
      break;
    }
    case ValueType::kZSet: {
      ZSet* zset = table.SetObject(entry, std::make_unique<ZSet>());
      before = entry->AllocatedBytes();
      for (int i = 0; i < members; ++i) zset->Set("member:" + std::to_string(i), i, limits);
      break;
    }
    default:
      ADD_FAILURE() << "not a lazily freed type";
  }
  table.NoteResized(entry, before);
  return entry;
}

constexpr ValueType kLazyTypes[] = {ValueType::kHash, ValueType::kSet, ValueType::kZSet};

// Erasing a key with a large hash, set or sorted set leaves the table at once (and its bytes
// leave the count at once) while the members are freed over several background steps; ASan's
// leak check and use-after-free detection watch the freeing.
TEST(LazyFreeTest, LargeCollectionsAreFreedInSlices) {
  for (ValueType type : kLazyTypes) {
    Table table;
    size_t empty_bytes = table.memory_bytes();
    table.FindOrInsert("other", kLazyNow);
    size_t baseline = table.memory_bytes();
    BigCollection(table, "big", type, 20'000);
    while (table.has_background_work()) table.BackgroundStep();
    ASSERT_TRUE(table.Erase("big", kLazyNow));
    EXPECT_EQ(table.Find("big", kLazyNow), nullptr);
    EXPECT_EQ(table.memory_bytes(), baseline) << static_cast<int>(type);
    EXPECT_EQ(table.lazyfree_pending_objects(), 1u);
    int steps = 0;
    while (table.has_background_work()) {
      table.BackgroundStep();
      ++steps;
    }
    EXPECT_GE(steps, 10) << static_cast<int>(type);  // 20,000 members, 2,000 per step
    EXPECT_EQ(table.lazyfree_pending_objects(), 0u);
    EXPECT_GT(baseline, empty_bytes);
  }
}

// Small collections (64 members or fewer, or a flat encoding) are freed at once.
TEST(LazyFreeTest, SmallCollectionsAreFreedAtOnce) {
  for (ValueType type : kLazyTypes) {
    Table table;
    BigCollection(table, "small", type, 64);
    BigCollection(table, "flat", type, 100);  // a listpack still (the default limit is 128)
    ASSERT_TRUE(table.Erase("small", kLazyNow));
    ASSERT_TRUE(table.Erase("flat", kLazyNow));
    EXPECT_EQ(table.lazyfree_pending_objects(), 0u) << static_cast<int>(type);
    EXPECT_FALSE(table.has_background_work());
  }
}

// Overwriting a large collection with a string, deleting one mid-rehash, expiring one, flushing
// a table of them and destroying a table with values still pending: all freed, nothing leaked.
TEST(LazyFreeTest, EveryWayOfRemovingALargeCollection) {
  for (ValueType type : kLazyTypes) {
    Table table;
    Entry* entry = BigCollection(table, "overwritten", type, 5'000);
    table.SetString(entry, "now a string");
    EXPECT_EQ(table.lazyfree_pending_objects(), 1u);
    EXPECT_EQ(table.Find("overwritten", kLazyNow)->str(), "now a string");

    entry = BigCollection(table, "expiring", type, 3'000);
    entry = table.SetExpiry(entry, kLazyNow + 10);
    EXPECT_EQ(table.ActiveExpire(kLazyNow + 20, 100), 1u);
    EXPECT_EQ(table.lazyfree_pending_objects(), 2u);

    // A hash or set in the middle of a resize: members in both slot arrays.
    entry = BigCollection(table, "resizing", type, 1'000);
    EncodingLimits limits;
    for (int i = 0; type != ValueType::kZSet; ++i) {
      size_t before = entry->AllocatedBytes();
      std::string member = "more:" + std::to_string(i);
      if (type == ValueType::kHash) {
        entry->hash()->Set(member, "v", limits);
      } else {
        entry->set()->Add(member, limits);
      }
      table.NoteResized(entry, before);
      if (type == ValueType::kHash ? entry->hash()->is_resizing() : entry->set()->rehashing()) {
        break;
      }
      ASSERT_LT(i, 100'000) << "no resize started";
    }
    ASSERT_TRUE(table.Erase("resizing", kLazyNow));
    EXPECT_EQ(table.lazyfree_pending_objects(), 3u);
    table.BackgroundStep();  // part of the first value only

    for (int i = 0; i < 4; ++i) BigCollection(table, "flushed:" + std::to_string(i), type, 1'000);
    table.ClearLazily();
    EXPECT_EQ(table.size(), 0u);
    EXPECT_EQ(table.memory_bytes(), 0u);
    int steps = 0;
    while (table.has_background_work() && steps < 3) {
      table.BackgroundStep();
      ++steps;
    }
    EXPECT_GT(table.lazyfree_pending_objects(), 0u);
    // The table's destructor frees whatever is still pending.
  }
}

}  // namespace
}  // namespace ringtail::storage

namespace ringtail::storage {
namespace {

// A set or sorted set large enough for its slot array to be mapped from the kernel gives the
// array back in chunks after its members, without touching it again.
TEST(LazyFreeTest, MappedSlotArraysAreReturnedInChunks) {
  for (ValueType type : {ValueType::kSet, ValueType::kZSet}) {
    Table table;
    BigCollection(table, "big", type, 150'000);
    ASSERT_TRUE(table.Erase("big", kLazyNow));
    int steps = 0;
    while (table.has_background_work()) {
      table.BackgroundStep();
      ++steps;
    }
    // 150,000 members at 2,000 per step, then 2 MB or more of slots at 256 KB per 1,000 units.
    EXPECT_GE(steps, 75 + 4) << static_cast<int>(type);
    EXPECT_EQ(table.lazyfree_pending_objects(), 0u);
  }
}

}  // namespace
}  // namespace ringtail::storage
