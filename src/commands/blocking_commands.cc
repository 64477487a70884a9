// SPDX-License-Identifier: Apache-2.0
// The blocking list and sorted-set commands: parsing, serving from a key, and their rows. See
// blocking_commands.h for how the waiting is split between this file and the shard.
#include "commands/blocking_commands.h"

#include <cmath>
#include <string>
#include <utility>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/list_commands.h"
#include "commands/registry.h"
#include "commands/zset_commands.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using protocol::kSyntax;
using protocol::kTimeoutNotFloat;
using protocol::kWrongType;
using storage::ValueType;

// Redis 7.0 reads a timeout in seconds as a long double and converts it to whole milliseconds,
// rounding up; a value whose milliseconds do not fit a signed 64-bit integer (inf included)
// wraps to negative there, so it is reported as negative.
bool ParseTimeout(std::string_view text, protocol::ReplyBuilder& reply, int64_t* timeout_ms) {
  std::optional<double> seconds = ParseDouble(text);
  if (!seconds) {
    reply.Error(kTimeoutNotFloat);
    return false;
  }
  double ms = std::ceil(*seconds * 1000.0);
  if (!(ms >= 0) || ms >= 9.2e18) {
    reply.Error(protocol::kTimeoutNegative);
    return false;
  }
  *timeout_ms = static_cast<int64_t>(ms);
  return true;
}

bool ParseSide(std::string_view text, std::string_view first, std::string_view second,
               bool* is_first) {
  if (base::EqualsIgnoreCase(text, first)) {
    *is_first = true;
    return true;
  }
  if (base::EqualsIgnoreCase(text, second)) {
    *is_first = false;
    return true;
  }
  return false;
}

// BLMPOP / BZMPOP: timeout numkeys key [key ...] LEFT|RIGHT (MIN|MAX) [COUNT count].
bool ParseMPop(absl::Span<const std::string_view> args, std::string_view first,
               std::string_view second, protocol::ReplyBuilder& reply, BlockingCall* call) {
  if (!ParseTimeout(args[1], reply, &call->timeout_ms)) return false;
  std::optional<int64_t> numkeys = ParseInt(args[2]);
  if (!numkeys || *numkeys <= 0 || *numkeys > INT32_MAX) {
    reply.Error(protocol::kNumKeysNotPositive);
    return false;
  }
  size_t where = 3 + static_cast<size_t>(*numkeys);
  if (where >= args.size() || !ParseSide(args[where], first, second, &call->left)) {
    reply.Error(kSyntax);
    return false;
  }
  call->keys.assign(args.begin() + 3, args.begin() + static_cast<std::ptrdiff_t>(where));
  bool has_count = false;
  for (size_t i = where + 1; i < args.size(); i += 2) {
    if (!base::EqualsIgnoreCase(args[i], "count") || has_count || i + 1 >= args.size()) {
      reply.Error(kSyntax);
      return false;
    }
    std::optional<int64_t> count = ParseInt(args[i + 1]);
    if (!count || *count <= 0) {
      reply.Error(protocol::kCountNotPositive);
      return false;
    }
    call->count = static_cast<size_t>(*count);
    has_count = true;
  }
  return true;
}

void ReplyScore(protocol::ReplyBuilder& reply, double score) { reply.Double(score); }

// The handler: the non-blocking attempt (see blocking_commands.h).
void ServeOrTimeout(CommandContext& ctx) {
  std::optional<BlockingCall> call = ParseBlockingCall(ctx.args(), ctx.reply());
  if (!call) return;
  if (ServeFromKeys(ctx.shard(), ctx.db_index(), *call, ctx.reply()) == ServeResult::kEmpty) {
    // What Redis replies when it may not block (in MULTI): nil, as a bulk for BLMOVE.
    if (call->kind == BlockingCall::Kind::kListMove) return ctx.reply().Null();
    ReplyTimeout(*call, ctx.reply());
  }
}

void BlmpopKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  NumKeysPositions(args, 2, out);
}

}  // namespace

