// SPDX-License-Identifier: Apache-2.0
// Tests of MessageRing: single-thread push/pop, full and empty, wrap-around of the indexes, and
// a two-thread stress run checking that every item arrives once and in order.
#include "shard/message_ring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>

namespace ringtail::shard {
namespace {

struct Message {
  uint64_t sequence;
  uint32_t source;
  uint32_t check;  // derived from `sequence`, to catch torn copies
};

Message MakeMessage(uint64_t sequence) {
  return {sequence, 7, static_cast<uint32_t>(sequence * 2654435761u)};
}

TEST(MessageRingTest, StartsEmpty) {
  MessageRing<uint64_t, 4> ring;
  uint64_t item = 99;
  EXPECT_TRUE(ring.Empty());
  EXPECT_FALSE(ring.TryPop(&item));
  EXPECT_EQ(item, 99u);
}

TEST(MessageRingTest, PushThenPopInOrder) {
  MessageRing<uint64_t, 8> ring;
  EXPECT_TRUE(ring.TryPush(1));
  EXPECT_FALSE(ring.Empty());
  EXPECT_TRUE(ring.TryPush(2));
  EXPECT_TRUE(ring.TryPush(3));
  uint64_t item = 0;
  ASSERT_TRUE(ring.TryPop(&item));
  EXPECT_EQ(item, 1u);
  ASSERT_TRUE(ring.TryPop(&item));
  EXPECT_EQ(item, 2u);
  ASSERT_TRUE(ring.TryPop(&item));
  EXPECT_EQ(item, 3u);
  EXPECT_TRUE(ring.Empty());
  EXPECT_FALSE(ring.TryPop(&item));
}

TEST(MessageRingTest, FullAtCapacity) {
  MessageRing<uint64_t, 4> ring;
  for (uint64_t i = 0; i < 4; ++i) EXPECT_TRUE(ring.TryPush(i)) << i;
  EXPECT_FALSE(ring.TryPush(4));
  EXPECT_FALSE(ring.TryPush(5));

  // Popping one makes room for exactly one.
  uint64_t item = 0;
  ASSERT_TRUE(ring.TryPop(&item));
  EXPECT_EQ(item, 0u);
  EXPECT_TRUE(ring.TryPush(4));
  EXPECT_FALSE(ring.TryPush(5));

  for (uint64_t expected = 1; expected <= 4; ++expected) {
    ASSERT_TRUE(ring.TryPop(&item));
    EXPECT_EQ(item, expected);
  }
  EXPECT_TRUE(ring.Empty());
}

TEST(MessageRingTest, CapacityOfOne) {
  MessageRing<uint64_t, 1> ring;
  uint64_t item = 0;
  for (uint64_t i = 0; i < 10; ++i) {
    EXPECT_TRUE(ring.TryPush(i));
    EXPECT_FALSE(ring.TryPush(i + 100));
    ASSERT_TRUE(ring.TryPop(&item));
    EXPECT_EQ(item, i);
    EXPECT_FALSE(ring.TryPop(&item));
  }
}

TEST(MessageRingTest, WrapsAroundManyTimes) {
  // Indexes run far past the capacity; the slots are reused in order.
  MessageRing<Message, 8> ring;
  uint64_t pushed = 0;
  uint64_t popped = 0;
  Message item{};
  for (int round = 0; round < 1000; ++round) {
    // Fill to a varying depth, then drain part of it.
    const uint64_t depth = 1 + round % 8;
    while (pushed - popped < depth) ASSERT_TRUE(ring.TryPush(MakeMessage(pushed++)));
    const uint64_t drain = 1 + round % 5;
    for (uint64_t i = 0; i < drain && popped < pushed; ++i) {
      ASSERT_TRUE(ring.TryPop(&item));
      EXPECT_EQ(item.sequence, popped);
      EXPECT_EQ(item.check, MakeMessage(popped).check);
      ++popped;
    }
  }
  while (popped < pushed) {
    ASSERT_TRUE(ring.TryPop(&item));
    EXPECT_EQ(item.sequence, popped++);
  }
  EXPECT_TRUE(ring.Empty());
  EXPECT_GT(pushed, 8u * 100);
}

TEST(MessageRingTest, TwoThreadsDeliverEverythingInOrder) {
  constexpr uint64_t kCount = 10'000'000;
  constexpr auto kTimeLimit = std::chrono::seconds(120);
  // Small, so the producer keeps finding the ring full and both sides refresh their caches.
  auto ring = std::make_unique<MessageRing<Message, 64>>();
  const auto deadline = std::chrono::steady_clock::now() + kTimeLimit;
  std::atomic<bool> timed_out{false};

  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount; ++i) {
      const Message message = MakeMessage(i);
      while (!ring->TryPush(message)) {
        if (timed_out.load(std::memory_order_relaxed)) return;
        std::this_thread::yield();  // this machine may have fewer cores than threads
      }
    }
  });

  uint64_t received = 0;
  uint64_t out_of_order = 0;
  uint64_t torn = 0;
  Message item{};
  uint32_t spins = 0;
  while (received < kCount) {
    if (ring->TryPop(&item)) {
      if (item.sequence != received) ++out_of_order;
      if (item.check != MakeMessage(item.sequence).check || item.source != 7) ++torn;
      ++received;
      continue;
    }
    if ((++spins & 1023) == 0 && std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      break;
    }
    std::this_thread::yield();
  }
  producer.join();

  EXPECT_FALSE(timed_out.load()) << "received only " << received << " of " << kCount;
  EXPECT_EQ(received, kCount);
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(torn, 0u);
  EXPECT_TRUE(ring->Empty());
  EXPECT_FALSE(ring->TryPop(&item));
}

}  // namespace
}  // namespace ringtail::shard
