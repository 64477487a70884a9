// SPDX-License-Identifier: Apache-2.0
#include "storage/hash.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/check.h"
#include "base/strings.h"

namespace ringtail::storage {
namespace {

// ---------------------------------------------------------------------------------------------
// Lengths: LEB128, 7 bits a byte, low bits first, the high bit set while more bytes follow.

size_t VarintSize(size_t n) {
  size_t bytes = 1;
  while (n >= 128) {
    n >>= 7;
    ++bytes;
  }
  return bytes;
}

char* PutVarint(char* out, size_t n) {
  while (n >= 128) {
    *out++ = static_cast<char>((n & 127) | 128);
    n >>= 7;
  }
  *out++ = static_cast<char>(n);
  return out;
}

const char* GetVarint(const char* in, size_t* n) {
  size_t value = 0;
  int shift = 0;
  uint8_t byte;
  do {
    byte = static_cast<uint8_t>(*in++);
    value |= static_cast<size_t>(byte & 127) << shift;
    shift += 7;
  } while ((byte & 128) != 0);
  *n = value;
  return in;
}

size_t StringBytes(std::string_view s) { return VarintSize(s.size()) + s.size(); }

char* PutString(char* out, std::string_view s) {
  out = PutVarint(out, s.size());
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

const char* GetString(const char* in, std::string_view* s) {
  size_t len;
  in = GetVarint(in, &len);
  *s = std::string_view(in, len);
  return in + len;
}

void* Allocate(size_t bytes) {
  void* memory = std::malloc(bytes);
  CHECK(memory != nullptr, "out of memory");
  return memory;
}

size_t UsableSize(const void* memory) {
  return memory == nullptr ? 0 : malloc_usable_size(const_cast<void*>(memory));
}

// ---------------------------------------------------------------------------------------------
// Listpack entries: the field, then the value, each a length and its bytes.

struct ListpackEntry {
  std::string_view field;
  std::string_view value;
  size_t value_offset;  // where the value's length starts
  size_t end;           // offset just past the entry
};

ListpackEntry ReadListpackEntry(const char* base, size_t offset) {
  ListpackEntry e;
  const char* p = GetString(base + offset, &e.field);
  e.value_offset = static_cast<size_t>(p - base);
  p = GetString(p, &e.value);
  e.end = static_cast<size_t>(p - base);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Pairs of a table: one block holding the field's length, the value's length, the field and
// the value.

struct Pair {
  std::string_view field;
  std::string_view value;
};

Pair ReadPair(const char* block) {
  size_t field_len;
  size_t value_len;
  const char* p = GetVarint(block, &field_len);
  p = GetVarint(p, &value_len);
  return {std::string_view(p, field_len), std::string_view(p + field_len, value_len)};
}

std::string_view PairField(const char* block) { return ReadPair(block).field; }

size_t PairHeaderBytes(size_t field_len, size_t value_len) {
  return VarintSize(field_len) + VarintSize(value_len);
}

size_t PairBytes(size_t field_len, size_t value_len) {
  return PairHeaderBytes(field_len, value_len) + field_len + value_len;
}

// Writes a pair into `block`, which has room for it. `field` may lie inside `block` (a value
// rewritten in place); `value` may not.
void WritePair(char* block, std::string_view field, std::string_view value) {
  size_t header = PairHeaderBytes(field.size(), value.size());
  if (!field.empty()) std::memmove(block + header, field.data(), field.size());
  if (!value.empty()) std::memcpy(block + header + field.size(), value.data(), value.size());
  PutVarint(PutVarint(block, field.size()), value.size());
}

char* NewPair(std::string_view field, std::string_view value) {
  auto* block = static_cast<char*>(Allocate(PairBytes(field.size(), value.size())));
  WritePair(block, field, value);
  return block;
}

// ---------------------------------------------------------------------------------------------
// Slots: 0 is empty, 1 a tombstone (only in an array being emptied by a resize); otherwise the
// pair's address in the low 48 bits, the distance from the home slot in the next 8 (255: at
// least 255, recomputed from the hash), and the low 8 bits of the field's hash on top.

constexpr uint64_t kEmpty = 0;
constexpr uint64_t kTombstone = 1;
constexpr uint64_t kAddressMask = (uint64_t{1} << 48) - 1;
constexpr int kDistShift = 48;
constexpr uint64_t kDistMask = uint64_t{0xFF} << kDistShift;
constexpr size_t kSaturatedDist = 255;
constexpr int kTagShift = 56;

bool IsLive(uint64_t slot) { return slot > kTombstone; }
char* AddressOf(uint64_t slot) { return reinterpret_cast<char*>(slot & kAddressMask); }
size_t StoredDist(uint64_t slot) { return (slot & kDistMask) >> kDistShift; }
uint64_t WithDist(uint64_t slot, size_t dist) {
  return (slot & ~kDistMask) |
         (static_cast<uint64_t>(std::min(dist, kSaturatedDist)) << kDistShift);
}
uint64_t MakeSlot(const char* block, uint64_t hash) {
  return reinterpret_cast<uint64_t>(block) | ((hash & 0xFF) << kTagShift);
}
bool TagMatches(uint64_t slot, uint64_t hash) { return (slot >> kTagShift) == (hash & 0xFF); }

uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(v);
}

constexpr int kMinSlotBits = 3;
constexpr size_t kNotFound = ~size_t{0};
// Slots of the old array moved per change of the hash while resizing. Growth starts at 7/8
// full into twice the slots, so moving more than one slot per insert finishes a resize long
// before the new array fills. 16 (about 14 pairs, each a cache miss) keeps the cost per change
// around a microsecond and frees the old array after 1/16 of its slot count in inserts, so
// both arrays coexist only briefly: a 1M-field hash holds them both from 917,504 fields to
// 983,040.
constexpr size_t kMigrateSlotsPerChange = 16;

// The number of slot bits for `fields` fields at most half full.
int SlotBitsFor(size_t fields) {
  int bits = kMinSlotBits;
  while ((size_t{1} << bits) < fields * 2) ++bits;
  return bits;
}

}  // namespace

uint64_t Hash::FieldHash(std::string_view field) {
  return absl::Hash<absl::string_view>{}(base::ToAbsl(field));
}

// ---------------------------------------------------------------------------------------------
// The hashtable encoding

class Hash::Table {
 public:
  explicit Table(int bits) {
    bytes_ = sizeof(Table);
    cur_ = NewArray(bits);
  }
  ~Table() {
    for (Array* a : {&cur_, &old_}) {
      for (size_t i = 0; i < a->capacity(); ++i) {
        if (IsLive(a->slots[i])) std::free(AddressOf(a->slots[i]));
      }
      std::free(a->slots);
    }
  }
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Hash::ReleaseSome: positions are the current array's slots, then the old array's.
  bool ReleaseSome(size_t& cursor, size_t& budget) {
    size_t current = cur_.capacity();
    size_t total = current + old_.capacity();
    size_t passed = 0;
    for (; cursor < total && budget > 0; ++cursor) {
      uint64_t& slot = cursor < current ? cur_.slots[cursor] : old_.slots[cursor - current];
      if (IsLive(slot)) {
        std::free(AddressOf(slot));
        slot = kEmpty;
        --budget;
      } else if (++passed % 32 == 0) {
        --budget;
      }
    }
    if (cursor < total) return false;
    // Every pair is freed: the destructor need not walk the slots again.
    for (Array* a : {&cur_, &old_}) {
      std::free(a->slots);
      *a = Array{};
    }
    return true;
  }

