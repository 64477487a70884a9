// SPDX-License-Identifier: Apache-2.0
// Heap allocations per command on the hot path: GET and SET run through
// commands::RunOnSingleShard on a warmed-up shard while every allocation is counted. The
// "allocs_per_cmd" counter is the figure to watch: the target for GET and for a same-size SET
// overwrite is 0. Time per command is reported as well.
//
// How it counts: this binary is linked with --wrap for malloc, calloc, realloc, aligned_alloc and
// posix_memalign (see benchmarks/meson.build), so every call to them from the project's code
// (storage allocates entries with malloc) goes through a counting __wrap_ function to the real
// allocator; the global operator new is replaced by one that calls malloc, so C++ allocations
// are counted there too. The process allocator itself is unchanged.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "commands/command_table.h"
#include "commands/executor.h"
#include "commands/shard_state.h"
#include "protocol/reply_builder.h"

namespace {

std::atomic<uint64_t> g_allocations{0};

void Count() { g_allocations.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

extern "C" {
void* __real_malloc(size_t size);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* p, size_t size);
void* __real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void** p, size_t alignment, size_t size);

void* __wrap_malloc(size_t size) {
  Count();
  return __real_malloc(size);
}
void* __wrap_calloc(size_t count, size_t size) {
  Count();
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* p, size_t size) {
  Count();
  return __real_realloc(p, size);
}
void* __wrap_aligned_alloc(size_t alignment, size_t size) {
  Count();
  return __real_aligned_alloc(alignment, size);
}
int __wrap_posix_memalign(void** p, size_t alignment, size_t size) {
  Count();
  return __real_posix_memalign(p, alignment, size);
}
}  // extern "C"

namespace {

// Calls the (wrapped, so counted) malloc; out of memory ends the benchmark (no exceptions).
void* NewBytes(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) std::abort();
  return p;
}

void* NewAlignedBytes(size_t size, std::align_val_t align) {
  const size_t alignment = static_cast<size_t>(align);
  const size_t rounded = (size + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
  if (p == nullptr) std::abort();
  return p;
}

}  // namespace

