// SPDX-License-Identifier: Apache-2.0
// Server commands: COMMAND, CONFIG, INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME. Whole-keyspace
// commands run on every shard and merge (DBSIZE sums, FLUSH* answer OK); INFO collects each
// shard's counters and formats them once, on the connection's shard.
#include <sys/resource.h>
#include <sys/utsname.h>

#include <map>
#include <type_traits>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/clock.h"
#include "base/cycle_clock.h"
#include "base/log.h"
#include "base/memory.h"
#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"
#include "protocol/reply_reader.h"

namespace ringtail::commands {
namespace {

using protocol::kSyntax;

// ---- COMMAND ----

struct FlagName {
  uint32_t flag;
  std::string_view name;
};
constexpr FlagName kFlagNames[] = {
    {kWrite, "write"},       {kRead, "readonly"},     {kDenyOom, "denyoom"},
    {kAdmin, "admin"},       {kNoScript, "noscript"}, {kLoading, "loading"},
    {kStale, "stale"},       {kFast, "fast"},         {kNoAuth, "no_auth"},
    {kAllowBusy, "allow_busy"}, {kBlocking, "blocking"},
};

std::vector<std::string> AclCategories(const CommandSpec& spec) {
  std::vector<std::string> categories;
  if (spec.group == "string") categories.push_back("@string");
  if (spec.group == "generic") categories.push_back("@keyspace");
  if (spec.group == "connection") categories.push_back("@connection");
  if (spec.group == "list") categories.push_back("@list");
  if (spec.group == "hash") categories.push_back("@hash");
  if (spec.group == "set") categories.push_back("@set");
  if (spec.group == "sorted-set") categories.push_back("@sortedset");
  if (spec.group == "bitmap") categories.push_back("@bitmap");
  if (spec.group == "hyperloglog") categories.push_back("@hyperloglog");
  if (spec.flags & kWrite) categories.push_back("@write");
  if (spec.flags & kRead) categories.push_back("@read");
  if (spec.flags & kAdmin) {
    categories.push_back("@admin");
    categories.push_back("@dangerous");
  }
  categories.push_back((spec.flags & kFast) ? "@fast" : "@slow");
  if (spec.flags & kBlocking) categories.push_back("@blocking");
  return categories;
}

void CommandInfo(protocol::ReplyBuilder& reply, const CommandSpec& spec) {
  reply.Array(10);
  reply.Bulk(spec.name);
  reply.Int(spec.arity);
  size_t flag_count = 0;
  for (const FlagName& f : kFlagNames) flag_count += (spec.flags & f.flag) ? 1 : 0;
  bool movable = spec.keys_fn != nullptr;  // keys found by parsing, as Redis's movablekeys
  reply.Set(flag_count + (movable ? 1 : 0));
  for (const FlagName& f : kFlagNames) {
    if (spec.flags & f.flag) reply.Simple(f.name);
  }
  if (movable) reply.Simple("movablekeys");
  reply.Int(spec.first_key);
  reply.Int(spec.last_key);
  reply.Int(spec.step);
  std::vector<std::string> categories = AclCategories(spec);
  reply.Set(categories.size());
  for (const std::string& c : categories) reply.Simple(c);
  reply.Array(0);  // tips
  reply.Array(0);  // key specifications (first/last/step above describe the keys)
  reply.Array(0);  // subcommands
}

void CommandDocs(protocol::ReplyBuilder& reply, const CommandSpec& spec) {
  reply.Bulk(spec.name);
  reply.Map(3);
  reply.Bulk("summary");
  reply.Bulk(spec.summary);
  reply.Bulk("since");
  reply.Bulk(spec.since);
  reply.Bulk("group");
  reply.Bulk(spec.group);
}

void Command(CommandContext& ctx) {
  const CommandTable& table = *ctx.shard().commands;
  protocol::ReplyBuilder& reply = ctx.reply();
  if (ctx.argc() == 1) {
    reply.Array(table.size());
    for (const auto& spec : table.specs()) CommandInfo(reply, *spec);
    return;
  }
  std::string sub = base::Lower(ctx.arg(1));
  auto arity_error = [&] {
    reply.Error("ERR wrong number of arguments for 'command|" + sub + "' command");
  };
  if (sub == "count") {
    if (ctx.argc() != 2) return arity_error();
    return reply.Int(static_cast<int64_t>(table.size()));
  }
  if (sub == "list") {
    // COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
    std::string_view filter, value;
    if (ctx.argc() == 5 && base::EqualsIgnoreCase(ctx.arg(2), "FILTERBY")) {
      filter = ctx.arg(3);
      value = ctx.arg(4);
      if (!base::EqualsIgnoreCase(filter, "MODULE") && !base::EqualsIgnoreCase(filter, "ACLCAT") &&
          !base::EqualsIgnoreCase(filter, "PATTERN")) {
        return reply.Error(kSyntax);
      }
    } else if (ctx.argc() != 2) {
      return reply.Error(kSyntax);
    }
    auto keep = [&](const CommandSpec& spec, std::string_view name) {
      if (filter.empty()) return true;
      if (base::EqualsIgnoreCase(filter, "MODULE")) return false;
      if (base::EqualsIgnoreCase(filter, "PATTERN")) return base::GlobMatch(value, name, true);
      std::string category = "@" + base::Lower(value);
      for (const std::string& c : AclCategories(spec)) {
        if (c == category) return true;
      }
      return false;
    };
    std::vector<std::string_view> names;
    for (const auto& spec : table.specs()) {
      if (keep(*spec, spec->name)) names.push_back(spec->name);
      for (std::string_view name : spec->subcommands) {
        if (keep(*spec, name)) names.push_back(name);
      }
    }
    reply.Array(names.size());
    for (std::string_view name : names) reply.Bulk(name);
    return;
  }
  if (sub == "info") {
    if (ctx.argc() == 2) {
      reply.Array(table.size());
      for (const auto& spec : table.specs()) CommandInfo(reply, *spec);
      return;
    }
    reply.Array(ctx.argc() - 2);
    for (size_t i = 2; i < ctx.argc(); ++i) {
      const CommandSpec* spec = table.Find(ctx.arg(i));
      if (spec == nullptr) {
        reply.Null();
      } else {
        CommandInfo(reply, *spec);
      }
    }
    return;
  }
  if (sub == "docs") {
    std::vector<const CommandSpec*> specs;
    if (ctx.argc() == 2) {
      for (const auto& spec : table.specs()) specs.push_back(spec.get());
    } else {
      for (size_t i = 2; i < ctx.argc(); ++i) {
        if (const CommandSpec* spec = table.Find(ctx.arg(i))) specs.push_back(spec);
      }
    }
    reply.Map(specs.size());
    for (const CommandSpec* spec : specs) CommandDocs(reply, *spec);
    return;
  }
  if (sub == "getkeys") {
    if (ctx.argc() < 4) return arity_error();
    const CommandSpec* spec = table.Find(ctx.arg(2));
    if (spec == nullptr) return reply.Error("ERR Invalid command specified");
    size_t argc = ctx.argc() - 2;
    if (!ArityOk(*spec, argc)) {
      return reply.Error("ERR Invalid number of arguments specified for command");
    }
    std::vector<uint32_t> positions;
    KeyPositions(*spec, ctx.args().subspan(2), &positions);
    if (positions.empty()) return reply.Error("ERR The command has no key arguments");
    reply.Array(positions.size());
    for (uint32_t pos : positions) reply.Bulk(ctx.arg(pos + 2));
    return;
  }
  if (sub == "help") {
    static constexpr std::string_view kHelp[] = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)", "    Return details about all Redis commands.",
        "COUNT", "    Return the total number of commands in this Redis server.",
        "LIST", "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
        "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
        "GETKEYS <full-command>", "    Return the keys from a full Redis command.",
        "HELP", "    Print this help."};
    ctx.ReplyHelp(kHelp);
    return;
  }
  reply.Error("ERR unknown subcommand '" + std::string(ctx.arg(1)) + "'. Try COMMAND HELP.");
}

