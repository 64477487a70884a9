// SPDX-License-Identifier: Apache-2.0
// What the process allocator says about itself: its name and the resident set size. The only
// place outside storage/ that calls mimalloc's API. Any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace ringtail::base {

// "mimalloc-2.0.9" or "libc".
std::string_view AllocatorName();

// Bytes the allocator has committed for the process (mimalloc's current commit; with the
// system allocator, the resident set size) and the peak of that figure.
size_t AllocatedBytes();
size_t PeakAllocatedBytes();

// Resident set size of the process in bytes, from /proc/self/statm (0 if unreadable).
size_t ResidentBytes();

}  // namespace ringtail::base
