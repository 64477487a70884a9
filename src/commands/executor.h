// SPDX-License-Identifier: Apache-2.0
// Running one parsed command on one shard: the checks every command goes through (unknown
// command, arity, maxmemory) with Redis's error texts, the call of the handler and its
// statistics. The shard's dispatcher uses these pieces around its routing; tests use
// RunOnSingleShard, which is the whole path for a server with one shard. Shard thread only.
#pragma once

#include <string_view>

#include "absl/types/span.h"
#include "commands/command_context.h"

namespace ringtail::commands {

// Looks up args[0]. If the command is unknown or its arity is wrong, writes Redis's error to
// `reply` and returns nullptr.
const CommandSpec* LookupCommand(const CommandTable& table, absl::Span<const std::string_view> args,
                                 protocol::ReplyBuilder& reply);
// The same, first trying the shard's last command (pipelines repeat one command).
const CommandSpec* LookupCommand(ShardState& shard, absl::Span<const std::string_view> args,
                                 protocol::ReplyBuilder& reply);

// Calls the handler of `spec` on `shard`. With `count_call`, the call is counted in the shard's
// statistics (a command split over shards is counted once, by the shard that split it).
// maxmemory: before a kDenyOom command, a shard whose dataset exceeds its share of maxmemory
// (maxmemory / shard_count) evicts keys by maxmemory-policy; if it cannot get under its share
// (noeviction, nothing evictable), it replies with Redis's OOM error instead of calling the
// handler and counts a rejected call.
void Execute(const CommandSpec& spec, ShardState& shard, absl::Span<const std::string_view> args,
             uint8_t db, protocol::ReplyBuilder& reply, ClientState* client,
             bool count_call = true);

// Records the command in the client's state for CLIENT LIST ("get", "client|list").
void NoteLastCommand(const CommandSpec& spec, absl::Span<const std::string_view> args,
                     ClientState& client);

// Counts one call of `spec` that ran elsewhere or in parts.
void CountCall(const CommandSpec& spec, ShardState& shard, uint64_t cycles, bool failed);

// Runs a whole command on a one-shard server: lookup, arity, routing (every route resolves to
// this shard) and merging. Used by the command tests and by the single-shard fast path.
void RunOnSingleShard(ShardState& shard, absl::Span<const std::string_view> args,
                      protocol::ReplyBuilder& reply, ClientState& client);

}  // namespace ringtail::commands
