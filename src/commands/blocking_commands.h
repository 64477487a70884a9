// SPDX-License-Identifier: Apache-2.0
// Blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP): how one is
// parsed, and how it is served from a key on the shard that owns the key. The waiting itself
// (queues of blocked clients per key, wake-ups, timeouts, clients whose keys live on several
// shards) belongs to the shard (shard/blocking.h), which calls these functions.
//
// The handlers registered for these commands are the non-blocking attempt: serve now from the
// first key that can, else reply as on a timeout (what Redis does inside MULTI). The shard
// routes the commands to its blocking machinery instead whenever they come from a client.
// Shard thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "commands/command_table.h"
#include "commands/shard_state.h"
#include "protocol/reply_builder.h"
#include "storage/entry.h"

namespace ringtail::commands {

// A parsed blocking command. Views point into the arguments it was parsed from.
struct BlockingCall {
  enum class Kind : uint8_t {
    kListPop,   // BLPOP, BRPOP: reply [key, element]
    kListMove,  // BLMOVE, BRPOPLPUSH: reply element
    kListMPop,  // BLMPOP: reply [key, [elements]]
    kZSetPop,   // BZPOPMIN, BZPOPMAX: reply [key, member, score]
    kZSetMPop,  // BZMPOP: reply [key, [[member, score], ...]]
  };
  Kind kind = Kind::kListPop;
  bool left = true;       // lists: pop from the head; sorted sets: pop the minimum
  bool dest_left = true;  // BLMOVE: push to the head of the destination
  size_t count = 1;
  int64_t timeout_ms = 0;  // 0: wait forever
  std::vector<std::string_view> keys;  // the keys waited on, in order
  std::string_view destination;        // BLMOVE, BRPOPLPUSH

  // The type a waited-on key must hold to serve the call.
  storage::ValueType wanted_type() const {
    return kind == Kind::kZSetPop || kind == Kind::kZSetMPop ? storage::ValueType::kZSet
                                                             : storage::ValueType::kList;
  }
};

// Parses the arguments of a blocking command (args[0] is its name). On a malformed call,
// replies with Redis's error and returns nullopt.
std::optional<BlockingCall> ParseBlockingCall(absl::Span<const std::string_view> args,
                                              protocol::ReplyBuilder& reply);

enum class ServeResult : uint8_t {
  kServed,  // the reply is written (elements popped, or a WRONGTYPE error)
  kEmpty,   // `key` holds nothing to serve from; nothing written
};

// On the shard that owns `key`: serves `call` from `key` in database `db` if it holds a list or
// sorted set of the wanted type (popping, and for BLMOVE pushing to the destination, which must
// be on this shard), replying as the command does. A key of another type is served with
// WRONGTYPE, as Redis does for a key found when the command runs.
ServeResult ServeFromKey(ShardState& shard, uint8_t db, const BlockingCall& call,
                         std::string_view key, protocol::ReplyBuilder& reply);

// Tries the keys of `call` in order until one serves it. REQUIRES: all on this shard.
ServeResult ServeFromKeys(ShardState& shard, uint8_t db, const BlockingCall& call,
                          protocol::ReplyBuilder& reply);

// The reply of `call` when its timeout passes: a null array, for every blocking command (BLMOVE
// included, as Redis does).
void ReplyTimeout(const BlockingCall& call, protocol::ReplyBuilder& reply);

}  // namespace ringtail::commands
