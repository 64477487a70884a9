// SPDX-License-Identifier: Apache-2.0
// The hash command family: HSET/HMSET/HSETNX, HGET/HMGET/HGETALL/HKEYS/HVALS, HDEL, HLEN,
// HEXISTS, HSTRLEN, HINCRBY/HINCRBYFLOAT, HRANDFIELD and HSCAN, with Redis 7's replies and error
// texts. Registered by RegisterHashCommands. Each handler runs on the shard thread that owns its
// key and works on a storage::Hash (storage/hash.h).
//
// Keyspace statistics: as in Redis, the commands that read (HGET, HMGET, HGETALL, HKEYS, HVALS,
// HLEN, HEXISTS, HSTRLEN, HRANDFIELD, HSCAN) count a hit or a miss; the ones that change the
// hash do not.
//
// Encoding: commands that add fields pass the shard's limits (ctx.shard().limits) to the hash,
// which converts from listpack to hashtable as Redis does: HSET, HMSET and HSETNX look at the
// lengths of all their fields and values before adding any (hashTypeTryConversion); every
// single set (HINCRBY's too) checks its own field and value and then the number of fields.
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/scan_args.h"
#include "commands/registry.h"
#include "storage/hash.h"

namespace ringtail::commands {
namespace {

using protocol::kHashIncrNotFinite;
using protocol::kRandCountOutOfRange;
using protocol::kValueOutOfRange;
using protocol::kHashValueNotFloat;
using protocol::kHashValueNotInteger;
using protocol::kIncrFloatNaN;
using protocol::kInvalidCursor;
using protocol::kNotFloat;
using protocol::kOverflow;
using protocol::kSyntax;
using protocol::kWrongArgCountPrefix;
using protocol::kWrongType;
using storage::Entry;
using storage::Hash;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

// ---------------------------------------------------------------------------------------------
// Shared pieces

// A key looked up for a command: the entry if it is a hash, nullptr if absent.
struct HashLookup {
  Entry* entry = nullptr;
  bool wrong_type = false;  // the key holds another type (entry is then nullptr)
  Hash* hash() const { return entry->hash(); }
};

// Looks `key` up for reading, counting a keyspace hit or miss.
HashLookup FindForRead(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  if (entry != nullptr && entry->type() != storage::ValueType::kHash) return {nullptr, true};
  return {entry, false};
}

// Looks `key` up for a change (no keyspace statistics).
HashLookup FindForWrite(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  if (entry != nullptr && entry->type() != storage::ValueType::kHash) return {nullptr, true};
  return {entry, false};
}

// The hash at `key`, created empty if absent. Replies WRONGTYPE and returns nullptr if the key
// holds another type. Call it only once the arguments are valid: a new hash must not stay empty.
Entry* FindOrCreate(CommandContext& ctx, std::string_view key) {
  auto [entry, inserted] = ctx.table().FindOrInsert(key, ctx.now_ms());
  if (inserted) {
    ctx.table().SetObject(entry, std::make_unique<Hash>());
  } else if (entry->type() != storage::ValueType::kHash) {
    ctx.reply().Error(kWrongType);
    return nullptr;
  }
  return entry;
}

// Replies "ERR wrong number of arguments for '<command>' command".
void ReplyWrongArgCount(CommandContext& ctx, std::string_view command) {
  std::string text(kWrongArgCountPrefix);
  text.append(command).append("' command");
  ctx.reply().Error(text);
}

// Replies with `n` as a bulk string (a cursor).
void ReplyUnsignedBulk(CommandContext& ctx, uint64_t n) {
  std::array<char, 24> digits;  // holds any uint64_t, so to_chars cannot fail
  char* end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  ctx.reply().Bulk(std::string_view(digits.data(), static_cast<size_t>(end - digits.data())));
}

// ---------------------------------------------------------------------------------------------
// Setting fields

// HSET key field value [field value ...] and HMSET: the number of new fields, or +OK (HMSET).
void SetFields(CommandContext& ctx, std::string_view command, bool reply_ok) {
  if (ctx.argc() % 2 == 1) return ReplyWrongArgCount(ctx, command);
  Entry* entry = FindOrCreate(ctx, ctx.arg(1));
  if (entry == nullptr) return;
  size_t longest = 0;
  size_t total = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    longest = std::max(longest, ctx.arg(i).size());
    total += ctx.arg(i).size();
  }
  size_t before = entry->AllocatedBytes();
  Hash* hash = entry->hash();
  hash->PrepareToAdd(longest, total, ctx.shard().limits);
  int64_t created = 0;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (hash->Set(ctx.arg(i), ctx.arg(i + 1), ctx.shard().limits)) ++created;
  }
  ctx.table().NoteResized(entry, before);
  if (reply_ok) return ctx.reply().Ok();
  ctx.reply().Int(created);
}

