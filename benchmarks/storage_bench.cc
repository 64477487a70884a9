// SPDX-License-Identifier: Apache-2.0
// Micro-benchmarks of storage::Table: point reads and overwrites at random over a table of 1 M
// keys (so most lookups miss the CPU caches, as in a real keyspace), plus a hot-key case, and
// the longest pause while a table grows to 10 M keys.
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "storage/table.h"

namespace ringtail::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr size_t kKeys = 1'000'000;
constexpr size_t kValueSize = 64;
constexpr size_t kAccessPattern = 1 << 20;  // random key indexes, cycled through
constexpr size_t kKeyLength = 16;             // KeyName's length

// redis-benchmark's key shape: "key:" and 12 digits.
std::string KeyName(size_t i) {
  std::string digits = std::to_string(i);
  return absl::StrCat("key:", std::string(12 - digits.size(), '0'), digits);
}

// One table of kKeys keys shared by the benchmarks of this binary, built on first use.
struct Keyspace {
  Keyspace() : names(kKeys), order(kAccessPattern) {
    const std::string value(kValueSize, 'v');
    for (size_t i = 0; i < kKeys; ++i) {
      names[i] = KeyName(i);
      table.SetString(table.FindOrInsert(names[i], kNow, kValueSize).entry, value);
      // As a shard's loop does: a large bucket array is prepared in the background before the
      // table grows into it (without this the table would stay at its 1 MB array).
      if (table.has_background_work()) table.BackgroundStep();
    }
    while (table.RehashStep(1024) || table.has_background_work()) table.BackgroundStep();
    absl::BitGen rng;
    for (uint32_t& index : order) index = absl::Uniform<uint32_t>(rng, 0, kKeys);
    ordered_keys.reserve(kAccessPattern * kKeyLength);
    for (uint32_t index : order) ordered_keys += names[index];
  }

  // The key `n` lookups into the access pattern, read from one contiguous buffer in order, as a
  // server reads keys from its input buffer: the benchmark adds no cache miss of its own.
  std::string_view OrderedKey(size_t n) const {
    return {ordered_keys.data() + (n & (kAccessPattern - 1)) * kKeyLength, kKeyLength};
  }

  Table table;
  std::vector<std::string> names;
  std::vector<uint32_t> order;
  std::string ordered_keys;
};

Keyspace& SharedKeyspace() {
  static auto* keyspace = new Keyspace();
  return *keyspace;
}

