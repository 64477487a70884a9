// SPDX-License-Identifier: Apache-2.0
// The set command family: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
// SRANDMEMBER, SMOVE, SINTER, SUNION, SDIFF, SINTERCARD, SINTERSTORE, SUNIONSTORE, SDIFFSTORE and
// SSCAN, with Redis 7's replies and error texts (RESP3: sets for SMEMBERS, SINTER, SUNION, SDIFF
// and SPOP with a count; arrays for SRANDMEMBER with a count and SMISMEMBER). The value type and
// its encodings are storage::Set. Registered by RegisterSetCommands; each handler runs on the
// shard thread that owns its keys (multi-key commands need all their keys on one shard).
//
// Keyspace statistics: as in Redis, reads of a set (SMEMBERS, SISMEMBER, SMISMEMBER, SCARD,
// SRANDMEMBER, SSCAN, and the source keys of SINTER/SUNION/SDIFF, their STORE forms and
// SINTERCARD) count a hit or a miss; SADD, SREM, SPOP and SMOVE look their keys up for writing,
// which Redis does not count.
//
// Computed sets (SUNION, SDIFF and every STORE form) are built as Redis 7.2 builds them: a new
// set starts as an empty intset and receives the members one by one, converting as its limits
// say, so a stored result has the encoding Redis would give it.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/scan_args.h"
#include "commands/command_table.h"
#include "commands/registry.h"
#include "protocol/errors.h"
#include "storage/set.h"

namespace ringtail::commands {
namespace {

using protocol::kInvalidCursor;
using protocol::kNegativeCount;
using protocol::kNotInteger;
using protocol::kRandCountOutOfRange;
using protocol::kSetLimitNegative;
using protocol::kNumKeysNotPositive;
using protocol::kSetNumKeysTooMany;
using protocol::kSyntax;
using protocol::kWrongType;
using storage::Entry;
using storage::Set;
using storage::ValueType;

// ---------------------------------------------------------------------------------------------
// Shared pieces

// Looks `key` up for reading, counted as a keyspace hit or miss. Returns false after replying
// WRONGTYPE when it holds another type; otherwise *set is its set, or nullptr if it is absent.
bool ReadSet(CommandContext& ctx, std::string_view key, Set** set) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  *set = nullptr;
  if (entry == nullptr) return true;
  if (entry->type() != ValueType::kSet) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  *set = entry->set();
  return true;
}

// Looks `key` up for writing (not counted). Returns false after replying WRONGTYPE when it
// holds another type; otherwise *entry is its entry, or nullptr if it is absent.
bool WriteSet(CommandContext& ctx, std::string_view key, Entry** entry) {
  *entry = ctx.table().Find(key, ctx.now_ms());
  if (*entry != nullptr && (*entry)->type() != ValueType::kSet) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  return true;
}

// Replies with the members of `set` as a RESP3 set (an array in RESP2).
void ReplyMembers(CommandContext& ctx, const Set& set) {
  ctx.reply().Set(set.size());
  set.ForEach([&](std::string_view member) { ctx.reply().Bulk(member); });
}

// An aggregate reply whose length is known only at the end (SINTER, SSCAN's members): the
// elements are written first, then the header is inserted before them.
class DeferredAggregate {
 public:
  explicit DeferredAggregate(protocol::ReplyBuilder& reply)
      : reply_(reply), start_(reply.buffer()->size()) {}
  void Bulk(std::string_view bytes) {
    reply_.Bulk(bytes);
    ++count_;
  }
  // Inserts the header: a set (RESP3) or an array.
  void FinishSet() { Finish(true); }
  void FinishArray() { Finish(false); }

 private:
  void Finish(bool is_set) {
    std::string header;  // a few bytes: no allocation
    protocol::ReplyBuilder builder(&header, reply_.resp3());
    if (is_set) {
      builder.Set(count_);
    } else {
      builder.Array(count_);
    }
    reply_.buffer()->insert(start_, header);
  }