void HSet(CommandContext& ctx) { SetFields(ctx, "hset", false); }
void HMSet(CommandContext& ctx) { SetFields(ctx, "hmset", true); }

// HSETNX key field value: 1 if it set the field, 0 if the field exists (nothing changes then,
// not even the encoding).
void HSetNx(CommandContext& ctx) {
  Entry* entry = FindOrCreate(ctx, ctx.arg(1));
  if (entry == nullptr) return;
  Hash* hash = entry->hash();
  if (hash->Contains(ctx.arg(2))) return ctx.reply().Int(0);
  std::string_view field = ctx.arg(2);
  std::string_view value = ctx.arg(3);
  size_t before = entry->AllocatedBytes();
  hash->PrepareToAdd(std::max(field.size(), value.size()), field.size() + value.size(),
                     ctx.shard().limits);
  hash->Set(field, value, ctx.shard().limits);
  ctx.table().NoteResized(entry, before);
  ctx.reply().Int(1);
}

// Stores `value` at `field` of the hash at `key` (`lookup`, a hash or absent), creating it.
void StoreField(CommandContext& ctx, HashLookup lookup, std::string_view field,
                std::string_view value) {
  Entry* entry = lookup.entry != nullptr ? lookup.entry : FindOrCreate(ctx, ctx.arg(1));
  size_t before = entry->AllocatedBytes();
  entry->hash()->Set(field, value, ctx.shard().limits);
  ctx.table().NoteResized(entry, before);
}

// HINCRBY key field increment: the field (0 if absent) plus the increment, stored as decimal.
void HIncrBy(CommandContext& ctx) {
  std::optional<int64_t> incr = ctx.IntArg(3);
  if (!incr) return;
  HashLookup lookup = FindForWrite(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  int64_t value = 0;
  if (lookup.entry != nullptr) {
    if (std::optional<std::string_view> current = lookup.hash()->Get(ctx.arg(2))) {
      std::optional<int64_t> parsed = ParseInt(*current);
      if (!parsed) return ctx.reply().Error(kHashValueNotInteger);
      value = *parsed;
    }
  }
  if ((*incr < 0 && value < 0 && *incr < kInt64Min - value) ||
      (*incr > 0 && value > 0 && *incr > kInt64Max - value)) {
    return ctx.reply().Error(kOverflow);
  }
  value += *incr;
  std::array<char, 24> digits;
  char* end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  StoreField(ctx, lookup, ctx.arg(2),
             std::string_view(digits.data(), static_cast<size_t>(end - digits.data())));
  ctx.reply().Int(value);
}

// HINCRBYFLOAT key field increment: long double arithmetic, as in Redis; the sum is stored and
// replied in the same text.
void HIncrByFloat(CommandContext& ctx) {
  std::optional<long double> incr = ParseLongDouble(ctx.arg(3));
  if (!incr) return ctx.reply().Error(kNotFloat);
  if (std::isinf(*incr)) return ctx.reply().Error(kHashIncrNotFinite);
  HashLookup lookup = FindForWrite(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  long double value = 0;
  if (lookup.entry != nullptr) {
    if (std::optional<std::string_view> current = lookup.hash()->Get(ctx.arg(2))) {
      std::optional<long double> parsed = ParseLongDouble(*current);
      if (!parsed) return ctx.reply().Error(kHashValueNotFloat);
      value = *parsed;
    }
  }
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) return ctx.reply().Error(kIncrFloatNaN);
  char buf[kLongDoubleChars];
  std::string_view text(buf, FormatLongDouble(value, buf));
  StoreField(ctx, lookup, ctx.arg(2), text);
  ctx.reply().Bulk(text);
}

// HDEL key field [field ...]: the number of fields removed; the key goes with its last field.
void HDel(CommandContext& ctx) {
  HashLookup lookup = FindForWrite(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  if (lookup.entry == nullptr) return ctx.reply().Int(0);
  Hash* hash = lookup.hash();
  size_t before = lookup.entry->AllocatedBytes();
  int64_t deleted = 0;
  for (size_t i = 2; i < ctx.argc() && hash->size() > 0; ++i) {
    if (hash->Erase(ctx.arg(i))) ++deleted;
  }
  ctx.table().NoteResized(lookup.entry, before);
  if (hash->size() == 0) ctx.table().Erase(lookup.entry);
  ctx.reply().Int(deleted);
}

// ---------------------------------------------------------------------------------------------
// Reading fields

void HGet(CommandContext& ctx) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  if (lookup.entry == nullptr) return ctx.reply().Null();
  std::optional<std::string_view> value = lookup.hash()->Get(ctx.arg(2));
  if (!value) return ctx.reply().Null();
  ctx.reply().Bulk(*value);
}

void HMGet(CommandContext& ctx) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  ctx.reply().Array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::optional<std::string_view> value;
    if (lookup.entry != nullptr) value = lookup.hash()->Get(ctx.arg(i));
    if (value) {
      ctx.reply().Bulk(*value);
    } else {
      ctx.reply().Null();
    }
  }
}

