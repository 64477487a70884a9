// SPDX-License-Identifier: Apache-2.0
// Shard: one thread pinned to one CPU, owning an io_uring, a listener on the shared port, the
// connections it accepted and its partition of the keyspace (commands::ShardState). Its loop:
// handle completions (accept, recv, send, wake-up) -> drain inbound rings (run other shards'
// requests, apply replies to ours) -> timers (active expiry) -> send one batch per destination
// shard -> post one send per connection with output -> submit and wait.
//
// Thread-safety: everything here runs on the shard's thread, except Wake() and RequestStop(),
// which other threads call, and `sleeping_`, which producers read to decide whether to wake it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "base/unique_fd.h"
#include "commands/shard_state.h"
#include "io/poller.h"
#include "shard/batch.h"
#include "shard/blocking.h"
#include "shard/connection.h"

namespace ringtail::shard {

class ShardSet;

class Shard {
 public:
  Shard(uint32_t id, uint32_t shard_count, ShardSet& set, base::UniqueFd listener, int cpu,
        io::Backend backend, const commands::Config& config);
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  // The thread body: runs the loop until the whole set has stopped.
  void Run();

  // Any thread: makes the shard leave its wait if it is sleeping (once per sleep).
  void Wake();
  // Any thread: asks the shard to close its listener and connections and finish.
  void RequestStop();

  uint32_t id() const { return id_; }

 private:

  void Loop();
  void HandleCompletion(const io::Completion& completion);
  void OnAccept(int result, bool more);
  void OnRecv(Connection& c, int result);
  void OnSend(Connection& c, int result);

  void ArmAccept();
  void ArmWake();
  void ArmRecv(Connection& c);
  void MarkDirty(Connection& c);
  void FlushSends();
  void BeginClose(Connection& c);
  void MaybeFree(Connection& c);

  // Parses and dispatches the connection's buffered input until it runs out, a command must
  // wait (barrier) or the connection is closing.
  void ProcessInput(Connection& c);
  // Takes `bytes` newly received bytes into the connection's input; false if it was closed.
  bool TakeReceived(Connection& c, int bytes);
  // Parses up to a group of commands ahead into c.parsed. Returns false (having replied and
  // marked the connection for closing) on a protocol error.
  bool ParseGroup(Connection& c);
  // Prefetching, in three stages over a set of parsed commands (of one connection, or of every
  // connection that received input in this iteration): QueuePrefetch queues (and with `issue`
  // prefetches) the bucket slots of the first key of each command that lives on this shard (a
  // hint: the key is assumed to be the first argument), PrefetchQueuedEntries then prefetches
  // the first entries of their chains and the second where the first is not the key's
  // (storage::Table::PrefetchEntry, PrefetchChain).
  void QueuePrefetch(const Connection& c, bool issue);
  void PrefetchQueuedEntries();
  void Dispatch(Connection& c, absl::Span<const std::string_view> args);
  void DispatchKeys(Connection& c, const commands::CommandSpec& spec,
                    absl::Span<const std::string_view> args);
  void FanOut(Connection& c, const commands::CommandSpec& spec,
              absl::Span<const std::string_view> args);
  // Splits a command whose keys live on several shards into one sub-command per shard, in a new
  // slot whose reply merges theirs. Returns the slot's index.
  size_t Split(Connection& c, const commands::CommandSpec& spec,
               absl::Span<const std::string_view> args);
  // MSETNX over several shards: EXISTS on every shard, then MSET if none existed.
  void StartMsetnx(Connection& c, absl::Span<const std::string_view> args);
  // A command with keys on several shards and no merge rule (SINTER, SMOVE, ZUNIONSTORE, ...):
  // gathers their values here, runs it, writes changed values back (commands/gather.h).
  void StartGather(Connection& c, const commands::CommandSpec& spec,
                   absl::Span<const std::string_view> args);
  bool ContinueGather(Connection& c);
  // SCAN over several shards: one shard's step per hop, joined until COUNT keys or the end.
  void StartScan(Connection& c, const commands::CommandSpec& spec,
                 absl::Span<const std::string_view> args, uint32_t dest);
  void ScanStep(Connection& c, uint32_t dest);
  bool ContinueScan(Connection& c);
  // Runs the next step of a finished multi-phase slot; true if more replies are now pending.
  bool ContinueSlot(Connection& c);
  // Sends one whole command to `dest` as the single sub-reply of a new slot.
  void SendWhole(Connection& c, const commands::CommandSpec& spec,
                 absl::Span<const std::string_view> args, uint32_t dest);
  // Opens a slot with `sub_count` sub-replies at the current end of the output.
  Slot& OpenSlot(Connection& c, const commands::CommandSpec& spec, bool merge, uint32_t sub_count,
                 absl::Span<const std::string_view> args);
  // Appends a request to the outgoing batch for `dest`; returns it so the caller adds arguments.
  Request& AddRequest(uint32_t dest, Connection& c, const commands::CommandSpec& spec,
                      uint32_t sub_index);
  // Runs a command here for a slot's sub-reply `sub_index`.
  void RunLocalSub(Connection& c, const commands::CommandSpec& spec,
                   absl::Span<const std::string_view> args, uint32_t sub_index);
  void CompleteSub(Connection& c, uint32_t sub_index, std::string_view reply);
  void AppendScanReply(Connection& c, const Slot& slot);
  // Splices the slots' replies into the output once none is outstanding.
  void AssembleReplies(Connection& c);

