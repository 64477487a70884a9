// SPDX-License-Identifier: Apache-2.0
// The HyperLogLog command family: PFADD, PFCOUNT and PFMERGE, with Redis 7.0's replies and
// error texts. An HLL is a string value in Redis's own format (storage/hyperloglog.h), so the
// bytes GET returns are those redis-server stores for the same additions. Registered by
// RegisterHyperLogLogCommands. Each handler runs on the shard thread that owns its keys
// (PFCOUNT and PFMERGE of several keys need them all on one shard).
//
// Keyspace statistics: as in Redis, PFCOUNT and PFMERGE read their keys (hits and misses are
// counted); PFADD and PFMERGE's write of the destination do not count.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "commands/command_context.h"
#include "commands/registry.h"
#include "storage/hyperloglog.h"

namespace ringtail::commands {
namespace {

using protocol::kHllCorrupt;
using protocol::kNotHll;
using protocol::kWrongType;
using storage::Entry;
using storage::HllUpdate;

// Replies WRONGTYPE (another type) or kNotHll (a string that is not an HLL) and returns false
// unless `entry` holds an HLL.
bool CheckHll(CommandContext& ctx, const Entry* entry) {
  if (!entry->IsString()) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  if (!storage::IsHll(entry->str())) {
    ctx.reply().Error(kNotHll);
    return false;
  }
  return true;
}

size_t SparseMaxBytes(CommandContext& ctx) {
  return static_cast<size_t>(ctx.shard().config.hll_sparse_max_bytes);
}

// The HLL's bytes for an in-place change of its header or dense registers (its size stays).
char* MutableBytes(CommandContext& ctx, Entry* entry) {
  return ctx.table().ResizeString(entry, entry->str().size());
}

// PFADD key [element ...]: 1 if the key was created or a register rose, else 0. A dense HLL is
// updated in place; a sparse one is rewritten (it is at most hll-sparse-max-bytes long).
void PfAdd(CommandContext& ctx) {
  auto [entry, inserted] =
      ctx.table().FindOrInsert(ctx.arg(1), ctx.now_ms(), storage::kHllEmpty.size());
  if (!inserted && !CheckHll(ctx, entry)) return;
  if (inserted) ctx.table().SetString(entry, storage::kHllEmpty);
  bool updated = inserted;
  if (storage::IsDenseHll(entry->str())) {
    char* value = MutableBytes(ctx, entry);
    for (size_t i = 2; i < ctx.argc(); ++i) updated |= storage::HllDenseAdd(value, ctx.arg(i));
    if (updated) storage::HllInvalidateCache(value);
  } else {
    std::string value(entry->str());
    bool corrupt = false;
    for (size_t i = 2; i < ctx.argc() && !corrupt; ++i) {
      HllUpdate result = storage::HllAdd(&value, ctx.arg(i), SparseMaxBytes(ctx));
      updated |= result == HllUpdate::kChanged;
      corrupt = result == HllUpdate::kCorrupt;
    }
    // Registers raised before corruption was found stay raised (and the cache stale), as in
    // Redis, which updates in place.
    if (updated) storage::HllInvalidateCache(value.data());
    ctx.table().SetString(entry, value);
    if (corrupt) return ctx.reply().Error(kHllCorrupt);
  }
  ctx.reply().Int(updated ? 1 : 0);
}

// Raises `max` (one byte per register) to the registers of every HLL among the keys from
// argument `first` on; missing keys count as empty. Returns false after replying an error.
// Sets `any_dense` if one of them is dense.
bool MergeKeys(CommandContext& ctx, size_t first, uint8_t* max, bool* any_dense) {
  for (size_t i = first; i < ctx.argc(); ++i) {
    Entry* entry = ctx.table().Find(ctx.arg(i), ctx.now_ms());
    ctx.CountLookup(entry != nullptr);
    if (entry == nullptr) continue;
    if (!CheckHll(ctx, entry)) return false;
    if (storage::IsDenseHll(entry->str())) *any_dense = true;
    if (!storage::HllMergeInto(entry->str(), max)) {
      ctx.reply().Error(kHllCorrupt);
      return false;
    }
  }
  return true;
}

// PFCOUNT key [key ...]. One key: its cached cardinality, or the estimate, which is then cached
// in its header (so a read changes the value's bytes, as in Redis). Several keys: the estimate
// of their union, nothing cached.
void PfCount(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    std::array<uint8_t, storage::kHllRegisters> max{};
    bool any_dense = false;
    if (!MergeKeys(ctx, 1, max.data(), &any_dense)) return;
    return ctx.reply().Int(static_cast<int64_t>(storage::HllEstimate(max.data())));
  }
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  if (entry == nullptr) return ctx.reply().Int(0);
  if (!CheckHll(ctx, entry)) return;
  if (std::optional<uint64_t> cached = storage::HllCachedCount(entry->str())) {
    return ctx.reply().Int(static_cast<int64_t>(*cached));
  }
  std::optional<uint64_t> count = storage::HllCount(entry->str());
  if (!count) return ctx.reply().Error(kHllCorrupt);
  storage::HllSetCachedCount(MutableBytes(ctx, entry), *count);
  ctx.reply().Int(static_cast<int64_t>(*count));
}

// PFMERGE destkey [sourcekey ...]: destkey becomes the union of itself and the sources (created
// sparse if absent, made dense if any input is dense; its deadline stays). As in Redis, the
// registers are written into destkey one by one in index order, which decides the sparse bytes.
void PfMerge(CommandContext& ctx) {
  std::array<uint8_t, storage::kHllRegisters> max{};
  bool any_dense = false;
  if (!MergeKeys(ctx, 1, max.data(), &any_dense)) return;
  auto [entry, inserted] =
      ctx.table().FindOrInsert(ctx.arg(1), ctx.now_ms(), storage::kHllEmpty.size());
  std::string value(inserted ? storage::kHllEmpty : entry->str());
  if (any_dense && !storage::HllToDense(&value)) {
    if (inserted) ctx.table().Erase(entry);
    return ctx.reply().Error(kHllCorrupt);
  }
  for (size_t i = 0; i < storage::kHllRegisters; ++i) {
    if (max[i] != 0) storage::HllRaiseRegister(&value, i, max[i], SparseMaxBytes(ctx));
  }
  storage::HllInvalidateCache(value.data());
  ctx.table().SetString(entry, value);
  ctx.reply().Ok();
}

}  // namespace

void RegisterHyperLogLogCommands(CommandTable& table) {
  // clang-format off
  table.Add({.name = "pfadd", .arity = -2, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = PfAdd, .group = "hyperloglog",
             .summary = "Adds the specified elements to the specified HyperLogLog.",
             .since = "2.8.9"});
  table.Add({.name = "pfcount", .arity = -2, .flags = kRead, .first_key = 1, .last_key = -1,
             .step = 1, .handler = PfCount, .group = "hyperloglog",
             .summary = "Return the approximated cardinality of the set(s) observed by the "
                        "HyperLogLog at key(s).",
             .since = "2.8.9"});
  table.Add({.name = "pfmerge", .arity = -2, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 1, .handler = PfMerge, .group = "hyperloglog",
             .summary = "Merge N different HyperLogLogs into a single one.", .since = "2.8.9"});
  // clang-format on
}

}  // namespace ringtail::commands
