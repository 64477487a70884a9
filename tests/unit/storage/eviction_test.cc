// SPDX-License-Identifier: Apache-2.0
// Tests of storage/eviction.h and the access tracking of storage::Table: the LRU clock and its
// wrap, the LFU counter (rarer increments as it grows, decay, wrap of the minute clock), how
// lookups record accesses, RandomExpiringEntry, and the victims each maxmemory policy picks.
#include "storage/eviction.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "storage/table.h"

namespace ringtail::storage {
namespace {

constexpr int64_t kNow = 1'700'000'040'000;  // on a minute boundary
constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;

std::string Key(int i) { return "key:" + std::to_string(i); }

// Inserts `key` with a value, and a deadline if `deadline_ms` is not 0. Returns its entry.
Entry* Put(Table& table, const std::string& key, int64_t now = kNow, int64_t deadline_ms = 0) {
  Table::InsertResult result = table.FindOrInsert(key, now);
  table.SetString(result.entry, "value-of-" + key);
  return deadline_ms == 0 ? result.entry : table.SetExpiry(result.entry, deadline_ms);
}

// A generator with a fixed seed, so that a failure reproduces.
absl::BitGen SeededRng() {
  std::seed_seq seed{7, 11, 13};
  return absl::BitGen(seed);
}

size_t UsedBytes(const std::array<Table, 16>& dbs) {
  size_t used = 0;
  for (const Table& t : dbs) used += t.memory_bytes();
  return used;
}

// ---- Policies ----

TEST(EvictionPolicyTest, ParsesRedisNames) {
  EXPECT_EQ(ParseEvictionPolicy("noeviction"), EvictionPolicy::kNoEviction);
  EXPECT_EQ(ParseEvictionPolicy("allkeys-lru"), EvictionPolicy::kAllKeysLru);
  EXPECT_EQ(ParseEvictionPolicy("ALLKEYS-LFU"), EvictionPolicy::kAllKeysLfu);
  EXPECT_EQ(ParseEvictionPolicy("allkeys-random"), EvictionPolicy::kAllKeysRandom);
  EXPECT_EQ(ParseEvictionPolicy("volatile-lru"), EvictionPolicy::kVolatileLru);
  EXPECT_EQ(ParseEvictionPolicy("volatile-lfu"), EvictionPolicy::kVolatileLfu);
  EXPECT_EQ(ParseEvictionPolicy("volatile-random"), EvictionPolicy::kVolatileRandom);
  EXPECT_EQ(ParseEvictionPolicy("volatile-ttl"), EvictionPolicy::kVolatileTtl);
  EXPECT_EQ(ParseEvictionPolicy("lru"), std::nullopt);
  EXPECT_TRUE(IsLfuPolicy(EvictionPolicy::kVolatileLfu));
  EXPECT_FALSE(IsLfuPolicy(EvictionPolicy::kAllKeysLru));
  EXPECT_TRUE(IsVolatilePolicy(EvictionPolicy::kVolatileTtl));
  EXPECT_FALSE(IsVolatilePolicy(EvictionPolicy::kAllKeysRandom));
}

// ---- LRU clock ----

TEST(LruClockTest, SecondsModulo16Bits) {
  EXPECT_EQ(LruClock(kNow), static_cast<uint16_t>((kNow / 1000) % 65536));
  EXPECT_EQ(LruClock(kNow + 999), LruClock(kNow));  // one-second resolution
  EXPECT_EQ(LruIdleSeconds(LruClock(kNow), kNow), 0u);
  EXPECT_EQ(LruIdleSeconds(LruClock(kNow), kNow + 42 * kSecond), 42u);
}

TEST(LruClockTest, WrapsAfter65536Seconds) {
  uint16_t access = LruClock(kNow);
  // Across the wrap of the 16-bit clock the difference stays right...
  EXPECT_EQ(LruIdleSeconds(access, kNow + 65535 * kSecond), 65535u);
  // ...but an entry idle for longer looks idle for the remainder only.
  EXPECT_EQ(LruIdleSeconds(access, kNow + (65536 + 5) * kSecond), 5u);
}

TEST(LruClockTest, TableLookupsRecordAccesses) {
  Table table;
  Entry* e = Put(table, "k", kNow);
  EXPECT_EQ(e->access(), LruClock(kNow));
  // Peek looks without touching; Find and FindOrInsert touch.
  EXPECT_EQ(table.Peek("k", kNow + 30 * kSecond), e);
  EXPECT_EQ(LruIdleSeconds(e->access(), kNow + 30 * kSecond), 30u);
  EXPECT_EQ(table.Find("k", kNow + 30 * kSecond), e);
  EXPECT_EQ(LruIdleSeconds(e->access(), kNow + 30 * kSecond), 0u);
  table.FindOrInsert("k", kNow + 50 * kSecond);
  EXPECT_EQ(e->access(), LruClock(kNow + 50 * kSecond));
  // A missing key changes nothing.
  EXPECT_EQ(table.Find("other", kNow + 60 * kSecond), nullptr);
}

TEST(LruClockTest, AccessSurvivesTheMoveForADeadline) {
  Table table;
  Entry* e = Put(table, "k", kNow, kNow + 100 * kMinute);
  EXPECT_EQ(e->access(), LruClock(kNow));
}

// ---- LFU counter ----

TEST(LfuCounterTest, IncrementsAlwaysUpToTheInitialValue) {
  for (uint8_t c = 0; c <= kLfuInitialCounter; ++c) {
    EXPECT_EQ(LfuLogIncrement(c, 10, 0.999), c + 1) << int{c};
  }
  EXPECT_EQ(LfuLogIncrement(255, 10, 0.0), 255);  // saturates
}

TEST(LfuCounterTest, IncrementProbabilityFallsWithTheCounter) {
  // At 15 with factor 10 the probability is 1 / (10 * 10 + 1).
  EXPECT_EQ(LfuLogIncrement(15, 10, 0.0098), 16);
  EXPECT_EQ(LfuLogIncrement(15, 10, 0.0100), 15);
  // Factor 0: every access counts.
  EXPECT_EQ(LfuLogIncrement(200, 0, 0.999), 201);
}

TEST(LfuCounterTest, GrowsLogarithmically) {
  std::mt19937_64 gen(1);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto hits = [&](int n, uint32_t factor) {
    uint8_t counter = kLfuInitialCounter;
    for (int i = 0; i < n; ++i) counter = LfuLogIncrement(counter, factor, uniform(gen));
    return int{counter};
  };
  // Redis's documented figures for factor 10: 100 hits -> ~10, 1000 -> ~18, 100K -> ~142.
  int after_100 = hits(100, 10);
  int after_1000 = hits(1000, 10);
  int after_100k = hits(100000, 10);
  EXPECT_GE(after_100, 8);
  EXPECT_LE(after_100, 13);
  EXPECT_GE(after_1000, 15);
  EXPECT_LE(after_1000, 22);
  EXPECT_GE(after_100k, 120);
  EXPECT_LE(after_100k, 160);
  // A larger factor needs more hits for the same counter.
  EXPECT_LT(hits(1000, 100), after_1000);
  EXPECT_EQ(hits(100, 0), kLfuInitialCounter + 100);
}

TEST(LfuCounterTest, DecaysOneStepPerPeriod) {
  uint16_t access = LfuAccess(10, LfuMinutes(kNow));
  EXPECT_EQ(LfuCounter(access), 10);
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 59 * kSecond, 1), 10);
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 3 * kMinute, 1), 7);
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 3 * kMinute, 2), 9);
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 3 * kMinute, 0), 10);  // 0: no decay
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 20 * kMinute, 1), 0);  // never below 0
}

