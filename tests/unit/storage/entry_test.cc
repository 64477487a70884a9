// SPDX-License-Identifier: Apache-2.0
// Unit tests for storage::Entry's layout: inline and heap values, the deadline slot, encodings
// and the table's memory count, through storage::Table (which owns entries).
#include <gtest/gtest.h>

#include <malloc.h>

#include <cstring>
#include <string>

#include "storage/table.h"

namespace ringtail::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

TEST(EntryTest, ShortKeyAndValueFitOneAllocation) {
  Table table;
  std::string key(16, 'k');
  std::string value(64, 'v');
  Entry* entry = table.FindOrInsert(key, kNow, value.size()).entry;
  table.SetString(entry, value);
  EXPECT_EQ(entry->key(), key);
  EXPECT_EQ(entry->str(), value);
  // Header, key and value in one 96-byte allocation.
  EXPECT_EQ(entry->AllocatedBytes(), malloc_usable_size(entry));
  EXPECT_LE(entry->AllocatedBytes(), 96u);
}

TEST(EntryTest, ValuesMoveBetweenInlineAndHeap) {
  Table table;
  Entry* entry = table.FindOrInsert("k", kNow, 8).entry;
  table.SetString(entry, "small");
  EXPECT_EQ(entry->str(), "small");
  std::string big(1000, 'b');
  table.SetString(entry, big);
  EXPECT_EQ(entry->str(), big);
  EXPECT_GT(entry->AllocatedBytes(), malloc_usable_size(entry));  // a heap value
  table.SetString(entry, "tiny");
  EXPECT_EQ(entry->str(), "tiny");
  EXPECT_EQ(entry->AllocatedBytes(), malloc_usable_size(entry));  // back inline
  EXPECT_EQ(table.Find("k", kNow), entry);
}

TEST(EntryTest, ResizeStringKeepsBytesAndZeroFills) {
  Table table;
  Entry* entry = table.FindOrInsert("k", kNow, 3).entry;
  table.SetString(entry, "abc");
  char* data = table.ResizeString(entry, 6);
  EXPECT_EQ(std::string(data, 6), std::string("abc\0\0\0", 6));
  // Repeated appends grow past the inline area and keep every byte.
  std::string expected(entry->str());
  for (int i = 0; i < 200; ++i) {
    size_t old = entry->str().size();
    data = table.ResizeString(entry, old + 7);
    std::memcpy(data + old, "1234567", 7);
    expected += "1234567";
  }
  EXPECT_EQ(entry->str(), expected);
  table.ResizeString(entry, 2);
  EXPECT_EQ(entry->str(), "ab");
}

TEST(EntryTest, FirstDeadlineMovesTheEntryAndKeepsItsValue) {
  Table table;
  Entry* entry = table.FindOrInsert("key", kNow, 5).entry;
  table.SetString(entry, "value");
  EXPECT_FALSE(entry->has_expiry());
  Entry* moved = table.SetExpiry(entry, kNow + 100);
  EXPECT_EQ(table.Find("key", kNow), moved);
  EXPECT_EQ(moved->key(), "key");
  EXPECT_EQ(moved->str(), "value");
  EXPECT_EQ(moved->expire_at_ms(), kNow + 100);
  // Later deadlines and clearing reuse the slot.
  EXPECT_EQ(table.SetExpiry(moved, kNow + 200), moved);
  EXPECT_EQ(table.SetExpiry(moved, 0), moved);
  EXPECT_FALSE(moved->has_expiry());
  EXPECT_EQ(table.expires_count(), 0u);
}

TEST(EntryTest, EncodingNamesFollowRedis) {
  Table table;
  auto encoding = [&](std::string_view value) {
    Entry* entry = table.FindOrInsert("k", kNow, value.size()).entry;
    table.SetString(entry, value);
    return std::string(entry->EncodingName());
  };
  EXPECT_EQ(encoding("12345"), "int");
  EXPECT_EQ(encoding("-7"), "int");
  EXPECT_EQ(encoding("007"), "embstr");
  EXPECT_EQ(encoding("hello"), "embstr");
  EXPECT_EQ(encoding(std::string(44, 'x')), "embstr");
  EXPECT_EQ(encoding(std::string(45, 'x')), "raw");
  EXPECT_EQ(encoding("123456789012345678901"), "embstr");
}

TEST(EntryTest, TableCountsMemoryAsItGoes) {
  Table table;
  EXPECT_EQ(table.memory_bytes(), 0u);
  size_t expected_entries = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string key = "key:" + std::to_string(i);
    Entry* entry = table.FindOrInsert(key, kNow, 64).entry;
    table.SetString(entry, std::string(64, 'v'));
    if (i % 3 == 0) entry = table.SetExpiry(entry, kNow + 1000);
    if (i % 5 == 0) table.SetString(entry, std::string(500, 'w'));
  }
  table.ForEach([&](const Entry& e) { expected_entries += e.AllocatedBytes(); }, kNow);
  EXPECT_GT(table.memory_bytes(), expected_entries);  // plus the bucket arrays
  EXPECT_LT(table.memory_bytes(), expected_entries + 3 * 2048 * sizeof(void*));
  for (int i = 0; i < 1000; ++i) table.Erase("key:" + std::to_string(i), kNow);
  EXPECT_EQ(table.size(), 0u);
  while (table.RehashStep(1000)) {
  }
  EXPECT_LT(table.memory_bytes(), 64 * sizeof(void*));  // the shrunk bucket array only
  table.Clear();
  EXPECT_EQ(table.memory_bytes(), 0u);
}

TEST(EntryTest, BulkExpiryIsEarliestFirstAndBounded) {
  Table table;
  for (int i = 0; i < 5000; ++i) {
    Entry* entry = table.FindOrInsert("k" + std::to_string(i), kNow).entry;
    (void)table.SetExpiry(entry, kNow + 10 + (i % 2));
  }
  EXPECT_EQ(table.ActiveExpire(kNow + 10, 100000), 0u);  // still within the deadline's ms
  EXPECT_EQ(table.ActiveExpire(kNow + 11, 1000), 1000u);
  EXPECT_EQ(table.ActiveExpire(kNow + 11, 100000), 1500u);  // the rest of the earlier half
  EXPECT_EQ(table.size(), 2500u);
  EXPECT_EQ(table.ActiveExpire(kNow + 12, 100000), 2500u);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.expired_keys(), 5000u);
}

}  // namespace
}  // namespace ringtail::storage