  // Bytes of this header, the slot arrays and the pairs.
  size_t bytes() const { return bytes_; }
  size_t slot_count() const { return cur_.capacity() + old_.capacity(); }
  bool resizing() const { return old_.slots != nullptr; }

  // The pair block of `field`, or nullptr.
  const char* Find(std::string_view field) const {
    uint64_t hash = FieldHash(field);
    size_t i = FindIn(cur_, field, hash);
    if (i != kNotFound) return AddressOf(cur_.slots[i]);
    i = FindIn(old_, field, hash);
    return i != kNotFound ? AddressOf(old_.slots[i]) : nullptr;
  }

  // Sets `field` to `value`; returns true if the field is new.
  bool Set(std::string_view field, std::string_view value) {
    MigrateStep();
    uint64_t hash = FieldHash(field);
    for (Array* a : {&cur_, &old_}) {
      size_t i = FindIn(*a, field, hash);
      if (i == kNotFound) continue;
      uint64_t& slot = a->slots[i];
      char* block = AddressOf(slot);
      size_t usable = UsableSize(block);
      if (PairBytes(field.size(), value.size()) <= usable) {
        WritePair(block, ReadPair(block).field, value);
        return false;
      }
      char* fresh = NewPair(field, value);
      bytes_ += UsableSize(fresh) - usable;
      std::free(block);
      slot = (slot & ~kAddressMask) | reinterpret_cast<uint64_t>(fresh);
      return false;
    }
    // Full with the old array's pairs too: that way finishing a resize (a shrink whose small
    // array filled up before the old one emptied) always fits.
    if ((cur_.count + old_.count + 1) * 8 > cur_.capacity() * 7) {
      FinishResize();
      StartResize(cur_.bits + 1);
    }
    char* block = NewPair(field, value);
    bytes_ += UsableSize(block);
    Insert(cur_, MakeSlot(block, hash), hash);
    return true;
  }