TEST(LfuCounterTest, MinuteClockWrapsAfter256Minutes) {
  uint16_t access = LfuAccess(100, LfuMinutes(kNow));
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 255 * kMinute, 1), 0);
  // 260 minutes look like 4: the counter decays less than it should (documented).
  EXPECT_EQ(LfuDecayedCounter(access, kNow + 260 * kMinute, 1), 96);
}

TEST(LfuCounterTest, TouchDecaysIncrementsAndStamps) {
  LfuSettings settings{.log_factor = 10, .decay_minutes = 1};
  uint16_t access = LfuAccess(20, LfuMinutes(kNow));
  uint16_t touched = LfuTouch(access, kNow + 5 * kMinute, settings, 0.0);
  EXPECT_EQ(LfuCounter(touched), 16);  // 20 - 5, then +1 (random 0 always increments)
  EXPECT_EQ(static_cast<uint8_t>(touched), LfuMinutes(kNow + 5 * kMinute));
}

TEST(LfuCounterTest, TableTracksLfuWhenSetTo) {
  Table table;
  table.set_access_tracking(true, LfuSettings{.log_factor = 10, .decay_minutes = 1});
  Entry* e = Put(table, "k", kNow);
  EXPECT_EQ(LfuCounter(e->access()), kLfuInitialCounter);
  EXPECT_EQ(static_cast<uint8_t>(e->access()), LfuMinutes(kNow));
  table.Find("k", kNow);
  EXPECT_EQ(LfuCounter(e->access()), kLfuInitialCounter + 1);  // certain at the initial value
  table.Peek("k", kNow);
  EXPECT_EQ(LfuCounter(e->access()), kLfuInitialCounter + 1);
  for (int i = 0; i < 1000; ++i) table.Find("k", kNow);
  EXPECT_GT(LfuCounter(e->access()), 10);
  EXPECT_LT(LfuCounter(e->access()), 30);
  // Back to LRU: the next access writes a clock.
  table.set_access_tracking(false, LfuSettings{});
  table.Find("k", kNow + kSecond);
  EXPECT_EQ(e->access(), LruClock(kNow + kSecond));
}

