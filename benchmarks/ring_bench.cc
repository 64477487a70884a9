// SPDX-License-Identifier: Apache-2.0
// Micro-benchmarks of MessageRing: a round trip between two threads (request ring one way, reply
// ring back), one message at a time and in batches. Both threads poll (yielding now and then),
// so on a machine with fewer than two idle cores the figures measure the scheduler, not the ring.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "shard/message_ring.h"

namespace ringtail::shard {
namespace {

struct Message {
  uint64_t sequence;
  uint64_t payload[3];
};

using Ring = MessageRing<Message, 256>;

// Busy-waits politely: a pause per poll, and after a while a yield, so that when the two threads
// share one core (a loaded machine) the one holding it lets the other run.
class Backoff {
 public:
  void Wait() {
    if (++polls_ % 256 == 0) {
      std::this_thread::yield();
      return;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

 private:
  uint32_t polls_ = 0;
};

// Echoes every message from `requests` into `replies` until `stop` is set.
void Echo(Ring* requests, Ring* replies, const std::atomic<bool>* stop) {
  Message message;
  Backoff backoff;
  while (!stop->load(std::memory_order_relaxed)) {
    if (!requests->TryPop(&message)) {
      backoff.Wait();
      continue;
    }
    while (!replies->TryPush(message)) backoff.Wait();
  }
}

// Sends state.range(0) messages, then waits for all their echoes.
void BM_MessageRing_RoundTrip(benchmark::State& state) {
  const int64_t batch = state.range(0);
  auto requests = std::make_unique<Ring>();
  auto replies = std::make_unique<Ring>();
  std::atomic<bool> stop{false};
  std::thread echo(Echo, requests.get(), replies.get(), &stop);

  uint64_t sequence = 0;
  uint64_t expected = 0;
  Message message{};
  Backoff backoff;
  for (auto _ : state) {
    for (int64_t i = 0; i < batch; ++i) {
      message.sequence = sequence++;
      while (!requests->TryPush(message)) backoff.Wait();
    }
    for (int64_t i = 0; i < batch; ++i) {
      while (!replies->TryPop(&message)) backoff.Wait();
      if (message.sequence != expected++) state.SkipWithError("echo out of order");
    }
    benchmark::DoNotOptimize(message);
  }
  stop = true;
  echo.join();
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_MessageRing_RoundTrip)->ArgName("batch")->Arg(1)->Arg(32)->UseRealTime();

// Push and pop on one thread: the cost of the ring operations without cache-line transfers.
void BM_MessageRing_SameThread(benchmark::State& state) {
  auto ring = std::make_unique<Ring>();
  Message message{};
  for (auto _ : state) {
    ring->TryPush(message);
    ring->TryPop(&message);
    ++message.sequence;
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MessageRing_SameThread);

}  // namespace
}  // namespace ringtail::shard

BENCHMARK_MAIN();
