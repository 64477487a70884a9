// SPDX-License-Identifier: Apache-2.0
// CycleClock: a cheap timestamp for measuring short durations on the hot path (per-command
// statistics), read from the CPU's time-stamp counter where there is one (an invariant TSC on
// x86-64) instead of a clock_gettime call. Any thread; Calibrate() once at startup.
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace ringtail::base {

class CycleClock {
 public:
  // The current counter value.
  static uint64_t Now() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return static_cast<uint64_t>(MonotonicNs());
#endif
  }

  // Converts a counter difference to microseconds.
  static uint64_t ToMicros(uint64_t cycles) { return cycles / cycles_per_us_; }

  // Measures the counter's rate against the monotonic clock (about 10 ms). Until it runs, a
  // rate of 1000 per microsecond is assumed.
  static void Calibrate();

 private:
  static int64_t MonotonicNs();
  static inline uint64_t cycles_per_us_ = 1000;
};

}  // namespace ringtail::base
