// SPDX-License-Identifier: Apache-2.0
// The string command family: GET and SET with their variants (SETNX, SETEX, PSETEX, GETSET,
// GETDEL, GETEX), MGET/MSET/MSETNX, the INCR family and INCRBYFLOAT, APPEND, STRLEN,
// GETRANGE/SUBSTR and SETRANGE, with Redis 7's replies and error texts. Registered by
// RegisterStringCommands. Each handler runs on the shard thread that owns its keys; a multi-key
// command sees only this shard's keys (the dispatcher splits it and merges the replies).
//
// Keyspace statistics: as in Redis, the commands that read a value for the client (GET, MGET,
// GETRANGE, STRLEN, GETEX, GETDEL, GETSET, SET ... GET) count a hit or a miss; the ones that
// only modify (INCR, APPEND, SETRANGE, SET NX, ...) do not.
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"

namespace ringtail::commands {
namespace {

using protocol::kDecrementOverflow;
using protocol::kIncrFloatNaN;
using protocol::kInvalidExpireTimePrefix;
using protocol::kNotFloat;
using protocol::kNotInteger;
using protocol::kOffsetOutOfRange;
using protocol::kOverflow;
using protocol::kStringTooLong;
using protocol::kSyntax;
using protocol::kWrongArgCountPrefix;
using protocol::kWrongType;
using storage::Entry;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

// ---------------------------------------------------------------------------------------------
// Shared pieces

// Replies "<prefix><command>' command", the shape of Redis's errors that name the command.
void ReplyCommandError(CommandContext& ctx, std::string_view prefix, std::string_view command) {
  std::string text(prefix);
  text.append(command).append("' command");
  ctx.reply().Error(text);
}

// The live entry for `key`, counted as a keyspace hit or miss (a read lookup in Redis's terms).
Entry* FindForRead(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  return entry;
}

// The live entry for `key`, inserted as an empty string without deadline if absent, with room
// for `value_size` bytes of value (the size about to be stored).
Entry* FindOrCreate(CommandContext& ctx, std::string_view key, size_t value_size = 0) {
  return ctx.table().FindOrInsert(key, ctx.now_ms(), value_size).entry;
}

// Replies with the string at `entry`, or a null if `entry` is nullptr. Returns false after
// replying WRONGTYPE when the entry holds another type.
bool ReplyStringOrNull(CommandContext& ctx, const Entry* entry) {
  if (entry == nullptr) {
    ctx.reply().Null();
    return true;
  }
  if (!entry->IsString()) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  ctx.reply().Bulk(entry->str());
  return true;
}

// Whether a string of `size` bytes grown by `added` bytes stays within proto-max-bulk-len, the
// largest string Redis lets a command build (APPEND, SETRANGE). Both sizes are below 2^63.
bool FitsStringLimit(CommandContext& ctx, uint64_t size, uint64_t added) {
  return size + added <= static_cast<uint64_t>(ctx.shard().config.proto_max_bulk_len);
}

// ---------------------------------------------------------------------------------------------
// SET and GETEX options

enum class ExpireKind : uint8_t { kNone, kEx, kPx, kExAt, kPxAt };

ExpireKind ExpireKindOf(std::string_view option) {
  if (base::EqualsIgnoreCase(option, "ex")) return ExpireKind::kEx;
  if (base::EqualsIgnoreCase(option, "px")) return ExpireKind::kPx;
  if (base::EqualsIgnoreCase(option, "exat")) return ExpireKind::kExAt;
  if (base::EqualsIgnoreCase(option, "pxat")) return ExpireKind::kPxAt;
  return ExpireKind::kNone;
}

// The options of SET (NX, XX, GET, KEEPTTL, one expiry) or GETEX (one expiry or PERSIST).
struct StringOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  ExpireKind expire = ExpireKind::kNone;
  std::string_view expire_arg;  // the number after EX/PX/EXAT/PXAT
};

enum class OptionsOf : uint8_t { kSet, kGetEx };

// Parses the arguments from `first` on as Redis 7's SET/GETEX option parser does: options come
// in any order, case-insensitively, and may repeat (an expiry repeated with the same unit: the
// last one counts), but NX excludes XX, and an expiry excludes another kind of expiry, KEEPTTL
// and PERSIST. Anything else replies kSyntax and returns false. The expiry's number is checked
// afterwards (ExpireAtMs), so a syntax error wins over a bad number.
bool ParseStringOptions(CommandContext& ctx, size_t first, OptionsOf command, StringOptions* out) {
  const bool is_set = command == OptionsOf::kSet;
  for (size_t i = first; i < ctx.argc(); ++i) {
    std::string_view option = ctx.arg(i);
    ExpireKind kind = ExpireKindOf(option);
    if (is_set && base::EqualsIgnoreCase(option, "nx") && !out->xx) {
      out->nx = true;
    } else if (is_set && base::EqualsIgnoreCase(option, "xx") && !out->nx) {
      out->xx = true;
    } else if (is_set && base::EqualsIgnoreCase(option, "get")) {
      out->get = true;
    } else if (is_set && base::EqualsIgnoreCase(option, "keepttl") &&
               out->expire == ExpireKind::kNone) {
      out->keep_ttl = true;
    } else if (!is_set && base::EqualsIgnoreCase(option, "persist") &&
               out->expire == ExpireKind::kNone) {
      out->persist = true;
    } else if (kind != ExpireKind::kNone && !out->keep_ttl && !out->persist &&
               (out->expire == ExpireKind::kNone || out->expire == kind) && i + 1 < ctx.argc()) {
      out->expire = kind;
      out->expire_arg = ctx.arg(++i);
    } else {
      ctx.reply().Error(kSyntax);
      return false;
    }
  }
  return true;
}

// Converts an expiry's number to an absolute Unix time in ms as Redis does: it must be an
// integer (else kNotInteger) above 0 whose deadline fits in int64 milliseconds (else "invalid
// expire time in '<command>' command"). On failure replies and returns nullopt.
std::optional<int64_t> ExpireAtMs(CommandContext& ctx, ExpireKind kind, std::string_view number,
                                  std::string_view command) {
  std::optional<int64_t> n = ParseInt(number);
  if (!n) {
    ctx.reply().Error(kNotInteger);
    return std::nullopt;
  }
  const bool in_seconds = kind == ExpireKind::kEx || kind == ExpireKind::kExAt;
  const bool relative = kind == ExpireKind::kEx || kind == ExpireKind::kPx;
  int64_t ms = *n;
  bool valid = ms > 0 && !(in_seconds && ms > kInt64Max / 1000);
  if (valid && in_seconds) ms *= 1000;
  if (valid && relative) {
    valid = ms <= kInt64Max - ctx.now_ms();
    if (valid) ms += ctx.now_ms();
  }
  if (!valid) {
    ReplyCommandError(ctx, kInvalidExpireTimePrefix, command);
    return std::nullopt;
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// GET / SET and their variants

struct SetRequest {
  std::string_view key;
  std::string_view value;
  bool nx = false;           // store only if the key is absent
  bool xx = false;           // store only if the key exists
  bool get = false;          // first reply with the old value
  bool keep_ttl = false;     // keep the key's deadline (else it becomes expire_at_ms)
  int64_t expire_at_ms = 0;  // the new deadline, 0 for none
};

// Stores `req.value` at `req.key` as Redis's SET does and returns whether it stored (false when
// the NX/XX condition fails). With `req.get` it first replies with the old value, or with
// WRONGTYPE (storing nothing) if the key holds another type; otherwise it does not reply.
bool StoreString(CommandContext& ctx, const SetRequest& req) {
  storage::Table& table = ctx.table();
  Entry* entry = nullptr;
  if (!req.nx && !req.xx && !req.get) {
    entry = FindOrCreate(ctx, req.key, req.value.size());  // the plain SET: one lookup
  } else {
    entry = table.Find(req.key, ctx.now_ms());
    if (req.get) {
      ctx.CountLookup(entry != nullptr);
      if (!ReplyStringOrNull(ctx, entry)) return false;
    }
    if ((req.nx && entry != nullptr) || (req.xx && entry == nullptr)) return false;
    if (entry == nullptr) entry = FindOrCreate(ctx, req.key, req.value.size());
  }
  ctx.table().SetString(entry, req.value);
  if (!req.keep_ttl && entry->expire_at_ms() != req.expire_at_ms) {
    entry = table.SetExpiry(entry, req.expire_at_ms);
  }
  return true;
}

void Get(CommandContext& ctx) { ReplyStringOrNull(ctx, FindForRead(ctx, ctx.arg(1))); }

// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]
void Set(CommandContext& ctx) {
  StringOptions options;
  if (!ParseStringOptions(ctx, 3, OptionsOf::kSet, &options)) return;
  SetRequest req{.key = ctx.arg(1),
                 .value = ctx.arg(2),
                 .nx = options.nx,
                 .xx = options.xx,
                 .get = options.get,
                 .keep_ttl = options.keep_ttl};
  if (options.expire != ExpireKind::kNone) {
    std::optional<int64_t> at_ms = ExpireAtMs(ctx, options.expire, options.expire_arg, "set");
    if (!at_ms) return;
    req.expire_at_ms = *at_ms;
  }
  bool stored = StoreString(ctx, req);
  if (req.get) return;
  if (stored) return ctx.reply().Ok();
  ctx.reply().Null();
}

void SetNx(CommandContext& ctx) {
  bool stored = StoreString(ctx, {.key = ctx.arg(1), .value = ctx.arg(2), .nx = true});
  ctx.reply().Int(stored ? 1 : 0);
}

// SETEX and PSETEX: SET key value EX/PX n with the number before the value.
void SetWithExpiry(CommandContext& ctx, ExpireKind kind, std::string_view command) {
  std::optional<int64_t> at_ms = ExpireAtMs(ctx, kind, ctx.arg(2), command);
  if (!at_ms) return;
  StoreString(ctx, {.key = ctx.arg(1), .value = ctx.arg(3), .expire_at_ms = *at_ms});
  ctx.reply().Ok();
}

void SetEx(CommandContext& ctx) { SetWithExpiry(ctx, ExpireKind::kEx, "setex"); }
void PSetEx(CommandContext& ctx) { SetWithExpiry(ctx, ExpireKind::kPx, "psetex"); }

void GetSet(CommandContext& ctx) {
  StoreString(ctx, {.key = ctx.arg(1), .value = ctx.arg(2), .get = true});
}

void GetDel(CommandContext& ctx) {
  Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (!ReplyStringOrNull(ctx, entry) || entry == nullptr) return;
  ctx.table().Erase(entry);
}

// GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]. A missing key replies null before the
// expiry's number is checked; a deadline already past deletes the key after the reply.
void GetEx(CommandContext& ctx) {
  StringOptions options;
  if (!ParseStringOptions(ctx, 2, OptionsOf::kGetEx, &options)) return;
  Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Null();
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  int64_t at_ms = 0;
  if (options.expire != ExpireKind::kNone) {
    std::optional<int64_t> parsed = ExpireAtMs(ctx, options.expire, options.expire_arg, "getex");
    if (!parsed) return;
    at_ms = *parsed;
  }
  ctx.reply().Bulk(entry->str());
  if (at_ms != 0 && at_ms <= ctx.now_ms()) {
    ctx.table().Erase(entry);
  } else if (at_ms != 0 || options.persist) {
    entry = ctx.table().SetExpiry(entry, at_ms);
  }
}

// MGET: a null for a key that is absent or holds another type.
void MGet(CommandContext& ctx) {
  ctx.reply().Array(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const Entry* entry = FindForRead(ctx, ctx.arg(i));
    if (entry == nullptr || !entry->IsString()) {
      ctx.reply().Null();
    } else {
      ctx.reply().Bulk(entry->str());
    }
  }
}

void MSet(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ReplyCommandError(ctx, kWrongArgCountPrefix, "mset");
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StoreString(ctx, {.key = ctx.arg(i), .value = ctx.arg(i + 1)});
  }
  ctx.reply().Ok();
}

// MSETNX: stores nothing (0) if any key exists, else all (1). The dispatcher runs the check of
// every shard before any shard stores, so this handler sees only its own keys.
void MSetNx(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ReplyCommandError(ctx, kWrongArgCountPrefix, "msetnx");
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    if (ctx.table().Find(ctx.arg(i), ctx.now_ms()) != nullptr) return ctx.reply().Int(0);
  }
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StoreString(ctx, {.key = ctx.arg(i), .value = ctx.arg(i + 1)});
  }
  ctx.reply().Int(1);
}

