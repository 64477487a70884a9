// SPDX-License-Identifier: Apache-2.0
#include "storage/slot_array.h"

#include <malloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

#include "base/check.h"

namespace ringtail::storage {

void* AllocateZeroed(size_t bytes) {
  if (bytes >= kMappedArrayBytes) {
    void* memory =
        mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(memory != MAP_FAILED, "out of memory for a slot array");
    return memory;
  }
  void* memory = std::calloc(bytes, 1);
  CHECK(memory != nullptr, "out of memory for a slot array");
  return memory;
}

void FreeZeroed(void* memory, size_t bytes) {
  if (bytes >= kMappedArrayBytes) {
    munmap(memory, bytes);
  } else {
    std::free(memory);
  }
}

bool FreeZeroedSome(void* memory, size_t bytes, size_t& released) {
  if (bytes < kMappedArrayBytes) {
    std::free(memory);
    released = bytes;
    return true;
  }
  // Page-aligned parts: the mapping starts on a page and the chunk is a multiple of pages.
  size_t chunk = std::min(kZeroedReleaseChunk, bytes - released);
  munmap(static_cast<char*>(memory) + released, chunk);
  released += chunk;
  return released == bytes;
}

size_t ZeroedAllocatedBytes(const void* memory, size_t bytes) {
  return bytes >= kMappedArrayBytes ? bytes : malloc_usable_size(const_cast<void*>(memory));
}

}  // namespace ringtail::storage
