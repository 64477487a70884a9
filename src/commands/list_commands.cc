// SPDX-License-Identifier: Apache-2.0
// The list command family: LPUSH/RPUSH and their X variants, LPOP/RPOP (with a count), LLEN,
// LRANGE, LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LMOVE, RPOPLPUSH and LMPOP, with Redis 7's
// replies and error texts, on storage::List. Registered by RegisterListCommands; the blocking
// variants live in blocking_commands.cc and reuse PopElements/PushElements (list_commands.h).
// Each handler runs on the shard thread that owns its keys; the multi-key commands (LMOVE,
// RPOPLPUSH, LMPOP) see all their keys on this shard.
//
// Keyspace statistics: as in Redis, the commands that only read (LLEN, LRANGE, LINDEX, LPOS)
// count a hit or a miss; the ones that modify do not.
#include "commands/list_commands.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "base/strings.h"
#include "commands/command_table.h"
#include "commands/registry.h"
#include "protocol/errors.h"
#include "storage/list.h"

namespace ringtail::commands {
namespace {

using protocol::kCountNotPositive;
using protocol::kIndexOutOfRange;
using protocol::kLposCountNegative;
using protocol::kLposMaxLenNegative;
using protocol::kLposRankZero;
using protocol::kNegativeCount;
using protocol::kNoSuchKey;
using protocol::kNumKeysNotPositive;
using protocol::kSyntax;
using protocol::kWrongArgCountPrefix;
using protocol::kWrongType;
using storage::Entry;
using storage::List;
using storage::ListElement;
using storage::ListNeedle;
using storage::ValueType;

List::End EndOf(bool left) { return left ? List::End::kHead : List::End::kTail; }

void ReplyElement(CommandContext& ctx, const ListElement& element) {
  char buf[ListElement::kIntChars];
  ctx.reply().Bulk(element.Text(buf));
}

// Looks `key` up, as a read (counted as a keyspace hit or miss, Redis's lookupKeyRead) or as a
// write. Sets *entry (nullptr when absent) and returns true, or replies WRONGTYPE and returns
// false when the key holds another type.
bool LookupList(CommandContext& ctx, std::string_view key, bool is_read, Entry** entry) {
  *entry = ctx.table().Find(key, ctx.now_ms());
  if (is_read) ctx.CountLookup(*entry != nullptr);
  if (*entry != nullptr && (*entry)->type() != ValueType::kList) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  return true;
}

// Parses LEFT or RIGHT (any case); false for anything else.
bool ParseSide(std::string_view text, bool* left) {
  if (base::EqualsIgnoreCase(text, "left")) {
    *left = true;
    return true;
  }
  if (base::EqualsIgnoreCase(text, "right")) {
    *left = false;
    return true;
  }
  return false;
}

// Pushes `elements` to the list at `key`, creating it when absent. kWrongType (nothing pushed)
// if the key holds another type; else kDone with the new length in *length.
// REQUIRES: !elements.empty().
ListOpResult PushTo(CommandContext& ctx, std::string_view key, bool left,
                    absl::Span<const std::string_view> elements, size_t* length) {
  auto [entry, inserted] = ctx.table().FindOrInsert(key, ctx.now_ms());
  if (!inserted && entry->type() != ValueType::kList) return ListOpResult::kWrongType;
  if (inserted) ctx.table().SetObject(entry, std::make_unique<List>());
  size_t before = entry->AllocatedBytes();
  List* list = entry->list();
  for (std::string_view element : elements) {
    list->Push(EndOf(left), element, ctx.shard().limits);
  }
  ctx.table().NoteResized(entry, before);
  *length = list->size();
  return ListOpResult::kDone;
}

// Pops up to `count` elements from one end of the list at `entry`, handing each to `take`
// before it is removed, and deletes the key when the list empties. Returns how many it popped.
size_t PopFrom(CommandContext& ctx, Entry* entry, bool left, size_t count,
               absl::FunctionRef<void(const ListElement&)> take) {
  List* list = entry->list();
  size_t n = std::min(count, list->size());
  size_t before = entry->AllocatedBytes();
  for (size_t i = 0; i < n; ++i) {
    take(list->Peek(EndOf(left)));
    list->Pop(EndOf(left));
  }
  ctx.table().NoteResized(entry, before);
  if (list->size() == 0) ctx.table().Erase(entry);
  return n;
}

// Replies with up to `count` elements popped from the list at `entry`, as an array.
void PopAndReplyArray(CommandContext& ctx, Entry* entry, bool left, size_t count) {
  ctx.reply().Array(std::min(count, entry->list()->size()));
  PopFrom(ctx, entry, left, count, [&](const ListElement& e) { ReplyElement(ctx, e); });
}

// Resolves a Redis list index (negative counts from the tail) against `size`; nullopt when it
// is out of range.
std::optional<size_t> ResolveIndex(int64_t index, size_t size) {
  const auto length = static_cast<int64_t>(size);
  if (index < 0) index += length;
  if (index < 0 || index >= length) return std::nullopt;
  return static_cast<size_t>(index);
}

// ---------------------------------------------------------------------------------------------
// Push and pop

// LPUSH/RPUSH (`only_existing`: LPUSHX/RPUSHX, which do nothing to an absent key).
void PushCommand(CommandContext& ctx, bool left, bool only_existing) {
  std::string_view key = ctx.arg(1);
  if (only_existing) {
    Entry* entry = nullptr;
    if (!LookupList(ctx, key, false, &entry)) return;
    if (entry == nullptr) return ctx.reply().Int(0);
  }
  size_t length = 0;
  if (PushTo(ctx, key, left, ctx.args().subspan(2), &length) == ListOpResult::kWrongType) {
    return ctx.reply().Error(kWrongType);
  }
  ctx.reply().Int(static_cast<int64_t>(length));
}

void LPush(CommandContext& ctx) { PushCommand(ctx, true, false); }
void RPush(CommandContext& ctx) { PushCommand(ctx, false, false); }
void LPushX(CommandContext& ctx) { PushCommand(ctx, true, true); }
void RPushX(CommandContext& ctx) { PushCommand(ctx, false, true); }

// LPOP/RPOP key [count]: one element (or null) without a count; with one, an array (a null
// array for an absent key, an empty one for count 0).
void PopCommand(CommandContext& ctx, bool left, std::string_view command) {
  if (ctx.argc() > 3) {
    std::string text(kWrongArgCountPrefix);
    text.append(command).append("' command");
    return ctx.reply().Error(text);
  }
  const bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count) {
    std::optional<int64_t> parsed = ParseInt(ctx.arg(2));
    if (!parsed || *parsed < 0) return ctx.reply().Error(kNegativeCount);
    count = *parsed;
  }
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return has_count ? ctx.reply().NullArray() : ctx.reply().Null();
  if (has_count) return PopAndReplyArray(ctx, entry, left, static_cast<size_t>(count));
  PopFrom(ctx, entry, left, 1, [&](const ListElement& e) { ReplyElement(ctx, e); });
}

void LPop(CommandContext& ctx) { PopCommand(ctx, true, "lpop"); }
void RPop(CommandContext& ctx) { PopCommand(ctx, false, "rpop"); }

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT, and RPOPLPUSH. An absent source replies null
// whatever the destination holds; a destination of another type is checked before popping.
// When source and destination are the same key the element rotates and the key (with its
// deadline) stays.
void Move(CommandContext& ctx, bool from_left, bool to_left) {
  std::string_view source_key = ctx.arg(1);
  std::string_view destination_key = ctx.arg(2);
  Entry* source = nullptr;
  if (!LookupList(ctx, source_key, false, &source)) return;
  if (source == nullptr) return ctx.reply().Null();
  Entry* destination = nullptr;
  if (!LookupList(ctx, destination_key, false, &destination)) return;
  std::string element;
  List* list = source->list();
  list->Peek(EndOf(from_left)).AppendTo(&element);
  size_t before = source->AllocatedBytes();
  list->Pop(EndOf(from_left));
  ctx.table().NoteResized(source, before);
  if (list->size() == 0 && source_key != destination_key) ctx.table().Erase(source);
  std::string_view pushed = element;
  size_t length = 0;
  PushTo(ctx, destination_key, to_left, absl::MakeConstSpan(&pushed, 1), &length);
  ctx.reply().Bulk(element);
}

void LMove(CommandContext& ctx) {
  bool from_left = false;
  bool to_left = false;
  if (!ParseSide(ctx.arg(3), &from_left) || !ParseSide(ctx.arg(4), &to_left)) {
    return ctx.reply().Error(kSyntax);
  }
  Move(ctx, from_left, to_left);
}

void RPopLPush(CommandContext& ctx) { Move(ctx, false, true); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list, as
// [key, [elements]], or a null array. A key of another type before it is WRONGTYPE.
void LMPop(CommandContext& ctx) {
  std::optional<int64_t> numkeys = ParseInt(ctx.arg(1));
  if (!numkeys || *numkeys <= 0) return ctx.reply().Error(kNumKeysNotPositive);
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - 3) return ctx.reply().Error(kSyntax);
  const size_t side_pos = 2 + static_cast<size_t>(*numkeys);
  bool left = false;
  if (!ParseSide(ctx.arg(side_pos), &left)) return ctx.reply().Error(kSyntax);
  int64_t count = -1;
  for (size_t i = side_pos + 1; i < ctx.argc(); ++i) {
    if (count != -1 || !base::EqualsIgnoreCase(ctx.arg(i), "count") || i + 1 >= ctx.argc()) {
      return ctx.reply().Error(kSyntax);
    }
    std::optional<int64_t> parsed = ParseInt(ctx.arg(++i));
    if (!parsed || *parsed <= 0) return ctx.reply().Error(kCountNotPositive);
    count = *parsed;
  }
  if (count == -1) count = 1;
  for (size_t i = 2; i < side_pos; ++i) {
    Entry* entry = nullptr;
    if (!LookupList(ctx, ctx.arg(i), false, &entry)) return;
    if (entry == nullptr) continue;
    ctx.reply().Array(2);
    ctx.reply().Bulk(ctx.arg(i));
    return PopAndReplyArray(ctx, entry, left, static_cast<size_t>(count));
  }
  ctx.reply().NullArray();
}

// ---------------------------------------------------------------------------------------------
// Reads

void LLen(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), true, &entry)) return;
  ctx.reply().Int(entry == nullptr ? 0 : static_cast<int64_t>(entry->list()->size()));
}