// ---- Sampling keys with a deadline ----

TEST(RandomExpiringEntryTest, ReturnsOnlyKeysWithDeadlines) {
  Table table;
  absl::BitGen rng = SeededRng();
  EXPECT_EQ(table.RandomExpiringEntry(rng), nullptr);
  for (int i = 0; i < 1000; ++i) Put(table, Key(i));
  EXPECT_EQ(table.RandomExpiringEntry(rng), nullptr);
  // Sparse: one key in a thousand has a deadline.
  Entry* e = Put(table, Key(500), kNow, kNow + kMinute);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(table.RandomExpiringEntry(rng), e);
  // Dense: half of them.
  for (int i = 0; i < 1000; i += 2) Put(table, Key(i), kNow, kNow + kMinute + i);
  std::vector<bool> seen(1000, false);
  for (int i = 0; i < 2000; ++i) {
    Entry* sample = table.RandomExpiringEntry(rng);
    ASSERT_NE(sample, nullptr);
    ASSERT_TRUE(sample->has_expiry());
    seen[std::stoi(std::string(sample->key().substr(4)))] = true;
  }
  int distinct = 0;
  for (bool s : seen) distinct += s ? 1 : 0;
  EXPECT_GT(distinct, 300);
}

// ---- Victim choice ----

class EvictorTest : public ::testing::Test {
 protected:
  EvictionParams Params(EvictionPolicy policy, uint32_t samples = 5) {
    return EvictionParams{.policy = policy, .samples = samples, .now_ms = now_};
  }
  Evictor::Result Evict(size_t budget, const EvictionParams& params) {
    return evictor_.Evict(absl::MakeSpan(dbs_), budget, params, rng_);
  }
  bool Has(const std::string& key, int db = 0) { return dbs_[db].Peek(key, now_) != nullptr; }
  size_t Keys() {
    size_t n = 0;
    for (const Table& t : dbs_) n += t.size();
    return n;
  }

  std::array<Table, 16> dbs_;
  Evictor evictor_;
  absl::BitGen rng_ = SeededRng();
  int64_t now_ = kNow;
};

TEST_F(EvictorTest, WithinBudgetEvictsNothing) {
  for (int i = 0; i < 10; ++i) Put(dbs_[0], Key(i));
  Evictor::Result r = Evict(UsedBytes(dbs_), Params(EvictionPolicy::kAllKeysLru));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kWithinBudget);
  EXPECT_EQ(r.evicted, 0u);
  EXPECT_EQ(Keys(), 10u);
}

TEST_F(EvictorTest, NoEvictionFails) {
  for (int i = 0; i < 10; ++i) Put(dbs_[0], Key(i));
  Evictor::Result r = Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kNoEviction));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kFailed);
  EXPECT_EQ(r.evicted, 0u);
  EXPECT_EQ(Keys(), 10u);
}

