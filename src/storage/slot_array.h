// SPDX-License-Identifier: Apache-2.0
// Zeroed slot arrays for the hash tables of storage (the keyspace's bucket arrays, the slot
// arrays of large sets and sorted sets). An array of kMappedArrayBytes or more comes straight
// from the kernel as untouched zero pages, so allocating it costs nothing, where the allocator's
// calloc may zero (and fault in) it all at once: a pause of milliseconds at millions of entries.
// Smaller ones come from calloc. Any thread; an array is used by one.
#pragma once

#include <cstddef>

namespace ringtail::storage {

inline constexpr size_t kMappedArrayBytes = size_t{1} << 20;

void* AllocateZeroed(size_t bytes);
void FreeZeroed(void* memory, size_t bytes);
// Frees an array from AllocateZeroed a part at a time, for lazy freeing: a mapped array goes
// back to the kernel kZeroedReleaseChunk bytes per call (unmapping megabytes of touched pages
// at once takes milliseconds), a small one at once. `released` counts the bytes freed so far
// (0 at first); returns true once the whole array is freed.
inline constexpr size_t kZeroedReleaseChunk = size_t{256} << 10;
bool FreeZeroedSome(void* memory, size_t bytes, size_t& released);
// Bytes an array of `bytes` bytes occupies (the allocator's usable size when not mapped).
size_t ZeroedAllocatedBytes(const void* memory, size_t bytes);

// An array of `count` zeroed slots of T.
template <typename T>
T* AllocateSlotArray(size_t count) {
  return static_cast<T*>(AllocateZeroed(count * sizeof(T)));
}
// Frees an array of `count` slots from AllocateSlotArray; nullptr is ignored.
template <typename T>
void FreeSlotArray(T* slots, size_t count) {
  if (slots != nullptr) FreeZeroed(slots, count * sizeof(T));
}
template <typename T>
bool FreeSlotArraySome(T* slots, size_t count, size_t& released) {
  return slots == nullptr || FreeZeroedSome(slots, count * sizeof(T), released);
}
template <typename T>
size_t SlotArrayBytes(const T* slots, size_t count) {
  return ZeroedAllocatedBytes(slots, count * sizeof(T));
}

}  // namespace ringtail::storage
