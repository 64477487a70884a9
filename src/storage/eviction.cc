// SPDX-License-Identifier: Apache-2.0
#include "storage/eviction.h"

#include <algorithm>
#include <utility>

#include "base/clock.h"
#include "base/strings.h"
#include "storage/table.h"

namespace ringtail::storage {
namespace {

struct PolicyName {
  std::string_view name;
  EvictionPolicy policy;
};
constexpr PolicyName kPolicyNames[] = {
    {"volatile-lru", EvictionPolicy::kVolatileLru},
    {"volatile-lfu", EvictionPolicy::kVolatileLfu},
    {"volatile-random", EvictionPolicy::kVolatileRandom},
    {"volatile-ttl", EvictionPolicy::kVolatileTtl},
    {"allkeys-lru", EvictionPolicy::kAllKeysLru},
    {"allkeys-lfu", EvictionPolicy::kAllKeysLfu},
    {"allkeys-random", EvictionPolicy::kAllKeysRandom},
    {"noeviction", EvictionPolicy::kNoEviction},
};

// Check the time limit once per this many evictions (reading the clock costs more than one).
constexpr size_t kEvictionsPerClockCheck = 16;

size_t UsedBytes(absl::Span<Table> tables) {
  size_t used = 0;
  for (const Table& table : tables) used += table.memory_bytes();
  return used;
}

// The keys a policy may evict in `table`.
size_t EligibleKeys(const Table& table, EvictionPolicy policy) {
  return IsVolatilePolicy(policy) ? table.expires_count() : table.size();
}

// A random eligible entry of `table`. REQUIRES: EligibleKeys(table, policy) > 0.
Entry* SampleEntry(Table& table, EvictionPolicy policy, absl::BitGen& rng) {
  return IsVolatilePolicy(policy) ? table.RandomExpiringEntry(rng) : table.RandomEntry(rng);
}

// How good a victim `entry` is under an LRU or LFU policy: higher is better.
uint64_t VictimScore(const Entry& entry, const EvictionParams& params) {
  if (IsLfuPolicy(params.policy)) {
    return 255 - LfuDecayedCounter(entry.access(), params.now_ms, params.lfu_decay_minutes);
  }
  return LruIdleSeconds(entry.access(), params.now_ms);
}

}  // namespace

std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name) {
  for (const PolicyName& p : kPolicyNames) {
    if (base::EqualsIgnoreCase(p.name, name)) return p.policy;
  }
  return std::nullopt;
}

uint8_t LfuDecayedCounter(uint16_t access, int64_t now_ms, uint32_t decay_minutes) {
  uint8_t counter = LfuCounter(access);
  if (decay_minutes == 0) return counter;
  // Unsigned 8-bit difference: correct across one wrap of the minute clock (see the header).
  uint8_t elapsed = static_cast<uint8_t>(LfuMinutes(now_ms) - static_cast<uint8_t>(access));
  uint32_t periods = elapsed / decay_minutes;
  return periods >= counter ? 0 : static_cast<uint8_t>(counter - periods);
}

uint8_t LfuLogIncrement(uint8_t counter, uint32_t log_factor, double random) {
  if (counter == 255) return counter;
  double above_initial = counter > kLfuInitialCounter ? counter - kLfuInitialCounter : 0;
  double probability = 1.0 / (above_initial * log_factor + 1.0);
  return random < probability ? static_cast<uint8_t>(counter + 1) : counter;
}

uint16_t LfuTouch(uint16_t access, int64_t now_ms, const LfuSettings& settings, double random) {
  uint8_t counter = LfuDecayedCounter(access, now_ms, settings.decay_minutes);
  counter = LfuLogIncrement(counter, settings.log_factor, random);
  return LfuAccess(counter, LfuMinutes(now_ms));
}

Evictor::Result Evictor::Evict(absl::Span<Table> tables, size_t budget_bytes,
                               const EvictionParams& params, absl::BitGen& rng) {
  Result result{Outcome::kWithinBudget, 0};
  if (UsedBytes(tables) <= budget_bytes) return result;
  if (params.policy == EvictionPolicy::kNoEviction) {
    result.outcome = Outcome::kFailed;
    return result;
  }
  bool limited = params.time_limit_us != EvictionParams::kNoTimeLimit;
  int64_t deadline_us = limited ? base::Clock::MonotonicUs() + params.time_limit_us : 0;
  while (UsedBytes(tables) > budget_bytes) {
    if (!EvictOne(tables, params, rng)) {
      // Deleting expired samples may have been enough.
      if (UsedBytes(tables) > budget_bytes) result.outcome = Outcome::kFailed;
      return result;
    }
    ++result.evicted;
    if (limited && result.evicted % kEvictionsPerClockCheck == 0 &&
        base::Clock::MonotonicUs() >= deadline_us) {
      if (UsedBytes(tables) > budget_bytes) result.outcome = Outcome::kRunning;
      return result;
    }
  }
  return result;
}