  protocol::ReplyBuilder& reply_;
  size_t start_;
  size_t count_ = 0;
};

// Stores `result` at `dest` as SINTERSTORE, SUNIONSTORE and SDIFFSTORE do: whatever `dest`
// held (of any type, with any deadline) is replaced, or deleted when the result is empty.
// Replies with the size of the result.
void StoreResult(CommandContext& ctx, std::string_view dest, std::unique_ptr<Set> result) {
  size_t size = result->size();
  if (size == 0) {
    ctx.table().Erase(dest, ctx.now_ms());
    return ctx.reply().Int(0);
  }
  Entry* entry = ctx.table().FindOrInsert(dest, ctx.now_ms()).entry;
  ctx.table().SetObject(entry, std::move(result));
  if (entry->has_expiry()) entry = ctx.table().SetExpiry(entry, 0);
  ctx.reply().Int(static_cast<int64_t>(size));
}

// The source sets of a multi-key command, looked up for reading: nullptr for an absent key.
// Returns false after replying WRONGTYPE if any key holds another type (every key is checked,
// as Redis does, even after an absent one).
bool ReadSets(CommandContext& ctx, size_t first, size_t last, std::vector<Set*>* sets) {
  sets->clear();
  for (size_t i = first; i <= last; ++i) {
    Set* set;
    if (!ReadSet(ctx, ctx.arg(i), &set)) return false;
    sets->push_back(set);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// SADD / SREM / SMEMBERS / SISMEMBER / SMISMEMBER / SCARD

// SADD key member [member ...]
void SAdd(CommandContext& ctx) {
  const storage::EncodingLimits& limits = ctx.shard().limits;
  size_t members = ctx.argc() - 2;
  auto [entry, inserted] = ctx.table().FindOrInsert(ctx.arg(1), ctx.now_ms());
  if (!inserted && entry->type() != ValueType::kSet) return ctx.reply().Error(kWrongType);
  if (inserted) ctx.table().SetObject(entry, Set::Create(ctx.arg(2), members, limits));
  size_t before = entry->AllocatedBytes();
  Set* set = entry->set();
  set->PrepareForAdds(members, limits);
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) added += set->Add(ctx.arg(i), limits) ? 1 : 0;
  ctx.table().NoteResized(entry, before);
  ctx.reply().Int(added);
}

// SREM key member [member ...]
void SRem(CommandContext& ctx) {
  Entry* entry;
  if (!WriteSet(ctx, ctx.arg(1), &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  size_t before = entry->AllocatedBytes();
  Set* set = entry->set();
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc() && set->size() > 0; ++i) {
    removed += set->Remove(ctx.arg(i)) ? 1 : 0;
  }
  ctx.table().NoteResized(entry, before);
  if (set->size() == 0) ctx.table().Erase(entry);
  ctx.reply().Int(removed);
}

void SMembers(CommandContext& ctx) {
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  if (set == nullptr) return ctx.reply().Set(0);
  ReplyMembers(ctx, *set);
}

void SIsMember(CommandContext& ctx) {
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  ctx.reply().Int(set != nullptr && set->Contains(ctx.arg(2)) ? 1 : 0);
}

// SMISMEMBER key member [member ...]: an absent key is an empty set (all zeros).
void SMIsMember(CommandContext& ctx) {
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  ctx.reply().Array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply().Int(set != nullptr && set->Contains(ctx.arg(i)) ? 1 : 0);
  }
}

void SCard(CommandContext& ctx) {
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  ctx.reply().Int(set == nullptr ? 0 : static_cast<int64_t>(set->size()));
}

// ---------------------------------------------------------------------------------------------
// SPOP / SRANDMEMBER

// SPOP key [count]. Without a count: one member or a null. With a count (a non-negative
// integer, checked before the key): a set of up to `count` members, the whole set (and the key
// deleted) when it has no more.
void SPop(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply().Error(kSyntax);
  std::optional<int64_t> count;
  if (ctx.argc() == 3) {
    count = ParseInt(ctx.arg(2));
    if (!count || *count < 0) return ctx.reply().Error(kNegativeCount);
  }
  Entry* entry;
  if (!WriteSet(ctx, ctx.arg(1), &entry)) return;
  if (entry == nullptr) {
    if (count) return ctx.reply().Set(0);
    return ctx.reply().Null();
  }
  Set* set = entry->set();
  if (!count) {
    size_t before = entry->AllocatedBytes();
    std::string member = set->PopRandom(ctx.shard().rng);
    ctx.table().NoteResized(entry, before);
    if (set->size() == 0) ctx.table().Erase(entry);
    return ctx.reply().Bulk(member);
  }
  if (*count == 0) return ctx.reply().Set(0);
  if (static_cast<uint64_t>(*count) >= set->size()) {
    ReplyMembers(ctx, *set);
    return ctx.table().Erase(entry);
  }
  size_t before = entry->AllocatedBytes();
  ctx.reply().Set(static_cast<size_t>(*count));
  set->PopRandomMany(static_cast<size_t>(*count), ctx.shard().rng, ctx.shard().limits,
                     [&](std::string_view member) { ctx.reply().Bulk(member); });
  ctx.table().NoteResized(entry, before);
}

// SRANDMEMBER key [count]. Without a count: one member or a null. With a count (checked before
// the key), an array: a positive count gives that many distinct members (the whole set if it
// has no more), a negative one that many independent picks, which may repeat.
void SRandMember(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply().Error(kSyntax);
  absl::BitGen& rng = ctx.shard().rng;
  Set::IntBuffer buffer;
  if (ctx.argc() == 2) {
    Set* set;
    if (!ReadSet(ctx, ctx.arg(1), &set)) return;
    if (set == nullptr) return ctx.reply().Null();
    return ctx.reply().Bulk(set->RandomMember(rng, buffer));
  }
  std::optional<int64_t> count = ctx.IntArg(2);
  if (!count) return;
  if (*count == std::numeric_limits<int64_t>::min()) return ctx.reply().Error(kRandCountOutOfRange);
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  if (set == nullptr || *count == 0) return ctx.reply().Array(0);
  bool distinct = *count > 0;
  auto wanted = static_cast<size_t>(distinct ? *count : -*count);
  if (!distinct || wanted == 1) {
    ctx.reply().Array(wanted);
    for (size_t i = 0; i < wanted; ++i) ctx.reply().Bulk(set->RandomMember(rng, buffer));
    return;
  }
  if (wanted >= set->size()) {
    ctx.reply().Array(set->size());
    return set->ForEach([&](std::string_view member) { ctx.reply().Bulk(member); });
  }
  ctx.reply().Array(wanted);
  set->RandomDistinct(wanted, rng, [&](std::string_view member) { ctx.reply().Bulk(member); });
}

// ---------------------------------------------------------------------------------------------
// SMOVE

// SMOVE source destination member: 1 if `member` was in `source` (and is now in
// `destination`), else 0. Both keys must be sets or absent.
void SMove(CommandContext& ctx) {
  std::string_view member = ctx.arg(3);
  Entry* source = ctx.table().Find(ctx.arg(1), ctx.now_ms());
  Entry* dest = ctx.table().Find(ctx.arg(2), ctx.now_ms());
  if (source == nullptr) return ctx.reply().Int(0);
  if (source->type() != ValueType::kSet || (dest != nullptr && dest->type() != ValueType::kSet)) {
    return ctx.reply().Error(kWrongType);
  }
  if (source == dest) return ctx.reply().Int(source->set()->Contains(member) ? 1 : 0);
  size_t before = source->AllocatedBytes();
  if (!source->set()->Remove(member)) return ctx.reply().Int(0);
  ctx.table().NoteResized(source, before);
  if (source->set()->size() == 0) ctx.table().Erase(source);

  const storage::EncodingLimits& limits = ctx.shard().limits;
  if (dest == nullptr) {
    dest = ctx.table().FindOrInsert(ctx.arg(2), ctx.now_ms()).entry;
    ctx.table().SetObject(dest, Set::Create(member, 1, limits));
  }
  before = dest->AllocatedBytes();
  dest->set()->Add(member, limits);
  ctx.table().NoteResized(dest, before);
  ctx.reply().Int(1);
}

// ---------------------------------------------------------------------------------------------
// SINTER / SINTERCARD / SINTERSTORE

// What an intersection produces.
struct InterOutput {
  DeferredAggregate* reply = nullptr;  // SINTER: the members
  Set* store = nullptr;                // SINTERSTORE: the result set
  size_t limit = 0;                    // SINTERCARD: stop at this many (0: no limit)
};

// Intersects `sets` (nullptr: an absent key, an empty set) into `out`; returns its size.
size_t Intersect(std::vector<Set*>& sets, const storage::EncodingLimits& limits,
                 const InterOutput& out) {
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return 0;
  // Walk the smallest set and probe the others, smallest first: the fewest probes.
  std::sort(sets.begin(), sets.end(),
            [](const Set* a, const Set* b) { return a->size() < b->size(); });
  size_t count = 0;
  bool done = false;
  sets[0]->ForEach([&](std::string_view member) {
    if (done) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !sets[j]->Contains(member)) return;
    }
    ++count;
    if (out.reply != nullptr) out.reply->Bulk(member);
    if (out.store != nullptr) out.store->Add(member, limits);
    done = out.limit != 0 && count >= out.limit;
  });
  return count;
}