// ---- CONFIG ----

void ConfigGet(CommandContext& ctx) {
  std::vector<std::pair<std::string_view, std::string>> matches;
  for (const ConfigOption& option : ConfigOptions()) {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      if (base::GlobMatch(ctx.arg(i), option.name, true)) {
        matches.emplace_back(option.name, option.get(ctx.shard().config));
        break;
      }
    }
  }
  ctx.reply().Map(matches.size());
  for (const auto& [name, value] : matches) {
    ctx.reply().Bulk(name);
    ctx.reply().Bulk(value);
  }
}

void ConfigSet(CommandContext& ctx) {
  if (ctx.argc() < 4 || ctx.argc() % 2 != 0) {
    return ctx.reply().Error("ERR wrong number of arguments for 'config|set' command");
  }
  // Validate every pair on a copy first, so a failure changes nothing.
  commands::Config updated = ctx.shard().config;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    const ConfigOption* option = FindConfigOption(ctx.arg(i));
    if (option == nullptr) {
      return ctx.reply().Error("ERR Unknown option or number of arguments for CONFIG SET - '" +
                               std::string(ctx.arg(i)) + "'");
    }
    if (!option->runtime_settable) {
      return ctx.reply().Error("ERR CONFIG SET failed (possibly related to argument '" +
                               std::string(ctx.arg(i)) + "') - can't set immutable config");
    }
    if (std::optional<std::string> error = option->set(updated, ctx.arg(i + 1))) {
      return ctx.reply().Error("ERR CONFIG SET failed (possibly related to argument '" +
                               std::string(ctx.arg(i)) + "') - " + *error);
    }
  }
  ctx.shard().config = std::move(updated);
  ctx.shard().ApplyConfig();
  ctx.reply().Ok();
}