// ---------------------------------------------------------------------------------------------
// Counters

// Adds `delta` to the integer at arg(1) (0 if absent), keeping the key's deadline, and replies
// with the sum; kNotInteger if the value is not a Redis integer, kOverflow if the sum does not
// fit in int64.
void AddToInteger(CommandContext& ctx, int64_t delta) {
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  int64_t value = 0;
  if (entry != nullptr) {
    if (!entry->IsString()) return ctx.reply().Error(kWrongType);
    std::optional<int64_t> current = ParseInt(entry->str());
    if (!current) return ctx.reply().Error(kNotInteger);
    value = *current;
  }
  if ((delta < 0 && value < 0 && delta < kInt64Min - value) ||
      (delta > 0 && value > 0 && delta > kInt64Max - value)) {
    return ctx.reply().Error(kOverflow);
  }
  value += delta;
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  std::string_view text(digits, static_cast<size_t>(end - digits));
  if (entry == nullptr) entry = FindOrCreate(ctx, ctx.arg(1), text.size());
  ctx.table().SetString(entry, text);
  ctx.reply().Int(value);
}

void Incr(CommandContext& ctx) { AddToInteger(ctx, 1); }
void Decr(CommandContext& ctx) { AddToInteger(ctx, -1); }

void IncrBy(CommandContext& ctx) {
  std::optional<int64_t> delta = ctx.IntArg(2);
  if (!delta) return;
  AddToInteger(ctx, *delta);
}