TEST_F(EvictorTest, AllKeysLruEvictsTheLeastRecentlyUsed) {
  for (int i = 0; i < 20; ++i) Put(dbs_[0], Key(i), kNow);
  now_ = kNow + 100 * kSecond;
  for (int i = 1; i < 20; ++i) dbs_[0].Find(Key(i), now_);  // all but key:0 used just now
  Evictor::Result r = Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kAllKeysLru, 200));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kWithinBudget);
  EXPECT_EQ(r.evicted, 1u);
  EXPECT_FALSE(Has(Key(0)));
  EXPECT_EQ(Keys(), 19u);
}

TEST_F(EvictorTest, LruPrefersOlderKeysAcrossDatabases) {
  // 200 keys in db 0 idle for 10 s, 200 in db 5 idle for 1000 s: evicting half of the data
  // should take mostly the older ones.
  for (int i = 0; i < 200; ++i) Put(dbs_[5], Key(i), kNow);
  for (int i = 0; i < 200; ++i) Put(dbs_[0], Key(i), kNow + 990 * kSecond);
  now_ = kNow + 1000 * kSecond;
  size_t budget = UsedBytes(dbs_) * 6 / 10;
  Evictor::Result r = Evict(budget, Params(EvictionPolicy::kAllKeysLru));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kWithinBudget);
  EXPECT_LE(UsedBytes(dbs_), budget);
  size_t evicted_old = 200 - dbs_[5].size();
  size_t evicted_recent = 200 - dbs_[0].size();
  EXPECT_EQ(evicted_old + evicted_recent, r.evicted);
  EXPECT_GT(evicted_old, 100u);
  // Every round samples db 5 too, so an old key always beats the recent ones.
  EXPECT_EQ(evicted_recent, 0u);
}

TEST_F(EvictorTest, AllKeysLfuEvictsTheLeastFrequentlyUsed) {
  for (int i = 0; i < 20; ++i) {
    Entry* e = Put(dbs_[0], Key(i));
    e->set_access(LfuAccess(i == 7 ? 1 : 50, LfuMinutes(kNow)));
  }
  Evictor::Result r = Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kAllKeysLfu, 200));
  EXPECT_EQ(r.evicted, 1u);
  EXPECT_FALSE(Has(Key(7)));
}

TEST_F(EvictorTest, LfuScoresDecayedCounters) {
  // key:3 was hot (200) an hour ago; decayed by one per minute it is now the coldest.
  for (int i = 0; i < 20; ++i) {
    Entry* e = Put(dbs_[0], Key(i));
    e->set_access(i == 3 ? LfuAccess(200, LfuMinutes(kNow - 60 * kMinute))
                         : LfuAccess(150, LfuMinutes(kNow)));
  }
  EvictionParams params = Params(EvictionPolicy::kAllKeysLfu, 200);
  params.lfu_decay_minutes = 1;
  EXPECT_EQ(Evict(UsedBytes(dbs_) - 1, params).evicted, 1u);
  EXPECT_FALSE(Has(Key(3)));
}

TEST_F(EvictorTest, VolatileLruEvictsOnlyKeysWithDeadlines) {
  for (int i = 0; i < 40; ++i) Put(dbs_[0], Key(i), kNow, i % 2 == 0 ? kNow + kMinute : 0);
  Evictor::Result r = Evict(0, Params(EvictionPolicy::kVolatileLru));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kFailed);  // the keys without deadline remain
  EXPECT_EQ(r.evicted, 20u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(Has(Key(i)), i % 2 == 1) << i;
}

TEST_F(EvictorTest, VolatileLfuEvictsOnlyKeysWithDeadlines) {
  for (int i = 0; i < 40; ++i) {
    Entry* e = Put(dbs_[0], Key(i), kNow, i % 2 == 0 ? kNow + kMinute : 0);
    e->set_access(LfuAccess(i % 2 == 0 ? 200 : 0, LfuMinutes(kNow)));  // TTL keys are hot
  }
  Evictor::Result r = Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kVolatileLfu));
  EXPECT_EQ(r.evicted, 1u);
  for (int i = 1; i < 40; i += 2) EXPECT_TRUE(Has(Key(i))) << i;
}

