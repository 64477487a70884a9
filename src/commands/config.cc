// SPDX-License-Identifier: Apache-2.0
#include "commands/config.h"

#include <array>
#include <charconv>

#include "base/strings.h"
#include "storage/eviction.h"

namespace ringtail::commands {
namespace {

// Parses an integer with an optional memory unit (kb, mb, gb, k, m, g), as redis.conf allows.
std::optional<int64_t> ParseMemory(std::string_view text) {
  std::string lower = base::Lower(text);
  int64_t multiplier = 1;
  struct Unit {
    std::string_view suffix;
    int64_t factor;
  };
  static constexpr Unit kUnits[] = {{"kb", 1024},       {"mb", 1024 * 1024},
                                    {"gb", 1LL << 30},  {"k", 1000},
                                    {"m", 1000 * 1000}, {"g", 1000LL * 1000 * 1000}};
  std::string_view digits = lower;
  for (const Unit& unit : kUnits) {
    if (digits.ends_with(unit.suffix)) {
      digits.remove_suffix(unit.suffix.size());
      multiplier = unit.factor;
      break;
    }
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
    return std::nullopt;
  }
  return value * multiplier;
}

template <int64_t Config::*Field, int64_t kMin, int64_t kMax, bool kMemory = false>
ConfigOption IntOption(std::string_view name, bool runtime) {
  return ConfigOption{
      name, runtime, [](const Config& c) { return std::to_string(c.*Field); },
      [](Config& c, std::string_view v) -> std::optional<std::string> {
        std::optional<int64_t> parsed = ParseMemory(v);
        if (!parsed) {
          return kMemory ? "argument must be a memory value"
                         : "argument couldn't be parsed into an integer";
        }
        if (*parsed < kMin || *parsed > kMax) {
          return "argument must be between " + std::to_string(kMin) + " and " +
                 std::to_string(kMax) + " inclusive";
        }
        c.*Field = *parsed;
        return std::nullopt;
      }};
}

template <std::string Config::*Field>
ConfigOption StringOption(std::string_view name, bool runtime) {
  return ConfigOption{name, runtime, [](const Config& c) { return c.*Field; },
                      [](Config& c, std::string_view v) -> std::optional<std::string> {
                        c.*Field = std::string(v);
                        return std::nullopt;
                      }};
}

template <std::string Config::*Field>
ConfigOption BoolOption(std::string_view name, bool runtime) {
  return ConfigOption{name, runtime, [](const Config& c) { return c.*Field; },
                      [](Config& c, std::string_view v) -> std::optional<std::string> {
                        std::string lower = base::Lower(v);
                        if (lower != "yes" && lower != "no") return "argument must be 'yes' or 'no'";
                        c.*Field = lower;
                        return std::nullopt;
                      }};
}

ConfigOption PolicyOption() {
  return ConfigOption{
      "maxmemory-policy", true, [](const Config& c) { return c.maxmemory_policy; },
      [](Config& c, std::string_view v) -> std::optional<std::string> {
        if (storage::ParseEvictionPolicy(v)) {
          c.maxmemory_policy = base::Lower(v);
          return std::nullopt;
        }
        return "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
               "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
               "noeviction";
      }};
}

ConfigOption BackendOption() {
  return ConfigOption{"io-backend", false, [](const Config& c) { return c.io_backend; },
                      [](Config& c, std::string_view v) -> std::optional<std::string> {
                        std::string lower = base::Lower(v);
                        if (lower != "auto" && lower != "io_uring" && lower != "epoll") {
                          return "argument must be one of auto, io_uring, epoll";
                        }
                        c.io_backend = lower;
                        return std::nullopt;
                      }};
}

const std::array<ConfigOption, 37>& Options() {
  static const std::array<ConfigOption, 37> options = {
      StringOption<&Config::bind>("bind", false),
      IntOption<&Config::port, 0, 65535>("port", false),
      IntOption<&Config::shards, 0, 1024>("shards", false),
      IntOption<&Config::maxclients, 1, 1000000>("maxclients", true),
      IntOption<&Config::databases, 16, 16>("databases", false),
      IntOption<&Config::maxmemory, 0, INT64_MAX, true>("maxmemory", true),
      PolicyOption(),
      IntOption<&Config::maxmemory_samples, 1, INT32_MAX>("maxmemory-samples", true),
      IntOption<&Config::maxmemory_eviction_tenacity, 0, 100>("maxmemory-eviction-tenacity",
                                                               true),
      IntOption<&Config::lfu_log_factor, 0, INT32_MAX>("lfu-log-factor", true),
      IntOption<&Config::lfu_decay_time, 0, INT32_MAX>("lfu-decay-time", true),
      IntOption<&Config::hz, 1, 500>("hz", true),
      IntOption<&Config::list_max_listpack_size, INT32_MIN, INT32_MAX>("list-max-listpack-size",
                                                                       true),
      IntOption<&Config::list_compress_depth, 0, INT32_MAX>("list-compress-depth", true),
      IntOption<&Config::hash_max_listpack_entries, 0, INT64_MAX, true>(
          "hash-max-listpack-entries", true),
      IntOption<&Config::hash_max_listpack_value, 0, INT64_MAX, true>("hash-max-listpack-value",
                                                                      true),
      IntOption<&Config::set_max_intset_entries, 0, INT64_MAX, true>("set-max-intset-entries",
                                                                     true),
      IntOption<&Config::set_max_listpack_entries, 0, INT64_MAX, true>("set-max-listpack-entries",
                                                                       true),
      IntOption<&Config::set_max_listpack_value, 0, INT64_MAX, true>("set-max-listpack-value",
                                                                     true),
      IntOption<&Config::zset_max_listpack_entries, 0, INT64_MAX, true>(
          "zset-max-listpack-entries", true),
      IntOption<&Config::zset_max_listpack_value, 0, INT64_MAX, true>("zset-max-listpack-value",
                                                                      true),
      IntOption<&Config::hll_sparse_max_bytes, 0, INT64_MAX, true>("hll-sparse-max-bytes", true),
      IntOption<&Config::proto_max_bulk_len, 1024 * 1024, INT64_MAX, true>("proto-max-bulk-len", true),
      IntOption<&Config::client_query_buffer_limit, 1024 * 1024, INT64_MAX, true>(
          "client-query-buffer-limit", true),
      IntOption<&Config::timeout, 0, INT32_MAX>("timeout", true),
      IntOption<&Config::tcp_keepalive, 0, INT32_MAX>("tcp-keepalive", true),
      IntOption<&Config::tcp_backlog, 0, INT32_MAX>("tcp-backlog", false),
      StringOption<&Config::save>("save", true),
      BoolOption<&Config::appendonly>("appendonly", true),
      StringOption<&Config::dir>("dir", true),
      StringOption<&Config::loglevel>("loglevel", true),
      StringOption<&Config::requirepass>("requirepass", true),
      BoolOption<&Config::protected_mode>("protected-mode", true),
      BoolOption<&Config::cluster_enabled>("cluster-enabled", false),
      BoolOption<&Config::daemonize>("daemonize", false),
      BoolOption<&Config::loop_cpu_stats>("loop-cpu-stats", true),
      BackendOption(),
  };
  return options;
}

}  // namespace

absl::Span<const ConfigOption> ConfigOptions() { return Options(); }

const ConfigOption* FindConfigOption(std::string_view name) {
  for (const ConfigOption& option : Options()) {
    if (base::EqualsIgnoreCase(option.name, name)) return &option;
  }
  return nullptr;
}

}  // namespace ringtail::commands