  // Adds a field known to be absent, without resizing (REQUIRES: room for it). For the
  // conversion from a listpack.
  void AddNew(std::string_view field, std::string_view value) {
    uint64_t hash = FieldHash(field);
    char* block = NewPair(field, value);
    bytes_ += UsableSize(block);
    Insert(cur_, MakeSlot(block, hash), hash);
  }

  bool Erase(std::string_view field) {
    MigrateStep();
    uint64_t hash = FieldHash(field);
    size_t i = FindIn(cur_, field, hash);
    if (i != kNotFound) {
      FreePair(cur_.slots[i]);
      EraseAt(cur_, i);
    } else {
      i = FindIn(old_, field, hash);
      if (i == kNotFound) return false;
      FreePair(old_.slots[i]);
      old_.slots[i] = kTombstone;
      --old_.count;
      if (old_.count == 0) FreeArray(old_);
    }
    if (!resizing() && cur_.bits > kMinSlotBits && cur_.count * 8 < cur_.capacity()) {
      StartResize(SlotBitsFor(cur_.count));
    }
    return true;
  }

  void ForEach(PairFn fn) const {
    for (const Array* a : {&cur_, &old_}) {
      for (size_t i = 0; i < a->capacity(); ++i) {
        if (!IsLive(a->slots[i])) continue;
        Pair pair = ReadPair(AddressOf(a->slots[i]));
        fn(pair.field, pair.value);
      }
    }
  }

  uint64_t Scan(uint64_t cursor, size_t count, PairFn fn) const {
    // The scan position: a prefix of the hash space, aligned to one slot of the smaller array.
    int bits = resizing() ? std::min(cur_.bits, old_.bits) : cur_.bits;
    uint64_t range = uint64_t{1} << (64 - bits);
    uint64_t position = ReverseBits(cursor) & ~(range - 1);
    size_t emitted = 0;
    size_t max_steps = count > (SIZE_MAX - 1) / 10 ? SIZE_MAX : count * 10 + 1;
    auto emit = [&](const char* block) {
      Pair pair = ReadPair(block);
      fn(pair.field, pair.value);
      ++emitted;
    };
    do {
      for (const Array* a : {&cur_, &old_}) {
        if (a->slots == nullptr) continue;
        int shift = 64 - a->bits;
        for (uint64_t home = position >> shift; home <= (position + (range - 1)) >> shift; ++home) {
          VisitHome(*a, static_cast<size_t>(home), emit);
        }
      }
      position += range;  // 0 once past the last range
    } while (position != 0 && emitted < count && --max_steps > 0);
    return ReverseBits(position);
  }

