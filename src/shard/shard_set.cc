// SPDX-License-Identifier: Apache-2.0
#include "shard/shard_set.h"

#include "base/status.h"
#include "cluster/key_slot.h"
#include "io/socket.h"
#include "shard/shard.h"

namespace ringtail::shard {

absl::StatusOr<std::unique_ptr<ShardSet>> ShardSet::Create(const commands::Config& config,
                                                           uint32_t shard_count,
                                                           const std::vector<int>& cpus,
                                                           io::Backend backend,
                                                           commands::ServerInfo& info) {
  std::unique_ptr<ShardSet> set(new ShardSet(info));
  // Slots are split into contiguous ranges, one per shard.
  set->slot_owner_.resize(cluster::kSlotCount);
  for (uint32_t slot = 0; slot < cluster::kSlotCount; ++slot) {
    set->slot_owner_[slot] = static_cast<uint16_t>(uint64_t{slot} * shard_count / cluster::kSlotCount);
  }
  std::vector<base::UniqueFd> listeners;
  int port = static_cast<int>(config.port);
  for (uint32_t i = 0; i < shard_count; ++i) {
    ASSIGN_OR_RETURN(base::UniqueFd fd,
                     io::CreateListener(config.bind, port, static_cast<int>(config.tcp_backlog)));
    if (port == 0) {
      ASSIGN_OR_RETURN(port, io::LocalPort(fd.get()));
    }
    listeners.push_back(std::move(fd));
  }
  set->port_ = port;
  info.tcp_port = port;
  commands::Config bound = config;
  bound.port = port;  // CONFIG GET port reports the port actually bound
  info.shard_count = shard_count;
  for (uint32_t i = 0; i < shard_count * shard_count; ++i) {
    set->rings_.push_back(std::make_unique<ShardRing>());
  }
  for (uint32_t i = 0; i < shard_count; ++i) {
    int cpu = cpus.empty() ? -1 : cpus[i % cpus.size()];
    set->shards_.push_back(
        std::make_unique<Shard>(i, shard_count, *set, std::move(listeners[i]), cpu, backend, bound));
  }
  return set;
}

ShardSet::~ShardSet() { StopAndJoin(); }

void ShardSet::Start() {
  for (auto& shard : shards_) {
    Shard* s = shard.get();
    threads_.emplace_back([s] { s->Run(); });
  }
}

void ShardSet::StopAndJoin() {
  for (auto& shard : shards_) shard->RequestStop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void ShardSet::ReportDone() {
  if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == size()) {
    for (auto& shard : shards_) shard->RequestStop();
  }
}

}  // namespace ringtail::shard