void ConfigCommand(CommandContext& ctx) {
  std::string sub = base::Lower(ctx.arg(1));
  if (sub == "get") {
    if (ctx.argc() < 3) {
      return ctx.reply().Error("ERR wrong number of arguments for 'config|get' command");
    }
    return ConfigGet(ctx);
  }
  if (sub == "set") return ConfigSet(ctx);
  if (sub == "resetstat") {
    ShardStats& stats = ctx.shard().stats;
    size_t commands = stats.commands.size();
    uint64_t blocked_clients = stats.blocked_clients;  // a gauge, not a counter
    stats = ShardStats{};
    stats.commands.resize(commands);
    stats.blocked_clients = blocked_clients;
    return ctx.reply().Ok();
  }
  if (sub == "rewrite") return ctx.reply().Error("ERR The server is running without a config file");
  if (sub == "help") {
    static constexpr std::string_view kHelp[] = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
        "RESETSTAT", "    Reset statistics reported by the INFO command.",
        "HELP", "    Print this help."};
    ctx.ReplyHelp(kHelp);
    return;
  }
  ctx.reply().Error("ERR unknown subcommand '" + std::string(ctx.arg(1)) + "'. Try CONFIG HELP.");
}

Route ConfigRoute(absl::Span<const std::string_view> args) {
  return base::EqualsIgnoreCase(args[1], "set") || base::EqualsIgnoreCase(args[1], "resetstat")
             ? Route::kAllShards
             : Route::kLocal;
}

// ---- INFO ----

// The counters each shard reports, in this order, followed by per-database keys/expires/avg_ttl
// and then (command id, calls, usec, rejected, failed) for every command that ran.
enum InfoField : size_t {
  kConnectionsReceived,
  kCommandsProcessed,
  kRejectedConnections,
  kKeyspaceHits,
  kKeyspaceMisses,
  kNetInput,
  kNetOutput,
  kExpiredKeys,
  kErrorReplies,
  kEvictedKeys,
  kDatasetBytes,
  kLongestIteration,  // merged as the maximum, not the sum
  kLongestIterationCpu,  // likewise
  kBlockedClients,
  kLazyfreePending,
  kFieldCount,
};
constexpr size_t kDbFields = 3;  // keys, expires, avg_ttl

