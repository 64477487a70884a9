// SPDX-License-Identifier: Apache-2.0
// Clock: the shard's notion of "now", in Unix milliseconds and monotonic microseconds. The shard
// refreshes it once per loop iteration so that every command of a batch sees one time; tests
// freeze it and move it by hand. Owned by one shard thread.
#pragma once

#include <time.h>

#include <cstdint>

namespace ringtail::base {

class Clock {
 public:
  // Unix time in milliseconds, as of the last Refresh() (or as set by a test).
  int64_t now_ms() const { return now_ms_; }
  // Monotonic time in microseconds, as of the last Refresh().
  int64_t mono_us() const { return mono_us_; }

  // Reads the system clocks unless frozen.
  void Refresh() {
    if (frozen_) return;
    now_ms_ = RealtimeMs();
    mono_us_ = MonotonicUs();
  }

  // Test hooks: stop following the system clock, and move time forward.
  void Freeze(int64_t now_ms) {
    frozen_ = true;
    now_ms_ = now_ms;
    mono_us_ = now_ms * 1000;
  }
  void Advance(int64_t delta_ms) {
    now_ms_ += delta_ms;
    mono_us_ += delta_ms * 1000;
  }

  static int64_t RealtimeMs() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
  }
  static int64_t RealtimeUs() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
  }
  static int64_t MonotonicUs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
  }
  // CPU time the calling thread has run (user and kernel). A system call, unlike the clocks
  // above (a few hundred ns): not for every request.
  static int64_t ThreadCpuUs() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
  }

 private:
  bool frozen_ = false;
  int64_t now_ms_ = RealtimeMs();
  int64_t mono_us_ = MonotonicUs();
};

}  // namespace ringtail::base
