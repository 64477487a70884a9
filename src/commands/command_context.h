// SPDX-License-Identifier: Apache-2.0
// CommandContext: what a handler sees while it runs one command on one shard: the arguments,
// the selected database, the time, and the reply builder. Handlers never know whether the
// command came from a local connection or from another shard through a ring; only Route::kLocal
// commands get the client's state. Shard thread only; valid for one handler call.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/types/span.h"
#include "commands/shard_state.h"
#include "protocol/errors.h"
#include "protocol/reply_builder.h"

namespace ringtail::commands {

class CommandContext {
 public:
  CommandContext(ShardState& shard, absl::Span<const std::string_view> args, uint8_t db,
                 protocol::ReplyBuilder& reply, ClientState* client)
      : shard_(shard), args_(args), db_(db), reply_(reply), client_(client) {}

  size_t argc() const { return args_.size(); }
  // Argument i; arg(0) is the command name as the client sent it.
  std::string_view arg(size_t i) const { return args_[i]; }
  absl::Span<const std::string_view> args() const { return args_; }

  // The selected database of this shard.
  storage::Table& table() { return shard_.dbs[db_]; }
  uint8_t db_index() const { return db_; }
  int64_t now_ms() const { return shard_.clock.now_ms(); }
  protocol::ReplyBuilder& reply() { return reply_; }
  ShardState& shard() { return shard_; }
  // The connection's state; non-null only for Route::kLocal commands.
  ClientState* client() { return client_; }

  // Parses argument i as a Redis integer (no spaces, no '+', fits int64). On failure replies
  // with kNotInteger and returns nullopt, so a handler writes
  //   auto n = ctx.IntArg(2); if (!n) return;
  std::optional<int64_t> IntArg(size_t i);

  // Parses argument i as a double (Redis's rules: "inf", "-inf" allowed, nan rejected). On
  // failure replies with kNotFloat and returns nullopt.
  std::optional<double> DoubleArg(size_t i);

  // Replies with a HELP text: an array of simple strings, one per line.
  void ReplyHelp(absl::Span<const std::string_view> lines) {
    reply_.Array(lines.size());
    for (std::string_view line : lines) reply_.Simple(line);
  }

  // Records a keyspace hit or miss for INFO.
  void CountLookup(bool hit) {
    if (hit) {
      ++shard_.stats.keyspace_hits;
    } else {
      ++shard_.stats.keyspace_misses;
    }
  }

 private:
  ShardState& shard_;
  absl::Span<const std::string_view> args_;
  uint8_t db_;
  protocol::ReplyBuilder& reply_;
  ClientState* client_;
};

// Parses `text` as Redis's string2ll does. Returns nullopt if it is not a valid int64.
std::optional<int64_t> ParseInt(std::string_view text);
// Parses `text` as Redis's string2ld/strtod does for float arguments (no spaces, no nan).
std::optional<double> ParseDouble(std::string_view text);

// The longest text Redis reads as a long double, and the size of the buffer it formats one in
// (MAX_LONG_DOUBLE_CHARS). "%.17Lf" of the largest long double takes under 5000 bytes.
inline constexpr size_t kLongDoubleChars = 5 * 1024;
// Parses `text` as Redis's string2ld (INCRBYFLOAT, HINCRBYFLOAT): strtold must consume it all,
// without leading space; nan, overflow and underflow to zero are rejected (inf and hexadecimal
// are accepted).
std::optional<long double> ParseLongDouble(std::string_view text);
// Formats a finite `value` as Redis stores INCRBYFLOAT results ("human" long double): "%.17Lf"
// without trailing zeros or a trailing '.', and "0" for "-0". Returns the length written to
// `buf`, which holds kLongDoubleChars bytes.
size_t FormatLongDouble(long double value, char* buf);

// Sub-replies of a command that ran on several shards, for Merge::kCustom functions.
struct MergeContext {
  absl::Span<const std::string_view> args;         // the original command
  absl::Span<const std::string_view> sub_replies;  // one complete reply per shard involved
  ShardState& shard;                               // the coordinating shard
  protocol::ReplyBuilder& reply;
};

// Writes the merged reply of `spec` (its Merge rule) for sub-replies. `key_shards[i]` is the
// index into `sub_replies` of the shard that received key i (used by kKeyOrder).
void MergeReplies(const CommandSpec& spec, MergeContext& ctx,
                  absl::Span<const uint32_t> key_shards);

}  // namespace ringtail::commands