std::optional<BlockingCall> ParseBlockingCall(absl::Span<const std::string_view> args,
                                              protocol::ReplyBuilder& reply) {
  BlockingCall call;
  std::string name = base::Lower(args[0]);
  if (name == "blpop" || name == "brpop" || name == "bzpopmin" || name == "bzpopmax") {
    call.kind = name[1] == 'z' ? BlockingCall::Kind::kZSetPop : BlockingCall::Kind::kListPop;
    call.left = name == "blpop" || name == "bzpopmin";
    if (!ParseTimeout(args.back(), reply, &call.timeout_ms)) return std::nullopt;
    call.keys.assign(args.begin() + 1, args.end() - 1);
    return call;
  }
  if (name == "brpoplpush") {
    call.kind = BlockingCall::Kind::kListMove;
    call.left = false;
    call.dest_left = true;
    if (!ParseTimeout(args[3], reply, &call.timeout_ms)) return std::nullopt;
    call.keys.push_back(args[1]);
    call.destination = args[2];
    return call;
  }
  if (name == "blmove") {
    call.kind = BlockingCall::Kind::kListMove;
    if (!ParseSide(args[3], "left", "right", &call.left) ||
        !ParseSide(args[4], "left", "right", &call.dest_left)) {
      reply.Error(kSyntax);
      return std::nullopt;
    }
    if (!ParseTimeout(args[5], reply, &call.timeout_ms)) return std::nullopt;
    call.keys.push_back(args[1]);
    call.destination = args[2];
    return call;
  }
  if (name == "blmpop") {
    call.kind = BlockingCall::Kind::kListMPop;
    if (!ParseMPop(args, "left", "right", reply, &call)) return std::nullopt;
    return call;
  }
  // bzmpop
  call.kind = BlockingCall::Kind::kZSetMPop;
  if (!ParseMPop(args, "min", "max", reply, &call)) return std::nullopt;
  return call;
}

ServeResult ServeFromKey(ShardState& shard, uint8_t db, const BlockingCall& call,
                         std::string_view key, protocol::ReplyBuilder& reply) {
  storage::Table& table = shard.dbs[db];
  const storage::Entry* entry = table.Peek(key, shard.clock.now_ms());
  if (entry == nullptr) return ServeResult::kEmpty;
  if (entry->type() != call.wanted_type()) {
    reply.Error(kWrongType);
    return ServeResult::kServed;
  }
  std::string_view no_args[1] = {"blocking"};
  CommandContext ctx(shard, no_args, db, reply, nullptr);
  switch (call.kind) {
    case BlockingCall::Kind::kListPop:
    case BlockingCall::Kind::kListMPop: {
      std::vector<std::string> elements;
      size_t count = call.kind == BlockingCall::Kind::kListPop ? 1 : call.count;
      if (PopElements(ctx, key, call.left, count, &elements) != ListOpResult::kDone) {
        return ServeResult::kEmpty;
      }
      reply.Array(2);
      reply.Bulk(key);
      if (call.kind == BlockingCall::Kind::kListPop) {
        reply.Bulk(elements.front());
      } else {
        reply.Array(elements.size());
        for (const std::string& element : elements) reply.Bulk(element);
      }
      return ServeResult::kServed;
    }
    case BlockingCall::Kind::kListMove: {
      // LMOVE itself: it checks the destination's type first and rotates in place (keeping the
      // key's TTL) when the source is the destination.
      std::string_view lmove[] = {"lmove", key, call.destination, call.left ? "left" : "right",
                                  call.dest_left ? "left" : "right"};
      CommandContext move_ctx(shard, lmove, db, reply, nullptr);
      shard.commands->Find("lmove")->handler(move_ctx);
      return ServeResult::kServed;
    }
    case BlockingCall::Kind::kZSetPop:
    case BlockingCall::Kind::kZSetMPop: {
      std::vector<std::pair<std::string, double>> members;
      size_t count = call.kind == BlockingCall::Kind::kZSetPop ? 1 : call.count;
      if (PopMembers(ctx, key, call.left, count, &members) != ZSetOpResult::kDone) {
        return ServeResult::kEmpty;
      }
      if (call.kind == BlockingCall::Kind::kZSetPop) {
        reply.Array(3);
        reply.Bulk(key);
        reply.Bulk(members.front().first);
        ReplyScore(reply, members.front().second);
      } else {
        reply.Array(2);
        reply.Bulk(key);
        reply.Array(members.size());
        for (const auto& [member, score] : members) {
          reply.Array(2);
          reply.Bulk(member);
          ReplyScore(reply, score);
        }
      }
      return ServeResult::kServed;
    }
  }
  return ServeResult::kEmpty;
}