void DecrBy(CommandContext& ctx) {
  std::optional<int64_t> delta = ctx.IntArg(2);
  if (!delta) return;
  if (*delta == kInt64Min) return ctx.reply().Error(kDecrementOverflow);  // -delta overflows
  AddToInteger(ctx, -*delta);
}

// INCRBYFLOAT: long double arithmetic as in Redis, keeping the key's deadline. The stored value
// is checked before the increment (both kNotFloat).
void IncrByFloat(CommandContext& ctx) {
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  long double value = 0;
  if (entry != nullptr) {
    if (!entry->IsString()) return ctx.reply().Error(kWrongType);
    std::optional<long double> current = ParseLongDouble(entry->str());
    if (!current) return ctx.reply().Error(kNotFloat);
    value = *current;
  }
  std::optional<long double> increment = ParseLongDouble(ctx.arg(2));
  if (!increment) return ctx.reply().Error(kNotFloat);
  value += *increment;
  if (std::isnan(value) || std::isinf(value)) return ctx.reply().Error(kIncrFloatNaN);
  char buf[kLongDoubleChars];
  std::string_view text(buf, FormatLongDouble(value, buf));
  if (entry == nullptr) entry = FindOrCreate(ctx, ctx.arg(1), text.size());
  ctx.table().SetString(entry, text);
  ctx.reply().Bulk(text);
}