// LRANGE key start stop: inclusive, negative indexes from the tail, clamped to the list.
void LRange(CommandContext& ctx) {
  std::optional<int64_t> start = ctx.IntArg(2);
  if (!start) return;
  std::optional<int64_t> stop = ctx.IntArg(3);
  if (!stop) return;
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr) return ctx.reply().Array(0);
  const List& list = *entry->list();
  const auto length = static_cast<int64_t>(list.size());
  int64_t from = *start < 0 ? *start + length : *start;
  int64_t to = *stop < 0 ? *stop + length : *stop;
  from = std::max<int64_t>(from, 0);
  if (from > to || from >= length) return ctx.reply().Array(0);
  to = std::min(to, length - 1);
  auto n = static_cast<size_t>(to - from + 1);
  ctx.reply().Array(n);
  List::Iterator it(list, static_cast<size_t>(from), true);
  for (size_t i = 0; i < n; ++i, it.Next()) ReplyElement(ctx, it.Get());
}

// LINDEX key index: an absent key replies null before the index is parsed, as in Redis.
void LIndex(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr) return ctx.reply().Null();
  std::optional<int64_t> index = ctx.IntArg(2);
  if (!index) return;
  std::optional<size_t> at = ResolveIndex(*index, entry->list()->size());
  if (!at) return ctx.reply().Null();
  ReplyElement(ctx, entry->list()->At(*at));
}

