// SPDX-License-Identifier: Apache-2.0
// ShardSet: the process's shards and the rings between them. It binds one listener per shard on
// the shared port (so bind errors surface before any thread starts), starts one pinned thread
// per shard, and stops them together. Ring (i -> j) carries shard i's request batches to j and
// i's reply batches for j's requests. Built and stopped on the main thread; the rings and
// wake-ups are used by the shard threads.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "commands/config.h"
#include "commands/shard_state.h"
#include "io/poller.h"
#include "shard/batch.h"
#include "shard/message_ring.h"

namespace ringtail::shard {

class Shard;

inline constexpr size_t kRingCapacity = 256;
using ShardRing = MessageRing<Message, kRingCapacity>;

class ShardSet {
 public:
  // Binds the listeners (config.bind, config.port; port 0 picks one) and prepares `shard_count`
  // shards pinned round-robin over `cpus`. Threads start in Start().
  static absl::StatusOr<std::unique_ptr<ShardSet>> Create(const commands::Config& config,
                                                          uint32_t shard_count,
                                                          const std::vector<int>& cpus,
                                                          io::Backend backend,
                                                          commands::ServerInfo& info);
  ~ShardSet();

  void Start();
  // Asks every shard to stop and waits for their threads.
  void StopAndJoin();

  uint32_t size() const { return static_cast<uint32_t>(shards_.size()); }
  int port() const { return port_; }
  commands::ServerInfo& info() { return info_; }
  Shard& shard(uint32_t i) { return *shards_[i]; }
  ShardRing& ring(uint32_t from, uint32_t to) { return *rings_[from * size() + to]; }
  // The shard owning each cluster slot.
  uint32_t SlotOwner(uint32_t slot) const { return slot_owner_[slot]; }

  // Called by a shard that has no connections and no batches in flight after a stop request.
  // When every shard has reported, all are woken to exit.
  void ReportDone();
  bool AllDone() const { return done_.load(std::memory_order_acquire) == size(); }

 private:
  explicit ShardSet(commands::ServerInfo& info) : info_(info) {}

  commands::ServerInfo& info_;
  int port_ = 0;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::unique_ptr<ShardRing>> rings_;
  std::vector<uint16_t> slot_owner_;
  std::vector<std::thread> threads_;
  std::atomic<uint32_t> done_{0};
};

}  // namespace ringtail::shard