// SINTER key [key ...]
void SInter(CommandContext& ctx) {
  std::vector<Set*> sets;
  if (!ReadSets(ctx, 1, ctx.argc() - 1, &sets)) return;
  DeferredAggregate members(ctx.reply());
  Intersect(sets, ctx.shard().limits, {.reply = &members});
  members.FinishSet();
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void SInterCard(CommandContext& ctx) {
  std::optional<int64_t> numkeys = ParseInt(ctx.arg(1));
  if (!numkeys || *numkeys < 1) return ctx.reply().Error(kNumKeysNotPositive);
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - 2) {
    return ctx.reply().Error(kSetNumKeysTooMany);
  }
  size_t last_key = 1 + static_cast<size_t>(*numkeys);
  int64_t limit = 0;
  for (size_t i = last_key + 1; i < ctx.argc(); ++i) {
    if (base::EqualsIgnoreCase(ctx.arg(i), "limit") && i + 1 < ctx.argc()) {
      std::optional<int64_t> n = ParseInt(ctx.arg(++i));
      if (!n || *n < 0) return ctx.reply().Error(kSetLimitNegative);
      limit = *n;
    } else {
      return ctx.reply().Error(kSyntax);
    }
  }
  std::vector<Set*> sets;
  if (!ReadSets(ctx, 2, last_key, &sets)) return;
  size_t count = Intersect(sets, ctx.shard().limits, {.limit = static_cast<size_t>(limit)});
  ctx.reply().Int(static_cast<int64_t>(count));
}

