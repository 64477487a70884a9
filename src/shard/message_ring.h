// SPDX-License-Identifier: Apache-2.0
// MessageRing<T, N>: a bounded lock-free single-producer/single-consumer queue. One ring
// connects each ordered pair of shards; the producer is the source shard's thread, the consumer
// the destination's. Each side caches the other's index so a push or pop touches the shared
// cache lines only when its cached view runs out.
//
// Thread-safety: TryPush only from the one producer thread, TryPop/Empty only from the one
// consumer thread. T must be trivially copyable (messages are plain structs).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ringtail::shard {

template <typename T, size_t kCapacity>
class MessageRing {
  static_assert((kCapacity & (kCapacity - 1)) == 0, "capacity must be a power of two");
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // Appends `item`; false if the ring is full. Producer thread only.
  bool TryPush(const T& item) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - cached_head_ >= kCapacity) {
      cached_head_ = head_.load(std::memory_order_acquire);
      if (tail - cached_head_ >= kCapacity) return false;
    }
    slots_[tail & (kCapacity - 1)] = item;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Removes the oldest item into `*item`; false if the ring is empty. Consumer thread only.
  bool TryPop(T* item) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == cached_tail_) {
      cached_tail_ = tail_.load(std::memory_order_acquire);
      if (head == cached_tail_) return false;
    }
    *item = slots_[head & (kCapacity - 1)];
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // True if nothing is queued. Consumer thread only (a snapshot: the producer may push next).
  bool Empty() const {
    return head_.load(std::memory_order_relaxed) == tail_.load(std::memory_order_acquire);
  }

 private:
  // Producer-owned line: the write index and the producer's view of the read index.
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t cached_head_ = 0;
  // Consumer-owned line.
  alignas(64) std::atomic<uint64_t> head_{0};
  uint64_t cached_tail_ = 0;
  alignas(64) T slots_[kCapacity];
};

}  // namespace ringtail::shard
