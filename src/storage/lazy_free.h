// SPDX-License-Identifier: Apache-2.0
// LazyFree: collection values whose keys are gone (deleted, expired, evicted, flushed), freed a
// slice at a time from the shard's loop instead of at once. Freeing a hash, set or sorted set of
// a million members costs 10-25 ms of free() calls; here it is spread over slices of about 2,000
// allocations, so no command pauses the shard for it. Redis frees such values on a background
// thread (lazyfree); a shard frees its own, keeping its memory and its allocator heap its own.
//
// Only values worth it are handed over (IsWorthLazyFree): hashes, sets and sorted sets in their
// table encodings with more than 64 members (Redis's threshold for lazy freeing). Flat
// encodings are one allocation, and a list's members live in a few large nodes: freeing those
// at once is cheap. Single-threaded, like the table that owns it.
#pragma once

#include <cstddef>
#include <deque>

#include "storage/entry.h"

namespace ringtail::storage {

class LazyFree {
 public:
  LazyFree() = default;
  ~LazyFree();
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;

  // Whether the value of `entry` is worth freeing lazily. Inline for the common case: every
  // overwrite and removal of a string asks.
  static bool IsWorthLazyFree(const Entry& entry) {
    return !entry.IsString() && IsLargeCollection(entry);
  }

  // Takes over the collection object of `entry` (which is then an empty string).
  void Take(Entry& entry);

  // Frees up to about `budget` allocations. Returns whether values remain.
  bool Step(size_t budget);

  bool empty() const { return pending_.empty(); }
  // Values taken over and not yet completely freed.
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    ValueType type;
    void* object;
    size_t cursor = 0;  // the object's ReleaseSome cursor
  };
  static bool IsLargeCollection(const Entry& entry);
  std::deque<Pending> pending_;
};

}  // namespace ringtail::storage
