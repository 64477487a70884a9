// SPDX-License-Identifier: Apache-2.0
// The Shard's part of blocking commands: the coordinator and key-shard sides of the protocol in
// shard/blocking.h. Shard thread only.
#include <algorithm>
#include <string>
#include <utility>

#include "base/log.h"
#include "commands/blocking_commands.h"
#include "commands/executor.h"
#include "protocol/errors.h"
#include "shard/shard.h"

namespace ringtail::shard {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& strings) {
  return {strings.begin(), strings.end()};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Coordinator side

void Shard::StartBlocking(Connection& c, const commands::CommandSpec& spec,
                          absl::Span<const std::string_view> args) {
  protocol::ReplyBuilder reply(&c.out, c.client.resp3);
  std::optional<commands::BlockingCall> call = commands::ParseBlockingCall(args, reply);
  commands::CountCall(spec, state_, 0, /*failed=*/!call.has_value());
  if (!call) return;
  std::vector<uint32_t> shards;
  for (std::string_view key : call->keys) {
    uint32_t shard = ShardOfKey(key);
    if (std::find(shards.begin(), shards.end(), shard) == shards.end()) shards.push_back(shard);
  }
  if (!call->destination.empty() && ShardOfKey(call->destination) != shards.front()) {
    // BLMOVE pops and pushes in one step on one shard.
    reply.Error("CROSSSLOT Keys in request don't hash to the same slot");
    return;
  }
  auto blocked = std::make_unique<BlockedClient>();
  BlockedClient& b = *blocked;
  b.id = (static_cast<uint64_t>(id_) << 48) | ++next_waiter_;
  b.connection = &c;
  b.db = c.client.db;
  b.resp3 = c.client.resp3;
  b.args.assign(args.begin(), args.end());
  b.shards = std::move(shards);
  if (call->timeout_ms > 0) {
    b.deadline_ms = state_.clock.now_ms() + call->timeout_ms;
    block_deadlines_.emplace(b.deadline_ms, b.id);
  }
  Slot& slot = OpenSlot(c, spec, /*merge=*/false, 1, args);
  b.sub_index = slot.first_sub;
  c.barrier = true;
  c.blocked_waiter = b.id;
  for (uint32_t shard : b.shards) {
    Signal watch;
    watch.kind = Signal::Kind::kWatch;
    watch.waiter = b.id;
    watch.db = b.db;
    watch.resp3 = b.resp3;
    watch.single_shard = b.shards.size() == 1;
    watch.args = b.args;
    SendSignal(shard, std::move(watch));
  }
  blocked_.emplace(b.id, std::move(blocked));
  state_.stats.blocked_clients = blocked_.size();
}

void Shard::SendSignal(uint32_t dest, Signal signal) {
  signal.from = id_;
  if (dest == id_) {
    local_signals_.push_back(std::move(signal));
    return;
  }
  Batch*& batch = outgoing_[dest];
  if (batch == nullptr) {
    batch = TakeBatch();
    batch->origin = id_;
  }
  batch->signals.push_back(std::move(signal));
}

void Shard::HandleSignal(Signal& signal) {
  switch (signal.kind) {
    case Signal::Kind::kWatch:
      return OnWatch(signal);
    case Signal::Kind::kTry:
      return OnTry(signal);
    case Signal::Kind::kUnwatch:
      return OnUnwatch(signal);
    case Signal::Kind::kServed:
      return OnServed(signal);
    case Signal::Kind::kEmpty:
      return OnEmpty(signal);
    case Signal::Kind::kReady:
      return OnReady(signal);
    case Signal::Kind::kUnwatched:
      return OnUnwatched(signal);
  }
}

void Shard::RunBlocking() {
  // Keys that became lists or sorted sets, and keys whose queue head left, until nothing moves
  // (serving one waiter can create the destination list of another).
  for (int round = 0; round < 64; ++round) {
    if (!watchers_.empty()) {
      for (uint8_t db = 0; db < commands::kDatabaseCount; ++db) {
        storage::Table& table = state_.dbs[db];
        if (!table.has_ready_keys()) continue;
        for (std::string& key : table.TakeReadyKeys()) keys_to_check_.emplace_back(db, std::move(key));
      }
    }
    std::vector<std::pair<uint8_t, std::string>> keys = std::move(keys_to_check_);
    keys_to_check_.clear();
    for (const auto& [db, key] : keys) CheckKey(db, key);
    std::vector<Signal> signals = std::move(local_signals_);
    local_signals_.clear();
    for (Signal& signal : signals) HandleSignal(signal);
    if (keys_to_check_.empty() && local_signals_.empty()) break;
  }
  // Timeouts.
  int64_t now_ms = state_.clock.now_ms();
  while (!block_deadlines_.empty() && block_deadlines_.begin()->first <= now_ms) {
    uint64_t id = block_deadlines_.begin()->second;
    block_deadlines_.erase(block_deadlines_.begin());
    auto it = blocked_.find(id);
    if (it != blocked_.end()) CancelBlocked(*it->second);
  }
}

void Shard::OnServed(Signal& signal) {
  auto it = blocked_.find(signal.waiter);
  if (it == blocked_.end()) {
    base::Log(base::LogLevel::kWarning, "blocking: a reply for an unknown waiter was dropped");
    return;
  }
  BlockedClient& b = *it->second;
  b.trying = false;
  b.served = true;
  b.reply = std::move(signal.reply);
  if (b.cancelling) return MaybeFinishCancel(b);
  if (b.shards.size() > 1) {
    // Leave the other shards' queues; their answers are not needed, as no shard serves a
    // multi-shard waiter without a kTry.
    for (uint32_t shard : b.shards) {
      Signal unwatch;
      unwatch.kind = Signal::Kind::kUnwatch;
      unwatch.waiter = b.id;
      SendSignal(shard, std::move(unwatch));
    }
  }
  FinishBlocked(b);
}

void Shard::OnEmpty(const Signal& signal) {
  auto it = blocked_.find(signal.waiter);
  if (it == blocked_.end()) return;
  BlockedClient& b = *it->second;
  b.trying = false;
  if (b.cancelling) return MaybeFinishCancel(b);
  TryNextOffer(b);
}

void Shard::OnReady(Signal& signal) {
  auto it = blocked_.find(signal.waiter);
  // A waiter that is gone or leaving has sent (or is sending) kUnwatch, which frees the key.
  if (it == blocked_.end()) return;
  BlockedClient& b = *it->second;
  if (b.cancelling || b.served) return;
  b.offers.emplace_back(signal.from, std::move(signal.key));
  if (!b.trying) TryNextOffer(b);
}

void Shard::OnUnwatched(const Signal& signal) {
  auto it = blocked_.find(signal.waiter);
  if (it == blocked_.end()) return;
  BlockedClient& b = *it->second;
  if (b.unwatch_pending > 0) --b.unwatch_pending;
  MaybeFinishCancel(b);
}

void Shard::TryNextOffer(BlockedClient& b) {
  if (b.offers.empty() || b.trying) return;
  auto [shard, key] = std::move(b.offers.front());
  b.offers.pop_front();
  Signal attempt;
  attempt.kind = Signal::Kind::kTry;
  attempt.waiter = b.id;
  attempt.db = b.db;
  attempt.resp3 = b.resp3;
  attempt.args = b.args;
  attempt.key = std::move(key);
  b.trying = true;
  SendSignal(shard, std::move(attempt));
}

void Shard::CancelBlocked(BlockedClient& b) {
  if (b.cancelling || b.served) return;
  b.cancelling = true;
  if (b.deadline_ms != 0) block_deadlines_.erase({b.deadline_ms, b.id});
  b.unwatch_pending = static_cast<uint32_t>(b.shards.size());
  for (uint32_t shard : b.shards) {
    Signal unwatch;
    unwatch.kind = Signal::Kind::kUnwatch;
    unwatch.waiter = b.id;
    SendSignal(shard, std::move(unwatch));
  }
}

void Shard::MaybeFinishCancel(BlockedClient& b) {
  if (b.cancelling && b.unwatch_pending == 0 && !b.trying) FinishBlocked(b);
}

void Shard::FinishBlocked(BlockedClient& b) {
  std::string reply = std::move(b.reply);
  if (!b.served) {
    std::vector<std::string_view> args = Views(b.args);
    protocol::ReplyBuilder builder(&reply, b.resp3);
    std::string ignored;
    protocol::ReplyBuilder error_sink(&ignored, b.resp3);
    std::optional<commands::BlockingCall> call = commands::ParseBlockingCall(args, error_sink);
    if (call) commands::ReplyTimeout(*call, builder);
  }
  if (b.deadline_ms != 0) block_deadlines_.erase({b.deadline_ms, b.id});
  Connection* c = b.connection;
  uint32_t sub_index = b.sub_index;
  blocked_.erase(b.id);  // `b` is gone
  state_.stats.blocked_clients = blocked_.size();
  if (c == nullptr) return;
  c->blocked_waiter = 0;
  CompleteSub(*c, sub_index, reply);
}

// ---------------------------------------------------------------------------------------------
// Key-shard side

void Shard::OnWatch(Signal& signal) {
  auto watcher = std::make_unique<Watcher>();
  Watcher& w = *watcher;
  w.waiter = signal.waiter;
  w.coordinator = signal.from;
  w.db = signal.db;
  w.resp3 = signal.resp3;
  w.single_shard = signal.single_shard;
  w.args = std::move(signal.args);
  std::vector<std::string_view> args = Views(w.args);
  std::string ignored;
  protocol::ReplyBuilder error_sink(&ignored, w.resp3);
  std::optional<commands::BlockingCall> call = commands::ParseBlockingCall(args, error_sink);
  if (!call) return;  // parsed by the coordinator before; cannot happen
  w.call = std::move(*call);
  if (w.single_shard) {
    std::string reply;
    protocol::ReplyBuilder builder(&reply, w.resp3);
    if (commands::ServeFromKeys(state_, w.db, w.call, builder) == commands::ServeResult::kServed) {
      Signal served;
      served.kind = Signal::Kind::kServed;
      served.waiter = w.waiter;
      served.reply = std::move(reply);
      SendSignal(w.coordinator, std::move(served));
      return;
    }
  }
  for (std::string_view key : w.call.keys) {
    if (ShardOfKey(key) != id_) continue;
    if (std::find(w.keys.begin(), w.keys.end(), key) != w.keys.end()) continue;
    w.keys.emplace_back(key);
  }
  for (const std::string& key : w.keys) {
    key_waiters_[w.db][key].queue.push_back(w.waiter);
    // A multi-shard waiter is offered the keys that exist already.
    if (!w.single_shard) keys_to_check_.emplace_back(w.db, key);
  }
  if (watchers_in_db_[w.db]++ == 0) state_.dbs[w.db].WatchReadyKeys(true);
  watchers_.emplace(w.waiter, std::move(watcher));
}

void Shard::OnTry(Signal& signal) {
  std::vector<std::string_view> args = Views(signal.args);
  std::string reply;
  protocol::ReplyBuilder builder(&reply, signal.resp3);
  std::optional<commands::BlockingCall> call = commands::ParseBlockingCall(args, builder);
  Signal answer;
  answer.waiter = signal.waiter;
  if (call && commands::ServeFromKey(state_, signal.db, *call, signal.key, builder) ==
                  commands::ServeResult::kServed) {
    answer.kind = Signal::Kind::kServed;
    answer.reply = std::move(reply);
    if (watchers_.contains(signal.waiter)) RemoveWatcher(signal.waiter);
  } else {
    answer.kind = Signal::Kind::kEmpty;
    auto& waiters = key_waiters_[signal.db];
    auto it = waiters.find(signal.key);
    if (it != waiters.end() && !it->second.queue.empty() &&
        it->second.queue.front() == signal.waiter) {
      it->second.head_offered = false;  // offered again when the key gets elements
    }
  }
  SendSignal(signal.from, std::move(answer));
}

void Shard::OnUnwatch(const Signal& signal) {
  if (watchers_.contains(signal.waiter)) RemoveWatcher(signal.waiter);
  Signal answer;
  answer.kind = Signal::Kind::kUnwatched;
  answer.waiter = signal.waiter;
  SendSignal(signal.from, std::move(answer));
}

void Shard::CheckKey(uint8_t db, const std::string& key) {
  storage::Table& table = state_.dbs[db];
  while (true) {
    auto it = key_waiters_[db].find(key);
    if (it == key_waiters_[db].end() || it->second.queue.empty()) return;
    KeyWaiters& waiters = it->second;
    const storage::Entry* entry = table.Peek(key, state_.clock.now_ms());
    if (entry == nullptr) return;
    Watcher& w = *watchers_.at(waiters.queue.front());
    if (!w.single_shard) {
      if (waiters.head_offered) return;
      waiters.head_offered = true;
      Signal offer;
      offer.kind = Signal::Kind::kReady;
      offer.waiter = w.waiter;
      offer.key = key;
      SendSignal(w.coordinator, std::move(offer));
      return;
    }
    // Redis serves a waiter only from a key of the type it waits for.
    if (entry->type() != w.call.wanted_type()) return;
    std::string reply;
    protocol::ReplyBuilder builder(&reply, w.resp3);
    if (commands::ServeFromKey(state_, db, w.call, key, builder) !=
        commands::ServeResult::kServed) {
      return;
    }
    Signal served;
    served.kind = Signal::Kind::kServed;
    served.waiter = w.waiter;
    served.reply = std::move(reply);
    SendSignal(w.coordinator, std::move(served));
    RemoveWatcher(w.waiter);
  }
}

void Shard::RemoveWatcher(uint64_t waiter) {
  auto found = watchers_.find(waiter);
  Watcher& w = *found->second;
  auto& waiters = key_waiters_[w.db];
  for (const std::string& key : w.keys) {
    auto it = waiters.find(key);
    if (it == waiters.end()) continue;
    std::deque<uint64_t>& queue = it->second.queue;
    bool was_head = !queue.empty() && queue.front() == waiter;
    queue.erase(std::remove(queue.begin(), queue.end(), waiter), queue.end());
    if (queue.empty()) {
      waiters.erase(it);
      continue;
    }
    if (was_head) {
      // The next waiter may be served by what is left.
      it->second.head_offered = false;
      keys_to_check_.emplace_back(w.db, key);
    }
  }
  if (--watchers_in_db_[w.db] == 0) {
    state_.dbs[w.db].WatchReadyKeys(false);
    state_.dbs[w.db].TakeReadyKeys();
  }
  watchers_.erase(found);
}

}  // namespace ringtail::shard