// SINTERSTORE destination key [key ...]
void SInterStore(CommandContext& ctx) {
  std::vector<Set*> sets;
  if (!ReadSets(ctx, 2, ctx.argc() - 1, &sets)) return;
  auto result = std::make_unique<Set>();
  Intersect(sets, ctx.shard().limits, {.store = result.get()});
  StoreResult(ctx, ctx.arg(1), std::move(result));
}

// ---------------------------------------------------------------------------------------------
// SUNION / SDIFF and their STORE forms

// The union of `sets` (nullptr: an absent key), built as Redis builds it.
std::unique_ptr<Set> Union(const std::vector<Set*>& sets, const storage::EncodingLimits& limits) {
  auto result = std::make_unique<Set>();
  for (const Set* set : sets) {
    if (set == nullptr) continue;
    set->ForEach([&](std::string_view member) { result->Add(member, limits); });
  }
  return result;
}

// The members of the first of `sets` in none of the others, computed as Redis chooses: either
// probe the others for each member of the first (when the first is small), or copy the first
// and remove the members of the others. The choice shows only in a stored result's encoding
// (a copy that grew past a limit stays converted).
std::unique_ptr<Set> Difference(std::vector<Set*>& sets, const storage::EncodingLimits& limits) {
  auto result = std::make_unique<Set>();
  Set* first = sets[0];
  if (first == nullptr) return result;
  if (std::find(sets.begin() + 1, sets.end(), first) != sets.end()) return result;  // A - A
  size_t probe_work = 0;
  size_t copy_work = 0;
  for (const Set* set : sets) {
    if (set == nullptr) continue;
    probe_work += first->size();
    copy_work += set->size();
  }
  if (probe_work / 2 <= copy_work) {
    // Probe the largest sets first: a member found early needs fewer probes.
    std::sort(sets.begin() + 1, sets.end(), [](const Set* a, const Set* b) {
      return (a == nullptr ? 0 : a->size()) > (b == nullptr ? 0 : b->size());
    });
    first->ForEach([&](std::string_view member) {
      for (size_t j = 1; j < sets.size(); ++j) {
        if (sets[j] != nullptr && sets[j]->Contains(member)) return;
      }
      result->Add(member, limits);
    });
    return result;
  }
  first->ForEach([&](std::string_view member) { result->Add(member, limits); });
  for (size_t j = 1; j < sets.size() && result->size() > 0; ++j) {
    if (sets[j] == nullptr) continue;
    sets[j]->ForEach([&](std::string_view member) { result->Remove(member); });
  }
  return result;
}

