// SPDX-License-Identifier: Apache-2.0
// The generic key commands: DEL, UNLINK, EXISTS, TOUCH, TYPE, the EXPIRE family, the TTL family,
// PERSIST, KEYS, SCAN and RANDOMKEY. Handlers run on the shard thread that owns their keys (the
// dispatcher splits multi-key commands and merges per the row); KEYS and RANDOMKEY run on every
// shard, SCAN on the shard its cursor names. Every read goes through Table::Find or a table walk
// that skips expired entries, so a key past its deadline is never visible, whether or not active
// expiry has reclaimed it yet.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/scan_args.h"
#include "commands/registry.h"
#include "commands/scan_cursor.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"

namespace ringtail::commands {
namespace {

using protocol::kExpireGtLtIncompatible;
using protocol::kExpireNxIncompatible;
using protocol::kInvalidCursor;
using protocol::kInvalidExpireTimePrefix;
using protocol::kSyntax;
using protocol::kUnsupportedOptionPrefix;
using storage::Entry;
using storage::ValueType;

// TYPE's name for a value type, as Redis reports it (and as SCAN's TYPE filter compares).
std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
  }
  return "none";
}

// Milliseconds to whole seconds, rounded to the nearest as Redis's TTL and EXPIRETIME do.
// REQUIRES: ms >= 0 (computed unsigned, so a deadline near INT64_MAX does not overflow).
int64_t RoundToSeconds(int64_t ms) {
  return static_cast<int64_t>((static_cast<uint64_t>(ms) + 500) / 1000);
}

// ---------------------------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TOUCH, TYPE

void Del(CommandContext& ctx) {
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.table().Erase(ctx.arg(i), ctx.now_ms())) ++deleted;
  }
  ctx.reply().Int(deleted);
}

// Values are freed inline for now, so UNLINK is DEL.
void Unlink(CommandContext& ctx) { Del(ctx); }

// The number of arguments from 1 on that name a live key, counting repeats; each is a keyspace
// hit or miss.
int64_t CountLiveKeys(CommandContext& ctx, bool touch) {
  int64_t live = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // EXISTS looks without touching (Redis's LOOKUP_NOTOUCH); TOUCH records the access.
    bool hit = (touch ? ctx.table().Find(ctx.arg(i), ctx.now_ms())
                      : ctx.table().Peek(ctx.arg(i), ctx.now_ms())) != nullptr;
    ctx.CountLookup(hit);
    if (hit) ++live;
  }
  return live;
}

void Exists(CommandContext& ctx) { ctx.reply().Int(CountLiveKeys(ctx, /*touch=*/false)); }

// No access times are kept yet, so TOUCH only counts the keys that exist.
void Touch(CommandContext& ctx) { ctx.reply().Int(CountLiveKeys(ctx, /*touch=*/true)); }

void Type(CommandContext& ctx) {
  const Entry* entry = ctx.table().Peek(ctx.arg(1), ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  ctx.reply().Simple(entry == nullptr ? "none" : TypeName(entry->type()));
}

// ---------------------------------------------------------------------------------------------
// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST

enum class TimeUnit { kSeconds, kMilliseconds };

// The conditions NX, XX, GT and LT of the EXPIRE family.
struct ExpireConditions {
  bool nx = false;  // only if the key has no deadline
  bool xx = false;  // only if the key has a deadline
  bool gt = false;  // only if the new deadline is later (no deadline counts as infinite)
  bool lt = false;  // only if the new deadline is earlier
};

// Parses the options from argument 3 on. On failure replies with Redis's error and returns
// nullopt. Redis checks the options before the time argument, so this runs first.
std::optional<ExpireConditions> ParseExpireConditions(CommandContext& ctx) {
  ExpireConditions c;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view option = ctx.arg(i);
    if (base::EqualsIgnoreCase(option, "nx")) {
      c.nx = true;
    } else if (base::EqualsIgnoreCase(option, "xx")) {
      c.xx = true;
    } else if (base::EqualsIgnoreCase(option, "gt")) {
      c.gt = true;
    } else if (base::EqualsIgnoreCase(option, "lt")) {
      c.lt = true;
    } else {
      std::string error(kUnsupportedOptionPrefix);
      error.append(option);
      ctx.reply().Error(error);
      return std::nullopt;
    }
  }
  if (c.nx && (c.xx || c.gt || c.lt)) {
    ctx.reply().Error(kExpireNxIncompatible);
    return std::nullopt;
  }
  if (c.gt && c.lt) {
    ctx.reply().Error(kExpireGtLtIncompatible);
    return std::nullopt;
  }
  return c;
}