void InfoShard(CommandContext& ctx) {
  const ShardState& shard = ctx.shard();
  const ShardStats& s = shard.stats;
  std::vector<int64_t> values = {
      static_cast<int64_t>(s.total_connections_received),
      static_cast<int64_t>(s.total_commands_processed),
      static_cast<int64_t>(s.rejected_connections),
      static_cast<int64_t>(s.keyspace_hits),
      static_cast<int64_t>(s.keyspace_misses),
      static_cast<int64_t>(s.total_net_input_bytes),
      static_cast<int64_t>(s.total_net_output_bytes),
      static_cast<int64_t>(shard.ExpiredKeys()),
      static_cast<int64_t>(s.total_error_replies),
      static_cast<int64_t>(s.evicted_keys),
      static_cast<int64_t>(shard.DatasetBytes()),
      static_cast<int64_t>(s.longest_iteration_us),
      static_cast<int64_t>(s.longest_iteration_cpu_us),
      static_cast<int64_t>(s.blocked_clients),
      static_cast<int64_t>(shard.LazyfreePendingObjects()),
  };
  for (const storage::Table& table : shard.dbs) {
    values.push_back(static_cast<int64_t>(table.size()));
    values.push_back(static_cast<int64_t>(table.expires_count()));
    values.push_back(table.AverageTtlMs(shard.clock.now_ms()));
  }
  for (size_t id = 0; id < s.commands.size(); ++id) {
    const CommandStats& c = s.commands[id];
    if (c.calls == 0 && c.rejected_calls == 0 && c.failed_calls == 0) continue;
    values.insert(values.end(), {static_cast<int64_t>(id), static_cast<int64_t>(c.calls),
                                 static_cast<int64_t>(base::CycleClock::ToMicros(c.cycles)),
                                 static_cast<int64_t>(c.rejected_calls),
                                 static_cast<int64_t>(c.failed_calls)});
  }
  ctx.reply().Array(values.size());
  for (int64_t v : values) ctx.reply().Int(v);
}

std::string HumanBytes(uint64_t n) {
  double d = static_cast<double>(n);
  if (n < 1024) return absl::StrFormat("%dB", n);
  if (n < 1024ULL * 1024) return absl::StrFormat("%.2fK", d / 1024);
  if (n < 1024ULL * 1024 * 1024) return absl::StrFormat("%.2fM", d / (1024 * 1024));
  if (n < 1024ULL * 1024 * 1024 * 1024) return absl::StrFormat("%.2fG", d / (1024.0 * 1024 * 1024));
  return absl::StrFormat("%.2fT", d / (1024.0 * 1024 * 1024 * 1024));
}

bool WantSection(const std::vector<std::string>& wanted, std::string_view name, bool in_default) {
  if (wanted.empty()) return in_default;
  for (const std::string& w : wanted) {
    if (w == name || w == "everything" || w == "all") return true;
    if (w == "default" && in_default) return true;
  }
  return false;
}

