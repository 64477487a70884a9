// SPDX-License-Identifier: Apache-2.0
#include "commands/executor.h"

#include <string>

#include "base/clock.h"
#include "base/strings.h"

namespace ringtail::commands {

const CommandSpec* LookupCommand(const CommandTable& table, absl::Span<const std::string_view> args,
                                 protocol::ReplyBuilder& reply) {
  const CommandSpec* spec = table.Find(args[0]);
  if (spec == nullptr) {
    std::string arg_list;
    for (size_t i = 1; i < args.size() && arg_list.size() < 128; ++i) {
      size_t room = 128 - arg_list.size();
      arg_list.append("'").append(args[i].substr(0, room)).append("' ");
    }
    std::string error = "ERR unknown command '";
    error.append(args[0].substr(0, 128)).append("', with args beginning with: ").append(arg_list);
    reply.Error(error);
    return nullptr;
  }
  if (!ArityOk(*spec, args.size())) {
    std::string error = "ERR wrong number of arguments for '";
    error.append(spec->name).append("' command");
    reply.Error(error);
    return nullptr;
  }
  return spec;
}

void NoteLastCommand(const CommandSpec& spec, absl::Span<const std::string_view> args,
                     ClientState& client) {
  client.last_command = spec.name;
  if (!spec.subcommands.empty() && args.size() > 1) {
    client.last_command.push_back('|');
    client.last_command.append(base::Lower(args[1]));
  }
}

void CountCall(const CommandSpec& spec, ShardState& shard, uint64_t usec, bool failed) {
  CommandStats& stats = shard.stats.commands[spec.id];
  stats.usec += usec;
  ++stats.calls;
  ++shard.stats.total_commands_processed;
  if (failed) {
    ++stats.failed_calls;
    ++shard.stats.total_error_replies;
  }
}

void Execute(const CommandSpec& spec, ShardState& shard, absl::Span<const std::string_view> args,
             uint8_t db, protocol::ReplyBuilder& reply, ClientState* client, bool count_call) {
  size_t before = reply.buffer()->size();
  int64_t start_us = count_call ? base::Clock::MonotonicUs() : 0;
  CommandContext ctx(shard, args, db, reply, client);
  spec.handler(ctx);
  if (!count_call) return;
  const std::string& out = *reply.buffer();
  CountCall(spec, shard, static_cast<uint64_t>(base::Clock::MonotonicUs() - start_us),
            out.size() > before && out[before] == '-');
}

void RunOnSingleShard(ShardState& shard, absl::Span<const std::string_view> args,
                      protocol::ReplyBuilder& reply, ClientState& client) {
  const CommandSpec* spec = LookupCommand(*shard.commands, args, reply);
  if (spec == nullptr) return;
  NoteLastCommand(*spec, args, client);
  switch (spec->RouteFor(args)) {
    case Route::kKeys:
    case Route::kLocal:
    case Route::kScanCursor:
      return Execute(*spec, shard, args, client.db, reply, &client);
    case Route::kAllShards: {
      std::string sub;
      protocol::ReplyBuilder sub_reply(&sub, reply.resp3());
      Execute(*spec, shard, args, client.db, sub_reply, &client, /*count_call=*/false);
      CountCall(*spec, shard, 0, false);
      std::string_view subs[1] = {sub};
      MergeContext merge{args, subs, shard, reply};
      return MergeReplies(*spec, merge, {});
    }
  }
}

}  // namespace ringtail::commands