// Whether the conditions allow replacing `current_ms` (-1: no deadline) with `at_ms`.
bool ConditionsAllow(const ExpireConditions& c, int64_t current_ms, int64_t at_ms) {
  bool has_deadline = current_ms != -1;
  if (c.nx && has_deadline) return false;
  if (c.xx && !has_deadline) return false;
  if (c.gt && (!has_deadline || at_ms <= current_ms)) return false;
  if (c.lt && has_deadline && at_ms >= current_ms) return false;
  return true;
}

// The shared body of the EXPIRE family: the deadline is argument 2 in `unit`, plus `base_ms`
// (now for the relative forms, 0 for the absolute ones). `name` is the command's name for the
// overflow error. A deadline that is not in the future deletes the key.
void ExpireGeneric(CommandContext& ctx, int64_t base_ms, TimeUnit unit, std::string_view name) {
  std::optional<ExpireConditions> conditions = ParseExpireConditions(ctx);
  if (!conditions) return;
  std::optional<int64_t> when = ctx.IntArg(2);
  if (!when) return;

  int64_t at_ms = *when;
  bool overflow = false;
  if (unit == TimeUnit::kSeconds) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000;
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / 1000;
    overflow = at_ms > kMax || at_ms < kMin;
    if (!overflow) at_ms *= 1000;
  }
  overflow = overflow || at_ms > std::numeric_limits<int64_t>::max() - base_ms;
  if (overflow) {
    std::string error(kInvalidExpireTimePrefix);
    error.append(name).append("' command");
    return ctx.reply().Error(error);
  }
  at_ms += base_ms;

  storage::Table& table = ctx.table();
  Entry* entry = table.Find(ctx.arg(1), ctx.now_ms());
  if (entry == nullptr) return ctx.reply().Int(0);
  int64_t current_ms = entry->has_expiry() ? entry->expire_at_ms() : -1;
  if (!ConditionsAllow(*conditions, current_ms, at_ms)) return ctx.reply().Int(0);
  if (at_ms <= ctx.now_ms()) {
    table.Erase(entry);
  } else {
    entry = table.SetExpiry(entry, at_ms);
  }
  ctx.reply().Int(1);
}

void Expire(CommandContext& ctx) { ExpireGeneric(ctx, ctx.now_ms(), TimeUnit::kSeconds, "expire"); }
void PExpire(CommandContext& ctx) {
  ExpireGeneric(ctx, ctx.now_ms(), TimeUnit::kMilliseconds, "pexpire");
}
void ExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, TimeUnit::kSeconds, "expireat"); }
void PExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, TimeUnit::kMilliseconds, "pexpireat"); }

void Persist(CommandContext& ctx) {
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  if (entry == nullptr || !entry->has_expiry()) return ctx.reply().Int(0);
  entry = ctx.table().SetExpiry(entry, 0);
  ctx.reply().Int(1);
}

// ---------------------------------------------------------------------------------------------
// TTL, PTTL, EXPIRETIME, PEXPIRETIME

// Replies -2 for a missing key, -1 for a key without deadline, else the time left
// (`absolute`: the deadline itself) in `unit`; seconds are rounded to the nearest.
void TtlGeneric(CommandContext& ctx, TimeUnit unit, bool absolute) {
  const Entry* entry = ctx.table().Peek(ctx.arg(1), ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  if (entry == nullptr) return ctx.reply().Int(-2);
  if (!entry->has_expiry()) return ctx.reply().Int(-1);
  int64_t ms =
      absolute ? entry->expire_at_ms() : std::max<int64_t>(0, entry->expire_at_ms() - ctx.now_ms());
  ctx.reply().Int(unit == TimeUnit::kMilliseconds ? ms : RoundToSeconds(ms));
}

void Ttl(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kSeconds, false); }
void PTtl(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kMilliseconds, false); }
void ExpireTime(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kSeconds, true); }
void PExpireTime(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kMilliseconds, true); }