void BM_Table_Get(benchmark::State& state) {
  Keyspace& ks = SharedKeyspace();
  size_t next = 0;
  for (auto _ : state) {
    std::string_view key = ks.OrderedKey(next++);
    Entry* entry = ks.table.Find(key, kNow);
    benchmark::DoNotOptimize(entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_Get);

// Lookups with the prefetch pattern of a pipelined batch: the bucket of the key two lookups
// ahead and the entry of the next one are requested before each lookup.
void BM_Table_GetPrefetched(benchmark::State& state) {
  Keyspace& ks = SharedKeyspace();
  auto hash_at = [&](size_t n) {
    return Table::HashOf(ks.OrderedKey(n));
  };
  size_t next = 0;
  for (auto _ : state) {
    ks.table.PrefetchBucket(hash_at(next + 2));
    ks.table.PrefetchEntry(hash_at(next + 1));
    std::string_view key = ks.OrderedKey(next++);
    Entry* entry = ks.table.Find(key, kNow);
    benchmark::DoNotOptimize(entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_GetPrefetched);

// Lookups in batches of 16, as a shard runs a pipeline of 16 GETs: every bucket prefetched,
// then every first entry, then (with state.range(0) == 3) every second entry of a chain whose
// first is not the key's, then the lookups, each reading its value as a reply would.
void BM_Table_GetBatch16(benchmark::State& state) {
  constexpr size_t kBatch = 16;
  const bool chains = state.range(0) == 3;
  Keyspace& ks = SharedKeyspace();
  size_t next = 0;
  uint64_t hashes[kBatch];
  uint64_t sink = 0;
  for (auto _ : state) {
    std::string_view keys[kBatch];
    for (size_t i = 0; i < kBatch; ++i) {
      keys[i] = ks.OrderedKey(next++);
      hashes[i] = Table::HashOf(keys[i]);
      ks.table.PrefetchBucket(hashes[i]);
    }
    for (uint64_t hash : hashes) ks.table.PrefetchEntry(hash);
    if (chains) {
      for (uint64_t hash : hashes) ks.table.PrefetchChain(hash);
    }
    for (std::string_view key : keys) {
      Entry* entry = ks.table.Find(key, kNow);
      sink += static_cast<uint8_t>(entry->str()[kValueSize - 1]);
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_Table_GetBatch16)->Arg(2)->Arg(3);

void BM_Table_GetMissing(benchmark::State& state) {
  Keyspace& ks = SharedKeyspace();
  std::vector<std::string> missing(4096);
  for (size_t i = 0; i < missing.size(); ++i) missing[i] = KeyName(kKeys + i * 977);
  size_t next = 0;
  for (auto _ : state) {
    Entry* entry = ks.table.Find(missing[next++ & (missing.size() - 1)], kNow);
    benchmark::DoNotOptimize(entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_GetMissing);

// Overwrite of an existing key with a value of the same size (SET on a warm keyspace).
void BM_Table_Set(benchmark::State& state) {
  Keyspace& ks = SharedKeyspace();
  const std::string value(kValueSize, 'w');
  size_t next = 0;
  for (auto _ : state) {
    std::string_view key = ks.OrderedKey(next++);
    Table::InsertResult result = ks.table.FindOrInsert(key, kNow);
    ks.table.SetString(result.entry, value);
    benchmark::DoNotOptimize(result.entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_Set);

// One hot key: the cost of the table itself with everything in cache.
void BM_Table_GetHotKey(benchmark::State& state) {
  Keyspace& ks = SharedKeyspace();
  const std::string& key = ks.names[12345];
  for (auto _ : state) {
    Entry* entry = ks.table.Find(key, kNow);
    benchmark::DoNotOptimize(entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_GetHotKey);

// Inserting fresh keys into a growing table, incremental rehashes included; erased afterwards.
void BM_Table_InsertNew(benchmark::State& state) {
  const std::string value(kValueSize, 'v');
  std::vector<std::string> names(1 << 18);
  for (size_t i = 0; i < names.size(); ++i) names[i] = KeyName(i);
  auto table = std::make_unique<Table>();
  size_t next = 0;
  for (auto _ : state) {
    if (next == names.size()) {
      state.PauseTiming();
      table = std::make_unique<Table>();
      next = 0;
      state.ResumeTiming();
    }
    Table::InsertResult result = table->FindOrInsert(names[next++], kNow, kValueSize);
    table->SetString(result.entry, value);
    benchmark::DoNotOptimize(result.entry);
    if (table->has_background_work()) table->BackgroundStep();  // as the shard's loop does
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table_InsertNew);

// The growth stall: a table grows to state.range(0) keys in batches of 150 inserts (about what
// one 16 KB receive of SETs holds), with one background step and, every 100 batches, a
// 1000-bucket rehash step after each batch, as a shard's loop iterations do. Reported: the
// longest batch (its inserts plus those steps), in the thread's CPU time so that preemption
// does not count, and the longest of those steps alone. A stall is the longest batch; the
// bound to keep is about a millisecond.
int64_t ThreadCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

void BM_Table_GrowthLongestBatch(benchmark::State& state) {
  constexpr size_t kBatch = 150;
  const auto keys = static_cast<size_t>(state.range(0));
  const std::string value(kValueSize, 'v');
  int64_t longest_batch_ns = 0;
  int64_t longest_step_ns = 0;
  for (auto _ : state) {
    auto table = std::make_unique<Table>();
    size_t batches = 0;
    for (size_t i = 0; i < keys; i += kBatch) {
      int64_t start = ThreadCpuNs();
      for (size_t j = i; j < std::min(keys, i + kBatch); ++j) {
        table->SetString(table->FindOrInsert(KeyName(j), kNow, kValueSize).entry, value);
      }
      int64_t step_start = ThreadCpuNs();
      if (table->has_background_work()) table->BackgroundStep();
      int64_t end = ThreadCpuNs();
      if (++batches % 100 == 0) {
        table->RehashStep(1000);
        end = ThreadCpuNs();
      }
      longest_batch_ns = std::max(longest_batch_ns, end - start);
      longest_step_ns = std::max(longest_step_ns, end - step_start);
    }
    state.PauseTiming();
    table.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(keys));
  state.counters["longest_batch_ms"] = static_cast<double>(longest_batch_ns) / 1e6;
  state.counters["longest_step_ms"] = static_cast<double>(longest_step_ns) / 1e6;
}
BENCHMARK(BM_Table_GrowthLongestBatch)->Arg(10'000'000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace ringtail::storage

BENCHMARK_MAIN();