  // A live pair's block chosen uniformly: every pair has one slot, so a uniformly chosen slot
  // that holds a pair is a uniformly chosen pair. REQUIRES: a pair exists.
  const char* RandomPair(absl::BitGen& rng) const {
    size_t total = slot_count();
    for (;;) {
      size_t i = absl::Uniform<size_t>(rng, 0, total);
      uint64_t slot = i < cur_.capacity() ? cur_.slots[i] : old_.slots[i - cur_.capacity()];
      if (IsLive(slot)) return AddressOf(slot);
    }
  }

  // bytes() recounted from the blocks.
  size_t CountBytes() const {
    size_t bytes = sizeof(Table);
    for (const Array* a : {&cur_, &old_}) {
      bytes += UsableSize(a->slots);
      for (size_t i = 0; i < a->capacity(); ++i) {
        if (IsLive(a->slots[i])) bytes += UsableSize(AddressOf(a->slots[i]));
      }
    }
    return bytes;
  }

  // Every pair's block.
  void Blocks(std::vector<const char*>* out) const {
    for (const Array* a : {&cur_, &old_}) {
      for (size_t i = 0; i < a->capacity(); ++i) {
        if (IsLive(a->slots[i])) out->push_back(AddressOf(a->slots[i]));
      }
    }
  }

 private:
  struct Array {
    uint64_t* slots = nullptr;
    int bits = 0;
    size_t count = 0;  // live pairs
    size_t capacity() const { return slots == nullptr ? 0 : size_t{1} << bits; }
    size_t mask() const { return capacity() - 1; }
    size_t HomeOf(uint64_t hash) const { return static_cast<size_t>(hash >> (64 - bits)); }
  };

  Array NewArray(int bits) {
    Array a;
    a.bits = bits;
    a.slots = static_cast<uint64_t*>(std::calloc(size_t{1} << bits, sizeof(uint64_t)));
    CHECK(a.slots != nullptr, "out of memory for a hash's slot array");
    bytes_ += UsableSize(a.slots);
    return a;
  }

  void FreeArray(Array& a) {
    bytes_ -= UsableSize(a.slots);
    std::free(a.slots);
    a = Array{};
  }

  void FreePair(uint64_t slot) {
    char* block = AddressOf(slot);
    bytes_ -= UsableSize(block);
    std::free(block);
  }

  // The distance of the pair in slot i of `a` from its home slot.
  static size_t DistAt(const Array& a, size_t i) {
    size_t dist = StoredDist(a.slots[i]);
    if (dist < kSaturatedDist) return dist;
    uint64_t hash = FieldHash(PairField(AddressOf(a.slots[i])));
    return (i - a.HomeOf(hash)) & a.mask();
  }

  // The slot index of `field` in `a`, or kNotFound. Robin Hood order: the pairs after a home's
  // own are of later homes, so the probe stops at the first pair closer to its home than the
  // probe is to the field's.
  static size_t FindIn(const Array& a, std::string_view field, uint64_t hash) {
    if (a.slots == nullptr) return kNotFound;
    size_t mask = a.mask();
    size_t i = a.HomeOf(hash);
    for (size_t probe = 0;; ++probe, i = (i + 1) & mask) {
      uint64_t slot = a.slots[i];
      if (slot == kEmpty) return kNotFound;
      if (slot == kTombstone) continue;
      size_t dist = StoredDist(slot);
      if (dist < probe && (dist < kSaturatedDist || DistAt(a, i) < probe)) return kNotFound;
      if (TagMatches(slot, hash) && PairField(AddressOf(slot)) == field) return i;
    }
  }