// ---------------------------------------------------------------------------------------------
// Byte ranges

void Append(CommandContext& ctx) {
  std::string_view suffix = ctx.arg(2);
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  if (entry == nullptr) {
    entry = FindOrCreate(ctx, ctx.arg(1), suffix.size());
    ctx.table().SetString(entry, suffix);
    return ctx.reply().Int(static_cast<int64_t>(suffix.size()));
  }
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  if (!FitsStringLimit(ctx, entry->str().size(), suffix.size())) {
    return ctx.reply().Error(kStringTooLong);
  }
  size_t old_size = entry->str().size();
  char* data = ctx.table().ResizeString(entry, old_size + suffix.size());
  std::memcpy(data + old_size, suffix.data(), suffix.size());
  ctx.reply().Int(static_cast<int64_t>(old_size + suffix.size()));
}

void StrLen(CommandContext& ctx) {
  const Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Int(0);
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  ctx.reply().Int(static_cast<int64_t>(entry->str().size()));
}

// GETRANGE key start end (and SUBSTR): inclusive byte range, negative indexes count from the
// end. As in Redis 7.0, an end before the start of the string clamps to 0 (so "0 -100" of
// "Hello" is "H"), while two negative indexes with start > end give "".
void GetRange(CommandContext& ctx) {
  std::optional<int64_t> start = ctx.IntArg(2);
  if (!start) return;
  std::optional<int64_t> end = ctx.IntArg(3);
  if (!end) return;
  const Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Bulk("");
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  std::string_view value = entry->str();
  const auto size = static_cast<int64_t>(value.size());
  int64_t from = *start;
  int64_t to = *end;
  if (from < 0 && to < 0 && from > to) return ctx.reply().Bulk("");
  if (from < 0) from += size;
  if (to < 0) to += size;
  if (from < 0) from = 0;
  if (to < 0) to = 0;
  if (to >= size) to = size - 1;
  if (size == 0 || from > to) return ctx.reply().Bulk("");
  ctx.reply().Bulk(value.substr(static_cast<size_t>(from), static_cast<size_t>(to - from + 1)));
}