// The replaced global allocation functions; everything is released with free().
void* operator new(size_t size) { return NewBytes(size); }
void* operator new[](size_t size) { return NewBytes(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return NewBytes(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return NewBytes(size); }
void* operator new(size_t size, std::align_val_t align) { return NewAlignedBytes(size, align); }
void* operator new[](size_t size, std::align_val_t align) { return NewAlignedBytes(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { std::free(p); }

namespace ringtail::commands {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr size_t kKeys = 100'000;
constexpr size_t kValueSize = 64;
constexpr size_t kAccessPattern = 1 << 16;

std::string KeyName(size_t i) {
  std::string digits = std::to_string(i);
  return absl::StrCat("key:", std::string(12 - digits.size(), '0'), digits);
}

// One shard with kKeys keys of kValueSize bytes, set through the SET command itself, and a
// reply buffer that has already grown.
class WarmShard {
 public:
  WarmShard() : shard_(0, 1, DefaultCommandTable(), info_, Config{}), order_(kAccessPattern) {
    shard_.clock.Freeze(kStartMs);
    client_.id = 1;
    out_.reserve(64 * 1024);
    names_.reserve(kKeys);
    for (size_t i = 0; i < kKeys; ++i) names_.push_back(KeyName(i));
    const std::string value(kValueSize, 'v');
    for (const std::string& name : names_) Run({"SET", name, value});
    absl::BitGen rng;
    for (uint32_t& index : order_) index = absl::Uniform<uint32_t>(rng, 0, kKeys);
    // Run each command once so that lazily built state (statistics, buffers) exists.
    Run({"GET", names_[0]});
    Run({"SET", names_[0], value});
  }

  // Runs one command; returns the reply, valid until the next call.
  std::string_view Run(const std::vector<std::string_view>& args) {
    out_.clear();
    protocol::ReplyBuilder reply(&out_, client_.resp3);
    RunOnSingleShard(shard_, args, reply, client_);
    return out_;
  }

  const std::string& Key(size_t n) const { return names_[order_[n & (kAccessPattern - 1)]]; }

 private:
  ServerInfo info_;
  ShardState shard_;
  ClientState client_;
  std::string out_;
  std::vector<std::string> names_;
  std::vector<uint32_t> order_;
};

WarmShard& SharedShard() {
  static auto* shard = new WarmShard();
  return *shard;
}

// Labels the run with the first reply if it is not of the expected kind (e.g. an unknown
// command while a handler is missing), so a meaningless figure does not pass unnoticed.
void CheckReply(benchmark::State& state, std::string_view reply, char expected_type) {
  if (!reply.empty() && reply[0] == expected_type) return;
  std::string shown(reply.substr(0, 80));
  for (char& c : shown) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  state.SetLabel("unexpected reply: " + shown);
}

void BM_RunOnSingleShard_Get(benchmark::State& state) {
  WarmShard& shard = SharedShard();
  std::vector<std::string_view> args = {"GET", ""};
  CheckReply(state, shard.Run({"GET", shard.Key(0)}), '$');
  size_t next = 0;
  const uint64_t before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    args[1] = shard.Key(next++);
    std::string_view reply = shard.Run(args);
    benchmark::DoNotOptimize(reply.data());
  }
  const uint64_t allocations = g_allocations.load(std::memory_order_relaxed) - before;
  state.counters["allocs_per_cmd"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RunOnSingleShard_Get);

// SET of an existing key with a value of the same size.
void BM_RunOnSingleShard_Set(benchmark::State& state) {
  WarmShard& shard = SharedShard();
  const std::string value(kValueSize, 'w');
  std::vector<std::string_view> args = {"SET", "", value};
  CheckReply(state, shard.Run({"SET", shard.Key(0), value}), '+');
  size_t next = 0;
  const uint64_t before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    args[1] = shard.Key(next++);
    std::string_view reply = shard.Run(args);
    benchmark::DoNotOptimize(reply.data());
  }
  const uint64_t allocations = g_allocations.load(std::memory_order_relaxed) - before;
  state.counters["allocs_per_cmd"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RunOnSingleShard_Set);

// GET of a key that does not exist (a miss: null reply).
void BM_RunOnSingleShard_GetMissing(benchmark::State& state) {
  WarmShard& shard = SharedShard();
  std::vector<std::string_view> args = {"GET", "no-such-key"};
  CheckReply(state, shard.Run(args), '$');
  const uint64_t before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    std::string_view reply = shard.Run(args);
    benchmark::DoNotOptimize(reply.data());
  }
  const uint64_t allocations = g_allocations.load(std::memory_order_relaxed) - before;
  state.counters["allocs_per_cmd"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RunOnSingleShard_GetMissing);

// SET of a key that does not exist yet: storing a new key must allocate (at least the entry),
// so this also shows that the counter counts.
void BM_RunOnSingleShard_SetNewKey(benchmark::State& state) {
  WarmShard& shard = SharedShard();
  const std::string value(kValueSize, 'n');
  std::vector<std::string> names(static_cast<size_t>(state.max_iterations));
  for (size_t i = 0; i < names.size(); ++i) names[i] = absl::StrCat("new:", KeyName(i));
  std::vector<std::string_view> args = {"SET", "", value};
  size_t next = 0;
  const uint64_t before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    args[1] = names[next++];
    std::string_view reply = shard.Run(args);
    benchmark::DoNotOptimize(reply.data());
  }
  const uint64_t allocations = g_allocations.load(std::memory_order_relaxed) - before;
  state.counters["allocs_per_cmd"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations());
  // Remove them again (untimed: the loop is over) so later runs find the keyspace as it was.
  for (size_t i = 0; i < next; ++i) shard.Run({"DEL", names[i]});
}
// A fixed count: each iteration needs a fresh key name, made before the timed loop.
BENCHMARK(BM_RunOnSingleShard_SetNewKey)->Iterations(100'000);

}  // namespace
}  // namespace ringtail::commands

BENCHMARK_MAIN();