  // Places `slot` (distance bits ignored), whose field hashes to `hash`, into `a`, which has
  // no tombstones and a free slot. Robin Hood: a pair further from its home takes the slot of
  // one closer to its own, which moves on.
  static void Insert(Array& a, uint64_t slot, uint64_t hash) {
    size_t mask = a.mask();
    size_t i = a.HomeOf(hash);
    size_t dist = 0;
    for (;; ++dist, i = (i + 1) & mask) {
      uint64_t there = a.slots[i];
      if (there == kEmpty) {
        a.slots[i] = WithDist(slot, dist);
        ++a.count;
        return;
      }
      size_t there_dist = DistAt(a, i);
      if (there_dist < dist) {
        a.slots[i] = WithDist(slot, dist);
        slot = there;
        dist = there_dist;
      }
    }
  }

  // Empties slot i of `a` (no tombstones) by shifting the following pairs of its cluster back
  // by one, which keeps the Robin Hood order without tombstones.
  static void EraseAt(Array& a, size_t i) {
    size_t mask = a.mask();
    for (size_t next = (i + 1) & mask;; i = next, next = (next + 1) & mask) {
      uint64_t slot = a.slots[next];
      if (slot == kEmpty) break;
      size_t dist = DistAt(a, next);
      if (dist == 0) break;
      a.slots[i] = WithDist(slot, dist - 1);
    }
    a.slots[i] = kEmpty;
    --a.count;
  }

  // Calls `emit` for every pair of `a` whose home slot is `home`: they follow it, after any
  // pairs of earlier homes pushed past it, and end where a later home's pairs (or a gap) start.
  template <typename Emit>
  static void VisitHome(const Array& a, size_t home, Emit& emit) {
    size_t mask = a.mask();
    size_t i = home;
    for (size_t step = 0; step <= mask; ++step, i = (i + 1) & mask) {
      uint64_t slot = a.slots[i];
      if (slot == kEmpty) return;
      if (slot == kTombstone) continue;
      size_t dist = DistAt(a, i);
      if (dist < step) return;
      if (dist == step) emit(AddressOf(slot));
    }
  }

  // Moves the current array to old_ and starts a new one of 2^bits slots.
  void StartResize(int bits) {
    CHECK(!resizing(), "a resize is already in progress");
    old_ = cur_;
    cur_ = NewArray(bits);
    migrate_next_ = 0;
    if (old_.count == 0) FreeArray(old_);
  }

  // Moves the pairs of up to `slots` slots of the old array into the current one.
  void MigrateStep(size_t slots = kMigrateSlotsPerChange) {
    for (; resizing() && slots > 0; --slots) {
      uint64_t slot = old_.slots[migrate_next_];
      if (IsLive(slot)) {
        old_.slots[migrate_next_] = kTombstone;
        --old_.count;
        Insert(cur_, slot, FieldHash(PairField(AddressOf(slot))));
      }
      ++migrate_next_;
      if (old_.count == 0) FreeArray(old_);
    }
  }

  void FinishResize() {
    if (resizing()) MigrateStep(old_.capacity() - migrate_next_);
  }