void MergeInfo(MergeContext& ctx) {
  const ShardState& shard = ctx.shard;
  const ServerInfo& server = *shard.server;
  const commands::Config& config = shard.config;
  std::vector<int64_t> totals(kFieldCount, 0);
  struct DbTotals {
    int64_t keys = 0;
    int64_t expires = 0;
    double ttl_sum_ms = 0;  // avg_ttl of each shard times its expires
  };
  std::vector<DbTotals> dbs(kDatabaseCount);
  std::map<int64_t, CommandStats> commands;
  for (std::string_view sub : ctx.sub_replies) {
    if (protocol::IsErrorReply(sub)) return ctx.reply.Raw(sub);
    protocol::ElementReader reader(sub);
    std::vector<int64_t> v;
    while (auto element = reader.Next()) v.push_back(protocol::ReplyInt(*element).value_or(0));
    for (size_t i = 0; i < kFieldCount; ++i) {
      bool maximum = i == kLongestIteration || i == kLongestIterationCpu;
      totals[i] = maximum ? std::max(totals[i], v[i]) : totals[i] + v[i];
    }
    for (size_t db = 0; db < kDatabaseCount; ++db) {
      const int64_t* fields = &v[kFieldCount + kDbFields * db];
      dbs[db].keys += fields[0];
      dbs[db].expires += fields[1];
      dbs[db].ttl_sum_ms += static_cast<double>(fields[1]) * static_cast<double>(fields[2]);
    }
    for (size_t i = kFieldCount + kDbFields * kDatabaseCount; i + 4 < v.size(); i += 5) {
      CommandStats& c = commands[v[i]];
      c.calls += static_cast<uint64_t>(v[i + 1]);
      c.cycles += static_cast<uint64_t>(v[i + 2]);  // microseconds, once merged
      c.rejected_calls += static_cast<uint64_t>(v[i + 3]);
      c.failed_calls += static_cast<uint64_t>(v[i + 4]);
    }
  }

  std::vector<std::string> wanted;
  for (size_t i = 1; i < ctx.args.size(); ++i) wanted.push_back(base::Lower(ctx.args[i]));
  std::string text;
  auto section = [&](std::string_view name, std::string_view title, bool in_default) {
    if (!WantSection(wanted, name, in_default)) return false;
    if (!text.empty()) text += "\r\n";
    absl::StrAppendFormat(&text, "# %s\r\n", title);
    return true;
  };
  auto line = [&](std::string_view key, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_arithmetic_v<T>) {
      absl::StrAppendFormat(&text, "%s:%d\r\n", key, value);
    } else {
      absl::StrAppendFormat(&text, "%s:%s\r\n", key, value);
    }
  };

  int64_t now_us = base::Clock::RealtimeUs();
  int64_t uptime_s = (now_us / 1000 - server.start_time_ms) / 1000;
  if (section("server", "Server", true)) {
    utsname uts{};
    uname(&uts);
    line("redis_version", server.version);
    line("ringtail_version", server.ringtail_version);
    line("redis_git_sha1", "00000000");
    line("redis_git_dirty", 0);
    line("redis_build_id", "0");
    line("redis_mode", "standalone");
    line("os", absl::StrFormat("%s %s %s", uts.sysname, uts.release, uts.machine));
    line("arch_bits", 64);
    line("monotonic_clock", "POSIX clock_gettime");
    line("multiplexing_api", server.io_backend);
    line("gcc_version", absl::StrFormat("%d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__));
    line("process_id", server.pid);
    line("process_supervised", "no");
    line("run_id", server.run_id);
    line("tcp_port", server.tcp_port);
    line("server_time_usec", now_us);
    line("uptime_in_seconds", uptime_s);
    line("uptime_in_days", uptime_s / 86400);
    line("hz", config.hz);
    line("configured_hz", config.hz);
    line("executable", server.executable);
    line("config_file", server.config_file);
    line("io_threads_active", 0);
    line("shards", server.shard_count);
  }
  if (section("clients", "Clients", true)) {
    line("connected_clients", server.connected_clients.load(std::memory_order_relaxed));
    line("cluster_connections", 0);
    line("maxclients", config.maxclients);
    line("client_recent_max_input_buffer", 0);
    line("client_recent_max_output_buffer", 0);
    line("blocked_clients", totals[kBlockedClients]);
    line("tracking_clients", 0);
    line("clients_in_timeout_table", 0);
  }
  if (section("memory", "Memory", true)) {
    // used_memory: the process's baseline at startup plus every shard's dataset (the figure
    // maxmemory limits), rather than the allocator's total, which also holds connection
    // buffers and the allocator's own reserves.
    uint64_t startup = server.startup_allocated_bytes;
    uint64_t dataset = static_cast<uint64_t>(totals[kDatasetBytes]);
    uint64_t used = startup + dataset;
    uint64_t rss = base::ResidentBytes();
    uint64_t peak = shard.server->NotePeakUsedMemory(used);
    auto percent = [](uint64_t part, uint64_t whole) {
      return absl::StrFormat("%.2f%%", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) /
                                                             static_cast<double>(whole));
    };
    line("used_memory", used);
    line("used_memory_human", HumanBytes(used));
    line("used_memory_rss", rss);
    line("used_memory_rss_human", HumanBytes(rss));
    line("used_memory_peak", peak);
    line("used_memory_peak_human", HumanBytes(peak));
    line("used_memory_peak_perc", percent(used, peak));
    line("used_memory_overhead", startup);
    line("used_memory_startup", startup);
    line("used_memory_dataset", dataset);
    line("used_memory_dataset_perc", percent(dataset, used - startup));
    line("maxmemory", config.maxmemory);
    line("maxmemory_human", HumanBytes(static_cast<uint64_t>(config.maxmemory)));
    line("maxmemory_policy", config.maxmemory_policy);
    line("mem_fragmentation_ratio",
         absl::StrFormat("%.2f", used == 0 ? 0.0 : static_cast<double>(rss) / used));
    line("mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
    line("mem_allocator", std::string(base::AllocatorName()));
    line("lazyfree_pending_objects", totals[kLazyfreePending]);
  }
  if (section("persistence", "Persistence", true)) {
    line("loading", 0);
    line("async_loading", 0);
    line("rdb_changes_since_last_save", 0);
    line("rdb_bgsave_in_progress", 0);
    line("rdb_last_save_time", server.start_time_ms / 1000);
    line("rdb_last_bgsave_status", "ok");
    line("aof_enabled", 0);
    line("aof_rewrite_in_progress", 0);
  }
  if (section("stats", "Stats", true)) {
    line("total_connections_received", totals[kConnectionsReceived]);
    line("total_commands_processed", totals[kCommandsProcessed]);
    line("instantaneous_ops_per_sec", 0);
    line("total_net_input_bytes", totals[kNetInput]);
    line("total_net_output_bytes", totals[kNetOutput]);
    line("rejected_connections", totals[kRejectedConnections]);
    line("expired_keys", totals[kExpiredKeys]);
    line("evicted_keys", totals[kEvictedKeys]);
    line("keyspace_hits", totals[kKeyspaceHits]);
    line("keyspace_misses", totals[kKeyspaceMisses]);
    line("pubsub_channels", 0);
    line("pubsub_patterns", 0);
    line("total_error_replies", totals[kErrorReplies]);
    line("max_loop_iteration_usec", totals[kLongestIteration]);
    line("max_loop_iteration_cpu_usec", totals[kLongestIterationCpu]);  // 0: loop-cpu-stats off
  }
  if (section("replication", "Replication", true)) {
    line("role", "master");
    line("connected_slaves", 0);
    line("master_replid", server.run_id);
    line("master_repl_offset", 0);
  }
  if (section("cpu", "CPU", true)) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    line("used_cpu_sys", absl::StrFormat("%.6f", usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6));
    line("used_cpu_user", absl::StrFormat("%.6f", usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6));
  }
  section("modules", "Modules", true);
  if (section("commandstats", "Commandstats", false)) {
    for (const auto& [id, c] : commands) {
      if (id < 0 || static_cast<size_t>(id) >= shard.commands->size()) continue;
      absl::StrAppendFormat(
          &text, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n",
          shard.commands->at(static_cast<size_t>(id)).name, c.calls, c.cycles,
          c.calls == 0 ? 0.0 : static_cast<double>(c.cycles) / static_cast<double>(c.calls),
          c.rejected_calls, c.failed_calls);
    }
  }
  if (section("cluster", "Cluster", true)) line("cluster_enabled", 0);
  if (section("keyspace", "Keyspace", true)) {
    for (size_t db = 0; db < kDatabaseCount; ++db) {
      const DbTotals& d = dbs[db];
      if (d.keys == 0) continue;
      auto avg_ttl_ms =
          static_cast<int64_t>(d.expires == 0 ? 0 : d.ttl_sum_ms / static_cast<double>(d.expires));
      absl::StrAppendFormat(&text, "db%d:keys=%d,expires=%d,avg_ttl=%d\r\n", db, d.keys,
                            d.expires, avg_ttl_ms);
    }
  }
  ctx.reply.Verbatim(text);
}