enum class SetOp : uint8_t { kUnion, kDiff };

// SUNION/SDIFF key [key ...] (store == false) and SUNIONSTORE/SDIFFSTORE destination key
// [key ...] (store == true).
void UnionOrDiff(CommandContext& ctx, SetOp op, bool store) {
  std::vector<Set*> sets;
  if (!ReadSets(ctx, store ? 2 : 1, ctx.argc() - 1, &sets)) return;
  const storage::EncodingLimits& limits = ctx.shard().limits;
  std::unique_ptr<Set> result =
      op == SetOp::kUnion ? Union(sets, limits) : Difference(sets, limits);
  if (store) return StoreResult(ctx, ctx.arg(1), std::move(result));
  ReplyMembers(ctx, *result);
}

void SUnion(CommandContext& ctx) { UnionOrDiff(ctx, SetOp::kUnion, false); }
void SUnionStore(CommandContext& ctx) { UnionOrDiff(ctx, SetOp::kUnion, true); }
void SDiff(CommandContext& ctx) { UnionOrDiff(ctx, SetOp::kDiff, false); }
void SDiffStore(CommandContext& ctx) { UnionOrDiff(ctx, SetOp::kDiff, true); }

// ---------------------------------------------------------------------------------------------
// SSCAN

// SSCAN key cursor [MATCH pattern] [COUNT count]. As in Redis, the key is looked up before the
// options are read: an absent key replies an empty, finished scan whatever they say.
void SScan(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply().Error(kInvalidCursor);
  Set* set;
  if (!ReadSet(ctx, ctx.arg(1), &set)) return;
  if (set == nullptr) {
    ctx.reply().Array(2);
    ctx.reply().Bulk("0");
    return ctx.reply().Array(0);
  }
  std::optional<ScanOptions> options = ParseScanOptions(ctx, 3, false);
  if (!options) return;
  // The cursor comes first in the reply but is known last: reply with it after the members,
  // whose header is inserted before them.
  ctx.reply().Array(2);
  size_t cursor_at = ctx.reply().buffer()->size();
  DeferredAggregate members(ctx.reply());
  uint64_t next = set->Scan(*cursor, options->count, [&](std::string_view member) {
    if (options->Matches(member)) members.Bulk(member);
  });
  members.FinishArray();
  std::array<char, 24> digits;  // holds any uint64_t, so to_chars cannot fail
  char* end = std::to_chars(digits.data(), digits.data() + digits.size(), next).ptr;
  std::string cursor_bulk;  // "$<n>\r\n<digits>\r\n"
  protocol::ReplyBuilder(&cursor_bulk, false)
      .Bulk(std::string_view(digits.data(), static_cast<size_t>(end - digits.data())));
  ctx.reply().buffer()->insert(cursor_at, cursor_bulk);
}

