// SPDX-License-Identifier: Apache-2.0
#include "storage/entry.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "base/check.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/zset.h"

namespace ringtail::storage {
namespace {

void* Allocate(size_t size) {
  void* memory = std::malloc(size);
  CHECK(memory != nullptr, "out of memory");
  return memory;
}

// Redis's OBJ_ENCODING_INT test: an integer of at most 20 characters, no leading zeros or '+'.
bool LooksLikeInt(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  if (s[i] == '0') return s.size() == 1;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

Entry* Entry::Create(std::string_view key, size_t value_capacity, bool with_deadline) {
  size_t value_area = std::max(value_capacity <= kMaxInlineValue ? value_capacity : 0,
                               sizeof(HeapValue*));
  size_t size = sizeof(Entry) + (with_deadline ? 8 : 0) + key.size() + value_area;
  auto* entry = new (Allocate(size)) Entry;
  entry->key_len_ = static_cast<uint32_t>(key.size());
  if (with_deadline) {
    entry->flags_ |= kDeadlineSlot;
    entry->set_expire_at_ms(0);
  }
  std::memcpy(entry->Body() + entry->KeyOffset(), key.data(), key.size());
  return entry;
}

void Entry::Destroy(Entry* entry) {
  entry->FreeValue();
  entry->~Entry();
  std::free(entry);
}

Entry* Entry::MoveWithDeadlineSlot(Entry* entry) {
  size_t old_body = malloc_usable_size(entry) - sizeof(Entry);
  auto* moved = new (Allocate(sizeof(Entry) + 8 + old_body)) Entry;
  moved->next_ = entry->next_;
  moved->key_len_ = entry->key_len_;
  moved->value_len_ = entry->value_len_;
  moved->flags_ = entry->flags_ | kDeadlineSlot;
  moved->access_ = entry->access_;
  moved->set_expire_at_ms(0);
  std::memcpy(moved->Body() + 8, entry->Body(), old_body);
  entry->~Entry();
  std::free(entry);
  return moved;
}

size_t Entry::InlineCapacity() const {
  size_t used = sizeof(Entry) + KeyOffset() + key_len_;
  size_t capacity = malloc_usable_size(const_cast<Entry*>(this)) - used;
  return std::min(capacity, kMaxInlineValue);
}

Entry::HeapValue* Entry::heap() const {
  HeapValue* heap;
  std::memcpy(&heap, ValueArea(), sizeof(heap));
  return heap;
}

void Entry::set_heap(HeapValue* heap) { std::memcpy(ValueArea(), &heap, sizeof(heap)); }

int64_t Entry::expire_at_ms() const {
  if (!has_deadline_slot()) return 0;
  int64_t at_ms;
  std::memcpy(&at_ms, Body(), sizeof(at_ms));
  return at_ms;
}

void Entry::set_expire_at_ms(int64_t at_ms) { std::memcpy(Body(), &at_ms, sizeof(at_ms)); }

std::string_view Entry::str() const {
  if (on_heap()) {
    HeapValue* h = heap();
    return {h->data(), h->size};
  }
  return {ValueArea(), value_len_};
}

void Entry::SetValueSize(size_t size) {
  if (on_heap()) {
    heap()->size = size;
  } else {
    value_len_ = static_cast<uint8_t>(size);
  }
}

char* Entry::Reserve(size_t size, bool amortize) {
  if (!on_heap()) {
    if (size <= InlineCapacity()) return ValueArea();
    size_t capacity = amortize ? std::max(size, size_t{value_len_} * 2) : size;
    auto* h = static_cast<HeapValue*>(Allocate(sizeof(HeapValue) + capacity));
    h->size = value_len_;
    h->capacity = capacity;
    std::memcpy(h->data(), ValueArea(), value_len_);
    flags_ |= kOnHeap;
    set_heap(h);
    return h->data();
  }
  HeapValue* h = heap();
  if (size <= h->capacity) return h->data();
  size_t capacity = amortize ? std::max(size, h->capacity * 2) : size;
  h = static_cast<HeapValue*>(std::realloc(h, sizeof(HeapValue) + capacity));
  CHECK(h != nullptr, "out of memory");
  h->capacity = capacity;
  set_heap(h);
  return h->data();
}

void* Entry::object() const {
  void* object;
  std::memcpy(&object, ValueArea(), sizeof(object));
  return object;
}

void Entry::DeleteObject(ValueType type, void* object) {
  switch (type) {
    case ValueType::kString:
      break;
    case ValueType::kList:
      std::unique_ptr<List>(static_cast<List*>(object)).reset();
      break;
    case ValueType::kSet:
      std::unique_ptr<Set>(static_cast<Set*>(object)).reset();
      break;
    case ValueType::kZSet:
      std::unique_ptr<ZSet>(static_cast<ZSet*>(object)).reset();
      break;
    case ValueType::kHash:
      std::unique_ptr<Hash>(static_cast<Hash*>(object)).reset();
      break;
  }
}

void Entry::FreeValue() {
  if (IsString()) {
    if (on_heap()) std::free(heap());
  } else {
    DeleteObject(type(), object());
  }
  flags_ = static_cast<uint8_t>(flags_ & ~(kTypeMask | kOnHeap));
  value_len_ = 0;
}

void* Entry::TakeObject() {
  void* taken = object();
  flags_ = static_cast<uint8_t>(flags_ & ~(kTypeMask | kOnHeap));
  value_len_ = 0;
  return taken;
}

void Entry::SetObject(ValueType type, void* object) {
  FreeValue();
  flags_ = static_cast<uint8_t>(flags_ | static_cast<uint8_t>(type));
  // Every entry's value area holds at least a pointer (Create).
  std::memcpy(ValueArea(), &object, sizeof(object));
}

void Entry::SetString(std::string_view value) {
  if (!IsString()) FreeValue();
  if (on_heap() && value.size() <= InlineCapacity()) {
    // Back to the inline area: the heap copy is no longer needed.
    std::free(heap());
    flags_ &= static_cast<uint8_t>(~kOnHeap);
    value_len_ = 0;
  }
  char* data = Reserve(value.size(), false);
  if (!value.empty()) std::memmove(data, value.data(), value.size());
  SetValueSize(value.size());
}

char* Entry::ResizeString(size_t size) {
  size_t old_size = ValueSize();
  char* data = Reserve(size, true);
  if (size > old_size) std::memset(data + old_size, 0, size - old_size);
  SetValueSize(size);
  return data;
}

std::string_view Entry::EncodingName() const {
  switch (type()) {
    case ValueType::kString:
      break;
    case ValueType::kList:
      return list()->EncodingName();
    case ValueType::kSet:
      return set()->EncodingName();
    case ValueType::kZSet:
      return zset()->EncodingName();
    case ValueType::kHash:
      return hash()->EncodingName();
  }
  std::string_view value = str();
  if (LooksLikeInt(value)) return "int";
  return value.size() <= 44 ? "embstr" : "raw";
}

size_t Entry::AllocatedBytes() const {
  size_t bytes = malloc_usable_size(const_cast<Entry*>(this));
  switch (type()) {
    case ValueType::kString:
      if (on_heap()) bytes += malloc_usable_size(heap());
      break;
    case ValueType::kList:
      bytes += list()->AllocatedBytes();
      break;
    case ValueType::kSet:
      bytes += set()->AllocatedBytes();
      break;
    case ValueType::kZSet:
      bytes += zset()->AllocatedBytes();
      break;
    case ValueType::kHash:
      bytes += hash()->AllocatedBytes();
      break;
  }
  return bytes;
}

}  // namespace ringtail::storage
