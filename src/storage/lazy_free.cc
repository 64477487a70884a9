// SPDX-License-Identifier: Apache-2.0
#include "storage/lazy_free.h"

#include <cstdint>

#include "storage/hash.h"
#include "storage/set.h"
#include "storage/zset.h"

namespace ringtail::storage {
namespace {

// Redis's LAZYFREE_THRESHOLD: values of fewer allocations are freed at once.
constexpr size_t kLazyFreeMinMembers = 64;

// Calls ReleaseSome on the object of `type`.
bool ReleaseSome(ValueType type, void* object, size_t& cursor, size_t& budget) {
  switch (type) {
    case ValueType::kHash:
      return static_cast<Hash*>(object)->ReleaseSome(cursor, budget);
    case ValueType::kSet:
      return static_cast<Set*>(object)->ReleaseSome(cursor, budget);
    case ValueType::kZSet:
      return static_cast<ZSet*>(object)->ReleaseSome(cursor, budget);
    case ValueType::kString:
    case ValueType::kList:
      break;
  }
  return true;
}

}  // namespace

LazyFree::~LazyFree() {
  while (Step(SIZE_MAX)) {
  }
}

bool LazyFree::IsLargeCollection(const Entry& entry) {
  switch (entry.type()) {
    case ValueType::kHash:
      return entry.hash()->size() > kLazyFreeMinMembers && entry.hash()->slot_count() != 0;
    case ValueType::kSet:
      return entry.set()->size() > kLazyFreeMinMembers && entry.set()->capacity() != 0;
    case ValueType::kZSet:
      return entry.zset()->size() > kLazyFreeMinMembers &&
             entry.zset()->EncodingName() == "skiplist";
    case ValueType::kString:
    case ValueType::kList:
      break;
  }
  return false;
}

void LazyFree::Take(Entry& entry) {
  ValueType type = entry.type();
  pending_.push_back({type, entry.TakeObject()});
}

bool LazyFree::Step(size_t budget) {
  while (!pending_.empty() && budget > 0) {
    Pending& p = pending_.front();
    if (!ReleaseSome(p.type, p.object, p.cursor, budget)) break;
    Entry::DeleteObject(p.type, p.object);  // what ReleaseSome left: a few steps
    pending_.pop_front();
  }
  return !pending_.empty();
}

}  // namespace ringtail::storage