TEST_F(EvictorTest, VolatileTtlEvictsTheEarliestDeadlineFirst) {
  for (int i = 0; i < 30; ++i) {
    // key:29 is due first, then key:28, ...; key:0 to key:9 have no deadline.
    Put(dbs_[i % 3], Key(i), kNow, i >= 10 ? kNow + (100 - i) * kSecond : 0);
  }
  size_t before = UsedBytes(dbs_);
  Evictor::Result r = Evict(before - 1, Params(EvictionPolicy::kVolatileTtl));
  EXPECT_EQ(r.evicted, 1u);
  EXPECT_FALSE(Has(Key(29), 29 % 3));
  // Evict about five more: exactly the next five deadlines go.
  size_t target = UsedBytes(dbs_);
  for (int i = 28; i >= 24; --i) target -= dbs_[i % 3].Peek(Key(i), now_)->AllocatedBytes();
  r = Evict(target, Params(EvictionPolicy::kVolatileTtl));
  for (int i = 0; i < 30; ++i) EXPECT_EQ(Has(Key(i), i % 3), i < 24) << i;
  // Then the non-volatile keys are safe.
  r = Evict(0, Params(EvictionPolicy::kVolatileTtl));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kFailed);
  EXPECT_EQ(Keys(), 10u);
}

TEST_F(EvictorTest, AllKeysRandomEvictsUntilUnderBudget) {
  for (int i = 0; i < 100; ++i) Put(dbs_[i % 4], Key(i));
  size_t budget = UsedBytes(dbs_) / 2;
  Evictor::Result r = Evict(budget, Params(EvictionPolicy::kAllKeysRandom));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kWithinBudget);
  EXPECT_LE(UsedBytes(dbs_), budget);
  EXPECT_EQ(Keys() + r.evicted, 100u);
  // Empty bucket arrays remain, so 0 bytes cannot be reached: every key goes, then failure.
  r = Evict(0, Params(EvictionPolicy::kAllKeysRandom));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kFailed);
  EXPECT_EQ(Keys(), 0u);
}

TEST_F(EvictorTest, VolatileRandomEvictsOnlyKeysWithDeadlines) {
  for (int i = 0; i < 100; ++i) Put(dbs_[0], Key(i), kNow, i < 10 ? kNow + kMinute : 0);
  Evictor::Result r = Evict(0, Params(EvictionPolicy::kVolatileRandom));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kFailed);
  EXPECT_EQ(r.evicted, 10u);
  EXPECT_EQ(Keys(), 90u);
  EXPECT_EQ(dbs_[0].expires_count(), 0u);
}

TEST_F(EvictorTest, ExpiredSamplesAreDeletedAsExpiredNotEvicted) {
  for (int i = 0; i < 50; ++i) Put(dbs_[0], Key(i), kNow, kNow + kSecond);
  now_ = kNow + 2 * kSecond;  // all past their deadline, none reclaimed yet
  Evictor::Result r = Evict(0, Params(EvictionPolicy::kAllKeysLru));
  EXPECT_EQ(r.evicted, 0u);
  EXPECT_EQ(dbs_[0].size(), 0u);
  EXPECT_EQ(dbs_[0].expired_keys(), 50u);
}

TEST_F(EvictorTest, StaleCandidatesInThePoolAreSkipped) {
  for (int i = 0; i < 20; ++i) Put(dbs_[0], Key(i), kNow);
  now_ = kNow + 500 * kSecond;
  for (int i = 10; i < 20; ++i) dbs_[0].Find(Key(i), now_);
  // One eviction fills the pool with old keys; then delete them all behind its back.
  EXPECT_EQ(Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kAllKeysLru, 100)).evicted, 1u);
  for (int i = 0; i < 10; ++i) dbs_[0].Erase(Key(i), now_);
  ASSERT_EQ(Keys(), 10u);
  Evictor::Result r = Evict(UsedBytes(dbs_) - 1, Params(EvictionPolicy::kAllKeysLru));
  EXPECT_EQ(r.outcome, Evictor::Outcome::kWithinBudget);
  EXPECT_EQ(r.evicted, 1u);
  EXPECT_EQ(Keys(), 9u);
}

TEST_F(EvictorTest, TimeLimitStopsALongEviction) {
  for (int i = 0; i < 20000; ++i) Put(dbs_[0], Key(i));
  EvictionParams params = Params(EvictionPolicy::kAllKeysRandom);
  params.time_limit_us = 1;
  Evictor::Result r = Evict(0, params);
  EXPECT_EQ(r.outcome, Evictor::Outcome::kRunning);
  EXPECT_GT(r.evicted, 0u);
  EXPECT_LT(r.evicted, 20000u);
}

}  // namespace
}  // namespace ringtail::storage