struct LposOptions {
  int64_t rank = 1;
  int64_t count = -1;  // -1: no COUNT (reply with one index or null); 0: all matches
  int64_t maxlen = 0;  // 0: no limit
};

// Parses LPOS's options from argument 3 on; replies with the error and returns false on one.
bool ParseLposOptions(CommandContext& ctx, LposOptions* options) {
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view option = ctx.arg(i);
    const bool has_value = i + 1 < ctx.argc();
    if (has_value && base::EqualsIgnoreCase(option, "rank")) {
      std::optional<int64_t> rank = ctx.IntArg(++i);
      if (!rank) return false;
      if (*rank == 0) {
        ctx.reply().Error(kLposRankZero);
        return false;
      }
      options->rank = *rank;
    } else if (has_value && base::EqualsIgnoreCase(option, "count")) {
      std::optional<int64_t> count = ParseInt(ctx.arg(++i));
      if (!count || *count < 0) {
        ctx.reply().Error(kLposCountNegative);
        return false;
      }
      options->count = *count;
    } else if (has_value && base::EqualsIgnoreCase(option, "maxlen")) {
      std::optional<int64_t> maxlen = ParseInt(ctx.arg(++i));
      if (!maxlen || *maxlen < 0) {
        ctx.reply().Error(kLposMaxLenNegative);
        return false;
      }
      options->maxlen = *maxlen;
    } else {
      ctx.reply().Error(kSyntax);
      return false;
    }
  }
  return true;
}

// LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: the index of the rank-th match (from
// the tail when rank < 0), or with COUNT an array of up to num indexes (0: all) from it on,
// comparing at most MAXLEN elements. Redis 7.0 lets RANK be INT64_MIN, where its negation
// overflows and the first match from the tail is taken; so does this.
void LPos(CommandContext& ctx) {
  LposOptions options;
  if (!ParseLposOptions(ctx, &options)) return;
  const bool has_count = options.count != -1;
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr) return has_count ? ctx.reply().Array(0) : ctx.reply().Null();
  const List& list = *entry->list();
  const bool forward = options.rank > 0;
  uint64_t skip = 0;  // matches to pass over before the first one reported
  if (options.rank > 0) {
    skip = static_cast<uint64_t>(options.rank) - 1;
  } else if (options.rank != std::numeric_limits<int64_t>::min()) {
    skip = static_cast<uint64_t>(-options.rank) - 1;
  }
  ListNeedle needle(ctx.arg(2));
  std::vector<int64_t> found;
  const auto wanted = static_cast<uint64_t>(options.count);
  const auto maxlen = static_cast<uint64_t>(options.maxlen);
  uint64_t compared = 0;
  for (List::Iterator it(list, forward ? 0 : list.size() - 1, forward);
       !it.done() && (maxlen == 0 || compared < maxlen); it.Next(), ++compared) {
    if (!needle.Matches(it.Get())) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    found.push_back(static_cast<int64_t>(it.index()));
    if (!has_count || (wanted != 0 && found.size() >= wanted)) break;
  }
  if (!has_count) return found.empty() ? ctx.reply().Null() : ctx.reply().Int(found.front());
  ctx.reply().Array(found.size());
  for (int64_t index : found) ctx.reply().Int(index);
}

// ---------------------------------------------------------------------------------------------
// Changes in place

// LSET key index element: "no such key" for an absent key, checked before the index.
void LSet(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Error(kNoSuchKey);
  std::optional<int64_t> index = ctx.IntArg(2);
  if (!index) return;
  List* list = entry->list();
  std::optional<size_t> at = ResolveIndex(*index, list->size());
  if (!at) return ctx.reply().Error(kIndexOutOfRange);
  size_t before = entry->AllocatedBytes();
  list->Set(*at, ctx.arg(3), ctx.shard().limits);
  ctx.table().NoteResized(entry, before);
  ctx.reply().Ok();
}

// LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 for an
// absent key.
void LInsert(CommandContext& ctx) {
  bool after = false;
  if (base::EqualsIgnoreCase(ctx.arg(2), "after")) {
    after = true;
  } else if (!base::EqualsIgnoreCase(ctx.arg(2), "before")) {
    return ctx.reply().Error(kSyntax);
  }
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  List* list = entry->list();
  ListNeedle pivot(ctx.arg(3));
  std::optional<size_t> pivot_index;
  for (List::Iterator it(*list, 0, true); !it.done(); it.Next()) {
    if (pivot.Matches(it.Get())) {
      pivot_index = it.index();
      break;
    }
  }
  if (!pivot_index) return ctx.reply().Int(-1);
  size_t before = entry->AllocatedBytes();
  list->Insert(*pivot_index + (after ? 1 : 0), ctx.arg(4), ctx.shard().limits);
  ctx.table().NoteResized(entry, before);
  ctx.reply().Int(static_cast<int64_t>(list->size()));
}

// LREM key count element: removes the first `count` matches (count > 0), the last -count
// (count < 0) or all (0); replies with how many.
void LRem(CommandContext& ctx) {
  std::optional<int64_t> count = ctx.IntArg(2);
  if (!count) return;
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  List* list = entry->list();
  ListNeedle needle(ctx.arg(3));
  size_t start = 0;
  uint64_t limit = 0;
  if (*count > 0) {
    limit = static_cast<uint64_t>(*count);
  } else if (*count < 0) {
    // Find where the last `limit` matches begin, then remove forward from there.
    limit = 0 - static_cast<uint64_t>(*count);  // no overflow for INT64_MIN
    uint64_t seen = 0;
    for (List::Iterator it(*list, list->size() - 1, false); !it.done() && seen < limit;
         it.Next()) {
      if (!needle.Matches(it.Get())) continue;
      ++seen;
      start = it.index();
    }
    if (seen == 0) return ctx.reply().Int(0);
  }
  size_t before = entry->AllocatedBytes();
  size_t removed = list->RemoveMatches(needle, start, limit, ctx.shard().limits);
  ctx.table().NoteResized(entry, before);
  if (list->size() == 0) ctx.table().Erase(entry);
  ctx.reply().Int(static_cast<int64_t>(removed));
}

// LTRIM key start stop: keeps the inclusive range (negative indexes from the tail); a range
// outside the list empties it, which deletes the key.
void LTrim(CommandContext& ctx) {
  std::optional<int64_t> start = ctx.IntArg(2);
  if (!start) return;
  std::optional<int64_t> stop = ctx.IntArg(3);
  if (!stop) return;
  Entry* entry = nullptr;
  if (!LookupList(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Ok();
  List* list = entry->list();
  const auto length = static_cast<int64_t>(list->size());
  int64_t from = *start < 0 ? *start + length : *start;
  int64_t to = *stop < 0 ? *stop + length : *stop;
  from = std::max<int64_t>(from, 0);
  int64_t drop_head = length;
  int64_t drop_tail = 0;
  if (from <= to && from < length) {
    to = std::min(to, length - 1);
    drop_head = from;
    drop_tail = length - to - 1;
  }
  size_t before = entry->AllocatedBytes();
  list->Erase(static_cast<size_t>(length - drop_tail), static_cast<size_t>(drop_tail));
  list->Erase(0, static_cast<size_t>(drop_head));
  ctx.table().NoteResized(entry, before);
  if (list->size() == 0) ctx.table().Erase(entry);
  ctx.reply().Ok();
}

// The keys of LMPOP: numkeys of them after argument 1, when LEFT|RIGHT has room after them
// (otherwise none: the handler then replies with the syntax error on this shard).
void LMPopKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  if (args.size() < 4) return;
  std::optional<int64_t> numkeys = ParseInt(args[1]);
  if (!numkeys || *numkeys <= 0 || static_cast<uint64_t>(*numkeys) > args.size() - 3) return;
  NumKeysPositions(args, 1, out);
}

}  // namespace