// HGETALL (a map in RESP3), HKEYS and HVALS.
enum class Parts : uint8_t { kFieldsAndValues, kFields, kValues };

void ReplyAll(CommandContext& ctx, Parts parts) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  size_t size = lookup.entry == nullptr ? 0 : lookup.hash()->size();
  if (parts == Parts::kFieldsAndValues) {
    ctx.reply().Map(size);
  } else {
    ctx.reply().Array(size);
  }
  if (size == 0) return;
  lookup.hash()->ForEach([&](std::string_view field, std::string_view value) {
    if (parts != Parts::kValues) ctx.reply().Bulk(field);
    if (parts != Parts::kFields) ctx.reply().Bulk(value);
  });
}

void HGetAll(CommandContext& ctx) { ReplyAll(ctx, Parts::kFieldsAndValues); }
void HKeys(CommandContext& ctx) { ReplyAll(ctx, Parts::kFields); }
void HVals(CommandContext& ctx) { ReplyAll(ctx, Parts::kValues); }

void HLen(CommandContext& ctx) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  ctx.reply().Int(lookup.entry == nullptr ? 0 : static_cast<int64_t>(lookup.hash()->size()));
}

void HExists(CommandContext& ctx) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  ctx.reply().Int(lookup.entry != nullptr && lookup.hash()->Contains(ctx.arg(2)) ? 1 : 0);
}

void HStrLen(CommandContext& ctx) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  std::optional<std::string_view> value;
  if (lookup.entry != nullptr) value = lookup.hash()->Get(ctx.arg(2));
  ctx.reply().Int(value ? static_cast<int64_t>(value->size()) : 0);
}

// ---------------------------------------------------------------------------------------------
// HRANDFIELD

// HRANDFIELD key count [WITHVALUES], after the arguments are checked: a positive count gives
// distinct fields (all of them if count >= the size), a negative one |count| fields that may
// repeat. With values, RESP2 gets a flat array, RESP3 an array of [field, value] pairs.
void RandomFieldsWithCount(CommandContext& ctx, int64_t count, bool with_values) {
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  if (lookup.entry == nullptr || count == 0) return ctx.reply().Array(0);
  const Hash* hash = lookup.hash();
  bool unique = count > 0;
  size_t n = static_cast<size_t>(unique ? count : -count);
  if (unique) n = std::min(n, hash->size());
  bool pairs_as_arrays = with_values && ctx.reply().resp3();
  ctx.reply().Array(with_values && !pairs_as_arrays ? n * 2 : n);
  auto emit = [&](std::string_view field, std::string_view value) {
    if (pairs_as_arrays) ctx.reply().Array(2);
    ctx.reply().Bulk(field);
    if (with_values) ctx.reply().Bulk(value);
  };
  if (unique) {
    hash->RandomDistinctPairs(n, ctx.shard().rng, emit);
  } else {
    hash->RandomPairs(n, ctx.shard().rng, emit);
  }
}

// HRANDFIELD key [count [WITHVALUES]]. The count is checked before the key: not an integer,
// INT64_MIN, then the syntax, then (with values) beyond +-LONG_MAX/2. Without a count: one
// field, or a null for a missing key.
void HRandField(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    std::optional<int64_t> count = ctx.IntArg(2);
    if (!count) return;
    if (*count == kInt64Min) return ctx.reply().Error(kRandCountOutOfRange);
    bool with_values = ctx.argc() == 4;
    if (ctx.argc() > 4 || (with_values && !base::EqualsIgnoreCase(ctx.arg(3), "withvalues"))) {
      return ctx.reply().Error(kSyntax);
    }
    if (with_values && (*count < -kInt64Max / 2 || *count > kInt64Max / 2)) {
      return ctx.reply().Error(kValueOutOfRange);
    }
    return RandomFieldsWithCount(ctx, *count, with_values);
  }
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  if (lookup.entry == nullptr) return ctx.reply().Null();
  lookup.hash()->RandomPairs(1, ctx.shard().rng, [&](std::string_view field, std::string_view) {
    ctx.reply().Bulk(field);
  });
}