ServeResult ServeFromKeys(ShardState& shard, uint8_t db, const BlockingCall& call,
                          protocol::ReplyBuilder& reply) {
  for (std::string_view key : call.keys) {
    if (ServeFromKey(shard, db, call, key, reply) == ServeResult::kServed) {
      return ServeResult::kServed;
    }
  }
  return ServeResult::kEmpty;
}

void ReplyTimeout(const BlockingCall& /*call*/, protocol::ReplyBuilder& reply) {
  reply.NullArray();
}

void RegisterBlockingCommands(CommandTable& table) {
  constexpr uint32_t kFlags = kWrite | kNoScript | kBlocking;
  table.Add({.name = "blpop", .arity = -3, .flags = kFlags, .first_key = 1, .last_key = -2,
             .step = 1, .handler = ServeOrTimeout, .group = "list",
             .summary = "Remove and get the first element in a list, or block until one is "
                        "available",
             .since = "2.0.0"});
  table.Add({.name = "brpop", .arity = -3, .flags = kFlags, .first_key = 1, .last_key = -2,
             .step = 1, .handler = ServeOrTimeout, .group = "list",
             .summary = "Remove and get the last element in a list, or block until one is "
                        "available",
             .since = "2.0.0"});
  table.Add({.name = "brpoplpush", .arity = 4, .flags = kFlags | kDenyOom, .first_key = 1,
             .last_key = 2, .step = 1, .handler = ServeOrTimeout, .group = "list",
             .summary = "Pop an element from a list, push it to another list and return it; or "
                        "block until one is available",
             .since = "2.2.0"});
  table.Add({.name = "blmove", .arity = 6, .flags = kFlags | kDenyOom, .first_key = 1,
             .last_key = 2, .step = 1, .handler = ServeOrTimeout, .group = "list",
             .summary = "Pop an element from a list, push it to another list and return it; or "
                        "block until one is available",
             .since = "6.2.0"});
  table.Add({.name = "blmpop", .arity = -5, .flags = kWrite | kBlocking, .handler = ServeOrTimeout,
             .keys_fn = BlmpopKeys, .group = "list",
             .summary = "Pop elements from a list, or block until one is available",
             .since = "7.0.0"});
  table.Add({.name = "bzpopmin", .arity = -3, .flags = kFlags | kFast, .first_key = 1,
             .last_key = -2, .step = 1, .handler = ServeOrTimeout, .group = "sorted-set",
             .summary = "Remove and return the member with the lowest score from one or more "
                        "sorted sets, or block until one is available",
             .since = "5.0.0"});
  table.Add({.name = "bzpopmax", .arity = -3, .flags = kFlags | kFast, .first_key = 1,
             .last_key = -2, .step = 1, .handler = ServeOrTimeout, .group = "sorted-set",
             .summary = "Remove and return the member with the highest score from one or more "
                        "sorted sets, or block until one is available",
             .since = "5.0.0"});
  table.Add({.name = "bzmpop", .arity = -5, .flags = kWrite | kBlocking, .handler = ServeOrTimeout,
             .keys_fn = BlmpopKeys, .group = "sorted-set",
             .summary = "Remove and return members with scores in a sorted set or block until "
                        "one is available",
             .since = "7.0.0"});
}

}  // namespace ringtail::commands
