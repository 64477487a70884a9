// SPDX-License-Identifier: Apache-2.0
#include "base/cycle_clock.h"

#include <time.h>

namespace ringtail::base {

int64_t CycleClock::MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

void CycleClock::Calibrate() {
#if defined(__x86_64__)
  int64_t start_ns = MonotonicNs();
  uint64_t start = Now();
  while (MonotonicNs() - start_ns < 10'000'000) {
  }
  uint64_t cycles = Now() - start;
  int64_t elapsed_us = (MonotonicNs() - start_ns) / 1000;
  if (elapsed_us > 0 && cycles / static_cast<uint64_t>(elapsed_us) > 0) {
    cycles_per_us_ = cycles / static_cast<uint64_t>(elapsed_us);
  }
#else
  cycles_per_us_ = 1000;  // Now() counts nanoseconds
#endif
}

}  // namespace ringtail::base