// ---------------------------------------------------------------------------------------------
// KEYS, SCAN

void ReplyKeys(CommandContext& ctx, const std::vector<std::string_view>& keys) {
  ctx.reply().Array(keys.size());
  for (std::string_view key : keys) ctx.reply().Bulk(key);
}

// Runs on every shard; the dispatcher concatenates the arrays.
void Keys(CommandContext& ctx) {
  std::string_view pattern = ctx.arg(1);
  bool match_all = pattern == "*";
  std::vector<std::string_view> keys;  // views into this table, which nothing changes meanwhile
  ctx.table().ForEach(
      [&](const Entry& entry) {
        if (match_all || base::GlobMatch(pattern, entry.key())) keys.push_back(entry.key());
      },
      ctx.now_ms());
  ReplyKeys(ctx, keys);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: runs on the shard the cursor names and
// walks that shard's table; the returned cursor moves on to the next shard when it is done.
void Scan(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.arg(1));
  if (!cursor) return ctx.reply().Error(kInvalidCursor);

  std::optional<ScanOptions> options = ParseScanOptions(ctx, 2, true);
  if (!options) return;

  const ShardState& shard = ctx.shard();
  uint64_t table_cursor = ScanCursorTable(*cursor, shard.shard_count);
  std::vector<std::string_view> keys;  // views into this table, which nothing changes meanwhile
  uint64_t next = ctx.table().Scan(
      table_cursor, options->count,
      [&](const Entry& entry) {
        if (!options->Matches(entry.key())) return;
        if (options->type) {
          ctx.CountLookup(true);  // Redis looks the key up to learn its type
          if (!base::EqualsIgnoreCase(*options->type, TypeName(entry.type()))) return;
        }
        keys.push_back(entry.key());
      },
      ctx.now_ms());

  std::array<char, 24> digits;  // holds any uint64_t, so to_chars cannot fail
  uint64_t reply_cursor = NextScanCursor(next, shard.shard_id, shard.shard_count);
  char* end = std::to_chars(digits.data(), digits.data() + digits.size(), reply_cursor).ptr;
  ctx.reply().Array(2);
  ctx.reply().Bulk(std::string_view(digits.data(), static_cast<size_t>(end - digits.data())));
  ReplyKeys(ctx, keys);
}

// ---------------------------------------------------------------------------------------------
// RANDOMKEY

// Random picks before falling back to a walk of the table; only a table whose entries are
// mostly expired and not yet reclaimed needs the walk.
constexpr int kRandomKeyPicks = 100;

// Runs on every shard: a random live key of this shard's table, or Null. Expired entries met on
// the way are deleted.
void RandomKey(CommandContext& ctx) {
  storage::Table& table = ctx.table();
  for (int i = 0; i < kRandomKeyPicks && table.size() > 0; ++i) {
    Entry* entry = table.RandomEntry(ctx.shard().rng);
    if (!entry->has_expiry() || entry->expire_at_ms() > ctx.now_ms()) {
      return ctx.reply().Bulk(entry->key());
    }
    // Find deletes the expired entry and counts it; the key is copied since it dies there.
    std::string key(entry->key());
    table.Find(key, ctx.now_ms());
  }
  std::optional<std::string_view> live;
  table.ForEach(
      [&](const Entry& entry) {
        if (!live) live = entry.key();
      },
      ctx.now_ms());
  if (!live) return ctx.reply().Null();
  ctx.reply().Bulk(*live);
}

bool IsNullReply(std::string_view reply) { return reply == "$-1\r\n" || reply == "_\r\n"; }

