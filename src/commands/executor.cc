// SPDX-License-Identifier: Apache-2.0
#include "commands/executor.h"

#include <cmath>
#include <string>

#include "base/clock.h"
#include "base/cycle_clock.h"
#include "base/strings.h"

namespace ringtail::commands {
namespace {

// How long one command may spend evicting, from maxmemory-eviction-tenacity as Redis maps it:
// 50 us per step up to 10 (the default, 500 us), then 15% more per step, and no limit at 100.
// A command that hits the limit runs anyway; the next write carries on evicting.
int64_t EvictionTimeLimitUs(int64_t tenacity) {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity >= 100) return storage::EvictionParams::kNoTimeLimit;
  return static_cast<int64_t>(500.0 * std::pow(1.15, static_cast<double>(tenacity - 10)));
}

// Whether a command that may add memory can run: true if the shard's dataset fits its share of
// maxmemory, after evicting keys by the policy if it did not. Slow path of Execute().
// REQUIRES: shard.config.maxmemory != 0.
[[gnu::noinline]] bool MakeRoomForWrite(ShardState& shard) {
  size_t budget = static_cast<size_t>(shard.config.maxmemory) / shard.shard_count;
  if (shard.DatasetBytes() <= budget) return true;
  storage::EvictionParams params{
      .policy = shard.eviction_policy,
      .samples = static_cast<uint32_t>(shard.config.maxmemory_samples),
      .lfu_decay_minutes = static_cast<uint32_t>(shard.config.lfu_decay_time),
      .now_ms = shard.clock.now_ms(),
      .time_limit_us = EvictionTimeLimitUs(shard.config.maxmemory_eviction_tenacity),
  };
  storage::Evictor::Result result =
      shard.evictor.Evict(absl::MakeSpan(shard.dbs), budget, params, shard.rng);
  shard.stats.evicted_keys += result.evicted;
  // As in Redis, a command runs while eviction is still under way (kRunning); only a shard that
  // cannot get under its budget refuses it.
  return result.outcome != storage::Evictor::Outcome::kFailed;
}

}  // namespace

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

const CommandSpec* LookupCommand(ShardState& shard, absl::Span<const std::string_view> args,
                                 protocol::ReplyBuilder& reply) {
  const CommandSpec* last = shard.last_command;
  if (last != nullptr && base::EqualsIgnoreCase(args[0], last->name) &&
      ArityOk(*last, args.size())) {
    return last;
  }
  const CommandSpec* spec = LookupCommand(*shard.commands, args, reply);
  if (spec != nullptr) shard.last_command = spec;
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

void CountCall(const CommandSpec& spec, ShardState& shard, uint64_t cycles, bool failed) {
  CommandStats& stats = shard.stats.commands[spec.id];
  stats.cycles += cycles;
  ++stats.calls;
  ++shard.stats.total_commands_processed;
  if (failed) {
    ++stats.failed_calls;
    ++shard.stats.total_error_replies;
  }
}

void Execute(const CommandSpec& spec, ShardState& shard, absl::Span<const std::string_view> args,
             uint8_t db, protocol::ReplyBuilder& reply, ClientState* client, bool count_call) {
  // maxmemory: before a command that may grow the dataset, evict or refuse it. With no limit
  // (the default) this costs a flag test and a comparison.
  if ((spec.flags & kDenyOom) != 0 && shard.config.maxmemory != 0 && !MakeRoomForWrite(shard)) {
    reply.Error(protocol::kOom);
    if (count_call) {
      // Redis counts a refused command as rejected and as an error reply, not as a call.
      ++shard.stats.commands[spec.id].rejected_calls;
      ++shard.stats.total_error_replies;
    }
    return;
  }
  size_t before = reply.buffer()->size();
  uint64_t start = count_call ? base::CycleClock::Now() : 0;
  CommandContext ctx(shard, args, db, reply, client);
  spec.handler(ctx);
  if (!count_call) return;
  const std::string& out = *reply.buffer();
  CountCall(spec, shard, base::CycleClock::Now() - start,
            out.size() > before && out[before] == '-');
}

void RunOnSingleShard(ShardState& shard, absl::Span<const std::string_view> args,
                      protocol::ReplyBuilder& reply, ClientState& client) {
  const CommandSpec* spec = LookupCommand(shard, args, reply);
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