  Array cur_;  // takes the inserts
  Array old_;  // while resizing: the array being emptied into cur_
  size_t migrate_next_ = 0;
  size_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Hash

Hash::~Hash() {
  if (is_table_) {
    std::unique_ptr<Table>(table()).reset();
  } else {
    std::free(data_);
  }
}

bool Hash::ReleaseSome(size_t& cursor, size_t& budget) {
  return !is_table_ || table()->ReleaseSome(cursor, budget);
}

size_t Hash::slot_count() const { return is_table_ ? table()->slot_count() : 0; }
bool Hash::is_resizing() const { return is_table_ && table()->resizing(); }

size_t Hash::CountAllocatedBytes() const {
  return sizeof(Hash) + (is_table_ ? table()->CountBytes() : UsableSize(data_));
}

std::optional<size_t> Hash::ListpackFind(std::string_view field) const {
  for (size_t offset = 0; offset < listpack_bytes_;) {
    ListpackEntry e = ReadListpackEntry(data_, offset);
    if (e.field == field) return offset;
    offset = e.end;
  }
  return std::nullopt;
}

std::optional<std::string_view> Hash::Get(std::string_view field) const {
  if (is_table_) {
    const char* block = table()->Find(field);
    if (block == nullptr) return std::nullopt;
    return ReadPair(block).value;
  }
  std::optional<size_t> offset = ListpackFind(field);
  if (!offset) return std::nullopt;
  return ReadListpackEntry(data_, *offset).value;
}

char* Hash::ListpackSplice(size_t offset, size_t old_bytes, size_t new_bytes) {
  size_t total = listpack_bytes_ - old_bytes + new_bytes;
  size_t tail = listpack_bytes_ - offset - old_bytes;
  size_t usable = UsableSize(data_);
  if (total > usable) {
    auto* grown = static_cast<char*>(std::realloc(data_, total));
    CHECK(grown != nullptr, "out of memory for a listpack");
    data_ = grown;
  }
  if (tail > 0 && old_bytes != new_bytes) {
    std::memmove(data_ + offset + new_bytes, data_ + offset + old_bytes, tail);
  }
  if (total == 0) {
    std::free(data_);
    data_ = nullptr;
  } else if (total <= usable / 2) {
    auto* shrunk = static_cast<char*>(std::realloc(data_, total));
    if (shrunk != nullptr) data_ = shrunk;
  }
  allocated_bytes_ = allocated_bytes_ - usable + UsableSize(data_);
  listpack_bytes_ = static_cast<uint32_t>(total);
  return data_ + offset;
}

bool Hash::ListpackSet(std::string_view field, std::string_view value) {
  if (std::optional<size_t> offset = ListpackFind(field)) {
    ListpackEntry e = ReadListpackEntry(data_, *offset);
    size_t old_bytes = e.end - e.value_offset;
    PutString(ListpackSplice(e.value_offset, old_bytes, StringBytes(value)), value);
    return false;
  }
  char* out = ListpackSplice(listpack_bytes_, 0, StringBytes(field) + StringBytes(value));
  PutString(PutString(out, field), value);
  ++size_;
  return true;
}

void Hash::ConvertToTable() {
  auto converted = std::make_unique<Table>(SlotBitsFor(size_));
  ForEach([&](std::string_view field, std::string_view value) { converted->AddNew(field, value); });
  std::free(data_);
  listpack_bytes_ = 0;
  data_ = reinterpret_cast<char*>(converted.release());
  is_table_ = true;
  allocated_bytes_ = sizeof(Hash) + table()->bytes();
}

void Hash::PrepareToAdd(size_t longest_bytes, size_t total_bytes, const EncodingLimits& limits) {
  if (is_table_) return;
  if (longest_bytes > static_cast<uint64_t>(limits.hash_max_listpack_value) ||
      listpack_bytes_ + total_bytes > kListpackSafeBytes) {
    ConvertToTable();
  }
}

bool Hash::Set(std::string_view field, std::string_view value, const EncodingLimits& limits) {
  if (!is_table_) {
    uint64_t max_value = static_cast<uint64_t>(limits.hash_max_listpack_value);
    if (field.size() > max_value || value.size() > max_value ||
        listpack_bytes_ + field.size() + value.size() > kListpackSafeBytes) {
      ConvertToTable();
    } else {
      bool inserted = ListpackSet(field, value);
      if (size_ > static_cast<uint64_t>(limits.hash_max_listpack_entries)) ConvertToTable();
      return inserted;
    }
  }
  bool inserted = table()->Set(field, value);
  if (inserted) ++size_;
  allocated_bytes_ = sizeof(Hash) + table()->bytes();
  return inserted;
}

bool Hash::Erase(std::string_view field) {
  if (is_table_) {
    bool erased = table()->Erase(field);
    if (erased) --size_;
    allocated_bytes_ = sizeof(Hash) + table()->bytes();
    return erased;
  }
  std::optional<size_t> offset = ListpackFind(field);
  if (!offset) return false;
  ListpackSplice(*offset, ReadListpackEntry(data_, *offset).end - *offset, 0);
  --size_;
  return true;
}

void Hash::ForEach(PairFn fn) const {
  if (is_table_) return table()->ForEach(fn);
  for (size_t offset = 0; offset < listpack_bytes_;) {
    ListpackEntry e = ReadListpackEntry(data_, offset);
    fn(e.field, e.value);
    offset = e.end;
  }
}

uint64_t Hash::Scan(uint64_t cursor, size_t count, PairFn fn) const {
  if (is_table_) return table()->Scan(cursor, count, fn);
  ForEach(fn);
  return 0;
}

std::vector<size_t> Hash::ListpackOffsets() const {
  std::vector<size_t> offsets;
  offsets.reserve(size_);
  for (size_t offset = 0; offset < listpack_bytes_; offset = ReadListpackEntry(data_, offset).end) {
    offsets.push_back(offset);
  }
  return offsets;
}

void Hash::RandomPairs(size_t count, absl::BitGen& rng, PairFn fn) const {
  if (is_table_) {
    for (size_t i = 0; i < count; ++i) {
      Pair pair = ReadPair(table()->RandomPair(rng));
      fn(pair.field, pair.value);
    }
    return;
  }
  if (count == 1) {  // HRANDFIELD without a count: walk to it, no index needed
    size_t offset = 0;
    for (size_t skip = absl::Uniform<size_t>(rng, 0, size_); skip > 0; --skip) {
      offset = ReadListpackEntry(data_, offset).end;
    }
    ListpackEntry e = ReadListpackEntry(data_, offset);
    return fn(e.field, e.value);
  }
  std::vector<size_t> offsets = ListpackOffsets();
  for (size_t i = 0; i < count; ++i) {
    ListpackEntry e = ReadListpackEntry(data_, offsets[absl::Uniform<size_t>(rng, 0, size_)]);
    fn(e.field, e.value);
  }
}

void Hash::RandomDistinctPairs(size_t count, absl::BitGen& rng, PairFn fn) const {
  CHECK(count <= size_, "more distinct random fields asked for than the hash holds");
  if (count == size_) return ForEach(fn);
  // Few out of many: draw until enough distinct ones came up.
  if (is_table_ && count * 3 <= size_) {
    absl::flat_hash_set<const char*> seen;
    seen.reserve(count);
    while (seen.size() < count) {
      const char* block = table()->RandomPair(rng);
      if (!seen.insert(block).second) continue;
      Pair pair = ReadPair(block);
      fn(pair.field, pair.value);
    }
    return;
  }
  // Otherwise a partial Fisher-Yates shuffle of all of them.
  if (is_table_) {
    std::vector<const char*> blocks;
    blocks.reserve(size_);
    table()->Blocks(&blocks);
    for (size_t i = 0; i < count; ++i) {
      std::swap(blocks[i], blocks[absl::Uniform<size_t>(rng, i, blocks.size())]);
      Pair pair = ReadPair(blocks[i]);
      fn(pair.field, pair.value);
    }
    return;
  }
  std::vector<size_t> offsets = ListpackOffsets();
  for (size_t i = 0; i < count; ++i) {
    std::swap(offsets[i], offsets[absl::Uniform<size_t>(rng, i, offsets.size())]);
    ListpackEntry e = ReadListpackEntry(data_, offsets[i]);
    fn(e.field, e.value);
  }
}

}  // namespace ringtail::storage