// ---- keyspace-wide ----

void DbSize(CommandContext& ctx) { ctx.reply().Int(static_cast<int64_t>(ctx.table().size())); }

bool FlushModeOk(CommandContext& ctx) {
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 && (base::EqualsIgnoreCase(ctx.arg(1), "ASYNC") ||
                          base::EqualsIgnoreCase(ctx.arg(1), "SYNC"))) {
    return true;
  }
  ctx.reply().Error(kSyntax);
  return false;
}

void FlushDb(CommandContext& ctx) {
  if (!FlushModeOk(ctx)) return;
  ctx.table().ClearLazily();  // entries are freed a slice per loop iteration
  ctx.reply().Ok();
}

void FlushAll(CommandContext& ctx) {
  if (!FlushModeOk(ctx)) return;
  for (storage::Table& table : ctx.shard().dbs) table.ClearLazily();
  ctx.reply().Ok();
}

void Time(CommandContext& ctx) {
  int64_t now_us = base::Clock::RealtimeUs();
  ctx.reply().Array(2);
  ctx.reply().Bulk(std::to_string(now_us / 1000000));
  ctx.reply().Bulk(std::to_string(now_us % 1000000));
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]. Nothing is persisted, so a shutdown never
// has anything to save and never waits: NOW and FORCE change nothing, and ABORT finds no shutdown
// in progress. SAVE asks for a snapshot this server cannot write: refused, the server keeps
// running. On success the client gets no reply, only the closed connection, as from Redis.
void Shutdown(CommandContext& ctx) {
  bool save = false;
  bool nosave = false;
  bool abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view option = ctx.arg(i);
    if (base::EqualsIgnoreCase(option, "nosave")) {
      nosave = true;
    } else if (base::EqualsIgnoreCase(option, "save")) {
      save = true;
    } else if (base::EqualsIgnoreCase(option, "abort")) {
      abort = true;
    } else if (!base::EqualsIgnoreCase(option, "now") && !base::EqualsIgnoreCase(option, "force")) {
      return ctx.reply().Error(kSyntax);
    }
  }
  if ((save && nosave) || (abort && ctx.argc() > 2)) return ctx.reply().Error(kSyntax);
  if (abort) return ctx.reply().Error("ERR No shutdown in progress.");
  if (save) {
    base::Log(base::LogLevel::kWarning,
              "SHUTDOWN SAVE refused: this server keeps no snapshot to save");
    return ctx.reply().Error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  base::Log(base::LogLevel::kWarning, "User requested shutdown...");
  if (ctx.client() != nullptr) ctx.client()->close_after_reply = true;
  ServerInfo& server = *ctx.shard().server;
  server.shutdown_requested.store(true, std::memory_order_relaxed);
  if (server.request_stop) server.request_stop();
}

}  // namespace

