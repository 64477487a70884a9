// SPDX-License-Identifier: Apache-2.0
// ShardState: everything a command handler may touch on the shard where it runs: the 16
// databases, the clock, the shard's config copy, statistics and its connected clients.
// ClientState: the per-connection state commands read and change (db, protocol, name).
// ServerInfo: process-wide facts fixed at startup plus a few atomics.
// A ShardState is owned and used by exactly one shard thread.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "base/clock.h"
#include "commands/command_table.h"
#include "commands/config.h"
#include "storage/encoding_limits.h"
#include "storage/eviction.h"
#include "storage/table.h"

namespace ringtail::commands {

inline constexpr size_t kDatabaseCount = 16;

// Process-wide facts. Immutable after startup except the atomics.
struct ServerInfo {
  std::string version = "7.0.15";  // the Redis version we answer as (clients check it)
  std::string ringtail_version = "0.1.0";
  std::string run_id;
  std::string executable;
  std::string config_file;
  std::string io_backend = "io_uring";  // the backend in use
  int64_t pid = 0;
  int64_t start_time_ms = 0;
  int64_t tcp_port = 0;
  uint32_t shard_count = 1;
  // The allocator's committed bytes once the server is set up, before any key exists: INFO's
  // used_memory is this plus the datasets of all shards.
  size_t startup_allocated_bytes = 0;
  std::atomic<int64_t> connected_clients{0};
  std::atomic<uint64_t> next_client_id{1};
  // The highest used_memory INFO or MEMORY STATS has reported (used_memory_peak).
  std::atomic<uint64_t> peak_used_memory{0};
  // SHUTDOWN: sets shutdown_requested, then calls request_stop (set by main; it wakes the main
  // thread, which stops the shards). Unset in tests.
  std::atomic<bool> shutdown_requested{false};
  std::function<void()> request_stop;

  // Raises peak_used_memory to `used` if that is higher; returns the peak. Any thread.
  uint64_t NotePeakUsedMemory(uint64_t used) {
    uint64_t peak = peak_used_memory.load(std::memory_order_relaxed);
    while (used > peak &&
           !peak_used_memory.compare_exchange_weak(peak, used, std::memory_order_relaxed)) {
    }
    return std::max(peak, used);
  }
};

// Per-command counters for INFO commandstats.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t cycles = 0;  // base::CycleClock ticks spent in the handler (INFO shows microseconds)
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
};

// Counters of one shard; INFO sums them over shards.
struct ShardStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t expired_keys_active = 0;
  uint64_t evicted_keys = 0;
  uint64_t cross_shard_batches_sent = 0;
  uint64_t cross_shard_requests_sent = 0;
  uint64_t total_error_replies = 0;
  // The longest time one loop iteration kept the shard busy (not waiting), in microseconds:
  // the worst pause any client of this shard could have seen. CONFIG RESETSTAT clears it.
  uint64_t longest_iteration_us = 0;
  // The most CPU time one loop iteration used, by the thread's CPU clock, while the
  // loop-cpu-stats option is on: the longest iteration without the time the thread was not
  // running (preempted by other tasks, interrupts or the hypervisor).
  uint64_t longest_iteration_cpu_us = 0;
  uint64_t blocked_clients = 0;  // connections of this shard blocked in a command (a gauge)
  std::vector<CommandStats> commands;  // indexed by CommandSpec::id
};

struct ClientState {
  uint64_t id = 0;
  uint32_t shard_id = 0;
  uint8_t db = 0;
  bool resp3 = false;
  bool close_after_reply = false;  // QUIT, protocol errors: close once the reply is sent
  std::string name;
  std::string lib_name;
  std::string lib_ver;
  std::string addr;   // "ip:port" of the peer
  std::string laddr;  // "ip:port" of our socket
  int fd = -1;
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  std::string last_command = "NULL";
};

struct ShardState {
  ShardState(uint32_t id, uint32_t count, const CommandTable& table, ServerInfo& info,
             Config cfg)
      : shard_id(id), shard_count(count), commands(&table), server(&info), config(std::move(cfg)) {
    stats.commands.resize(table.size());
    ApplyConfig();
  }

  uint32_t shard_id;
  uint32_t shard_count;
  const CommandTable* commands;
  ServerInfo* server;
  Config config;
  base::Clock clock;
  absl::BitGen rng;
  std::array<storage::Table, kDatabaseCount> dbs;
  ShardStats stats;
  // The command this shard looked up last: a pipeline mostly repeats one (see LookupCommand).
  const CommandSpec* last_command = nullptr;
  absl::flat_hash_set<ClientState*> clients;  // the connections this shard owns
  // Eviction (maxmemory): the policy parsed from config.maxmemory_policy and the candidate pool.
  storage::EvictionPolicy eviction_policy = storage::EvictionPolicy::kNoEviction;
  storage::Evictor evictor;
  // Collection encoding thresholds, from config.
  storage::EncodingLimits limits;
  bool loop_cpu_stats = false;  // config.loop_cpu_stats

  // Brings what derives from `config` up to date: the eviction policy and how the tables track
  // accesses (LFU counters under an LFU policy, else LRU clocks). Call after changing `config`.
  void ApplyConfig() {
    eviction_policy = storage::ParseEvictionPolicy(config.maxmemory_policy)
                          .value_or(storage::EvictionPolicy::kNoEviction);
    storage::LfuSettings lfu{.log_factor = static_cast<uint32_t>(config.lfu_log_factor),
                             .decay_minutes = static_cast<uint32_t>(config.lfu_decay_time)};
    for (storage::Table& table : dbs) {
      table.set_access_tracking(storage::IsLfuPolicy(eviction_policy), lfu);
    }
    limits = storage::EncodingLimits{
        .list_max_listpack_size = config.list_max_listpack_size,
        .hash_max_listpack_entries = config.hash_max_listpack_entries,
        .hash_max_listpack_value = config.hash_max_listpack_value,
        .set_max_intset_entries = config.set_max_intset_entries,
        .set_max_listpack_entries = config.set_max_listpack_entries,
        .set_max_listpack_value = config.set_max_listpack_value,
        .zset_max_listpack_entries = config.zset_max_listpack_entries,
        .zset_max_listpack_value = config.zset_max_listpack_value,
    };
    loop_cpu_stats = config.loop_cpu_stats == "yes";
  }

  // Collection values of removed keys still being freed, in all databases.
  size_t LazyfreePendingObjects() const {
    size_t pending = 0;
    for (const storage::Table& t : dbs) pending += t.lazyfree_pending_objects();
    return pending;
  }

  // Bytes of this shard's datasets (all databases): what its maxmemory share limits.
  size_t DatasetBytes() const {
    size_t bytes = 0;
    for (const storage::Table& t : dbs) bytes += t.memory_bytes();
    return bytes;
  }

  // Total expired keys of this shard, lazily and actively reclaimed.
  uint64_t ExpiredKeys() const {
    uint64_t n = 0;
    for (const storage::Table& t : dbs) n += t.expired_keys();
    return n;
  }
};

}  // namespace ringtail::commands