// ---------------------------------------------------------------------------------------------
// Routing of SINTERCARD, whose keys follow its numkeys argument.

void SInterCardKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  NumKeysPositions(args, 1, out);
}

}  // namespace

void RegisterSetCommands(CommandTable& table) {
  constexpr uint32_t kWriteFast = kWrite | kFast;
  // clang-format off
  table.Add({.name = "sadd", .arity = -3, .flags = kWrite | kDenyOom | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SAdd, .group = "set",
             .summary = "Add one or more members to a set"});
  table.Add({.name = "srem", .arity = -3, .flags = kWriteFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SRem, .group = "set",
             .summary = "Remove one or more members from a set"});
  table.Add({.name = "smembers", .arity = 2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SMembers, .group = "set",
             .summary = "Get all the members in a set"});
  table.Add({.name = "sismember", .arity = 3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SIsMember, .group = "set",
             .summary = "Determine if a given value is a member of a set"});
  table.Add({.name = "smismember", .arity = -3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SMIsMember, .group = "set",
             .summary = "Returns the membership associated with the given elements for a set",
             .since = "6.2.0"});
  table.Add({.name = "scard", .arity = 2, .flags = kRead | kFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SCard, .group = "set",
             .summary = "Get the number of members in a set"});
  table.Add({.name = "spop", .arity = -2, .flags = kWriteFast, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SPop, .group = "set",
             .summary = "Remove and return one or multiple random members from a set"});
  table.Add({.name = "srandmember", .arity = -2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SRandMember, .group = "set",
             .summary = "Get one or multiple random members from a set"});
  table.Add({.name = "smove", .arity = 4, .flags = kWriteFast, .first_key = 1, .last_key = 2,
             .step = 1, .handler = SMove, .group = "set",
             .summary = "Move a member from one set to another"});
  table.Add({.name = "sinter", .arity = -2, .flags = kRead, .first_key = 1, .last_key = -1,
             .step = 1, .handler = SInter, .group = "set", .summary = "Intersect multiple sets"});
  table.Add({.name = "sunion", .arity = -2, .flags = kRead, .first_key = 1, .last_key = -1,
             .step = 1, .handler = SUnion, .group = "set", .summary = "Add multiple sets"});
  table.Add({.name = "sdiff", .arity = -2, .flags = kRead, .first_key = 1, .last_key = -1,
             .step = 1, .handler = SDiff, .group = "set", .summary = "Subtract multiple sets"});
  table.Add({.name = "sintercard", .arity = -3, .flags = kRead, .handler = SInterCard,
             .keys_fn = SInterCardKeys, .group = "set",
             .summary = "Intersect multiple sets and return the cardinality of the result",
             .since = "7.0.0"});
  table.Add({.name = "sinterstore", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 1, .handler = SInterStore, .group = "set",
             .summary = "Intersect multiple sets and store the resulting set in a key"});
  table.Add({.name = "sunionstore", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 1, .handler = SUnionStore, .group = "set",
             .summary = "Add multiple sets and store the resulting set in a key"});
  table.Add({.name = "sdiffstore", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = -1, .step = 1, .handler = SDiffStore, .group = "set",
             .summary = "Subtract multiple sets and store the resulting set in a key"});
  table.Add({.name = "sscan", .arity = -3, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SScan, .group = "set",
             .summary = "Incrementally iterate Set elements", .since = "2.8.0"});
  // clang-format on
}

}  // namespace ringtail::commands