// ---------------------------------------------------------------------------------------------
// HSCAN

// HSCAN key cursor [MATCH pattern] [COUNT count]. As in Redis the cursor is checked first, a
// missing key replies an empty scan before the options are looked at, and a listpack hash is
// returned whole with cursor 0. The reply: [cursor, [field, value, ...]].
void HScan(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply().Error(kInvalidCursor);
  HashLookup lookup = FindForRead(ctx, ctx.arg(1));
  if (lookup.wrong_type) return ctx.reply().Error(kWrongType);
  if (lookup.entry == nullptr) {
    ctx.reply().Array(2);
    ctx.reply().Bulk("0");
    return ctx.reply().Array(0);
  }
  std::optional<ScanOptions> options = ParseScanOptions(ctx, 3, false);
  if (!options) return;
  std::vector<std::string_view> found;  // views into the hash, which nothing changes meanwhile
  auto collect = [&](std::string_view field, std::string_view value) {
    if (!options->Matches(field)) return;
    found.push_back(field);
    found.push_back(value);
  };
  uint64_t next = lookup.hash()->Scan(*cursor, options->count, collect);
  ctx.reply().Array(2);
  ReplyUnsignedBulk(ctx, next);
  ctx.reply().Array(found.size());
  for (std::string_view s : found) ctx.reply().Bulk(s);
}

}  // namespace

void RegisterHashCommands(CommandTable& table) {
  // clang-format off
  table.Add({.name = "hset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HSet, .group = "hash",
             .summary = "Set the string value of a hash field", .since = "2.0.0"});
  table.Add({.name = "hsetnx", .arity = 4, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HSetNx, .group = "hash",
             .summary = "Set the value of a hash field, only if the field does not exist",
             .since = "2.0.0"});
  table.Add({.name = "hmset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HMSet, .group = "hash",
             .summary = "Set multiple hash fields to multiple values", .since = "2.0.0"});
  table.Add({.name = "hget", .arity = 3, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HGet, .group = "hash",
             .summary = "Get the value of a hash field", .since = "2.0.0"});
  table.Add({.name = "hmget", .arity = -3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HMGet, .group = "hash",
             .summary = "Get the values of all the given hash fields", .since = "2.0.0"});
  table.Add({.name = "hgetall", .arity = 2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HGetAll, .group = "hash",
             .summary = "Get all the fields and values in a hash", .since = "2.0.0"});
  table.Add({.name = "hkeys", .arity = 2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HKeys, .group = "hash",
             .summary = "Get all the fields in a hash", .since = "2.0.0"});
  table.Add({.name = "hvals", .arity = 2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HVals, .group = "hash",
             .summary = "Get all the values in a hash", .since = "2.0.0"});
  table.Add({.name = "hdel", .arity = -3, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HDel, .group = "hash",
             .summary = "Delete one or more hash fields", .since = "2.0.0"});
  table.Add({.name = "hlen", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HLen, .group = "hash",
             .summary = "Get the number of fields in a hash", .since = "2.0.0"});
  table.Add({.name = "hexists", .arity = 3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HExists, .group = "hash",
             .summary = "Determine if a hash field exists", .since = "2.0.0"});
  table.Add({.name = "hstrlen", .arity = 3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HStrLen, .group = "hash",
             .summary = "Get the length of the value of a hash field", .since = "3.2.0"});
  table.Add({.name = "hincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = HIncrBy, .group = "hash",
             .summary = "Increment the integer value of a hash field by the given number",
             .since = "2.0.0"});
  table.Add({.name = "hincrbyfloat", .arity = 4, .flags = kWrite | kDenyOom | kFast,
             .first_key = 1, .last_key = 1, .step = 1, .handler = HIncrByFloat, .group = "hash",
             .summary = "Increment the float value of a hash field by the given amount",
             .since = "2.6.0"});
  table.Add({.name = "hrandfield", .arity = -2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HRandField, .group = "hash",
             .summary = "Get one or multiple random fields from a hash", .since = "6.2.0"});
  table.Add({.name = "hscan", .arity = -3, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = HScan, .group = "hash",
             .summary = "Incrementally iterate hash fields and associated values",
             .since = "2.8.0"});
  // clang-format on
}

}  // namespace ringtail::commands
