// SPDX-License-Identifier: Apache-2.0
// Entry: one key and its value in a single allocation, laid out to be small:
//
//   next (8) | key length (4) | inline value length (1) | flags (1) | access clock (2)
//   [deadline (8), only if the entry was given room for one] | key bytes | value area
//
// For a string, the value area holds the value's bytes when they fit (up to 255 bytes, within the
// allocator's size class), else a pointer to a separate HeapValue block (size, capacity, bytes). A
// 16-byte key with a 64-byte value takes 96 bytes, one mimalloc size class, with no other
// allocation; with a small integer value, 40 bytes. For a list, hash, set or sorted set, the value
// area holds a pointer to the collection object (storage/list.h, hash.h, set.h, zset.h), which
// the entry owns.
//
// Entries are created, moved and freed only by storage::Table. An entry moves only when a
// deadline is first given to a key created without room for one (Table::SetExpiry returns the
// new address). Single-threaded: owned by one shard.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringtail::storage {

// Value types, numbered as Redis's OBJ_* constants.
enum class ValueType : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4 };

class List;
class Set;
class ZSet;
class Hash;

class Entry {
 public:
  std::string_view key() const { return {KeyData(), key_len_}; }
  ValueType type() const { return static_cast<ValueType>(flags_ & kTypeMask); }
  bool IsString() const { return type() == ValueType::kString; }

  // The string value. REQUIRES: IsString(). Valid until the value changes.
  std::string_view str() const;

  // The collection object of a list, set, sorted set or hash entry (REQUIRES: that type). Valid
  // until the value is replaced or the entry freed. A handler that changes the object reports
  // the change of its size through Table::NoteResized.
  List* list() const { return static_cast<List*>(object()); }
  Set* set() const { return static_cast<Set*>(object()); }
  ZSet* zset() const { return static_cast<ZSet*>(object()); }
  Hash* hash() const { return static_cast<Hash*>(object()); }

  // Unix time in ms after which the key is gone, or 0 if it has no deadline.
  int64_t expire_at_ms() const;
  bool has_expiry() const { return expire_at_ms() != 0; }

  // Redis's OBJECT ENCODING name of the value: "int", "embstr" or "raw" for a string, the
  // collection's own name ("listpack", "quicklist", "intset", "hashtable", "skiplist") otherwise.
  std::string_view EncodingName() const;

  // The 16-bit access clock kept for eviction (LRU time or LFU counter and decay time).
  uint16_t access() const { return access_; }
  void set_access(uint16_t access) { access_ = access; }

  // Bytes this entry occupies, including its heap value or collection object (the allocator's
  // sizes; a collection's own running count).
  size_t AllocatedBytes() const;

 private:
  friend class Table;
  friend class LazyFree;

  // A value too large for the inline area: one allocation holding its size, capacity and bytes.
  struct HeapValue {
    size_t size;
    size_t capacity;
    char* data() { return reinterpret_cast<char*>(this + 1); }
  };

  static constexpr uint8_t kTypeMask = 0x07;
  static constexpr uint8_t kOnHeap = 0x08;        // the value area holds a HeapValue
  static constexpr uint8_t kDeadlineSlot = 0x10;  // 8 bytes of deadline precede the key
  static constexpr size_t kMaxInlineValue = 255;

  // Value changes, through Table::SetString / Table::ResizeString (which count memory).
  // SetString replaces the value with a string. ResizeString resizes the string value to `size`
  // bytes, keeping its first bytes and zero-filling any growth (amortized, for APPEND), and
  // returns the value's bytes, valid until the next change.
  // A collection value (a list, hash, set or sorted set entry) is freed first by SetString.
  // ResizeString REQUIRES: IsString().
  void SetString(std::string_view value);
  char* ResizeString(size_t size);
  // Replaces the value (of any type) with the collection `object` of `type`, which the entry
  // then owns. Through Table::SetObject.
  void SetObject(ValueType type, void* object);
  void* object() const;
  // Frees the heap string or the collection object; the value is then an empty inline string.
  void FreeValue();
  // Hands over the collection object (REQUIRES: !IsString()) without freeing it; the value is
  // then an empty inline string.
  void* TakeObject();
  // Deletes a collection `object` of `type` (a List, Set, ZSet or Hash; nothing for kString).
  static void DeleteObject(ValueType type, void* object);

  // Allocates an entry for `key` with room for `value_capacity` value bytes inline (if they fit
  // the inline limit) and for a deadline if `with_deadline`. The value is an empty string.
  static Entry* Create(std::string_view key, size_t value_capacity, bool with_deadline);
  static void Destroy(Entry* entry);
  // A copy of `entry` with room for a deadline; `entry` is freed. Links are the caller's to fix.
  static Entry* MoveWithDeadlineSlot(Entry* entry);

  bool has_deadline_slot() const { return (flags_ & kDeadlineSlot) != 0; }
  bool on_heap() const { return (flags_ & kOnHeap) != 0; }
  void set_expire_at_ms(int64_t at_ms);  // REQUIRES: has_deadline_slot()

  const char* Body() const { return reinterpret_cast<const char*>(this + 1); }
  char* Body() { return reinterpret_cast<char*>(this + 1); }
  size_t KeyOffset() const { return has_deadline_slot() ? 8 : 0; }
  const char* KeyData() const { return Body() + KeyOffset(); }
  const char* ValueArea() const { return KeyData() + key_len_; }
  char* ValueArea() { return Body() + KeyOffset() + key_len_; }
  // Bytes available in the value area (from the allocator's usable size).
  size_t InlineCapacity() const;
  HeapValue* heap() const;
  void set_heap(HeapValue* heap);
  // Makes room for `size` value bytes, keeping the current ones; `amortize` over-allocates.
  char* Reserve(size_t size, bool amortize);
  size_t ValueSize() const { return on_heap() ? heap()->size : value_len_; }
  void SetValueSize(size_t size);

  Entry* next_ = nullptr;
  uint32_t key_len_ = 0;
  uint8_t value_len_ = 0;  // inline values only
  uint8_t flags_ = 0;
  uint16_t access_ = 0;
};

static_assert(sizeof(Entry) == 16, "the entry header must stay 16 bytes");

}  // namespace ringtail::storage
