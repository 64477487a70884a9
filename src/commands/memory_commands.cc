// SPDX-License-Identifier: Apache-2.0
// MEMORY: USAGE (one key's bytes, on the key's shard), STATS and DOCTOR (every shard reports its
// dataset figures and the connection's shard merges them), MALLOC-STATS, PURGE and HELP (local).
//
// The figures follow INFO memory: used memory (total.allocated) is the process's baseline at
// startup (ServerInfo::startup_allocated_bytes) plus the datasets of all shards, a dataset being
// the bytes its tables count for entries, values and bucket arrays (Table::memory_bytes()).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/memory.h"
#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"

namespace ringtail::commands {
namespace {

using protocol::kSyntax;
using storage::Entry;
using storage::Table;

// MEMORY DOCTOR does not judge less data than this. Redis compares its whole used memory, whose
// baseline is about 1 MB; ours includes the allocator's first committed arena (tens of MB), so
// the dataset is compared instead.
constexpr uint64_t kDoctorMinBytes = 5 * 1024 * 1024;

void MemoryHelp(CommandContext& ctx) {
  static constexpr std::string_view kHelp[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ctx.ReplyHelp(kHelp);
}

// MEMORY USAGE key [SAMPLES count]: the entry's allocation (key, value, deadline) plus its share
// of the bucket array. SAMPLES is validated as Redis does; string values need no sampling.
void MemoryUsage(CommandContext& ctx) {
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    if (!base::EqualsIgnoreCase(ctx.arg(i), "SAMPLES") || i + 1 >= ctx.argc()) {
      return ctx.reply().Error(kSyntax);
    }
    std::optional<int64_t> samples = ctx.IntArg(i + 1);
    if (!samples) return;
    if (*samples < 0) return ctx.reply().Error(kSyntax);
  }
  Table& table = ctx.table();
  const Entry* entry = table.Peek(ctx.arg(2), ctx.now_ms());
  if (entry == nullptr) return ctx.reply().Null();
  size_t bucket_share = table.bucket_count() * sizeof(Entry*) / table.size();
  ctx.reply().Int(static_cast<int64_t>(entry->AllocatedBytes() + bucket_share));
}

// What each shard reports for STATS and DOCTOR: its dataset bytes, then for every database its
// keys, bucket slots and keys with a deadline.
constexpr size_t kShardHeaderFields = 1;
constexpr size_t kDbFields = 3;

void MemoryShardFigures(CommandContext& ctx) {
  const ShardState& shard = ctx.shard();
  ctx.reply().Array(kShardHeaderFields + kDbFields * kDatabaseCount);
  ctx.reply().Int(static_cast<int64_t>(shard.DatasetBytes()));
  for (const Table& table : shard.dbs) {
    ctx.reply().Int(static_cast<int64_t>(table.size()));
    ctx.reply().Int(static_cast<int64_t>(table.bucket_count()));
    ctx.reply().Int(static_cast<int64_t>(table.expires_count()));
  }
}

void Memory(CommandContext& ctx) {
  std::string sub = base::Lower(ctx.arg(1));
  bool known = sub == "usage" || sub == "stats" || sub == "doctor" || sub == "malloc-stats" ||
               sub == "purge" || sub == "help";
  if (!known) {
    return ctx.reply().Error("ERR unknown subcommand '" + std::string(ctx.arg(1)) +
                             "'. Try MEMORY HELP.");
  }
  bool arity_ok = sub == "usage" ? ctx.argc() >= 3 : ctx.argc() == 2;
  if (!arity_ok) {
    return ctx.reply().Error(std::string(protocol::kWrongArgCountPrefix) + "memory|" + sub +
                             "' command");
  }
  if (sub == "usage") return MemoryUsage(ctx);
  if (sub == "stats" || sub == "doctor") return MemoryShardFigures(ctx);
  if (sub == "malloc-stats") {
    return ctx.reply().Bulk("Stats not supported for the current allocator");
  }
  if (sub == "purge") return ctx.reply().Ok();
  MemoryHelp(ctx);
}

// The merged figures of every shard.
struct MemoryFigures {
  uint64_t startup = 0;
  uint64_t dataset = 0;
  uint64_t total = 0;  // startup + dataset: INFO's used_memory
  uint64_t peak = 0;
  uint64_t keys = 0;
  struct Db {
    uint64_t keys = 0;
    uint64_t buckets = 0;
    uint64_t expires = 0;
  };
  std::vector<Db> dbs = std::vector<Db>(kDatabaseCount);
};

MemoryFigures SumFigures(MergeContext& ctx) {
  MemoryFigures f;
  for (std::string_view sub : ctx.sub_replies) {
    protocol::ElementReader reader(sub);
    std::vector<uint64_t> v;
    while (auto element = reader.Next()) {
      v.push_back(static_cast<uint64_t>(protocol::ReplyInt(*element).value_or(0)));
    }
    if (v.size() < kShardHeaderFields + kDbFields * kDatabaseCount) continue;
    f.dataset += v[0];
    for (size_t db = 0; db < kDatabaseCount; ++db) {
      const uint64_t* fields = &v[kShardHeaderFields + kDbFields * db];
      f.dbs[db].keys += fields[0];
      f.dbs[db].buckets += fields[1];
      f.dbs[db].expires += fields[2];
      f.keys += fields[0];
    }
  }
  f.startup = ctx.shard.server->startup_allocated_bytes;
  f.total = f.startup + f.dataset;
  f.peak = ctx.shard.server->NotePeakUsedMemory(f.total);
  return f;
}

// Redis reports these ratios as floats.
double Ratio(double part, double whole) {
  return whole == 0 ? 0.0 : static_cast<double>(static_cast<float>(part / whole));
}

// MEMORY STATS, with Redis's field names. Per database, overhead.hashtable.main is the bucket
// array and the entry headers, overhead.hashtable.expires the deadline slots and index records;
// both are part of dataset.bytes here (which is INFO's used_memory_dataset), not of
// overhead.total, which is the startup baseline.
void MergeMemoryStats(MergeContext& ctx, const MemoryFigures& f) {
  uint64_t rss = base::ResidentBytes();
  uint64_t allocator = base::AllocatedBytes();
  uint64_t net = f.total > f.startup ? f.total - f.startup : 0;
  size_t db_count = 0;
  for (const MemoryFigures::Db& db : f.dbs) db_count += db.keys > 0 ? 1 : 0;
  protocol::ReplyBuilder& r = ctx.reply;
  auto field_int = [&](std::string_view name, uint64_t value) {
    r.Bulk(name);
    r.Int(static_cast<int64_t>(value));
  };
  auto field_signed = [&](std::string_view name, int64_t value) {
    r.Bulk(name);
    r.Int(value);
  };
  auto field_ratio = [&](std::string_view name, double value) {
    r.Bulk(name);
    r.Double(value);
  };
  r.Map(27 + db_count);
  field_int("peak.allocated", f.peak);
  field_int("total.allocated", f.total);
  field_int("startup.allocated", f.startup);
  field_int("replication.backlog", 0);
  field_int("clients.slaves", 0);
  field_int("clients.normal", 0);
  field_int("cluster.links", 0);
  field_int("aof.buffer", 0);
  field_int("lua.caches", 0);
  field_int("functions.caches", 0);
  for (size_t i = 0; i < f.dbs.size(); ++i) {
    const MemoryFigures::Db& db = f.dbs[i];
    if (db.keys == 0) continue;
    r.Bulk("db." + std::to_string(i));
    r.Map(3);
    field_int("overhead.hashtable.main", db.buckets * sizeof(Entry*) + db.keys * sizeof(Entry));
    field_int("overhead.hashtable.expires",
              db.expires * (sizeof(int64_t) + sizeof(std::pair<int64_t, Entry*>)));
    field_int("overhead.hashtable.slot-to-keys", 0);
  }
  field_int("overhead.total", f.startup);
  field_int("keys.count", f.keys);
  field_int("keys.bytes-per-key", f.keys == 0 ? 0 : net / f.keys);
  field_int("dataset.bytes", f.dataset);
  field_ratio("dataset.percentage", Ratio(100.0 * static_cast<double>(f.dataset), net));
  field_ratio("peak.percentage", Ratio(100.0 * static_cast<double>(f.total), f.peak));
  field_int("allocator.allocated", allocator);
  field_int("allocator.active", allocator);
  field_int("allocator.resident", rss);
  field_ratio("allocator-fragmentation.ratio", 1.0);
  field_int("allocator-fragmentation.bytes", 0);
  field_ratio("allocator-rss.ratio", Ratio(rss, allocator));
  field_signed("allocator-rss.bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(allocator));
  field_ratio("rss-overhead.ratio", 1.0);
  field_int("rss-overhead.bytes", 0);
  field_ratio("fragmentation", Ratio(rss, f.total));
  field_signed("fragmentation.bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(f.total));
}

// MEMORY DOCTOR: Redis's report for the checks that apply here (too little data to judge, a
// past peak, RSS far above the used memory), else its all-clear.
void MergeMemoryDoctor(MergeContext& ctx, const MemoryFigures& f) {
  if (f.dataset < kDoctorMinBytes) {
    return ctx.reply.Verbatim(
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
        "be used in these conditions. Please, leave for your mission on Earth and fill it with "
        "some data. The new Sam and I will be back to our programming as soon as I finished "
        "rebooting.\n");
  }
  uint64_t rss = base::ResidentBytes();
  bool big_peak = static_cast<double>(f.peak) / static_cast<double>(f.total) > 1.5;
  bool high_rss =
      static_cast<double>(rss) / static_cast<double>(f.total) > 1.4 && rss > f.total + (10 << 20);
  if (!big_peak && !high_rss) {
    return ctx.reply.Verbatim(
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what "
        "occurs on this base.\n");
  }
  std::string report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n";
  if (big_peak) {
    report +=
        " * Peak memory: In the past this instance used more than 150% the memory that is "
        "currently using. The allocator is normally not able to release memory after a peak, so "
        "you can expect to see a big fragmentation ratio, however this is actually harmless and "
        "is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is "
        "currently bigger than expected, the memory will be used as soon as you fill the Redis "
        "instance with more data. If the memory peak was only occasional and you want to try to "
        "reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is "
        "to shutdown and restart the instance.\n\n";
  }
  if (high_rss) {
    report +=
        " * High total RSS: This instance has a memory fragmentation and RSS overhead greater "
        "than 1.4 (this means that the Resident Set Size of the Redis process is much larger than "
        "the sum of the logical allocations Redis performed). This problem is usually due either "
        "to a large peak memory (check if there is a peak memory entry above in the report) or "
        "may result from a workload that causes the allocator to fragment memory a lot. If the "
        "problem is a large peak memory, then there is no issue. Otherwise, make sure you are "
        "using the Jemalloc allocator and not the default libc malloc. Note: The currently used "
        "allocator is \"";
    report.append(base::AllocatorName());
    report += "\".\n\n";
  }
  report += "I'm here to keep you safe, Sam. I want to help you.\n";
  ctx.reply.Verbatim(report);
}

void MergeMemory(MergeContext& ctx) {
  for (std::string_view sub : ctx.sub_replies) {
    if (protocol::IsErrorReply(sub)) return ctx.reply.Raw(sub);
  }
  MemoryFigures figures = SumFigures(ctx);
  if (base::EqualsIgnoreCase(ctx.args[1], "doctor")) return MergeMemoryDoctor(ctx, figures);
  MergeMemoryStats(ctx, figures);
}

// USAGE runs on the key's shard, STATS and DOCTOR on every shard, the rest locally.
Route MemoryRoute(absl::Span<const std::string_view> args) {
  if (base::EqualsIgnoreCase(args[1], "usage")) {
    return args.size() >= 3 ? Route::kKeys : Route::kLocal;
  }
  if (args.size() == 2 &&
      (base::EqualsIgnoreCase(args[1], "stats") || base::EqualsIgnoreCase(args[1], "doctor"))) {
    return Route::kAllShards;
  }
  return Route::kLocal;
}

}  // namespace

void RegisterMemoryCommands(CommandTable& table) {
  // The key position serves routing (MemoryRoute); Redis's container row reports none.
  table.Add({.name = "memory",
             .arity = -2,
             .first_key = 2,
             .last_key = 2,
             .step = 1,
             .handler = Memory,
             .merge = Merge::kCustom,
             .merge_fn = MergeMemory,
             .route_fn = MemoryRoute,
             .group = "server",
             .summary = "A container for memory diagnostics commands",
             .since = "4.0.0",
             .subcommands = {"memory|doctor", "memory|help", "memory|malloc-stats", "memory|purge",
                             "memory|stats", "memory|usage"}});
}

}  // namespace ringtail::commands
