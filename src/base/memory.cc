// SPDX-License-Identifier: Apache-2.0
#include "base/memory.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#ifdef RINGTAIL_MIMALLOC
#include <mimalloc.h>
#endif

namespace ringtail::base {

std::string_view AllocatorName() {
#ifdef RINGTAIL_MIMALLOC
  static const std::string name = [] {
    int v = mi_version();
    return "mimalloc-" + std::to_string(v / 100) + "." + std::to_string((v / 10) % 10) + "." +
           std::to_string(v % 10);
  }();
  return name;
#else
  return "libc";
#endif
}

size_t AllocatedBytes() {
#ifdef RINGTAIL_MIMALLOC
  size_t elapsed, user, sys, rss, peak_rss, commit, peak_commit, faults;
  mi_process_info(&elapsed, &user, &sys, &rss, &peak_rss, &commit, &peak_commit, &faults);
  return commit;
#else
  return ResidentBytes();
#endif
}

size_t PeakAllocatedBytes() {
#ifdef RINGTAIL_MIMALLOC
  size_t elapsed, user, sys, rss, peak_rss, commit, peak_commit, faults;
  mi_process_info(&elapsed, &user, &sys, &rss, &peak_rss, &commit, &peak_commit, &faults);
  return peak_commit;
#else
  return ResidentBytes();
#endif
}

size_t ResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages_total = 0, pages_resident = 0;
  int got = std::fscanf(f, "%lu %lu", &pages_total, &pages_resident);
  std::fclose(f);
  if (got != 2) return 0;
  return pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace ringtail::base