ListOpResult PopElements(CommandContext& ctx, std::string_view key, bool left, size_t count,
                         std::vector<std::string>* out) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  if (entry == nullptr) return ListOpResult::kNoList;
  if (entry->type() != ValueType::kList) return ListOpResult::kWrongType;
  PopFrom(ctx, entry, left, count, [&](const ListElement& e) {
    out->emplace_back();
    e.AppendTo(&out->back());
  });
  return ListOpResult::kDone;
}

ListOpResult PushElements(CommandContext& ctx, std::string_view key, bool left,
                          absl::Span<const std::string_view> elements) {
  if (elements.empty()) {
    const Entry* entry = ctx.table().Peek(key, ctx.now_ms());
    return entry != nullptr && entry->type() != ValueType::kList ? ListOpResult::kWrongType
                                                                  : ListOpResult::kDone;
  }
  size_t length = 0;
  return PushTo(ctx, key, left, elements, &length);
}

void RegisterListCommands(CommandTable& table) {
  // clang-format off
  table.Add({.name = "lpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = LPush, .group = "list",
             .summary = "Prepend one or multiple elements to a list"});
  table.Add({.name = "rpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = RPush, .group = "list",
             .summary = "Append one or multiple elements to a list"});
  table.Add({.name = "lpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = LPushX, .group = "list",
             .summary = "Prepend an element to a list, only if the list exists",
             .since = "2.2.0"});
  table.Add({.name = "rpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = RPushX, .group = "list",
             .summary = "Append an element to a list, only if the list exists",
             .since = "2.2.0"});
  table.Add({.name = "lpop", .arity = -2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = LPop, .group = "list",
             .summary = "Remove and get the first elements in a list"});
  table.Add({.name = "rpop", .arity = -2, .flags = kWrite | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = RPop, .group = "list",
             .summary = "Remove and get the last elements in a list"});
  table.Add({.name = "llen", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LLen, .group = "list",
             .summary = "Get the length of a list"});
  table.Add({.name = "lrange", .arity = 4, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LRange, .group = "list",
             .summary = "Get a range of elements from a list"});
  table.Add({.name = "lindex", .arity = 3, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LIndex, .group = "list",
             .summary = "Get an element from a list by its index"});
  table.Add({.name = "lset", .arity = 4, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = LSet, .group = "list",
             .summary = "Set the value of an element in a list by its index"});
  table.Add({.name = "linsert", .arity = 5, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = LInsert, .group = "list",
             .summary = "Insert an element before or after another element in a list",
             .since = "2.2.0"});
  table.Add({.name = "lrem", .arity = 4, .flags = kWrite, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LRem, .group = "list",
             .summary = "Remove elements from a list"});
  table.Add({.name = "ltrim", .arity = 4, .flags = kWrite, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LTrim, .group = "list",
             .summary = "Trim a list to the specified range"});
  table.Add({.name = "lpos", .arity = -3, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = LPos, .group = "list",
             .summary = "Return the index of matching elements on a list", .since = "6.0.6"});
  table.Add({.name = "lmove", .arity = 5, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 2, .step = 1, .handler = LMove, .group = "list",
             .summary = "Pop an element from a list, push it to another list and return it",
             .since = "6.2.0"});
  table.Add({.name = "rpoplpush", .arity = 3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 2, .step = 1, .handler = RPopLPush, .group = "list",
             .summary = "Remove the last element in a list, prepend it to another list and "
                        "return it",
             .since = "1.2.0"});
  table.Add({.name = "lmpop", .arity = -4, .flags = kWrite, .handler = LMPop,
             .keys_fn = LMPopKeys, .group = "list", .summary = "Pop elements from a list",
             .since = "7.0.0"});
  // clang-format on
}

}  // namespace ringtail::commands
