// SPDX-License-Identifier: Apache-2.0
// OBJECT: introspection of one key's value (ENCODING, FREQ, IDLETIME, REFCOUNT, HELP). A
// subcommand with a key runs on the shard owning the key (arg 2); HELP and malformed calls run
// locally. Lookups use Table::Peek, so asking about a key does not count as an access, as with
// Redis's LOOKUP_NOTOUCH.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"
#include "protocol/errors.h"
#include "storage/eviction.h"

namespace ringtail::commands {
namespace {

using storage::Entry;

// Redis shares the integer objects 0..9999 (OBJ_SHARED_INTEGERS) unless maxmemory is set with an
// LRU or LFU policy, which needs a per-key access field; a shared object's REFCOUNT is INT_MAX.
constexpr int64_t kSharedIntegers = 10000;
constexpr int64_t kSharedRefcount = 2147483647;

bool IsSharedInteger(const Entry& entry, const ShardState& shard) {
  storage::EvictionPolicy policy = shard.eviction_policy;
  bool per_key_access = policy == storage::EvictionPolicy::kAllKeysLru ||
                        policy == storage::EvictionPolicy::kVolatileLru ||
                        storage::IsLfuPolicy(policy);
  if (shard.config.maxmemory != 0 && per_key_access) return false;
  if (!entry.IsString() || entry.EncodingName() != "int") return false;
  std::optional<int64_t> value = ParseInt(entry.str());
  return value && *value >= 0 && *value < kSharedIntegers;
}

void ObjectHelp(CommandContext& ctx) {
  static constexpr std::string_view kHelp[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.ReplyHelp(kHelp);
}

void Object(CommandContext& ctx) {
  std::string sub = base::Lower(ctx.arg(1));
  bool with_key = sub == "encoding" || sub == "freq" || sub == "idletime" || sub == "refcount";
  if (!with_key && sub != "help") {
    return ctx.reply().Error("ERR unknown subcommand '" + std::string(ctx.arg(1)) +
                             "'. Try OBJECT HELP.");
  }
  if (ctx.argc() != (with_key ? 3u : 2u)) {
    return ctx.reply().Error(std::string(protocol::kWrongArgCountPrefix) + "object|" + sub +
                             "' command");
  }
  if (!with_key) return ObjectHelp(ctx);

  const Entry* entry = ctx.table().Peek(ctx.arg(2), ctx.now_ms());
  if (entry == nullptr) return ctx.reply().Null();
  const ShardState& shard = ctx.shard();
  if (sub == "encoding") return ctx.reply().Bulk(entry->EncodingName());
  if (sub == "refcount") {
    return ctx.reply().Int(IsSharedInteger(*entry, shard) ? kSharedRefcount : 1);
  }
  bool lfu = storage::IsLfuPolicy(shard.eviction_policy);
  if (sub == "freq") {
    if (!lfu) return ctx.reply().Error(protocol::kObjectFreqNotLfu);
    return ctx.reply().Int(storage::LfuDecayedCounter(
        entry->access(), ctx.now_ms(), static_cast<uint32_t>(shard.config.lfu_decay_time)));
  }
  if (lfu) return ctx.reply().Error(protocol::kObjectIdleTimeLfu);
  ctx.reply().Int(storage::LruIdleSeconds(entry->access(), ctx.now_ms()));
}

// A subcommand naming a key runs on the key's shard; the rest (HELP, errors) locally.
Route ObjectRoute(absl::Span<const std::string_view> args) {
  return args.size() >= 3 ? Route::kKeys : Route::kLocal;
}

}  // namespace

void RegisterObjectCommands(CommandTable& table) {
  // The key position serves routing (ObjectRoute); Redis's container row reports none.
  table.Add({.name = "object",
             .arity = -2,
             .first_key = 2,
             .last_key = 2,
             .step = 1,
             .handler = Object,
             .route_fn = ObjectRoute,
             .group = "generic",
             .summary = "A container for object introspection commands",
             .since = "2.2.3",
             .subcommands = {"object|encoding", "object|freq", "object|help", "object|idletime",
                             "object|refcount"}});
}

}  // namespace ringtail::commands