void RegisterServerCommands(CommandTable& table) {
  table.Add({.name = "command", .arity = -1, .flags = kLoading | kStale, .handler = Command,
             .group = "server", .summary = "Returns detailed information about all commands.",
             .since = "2.8.13",
             .subcommands = {"command|count", "command|list", "command|info", "command|docs",
                             "command|getkeys", "command|help"}});
  table.Add({.name = "config", .arity = -2, .flags = kAdmin | kNoScript | kLoading | kStale,
             .handler = ConfigCommand, .merge = Merge::kAllOk, .route_fn = ConfigRoute,
             .group = "server", .summary = "A container for server configuration commands.",
             .since = "2.0.0",
             .subcommands = {"config|get", "config|set", "config|resetstat", "config|rewrite",
                             "config|help"}});
  table.Add({.name = "info", .arity = -1, .flags = kLoading | kStale, .handler = InfoShard,
             .route = Route::kAllShards, .merge = Merge::kCustom, .merge_fn = MergeInfo,
             .group = "server", .summary = "Returns information and statistics about the server."});
  table.Add({.name = "dbsize", .arity = 1, .flags = kRead | kFast, .handler = DbSize,
             .route = Route::kAllShards, .merge = Merge::kSumInts, .group = "server",
             .summary = "Returns the number of keys in the database."});
  table.Add({.name = "flushdb", .arity = -1, .flags = kWrite, .handler = FlushDb,
             .route = Route::kAllShards, .merge = Merge::kAllOk, .group = "server",
             .summary = "Removes all keys from the current database."});
  table.Add({.name = "flushall", .arity = -1, .flags = kWrite, .handler = FlushAll,
             .route = Route::kAllShards, .merge = Merge::kAllOk, .group = "server",
             .summary = "Removes all keys from all databases."});
  table.Add({.name = "shutdown", .arity = -1,
             .flags = kAdmin | kNoScript | kLoading | kStale | kAllowBusy, .handler = Shutdown,
             .group = "server",
             .summary = "Synchronously saves the database(s) to disk and shuts down the Redis "
                        "server.",
             .since = "1.0.0"});
  table.Add({.name = "time", .arity = 1, .flags = kLoading | kStale | kFast, .handler = Time,
             .group = "server", .summary = "Returns the server time.", .since = "2.6.0"});
}

}  // namespace ringtail::commands