  uint32_t ShardOfKey(std::string_view key) const;

  // Rings.
  void DrainInbound();
  void ExecuteBatch(Batch& batch);
  void ApplyReplies(Batch& batch);
  void FlushOutgoing();
  void Push(uint32_t dest, Batch* batch);
  Batch* TakeBatch();

  void RunTimers();
  void CheckStopProgress();

  // Blocking commands (blocking.cc, shard/blocking.h).
  void StartBlocking(Connection& c, const commands::CommandSpec& spec,
                     absl::Span<const std::string_view> args);
  // Sends `signal` to shard `dest` (this shard included) in this iteration's batch.
  void SendSignal(uint32_t dest, Signal signal);
  void HandleSignal(Signal& signal);
  // Ready keys, local signals and timeouts; called every iteration while anything blocks.
  void RunBlocking();
  bool has_blocking_work() const {
    return !blocked_.empty() || !watchers_.empty() || !local_signals_.empty();
  }
  void OnWatch(Signal& signal);
  void OnTry(Signal& signal);
  void OnUnwatch(const Signal& signal);
  void OnServed(Signal& signal);
  void OnEmpty(const Signal& signal);
  void OnReady(Signal& signal);
  void OnUnwatched(const Signal& signal);
  // Serves or offers the key to the waiters queued on it, in order, while it can.
  void CheckKey(uint8_t db, const std::string& key);
  void RemoveWatcher(uint64_t waiter);
  void TryNextOffer(BlockedClient& b);
  void CancelBlocked(BlockedClient& b);
  void MaybeFinishCancel(BlockedClient& b);
  void FinishBlocked(BlockedClient& b);

  const uint32_t id_;
  ShardSet& set_;
  base::UniqueFd listener_;
  base::UniqueFd wake_fd_;
  const int cpu_;
  const io::Backend backend_;
  commands::ShardState state_;
  std::unique_ptr<io::Poller> poller_;

  absl::flat_hash_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> dirty_;
  // Receives completed in this loop iteration, handled after all completions are in.
  struct Received {
    Connection* connection;
    int bytes;
    size_t prefetch_end;  // end of this connection's keys in prefetch_
  };
  std::vector<Received> received_;
  std::vector<std::pair<const storage::Table*, uint64_t>> prefetch_;  // queued entry prefetches
  std::vector<std::string_view> args_;  // the command being parsed
  std::vector<uint32_t> key_positions_;
  std::vector<uint32_t> key_dest_;
  std::vector<std::string_view> sub_views_;
  std::string assembled_;
  std::vector<uint32_t> shard_to_sub_;
  std::vector<std::string_view> split_args_;
  const commands::CommandSpec* exists_spec_;
  const commands::CommandSpec* mset_spec_;
  const commands::CommandSpec* msetnx_spec_;

  std::vector<Batch*> outgoing_;  // per destination: the batch being filled, or nullptr
  std::vector<std::deque<Batch*>> backlog_;  // per destination: batches the ring had no room for
  std::vector<std::unique_ptr<Batch>> batches_;  // every batch this shard owns
  std::vector<Batch*> free_batches_;
  uint32_t batches_out_ = 0;  // batches sent and not yet back

  Operation accept_op_{Operation::Kind::kAccept, nullptr};
  Operation wake_op_{Operation::Kind::kWake, nullptr};
  uint64_t wake_value_ = 0;
  bool accept_armed_ = false;
  bool wake_armed_ = false;

  // Blocking commands: clients of this shard that wait (by waiter id) with their deadlines, and
  // the waiters queued on this shard's keys.
  absl::flat_hash_map<uint64_t, std::unique_ptr<BlockedClient>> blocked_;
  std::set<std::pair<int64_t, uint64_t>> block_deadlines_;
  uint64_t next_waiter_ = 0;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Watcher>> watchers_;
  std::array<absl::flat_hash_map<std::string, KeyWaiters>, commands::kDatabaseCount> key_waiters_;
  std::array<size_t, commands::kDatabaseCount> watchers_in_db_{};
  std::vector<std::pair<uint8_t, std::string>> keys_to_check_;
  std::vector<Signal> local_signals_;
  // The keyspace gathered commands run in (created on first use, emptied after each).
  std::unique_ptr<commands::ShardState> scratch_;

  int64_t next_timer_us_ = 0;
  int64_t next_deadline_ms_ = INT64_MAX;  // earliest deadline of any key of this shard
  bool expiry_pending_ = false;           // the last expiry slice was full: run again soon
  bool stopping_ = false;
  bool reported_done_ = false;

  // Cross-thread state.
  alignas(64) std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_requested_{false};
};

}  // namespace ringtail::shard