// Merges the shards' RANDOMKEY replies: one of the keys at random, Null if no shard had one.
void MergeRandomKey(MergeContext& ctx) {
  size_t found = 0;
  for (std::string_view sub : ctx.sub_replies) {
    if (protocol::IsErrorReply(sub)) return ctx.reply.Raw(sub);
    if (!IsNullReply(sub)) ++found;
  }
  if (found == 0) return ctx.reply.Null();
  size_t pick = absl::Uniform<size_t>(ctx.shard.rng, 0, found);
  for (std::string_view sub : ctx.sub_replies) {
    if (IsNullReply(sub)) continue;
    if (pick-- == 0) return ctx.reply.Raw(sub);
  }
}

}  // namespace

void RegisterKeyCommands(CommandTable& table) {
  // One row per command, kept compact as a table.
  // clang-format off
  table.Add({.name = "del", .arity = -2, .flags = kWrite, .first_key = 1, .last_key = -1,
             .step = 1, .handler = Del, .merge = Merge::kSumInts, .summary = "Delete a key"});
  table.Add({.name = "unlink", .arity = -2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = -1, .step = 1, .handler = Unlink, .merge = Merge::kSumInts,
             .summary = "Delete a key asynchronously in another thread. Otherwise it is just as "
                        "DEL, but non blocking.",
             .since = "4.0.0"});
  table.Add({.name = "exists", .arity = -2, .flags = kRead | kFast, .first_key = 1,
             .last_key = -1, .step = 1, .handler = Exists, .merge = Merge::kSumInts,
             .summary = "Determine if a key exists"});
  table.Add({.name = "touch", .arity = -2, .flags = kRead | kFast, .first_key = 1,
             .last_key = -1, .step = 1, .handler = Touch, .merge = Merge::kSumInts,
             .summary = "Alters the last access time of a key(s). Returns the number of existing "
                        "keys specified.",
             .since = "3.2.1"});
  table.Add({.name = "type", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = Type, .summary = "Determine the type stored at key"});

  table.Add({.name = "expire", .arity = -3, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Expire,
             .summary = "Set a key's time to live in seconds"});
  table.Add({.name = "pexpire", .arity = -3, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = PExpire,
             .summary = "Set a key's time to live in milliseconds", .since = "2.6.0"});
  table.Add({.name = "expireat", .arity = -3, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = ExpireAt,
             .summary = "Set the expiration for a key as a UNIX timestamp", .since = "1.2.0"});
  table.Add({.name = "pexpireat", .arity = -3, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = PExpireAt,
             .summary = "Set the expiration for a key as a UNIX timestamp specified in "
                        "milliseconds",
             .since = "2.6.0"});
  table.Add({.name = "expiretime", .arity = 2, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = ExpireTime,
             .summary = "Get the expiration Unix timestamp for a key", .since = "7.0.0"});
  table.Add({.name = "pexpiretime", .arity = 2, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = PExpireTime,
             .summary = "Get the expiration Unix timestamp for a key in milliseconds",
             .since = "7.0.0"});
  table.Add({.name = "ttl", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = Ttl, .summary = "Get the time to live for a key in seconds"});
  table.Add({.name = "pttl", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = PTtl,
             .summary = "Get the time to live for a key in milliseconds", .since = "2.6.0"});
  table.Add({.name = "persist", .arity = 2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Persist,
             .summary = "Remove the expiration from a key", .since = "2.2.0"});

  table.Add({.name = "keys", .arity = 2, .flags = kRead, .handler = Keys,
             .route = Route::kAllShards, .merge = Merge::kConcat,
             .summary = "Find all keys matching the given pattern"});
  table.Add({.name = "scan", .arity = -2, .flags = kRead, .handler = Scan,
             .route = Route::kScanCursor, .summary = "Incrementally iterate the keys space",
             .since = "2.8.0"});
  table.Add({.name = "randomkey", .arity = 1, .flags = kRead, .handler = RandomKey,
             .route = Route::kAllShards, .merge = Merge::kCustom, .merge_fn = MergeRandomKey,
             .summary = "Return a random key from the keyspace"});
  // clang-format on
}

}  // namespace ringtail::commands
