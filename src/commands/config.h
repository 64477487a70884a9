// SPDX-License-Identifier: Apache-2.0
// Config: the settings a shard runs with, one field per redis.conf option, and the table of
// options (name, how to parse and print it, whether CONFIG SET may change it at run time).
// server/ fills a Config from flags and the config file through this table; CONFIG GET/SET use
// the same rows. Each shard holds its own copy, changed only by messages to that shard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/types/span.h"

namespace ringtail::commands {

struct Config {
  std::string bind = "127.0.0.1";
  int64_t port = 6379;
  int64_t shards = 0;  // 0: one per CPU of the affinity mask
  int64_t maxclients = 10000;
  int64_t databases = 16;
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int64_t maxmemory_samples = 5;
  int64_t maxmemory_eviction_tenacity = 10;  // 0..100: how long one command may evict
  int64_t lfu_log_factor = 10;
  int64_t lfu_decay_time = 1;  // minutes
  int64_t hz = 10;
  // Collection encodings (storage/encoding_limits.h).
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;  // accepted; lists are not compressed
  int64_t hash_max_listpack_entries = 128;
  int64_t hash_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int64_t hll_sparse_max_bytes = 3000;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  int64_t timeout = 0;
  int64_t tcp_keepalive = 300;
  int64_t tcp_backlog = 511;
  std::string save = "";
  std::string appendonly = "no";
  std::string dir = ".";
  std::string loglevel = "notice";
  std::string requirepass = "";
  std::string protected_mode = "no";
  std::string cluster_enabled = "no";
  std::string daemonize = "no";
  std::string io_backend = "auto";  // auto (io_uring, else epoll), io_uring, epoll
  // Whether each shard also times its loop iterations with the thread's CPU clock (INFO
  // max_loop_iteration_cpu_usec): tells the shard's own work apart from time its CPU spent
  // elsewhere. Off by default: it costs two system calls per iteration.
  std::string loop_cpu_stats = "no";
};

struct ConfigOption {
  std::string_view name;
  bool runtime_settable;
  // Prints the current value as CONFIG GET shows it.
  std::string (*get)(const Config& config);
  // Parses and stores `value`; returns an error detail (e.g. "argument must be a number")
  // or nullopt on success.
  std::optional<std::string> (*set)(Config& config, std::string_view value);
};

// Every option, in the order CONFIG GET * lists them.
absl::Span<const ConfigOption> ConfigOptions();

// The option named `name` (case-insensitive), or nullptr.
const ConfigOption* FindConfigOption(std::string_view name);

}  // namespace ringtail::commands
