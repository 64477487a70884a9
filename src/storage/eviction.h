// SPDX-License-Identifier: Apache-2.0
// Eviction: Redis's maxmemory policies applied to the databases of one shard. Two parts:
//
//  - Access tracking. Every entry carries a 16-bit access field (Entry::access()). Under an LFU
//    policy it holds Redis's logarithmic frequency counter and the time of its last decay; under
//    any other policy, an LRU clock. The functions below compute and update it; storage::Table
//    calls them on every lookup (Table::Touch), so the commands never deal with it.
//  - Victim selection. Evictor::Evict samples entries as Redis does and evicts the best victims
//    until the databases fit a byte budget. The shard calls it before a command that may grow
//    memory (commands/executor.cc) when it is over its share of `maxmemory`.
//
// Storage does not know the config: callers pass the policy and its parameters as plain values.
// Single-threaded: one Evictor per shard, used on that shard's thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/random/random.h"
#include "absl/types/span.h"

namespace ringtail::storage {

class Table;

enum class EvictionPolicy : uint8_t {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};

// The policy named as in redis.conf ("allkeys-lru", case-insensitive), or nullopt.
std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name);

inline bool IsLfuPolicy(EvictionPolicy policy) {
  return policy == EvictionPolicy::kAllKeysLfu || policy == EvictionPolicy::kVolatileLfu;
}
// Whether the policy evicts only keys with a deadline.
inline bool IsVolatilePolicy(EvictionPolicy policy) {
  return policy == EvictionPolicy::kVolatileLru || policy == EvictionPolicy::kVolatileLfu ||
         policy == EvictionPolicy::kVolatileRandom || policy == EvictionPolicy::kVolatileTtl;
}

// ---- LRU clock ----
//
// The access field holds the Unix time of the last access in seconds, modulo 2^16. It wraps
// every 65536 s (about 18.2 hours): an entry idle for longer looks idle for the remainder only
// (Redis's 24-bit clock wraps after 194 days; ours keeps the entry header at 16 bytes). Eviction
// quality suffers little: the keys it compares were mostly touched within the last hours.

inline uint16_t LruClock(int64_t now_ms) { return static_cast<uint16_t>(now_ms / 1000); }

// Seconds since the access recorded in `access`, modulo 2^16 (see above).
inline uint32_t LruIdleSeconds(uint16_t access, int64_t now_ms) {
  return static_cast<uint16_t>(LruClock(now_ms) - access);
}

// ---- LFU counter ----
//
// The access field holds Redis's 8-bit logarithmic access counter in the high byte and, in the
// low byte, the time of its last decay in minutes, modulo 2^8. A new key starts at
// kLfuInitialCounter. An access first decays the counter (one step per `decay_minutes` elapsed;
// lfu-decay-time) and then increments it with a probability that falls as it grows
// (lfu-log-factor), so 255 stands for about a million accesses with the default factor 10.
// The minute clock wraps every 256 minutes (4 h 16 min): a key idle for longer looks idle for the
// remainder only and decays less than in Redis, whose minute clock wraps after 45 days.

inline constexpr uint8_t kLfuInitialCounter = 5;  // Redis's LFU_INIT_VAL

struct LfuSettings {
  uint32_t log_factor = 10;    // lfu-log-factor
  uint32_t decay_minutes = 1;  // lfu-decay-time; 0: counters never decay
};

inline uint8_t LfuMinutes(int64_t now_ms) { return static_cast<uint8_t>(now_ms / 60000); }
inline uint16_t LfuAccess(uint8_t counter, uint8_t minutes) {
  return static_cast<uint16_t>((counter << 8) | minutes);
}
inline uint8_t LfuCounter(uint16_t access) { return static_cast<uint8_t>(access >> 8); }

// The counter of `access` after decay as of `now_ms` (what OBJECT FREQ reports); the field
// itself is not changed.
uint8_t LfuDecayedCounter(uint16_t access, int64_t now_ms, uint32_t decay_minutes);

// `counter` after one access: incremented with probability 1 / ((counter - 5) * log_factor + 1)
// (1 while the counter is at most 5), saturating at 255. `random` is uniform in [0, 1).
uint8_t LfuLogIncrement(uint8_t counter, uint32_t log_factor, double random);

// The access field after an access at `now_ms`: decayed, incremented, stamped with now.
uint16_t LfuTouch(uint16_t access, int64_t now_ms, const LfuSettings& settings, double random);

// ---- Victim selection ----

struct EvictionParams {
  EvictionPolicy policy = EvictionPolicy::kNoEviction;
  uint32_t samples = 5;  // maxmemory-samples: entries sampled per database per round
  uint32_t lfu_decay_minutes = 1;
  int64_t now_ms = 0;
  // Stop after about this much time (checked every 16 evictions) and report kRunning. Bounds
  // the pause when the budget drops far below the dataset.
  static constexpr int64_t kNoTimeLimit = -1;
  int64_t time_limit_us = kNoTimeLimit;
};

// How Redis picks victims:
//  - volatile-ttl: the key with the earliest deadline (exact here, through the deadline index).
//  - *-random: a uniformly chosen key (a key with a deadline for volatile-random).
//  - *-lru, *-lfu: each round samples `samples` entries of every database (only entries with a
//    deadline for volatile-*), scores them (idle time, or 255 minus the decayed LFU counter),
//    keeps the best 16 candidates seen in a pool that lives across calls, and evicts the best
//    one still present. The pool holds key copies, so a candidate deleted or changed since it
//    was sampled is looked up again (and skipped if gone) rather than dangling.
// Sampled entries whose deadline has passed are deleted as expired, not counted as evicted.
class Evictor {
 public:
  enum class Outcome : uint8_t {
    kWithinBudget,  // the tables fit the budget
    kRunning,       // the time limit stopped eviction first; more can be evicted
    kFailed,        // still over budget and nothing (more) is evictable
  };
  struct Result {
    Outcome outcome;
    size_t evicted;  // keys evicted by this call
  };

  // Evicts keys from `tables` (a shard's databases, index = database number) until the sum of
  // their memory_bytes() is at most `budget_bytes`. With kNoEviction, only reports whether they
  // fit.
  Result Evict(absl::Span<Table> tables, size_t budget_bytes, const EvictionParams& params,
               absl::BitGen& rng);

  // Forgets the candidates kept between calls (for tests; stale ones are harmless otherwise).
  void ClearPool() { pool_size_ = 0; }

 private:
  static constexpr size_t kPoolSize = 16;  // Redis's EVPOOL_SIZE
  struct Candidate {
    uint64_t score = 0;  // higher: a better victim
    uint32_t db = 0;
    std::string key;
  };

  // Offers `samples` sampled entries of every database to the pool (deleting expired ones).
  void FillPool(absl::Span<Table> tables, const EvictionParams& params, absl::BitGen& rng);
  void OfferCandidate(uint64_t score, uint32_t db, std::string_view key);
  // Evicts one key chosen by the policy. Returns false if no key is evictable (sampled keys
  // found expired may have been deleted meanwhile).
  bool EvictOne(absl::Span<Table> tables, const EvictionParams& params, absl::BitGen& rng);
  bool EvictFromPool(absl::Span<Table> tables, const EvictionParams& params, absl::BitGen& rng);

  // pool_[0 .. pool_size_) sorted by ascending score: the best victim is last.
  std::array<Candidate, kPoolSize> pool_;
  size_t pool_size_ = 0;
};

}  // namespace ringtail::storage