bool Evictor::EvictOne(absl::Span<Table> tables, const EvictionParams& params, absl::BitGen& rng) {
  switch (params.policy) {
    case EvictionPolicy::kNoEviction:
      return false;

    case EvictionPolicy::kVolatileTtl: {
      for (;;) {
        Table* best_table = nullptr;
        Entry* best = nullptr;
        for (Table& table : tables) {
          Entry* entry = table.EarliestDeadline();
          if (entry != nullptr &&
              (best == nullptr || entry->expire_at_ms() < best->expire_at_ms())) {
            best = entry;
            best_table = &table;
          }
        }
        if (best == nullptr) return false;
        if (best_table->ExpireIfDue(best, params.now_ms)) continue;
        best_table->Erase(best);
        return true;
      }
    }

    case EvictionPolicy::kAllKeysRandom:
    case EvictionPolicy::kVolatileRandom: {
      for (;;) {
        // A database chosen in proportion to its eligible keys, then a key in it.
        size_t total = 0;
        for (const Table& table : tables) total += EligibleKeys(table, params.policy);
        if (total == 0) return false;
        size_t pick = absl::Uniform<size_t>(rng, 0, total);
        for (Table& table : tables) {
          size_t keys = EligibleKeys(table, params.policy);
          if (pick >= keys) {
            pick -= keys;
            continue;
          }
          Entry* entry = SampleEntry(table, params.policy, rng);
          if (!table.ExpireIfDue(entry, params.now_ms)) {
            table.Erase(entry);
            return true;
          }
          break;  // it was expired and is gone: draw again
        }
      }
    }

    case EvictionPolicy::kAllKeysLru:
    case EvictionPolicy::kAllKeysLfu:
    case EvictionPolicy::kVolatileLru:
    case EvictionPolicy::kVolatileLfu:
      return EvictFromPool(tables, params, rng);
  }
  return false;
}

bool Evictor::EvictFromPool(absl::Span<Table> tables, const EvictionParams& params,
                            absl::BitGen& rng) {
  for (;;) {
    FillPool(tables, params, rng);
    // The best candidate still present wins; candidates that are gone (or, under a volatile
    // policy, lost their deadline) since they were sampled are dropped.
    while (pool_size_ > 0) {
      Candidate& best = pool_[--pool_size_];
      if (best.db >= tables.size()) continue;
      Table& table = tables[best.db];
      Entry* entry = table.Peek(best.key, params.now_ms);
      if (entry == nullptr) continue;
      if (IsVolatilePolicy(params.policy) && !entry->has_expiry()) continue;
      table.Erase(entry);
      return true;
    }
    // Every candidate was stale, or every sample had expired (and was deleted): sample again
    // while there is anything left to sample. Each round deletes or evicts something, or
    // leaves fresh candidates in the emptied pool, so this ends.
    bool any_eligible = false;
    for (const Table& table : tables) any_eligible |= EligibleKeys(table, params.policy) > 0;
    if (!any_eligible) return false;
  }
}

void Evictor::FillPool(absl::Span<Table> tables, const EvictionParams& params, absl::BitGen& rng) {
  size_t samples = std::max<uint32_t>(params.samples, 1);
  for (size_t db = 0; db < tables.size(); ++db) {
    Table& table = tables[db];
    for (size_t i = 0; i < samples && EligibleKeys(table, params.policy) > 0; ++i) {
      Entry* entry = SampleEntry(table, params.policy, rng);
      if (table.ExpireIfDue(entry, params.now_ms)) continue;
      OfferCandidate(VictimScore(*entry, params), static_cast<uint32_t>(db), entry->key());
    }
  }
}

void Evictor::OfferCandidate(uint64_t score, uint32_t db, std::string_view key) {
  for (size_t i = 0; i < pool_size_; ++i) {
    if (pool_[i].db == db && pool_[i].key == key) return;  // already a candidate
  }
  // The first slot whose candidate scores at least as high: insert before it.
  size_t pos = 0;
  while (pos < pool_size_ && pool_[pos].score < score) ++pos;
  if (pool_size_ == kPoolSize) {
    if (pos == 0) return;  // worse than every candidate of a full pool
    // Drop the worst (slot 0) and insert at pos - 1, shifting the lower ones down.
    // Rotating keeps the strings' buffers, so the pool stops allocating once warm.
    std::rotate(pool_.begin(), pool_.begin() + 1, pool_.begin() + static_cast<ptrdiff_t>(pos));
    --pos;
  } else {
    std::rotate(pool_.begin() + static_cast<ptrdiff_t>(pos),
                pool_.begin() + static_cast<ptrdiff_t>(pool_size_),
                pool_.begin() + static_cast<ptrdiff_t>(pool_size_) + 1);
    ++pool_size_;
  }
  Candidate& slot = pool_[pos];
  slot.score = score;
  slot.db = db;
  slot.key.assign(key.data(), key.size());
}

}  // namespace ringtail::storage