// SETRANGE key offset value: overwrites from `offset`, padding with zero bytes. An empty value
// changes nothing (and does not create the key); the result must fit proto-max-bulk-len.
void SetRange(CommandContext& ctx) {
  std::optional<int64_t> offset = ctx.IntArg(2);
  if (!offset) return;
  if (*offset < 0) return ctx.reply().Error(kOffsetOutOfRange);
  std::string_view patch = ctx.arg(3);
  Entry* entry = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  if (entry != nullptr && !entry->IsString()) return ctx.reply().Error(kWrongType);
  if (patch.empty()) {
    return ctx.reply().Int(entry == nullptr ? 0 : static_cast<int64_t>(entry->str().size()));
  }
  const auto at = static_cast<uint64_t>(*offset);
  if (!FitsStringLimit(ctx, at, patch.size())) return ctx.reply().Error(kStringTooLong);
  if (entry == nullptr) entry = FindOrCreate(ctx, ctx.arg(1), at + patch.size());
  size_t size = std::max<size_t>(entry->str().size(), at + patch.size());
  char* data = ctx.table().ResizeString(entry, size);
  std::memcpy(data + at, patch.data(), patch.size());
  ctx.reply().Int(static_cast<int64_t>(size));
}

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  // One row per command, kept compact as a table.
  // clang-format off
  table.Add({.name = "get", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = Get, .group = "string", .summary = "Get the value of a key"});
  table.Add({.name = "set", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Set, .group = "string",
             .summary = "Set the string value of a key"});
  table.Add({.name = "setnx", .arity = 3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SetNx, .group = "string",
             .summary = "Set the value of a key, only if the key does not exist"});
  table.Add({.name = "setex", .arity = 4, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SetEx, .group = "string",
             .summary = "Set the value and expiration of a key", .since = "2.0.0"});
  table.Add({.name = "psetex", .arity = 4, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = PSetEx, .group = "string",
             .summary = "Set the value and expiration in milliseconds of a key",
             .since = "2.6.0"});
  table.Add({.name = "getset", .arity = 3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = GetSet, .group = "string",
             .summary = "Set the string value of a key and return its old value"});
  table.Add({.name = "getdel", .arity = 2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = GetDel, .group = "string",
             .summary = "Get the value of a key and delete the key", .since = "6.2.0"});
  table.Add({.name = "getex", .arity = -2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = GetEx, .group = "string",
             .summary = "Get the value of a key and optionally set its expiration",
             .since = "6.2.0"});
  table.Add({.name = "mget", .arity = -2, .flags = kRead | kFast, .first_key = 1,
             .last_key = -1, .step = 1, .handler = MGet, .merge = Merge::kKeyOrder,
             .group = "string", .summary = "Get the values of all the given keys"});
  table.Add({.name = "mset", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 2, .handler = MSet, .merge = Merge::kAllOk,
             .group = "string", .summary = "Set multiple keys to multiple values",
             .since = "1.0.1"});
  table.Add({.name = "msetnx", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 2, .handler = MSetNx, .merge = Merge::kNone,
             .group = "string",
             .summary = "Set multiple keys to multiple values, only if none of the keys exist",
             .since = "1.0.1"});
  table.Add({.name = "incr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Incr, .group = "string",
             .summary = "Increment the integer value of a key by one"});
  table.Add({.name = "decr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Decr, .group = "string",
             .summary = "Decrement the integer value of a key by one"});
  table.Add({.name = "incrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = IncrBy, .group = "string",
             .summary = "Increment the integer value of a key by the given amount"});
  table.Add({.name = "decrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = DecrBy, .group = "string",
             .summary = "Decrement the integer value of a key by the given number"});
  table.Add({.name = "incrbyfloat", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .first_key = 1, .last_key = 1, .step = 1, .handler = IncrByFloat,
             .group = "string", .summary = "Increment the float value of a key by the given amount",
             .since = "2.6.0"});
  table.Add({.name = "append", .arity = 3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Append, .group = "string",
             .summary = "Append a value to a key", .since = "2.0.0"});
  table.Add({.name = "strlen", .arity = 2, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = StrLen, .group = "string",
             .summary = "Get the length of the value stored in a key", .since = "2.2.0"});
  table.Add({.name = "getrange", .arity = 4, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = GetRange, .group = "string",
             .summary = "Get a substring of the string stored at a key", .since = "2.4.0"});
  table.Add({.name = "substr", .arity = 4, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = GetRange, .group = "string",
             .summary = "Get a substring of the string stored at a key"});
  table.Add({.name = "setrange", .arity = 4, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SetRange, .group = "string",
             .summary = "Overwrite part of a string at key starting at the specified offset",
             .since = "2.2.0"});
  // clang-format on
}

}  // namespace ringtail::commands
