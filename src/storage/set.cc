// SPDX-License-Identifier: Apache-2.0
#include "storage/set.h"

#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/check.h"
#include "storage/slot_array.h"
#include "base/strings.h"

namespace ringtail::storage {
namespace {

// ---- Allocation

size_t UsableSize(const void* p) {
  return p == nullptr ? 0 : malloc_usable_size(const_cast<void*>(p));
}

void* Realloc(void* p, size_t size) {
  void* out = std::realloc(p, size);
  CHECK(out != nullptr, "out of memory");
  return out;
}

// ---- Members as integers

// Parses `s` as Redis's string2ll does: an optional '-', then digits without leading zeros
// ("0" alone is fine, "-0" is not), fitting int64.
bool ParseMemberInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  bool negative = s[0] == '-';
  if (negative) i = 1;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t value = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    auto digit = static_cast<uint64_t>(s[i] - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  constexpr auto kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (value > kMaxPositive + 1) return false;
    *out = static_cast<int64_t>(0 - value);  // wraps to INT64_MIN for 2^63, as intended
  } else {
    if (value > kMaxPositive) return false;
    *out = static_cast<int64_t>(value);
  }
  return true;
}

std::string_view FormatInt(int64_t value, Set::IntBuffer& buffer) {
  char* end = std::to_chars(buffer.digits, buffer.digits + sizeof(buffer.digits), value).ptr;
  return {buffer.digits, static_cast<size_t>(end - buffer.digits)};
}

size_t DecimalLength(int64_t value) {
  Set::IntBuffer buffer;
  return FormatInt(value, buffer).size();
}

// The smallest intset width (2, 4 or 8 bytes) that holds `value`.
uint8_t IntWidthFor(int64_t value) {
  if (value >= std::numeric_limits<int16_t>::min() &&
      value <= std::numeric_limits<int16_t>::max()) {
    return 2;
  }
  if (value >= std::numeric_limits<int32_t>::min() &&
      value <= std::numeric_limits<int32_t>::max()) {
    return 4;
  }
  return 8;
}

int64_t ReadInt(const char* p, uint8_t width) {
  switch (width) {
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

void WriteInt(char* p, uint8_t width, int64_t value) {
  switch (width) {
    case 2: {
      auto v = static_cast<int16_t>(value);
      std::memcpy(p, &v, 2);
      return;
    }
    case 4: {
      auto v = static_cast<int32_t>(value);
      std::memcpy(p, &v, 4);
      return;
    }
    default:
      std::memcpy(p, &value, 8);
  }
}

// ---- Length-prefixed members (listpack entries and hashtable member allocations)

size_t VarintSize(size_t n) {
  size_t bytes = 1;
  for (; n >= 128; n >>= 7) ++bytes;
  return bytes;
}

char* PutVarint(char* p, size_t n) {
  for (; n >= 128; n >>= 7) *p++ = static_cast<char>((n & 127) | 128);
  *p++ = static_cast<char>(n);
  return p;
}

// The member stored at `p` (varint length, bytes).
std::string_view ReadMember(const char* p) {
  size_t length = 0;
  int shift = 0;
  for (;;) {
    auto byte = static_cast<uint8_t>(*p++);
    length |= static_cast<size_t>(byte & 127) << shift;
    if ((byte & 128) == 0) break;
    shift += 7;
  }
  return {p, length};
}

// Bytes a stored member takes.
size_t StoredSize(std::string_view member) { return VarintSize(member.size()) + member.size(); }
size_t StoredSizeAt(const char* p) {
  std::string_view member = ReadMember(p);
  return static_cast<size_t>(member.data() - p) + member.size();
}

void StoreMember(char* p, std::string_view member) {
  p = PutVarint(p, member.size());
  if (!member.empty()) std::memcpy(p, member.data(), member.size());
}

// ---- Hashtable slots
//
// A slot: bits 48..63 the low 16 bits of the member's hash (the tag), bits 3..47 the member's
// address, bits 0..2 the hash's top 3 bits (the fingerprint). 0 is a free slot.

constexpr int kTagShift = 48;
constexpr uintptr_t kAddressMask = ((uintptr_t{1} << kTagShift) - 1) & ~uintptr_t{7};
constexpr size_t kTagMask = 0xFFFF;
// A member sits less than this many slots from its home, so its tag locates its home.
constexpr size_t kMaxDisplacement = kTagMask;
constexpr size_t kMinCapacity = 8;
// A slot array up to this size is rehashed at once (a few microseconds); a larger one a few
// runs per change, kMigrateSlotsPerChange slots at least, so no change pauses for long.
constexpr size_t kSyncRehashSlots = 4096;
constexpr size_t kMigrateSlotsPerChange = 64;

uint64_t HashMember(std::string_view member) {
  return absl::Hash<absl::string_view>{}(base::ToAbsl(member));
}

uintptr_t MakeSlot(const char* stored, uint64_t hash) {
  auto address = reinterpret_cast<uintptr_t>(stored);
  CHECK((address & ~kAddressMask) == 0, "member address does not fit a tagged slot");
  return address | ((hash & kTagMask) << kTagShift) | (hash >> 61);
}

bool SlotMatches(uintptr_t slot, uint64_t hash) {
  return (slot >> kTagShift) == (hash & kTagMask) && (slot & 7) == (hash >> 61);
}

const char* SlotStored(uintptr_t slot) {
  return reinterpret_cast<const char*>(slot & kAddressMask);
}
std::string_view SlotMember(uintptr_t slot) { return ReadMember(SlotStored(slot)); }

// Places `slot` by linear probing from `home` in `slots` (mask `mask`). Returns false, placing
// nothing, if the free slot lies kMaxDisplacement or more slots from home.
bool PlaceSlot(uintptr_t* slots, size_t mask, uintptr_t slot, size_t home) {
  size_t i = home;
  for (size_t displacement = 0; slots[i] != 0; ++displacement) {
    if (displacement + 1 >= kMaxDisplacement) return false;
    i = (i + 1) & mask;
  }
  slots[i] = slot;
  return true;
}

// The smallest power-of-two slot count (at least kMinCapacity) that holds `members` at a load
// of at most 3/4.
size_t CapacityFor(size_t members) {
  size_t capacity = kMinCapacity;
  while (capacity * 3 < members * 4) capacity *= 2;
  return capacity;
}

uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  v = ((v >> 8) & 0x00FF00FF00FF00FFULL) | ((v & 0x00FF00FF00FF00FFULL) << 8);
  v = ((v >> 16) & 0x0000FFFF0000FFFFULL) | ((v & 0x0000FFFF0000FFFFULL) << 16);
  return (v >> 32) | (v << 32);
}

size_t Limit(int64_t configured) { return configured < 0 ? 0 : static_cast<size_t>(configured); }

// Redis caps the intset at 2^30 entries whatever set-max-intset-entries says.
size_t IntsetMaxEntries(const EncodingLimits& limits) {
  return std::min<size_t>(Limit(limits.set_max_intset_entries), size_t{1} << 30);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Creation, copies, destruction

Set::~Set() { FreeAll(); }

std::unique_ptr<Set> Set::Create(std::string_view first_member, size_t size_hint,
                                 const EncodingLimits& limits) {
  int64_t value;
  if (ParseMemberInt(first_member, &value) && size_hint <= Limit(limits.set_max_intset_entries)) {
    return CreateEmpty(Encoding::kIntset);
  }
  if (size_hint <= Limit(limits.set_max_listpack_entries)) return CreateEmpty(Encoding::kListpack);
  return CreateEmpty(Encoding::kHashtable, size_hint);
}

std::unique_ptr<Set> Set::CreateEmpty(Encoding encoding, size_t size_hint) {
  auto set = std::make_unique<Set>();
  set->encoding_ = encoding;
  if (encoding == Encoding::kHashtable) set->RebuildAll(CapacityFor(size_hint));
  return set;
}

std::unique_ptr<Set> Set::Clone() const {
  auto copy = CreateEmpty(encoding_, size_);
  if (encoding_ == Encoding::kHashtable) {
    ForEach([&](std::string_view member) { copy->SlotInsertNew(member, HashMember(member)); });
    return copy;
  }
  copy->int_width_ = int_width_;
  copy->size_ = size_;
  copy->flat_bytes_ = flat_bytes_;
  size_t bytes = encoding_ == Encoding::kIntset ? size_ * int_width_ : flat_bytes_;
  if (bytes > 0) {
    copy->data_ = Realloc(nullptr, bytes);
    std::memcpy(copy->data_, data_, bytes);
  }
  copy->UpdateFlatBytes();
  return copy;
}

void Set::FreeAll() {
  if (encoding_ == Encoding::kHashtable && data_ != nullptr) {
    for (size_t i = 0; i <= mask_; ++i) {
      if (slots()[i] != 0) std::free(const_cast<char*>(SlotStored(slots()[i])));
    }
    if (rehash_ != nullptr) {
      for (size_t i = 0; i <= rehash_->mask; ++i) {
        if (rehash_->slots[i] != 0) std::free(const_cast<char*>(SlotStored(rehash_->slots[i])));
      }
    }
  }
  FreeStructure();
}

void Set::FreeStructure() {
  if (encoding_ == Encoding::kHashtable && data_ != nullptr) {
    if (rehash_ != nullptr) {
      FreeSlotArray(rehash_->slots, rehash_->mask + 1);
      rehash_.reset();
    }
    FreeSlotArray(slots(), mask_ + 1);
  } else {
    std::free(data_);
  }
  encoding_ = Encoding::kIntset;
  int_width_ = 2;
  size_ = 0;
  allocated_bytes_ = sizeof(Set);
  data_ = nullptr;
  flat_bytes_ = 0;
  mask_ = 0;
}

bool Set::ReleaseSome(size_t& cursor, size_t& budget) {
  if (encoding_ != Encoding::kHashtable || data_ == nullptr) return true;
  // Positions: the current array's slots, then the previous array's while a rehash is under way.
  size_t current = mask_ + 1;
  size_t total = current + (rehash_ != nullptr ? rehash_->mask + 1 : 0);
  size_t passed = 0;
  for (; cursor < total && budget > 0; ++cursor) {
    uintptr_t& slot = cursor < current ? slots()[cursor] : rehash_->slots[cursor - current];
    if (slot != 0) {
      std::free(const_cast<char*>(SlotStored(slot)));
      slot = 0;
      --budget;
    } else if (++passed % 32 == 0) {
      --budget;
    }
  }
  // Then the slot arrays, a chunk at a time: positions past `total` count their bytes freed.
  constexpr size_t kChunkCost = 1'000;  // unmapping 256 KB costs about as much as 1,000 frees
  size_t current_bytes = (mask_ + 1) * sizeof(uintptr_t);
  size_t old_bytes = rehash_ != nullptr ? (rehash_->mask + 1) * sizeof(uintptr_t) : 0;
  while (cursor >= total && cursor < total + current_bytes + old_bytes && budget > 0) {
    size_t offset = cursor - total;
    if (offset < current_bytes) {
      FreeZeroedSome(slots(), current_bytes, offset);
    } else {
      size_t released = offset - current_bytes;
      FreeZeroedSome(rehash_->slots, old_bytes, released);
      offset = current_bytes + released;
    }
    cursor = total + offset;
    budget -= std::min(budget, kChunkCost);
  }
  if (cursor < total + current_bytes + old_bytes) return false;
  // Every member and both arrays are freed: forget them.
  rehash_.reset();
  data_ = nullptr;
  FreeStructure();
  return true;
}

void Set::TakeFrom(Set& other) {
  FreeAll();
  encoding_ = other.encoding_;
  int_width_ = other.int_width_;
  size_ = other.size_;
  allocated_bytes_ = other.allocated_bytes_;
  data_ = other.data_;
  flat_bytes_ = other.flat_bytes_;
  mask_ = other.mask_;
  rehash_ = std::move(other.rehash_);
  other.data_ = nullptr;
  other.FreeAll();
}

void Set::UpdateFlatBytes() { allocated_bytes_ = sizeof(Set) + UsableSize(data_); }

std::string_view Set::EncodingName() const {
  switch (encoding_) {
    case Encoding::kIntset:
      return "intset";
    case Encoding::kListpack:
      return "listpack";
    case Encoding::kHashtable:
      return "hashtable";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Membership

bool Set::Add(std::string_view member, const EncodingLimits& limits) {
  switch (encoding_) {
    case Encoding::kHashtable: {
      uint64_t hash = HashMember(member);
      if (SlotFind(member, hash) != SIZE_MAX) return false;
      SlotInsertNew(member, hash);
      return true;
    }
    case Encoding::kListpack: {
      if (PackFind(member) != SIZE_MAX) return false;
      if (size_ < Limit(limits.set_max_listpack_entries) &&
          member.size() <= Limit(limits.set_max_listpack_value)) {
        PackAppend(member);
      } else {
        ConvertToHashtable(size_ + 1);
        SlotInsertNew(member, HashMember(member));
      }
      return true;
    }
    case Encoding::kIntset: {
      int64_t value;
      if (ParseMemberInt(member, &value)) {
        if (!IntAdd(value)) return false;
        if (size_ > IntsetMaxEntries(limits)) ConvertToHashtable(size_);
        return true;
      }
      // A listpack only if every integer, written out, would fit it too.
      size_t longest =
          size_ == 0 ? 0 : std::max(DecimalLength(IntAt(0)), DecimalLength(IntAt(size_ - 1)));
      size_t max_value = Limit(limits.set_max_listpack_value);
      if (size_ < Limit(limits.set_max_listpack_entries) && member.size() <= max_value &&
          longest <= max_value) {
        ConvertIntsetToListpack();
        PackAppend(member);
      } else {
        ConvertToHashtable(size_ + 1);
        SlotInsertNew(member, HashMember(member));
      }
      return true;
    }
  }
  return false;
}

bool Set::Remove(std::string_view member) {
  switch (encoding_) {
    case Encoding::kHashtable: {
      size_t location = SlotFind(member, HashMember(member));
      if (location == SIZE_MAX) return false;
      SlotEraseAt(location);
      return true;
    }
    case Encoding::kListpack: {
      size_t offset = PackFind(member);
      if (offset == SIZE_MAX) return false;
      PackEraseAt(offset);
      return true;
    }
    case Encoding::kIntset: {
      int64_t value;
      return ParseMemberInt(member, &value) && IntRemove(value);
    }
  }
  return false;
}

bool Set::Contains(std::string_view member) const {
  switch (encoding_) {
    case Encoding::kHashtable:
      return SlotFind(member, HashMember(member)) != SIZE_MAX;
    case Encoding::kListpack:
      return PackFind(member) != SIZE_MAX;
    case Encoding::kIntset: {
      int64_t value;
      bool found = false;
      if (ParseMemberInt(member, &value)) IntSearch(value, &found);
      return found;
    }
  }
  return false;
}

void Set::PrepareForAdds(size_t size_hint, const EncodingLimits& limits) {
  if ((encoding_ == Encoding::kListpack && size_hint > Limit(limits.set_max_listpack_entries)) ||
      (encoding_ == Encoding::kIntset && size_hint > Limit(limits.set_max_intset_entries))) {
    ConvertToHashtable(size_hint);
  }
}

// ---------------------------------------------------------------------------------------------
// Iteration

void Set::ForEach(absl::FunctionRef<void(std::string_view)> fn) const {
  switch (encoding_) {
    case Encoding::kIntset: {
      IntBuffer buffer;
      for (size_t i = 0; i < size_; ++i) fn(FormatInt(IntAt(i), buffer));
      return;
    }
    case Encoding::kListpack:
      for (size_t offset = 0; offset < flat_bytes_; offset += StoredSizeAt(flat() + offset)) {
        fn(ReadMember(flat() + offset));
      }
      return;
    case Encoding::kHashtable:
      for (size_t i = 0; size_ > 0 && i <= mask_; ++i) {
        if (slots()[i] != 0) fn(SlotMember(slots()[i]));
      }
      for (size_t i = 0; rehash_ != nullptr && i <= rehash_->mask; ++i) {
        if (rehash_->slots[i] != 0) fn(SlotMember(rehash_->slots[i]));
      }
      return;
  }
}

uint64_t Set::Scan(uint64_t cursor, size_t count,
                   absl::FunctionRef<void(std::string_view)> fn) const {
  if (encoding_ != Encoding::kHashtable) {
    ForEach(fn);
    return 0;
  }
  if (size_ == 0) return 0;
  size_t emitted = 0;
  // Calls `fn` for the members whose home is `home` in one array: they all sit in the run of
  // occupied slots that starts there.
  auto visit = [&](const uintptr_t* table, size_t mask, size_t home) {
    for (size_t i = home; table[i] != 0; i = (i + 1) & mask) {
      if (SlotHome(i, table[i], mask) != home) continue;
      fn(SlotMember(table[i]));
      ++emitted;
    }
  };
  // Increments the cursor's reversed bits: the high bits of the home index move fastest.
  auto advance = [](uint64_t v, size_t mask) {
    v |= ~static_cast<uint64_t>(mask);
    return ReverseBits(ReverseBits(v) + 1);
  };
  // Bound the home slots one call visits (free ones included), as Redis bounds dictScan calls.
  size_t max_steps = count > (SIZE_MAX - 1) / 10 ? SIZE_MAX : count * 10 + 1;
  do {
    if (rehash_ == nullptr) {
      visit(slots(), mask_, cursor & mask_);
      cursor = advance(cursor, mask_);
      continue;
    }
    // During a rehash, as Redis's dictScan: the home in the smaller array, then every home in
    // the larger one that shares its low bits, so wherever a member is it is seen.
    const uintptr_t* small = slots();
    size_t small_mask = mask_;
    const uintptr_t* large = rehash_->slots;
    size_t large_mask = rehash_->mask;
    if (small_mask > large_mask) {
      std::swap(small, large);
      std::swap(small_mask, large_mask);
    }
    visit(small, small_mask, cursor & small_mask);
    do {
      visit(large, large_mask, cursor & large_mask);
      cursor = advance(cursor, large_mask);
    } while ((cursor & (small_mask ^ large_mask)) != 0);
  } while (cursor != 0 && emitted < count && --max_steps > 0);
  return cursor;
}

// ---------------------------------------------------------------------------------------------
// Random members

std::string_view Set::RandomMember(absl::BitGen& rng, IntBuffer& buffer) const {
  DCHECK(size_ > 0);
  switch (encoding_) {
    case Encoding::kIntset:
      return FormatInt(IntAt(absl::Uniform<size_t>(rng, 0, size_)), buffer);
    case Encoding::kListpack: {
      size_t pick = absl::Uniform<size_t>(rng, 0, size_);
      size_t offset = 0;
      for (; pick > 0; --pick) offset += StoredSizeAt(flat() + offset);
      return ReadMember(flat() + offset);
    }
    case Encoding::kHashtable:
      return SlotMember(*SlotAt(RandomSlot(rng)));
  }
  return {};
}

size_t Set::RandomSlot(absl::BitGen& rng) const {
  // Every member has one slot, so a uniformly chosen occupied slot (of both arrays during a
  // rehash) is a uniform member. The slots are at least about 1/9 occupied (a table shrinks
  // below 1/8), so few tries are needed.
  size_t locations = mask_ + 1 + (rehash_ == nullptr ? 0 : rehash_->mask + 1);
  for (;;) {
    size_t location = absl::Uniform<size_t>(rng, 0, locations);
    if (*SlotAt(location) != 0) return location;
  }
}

void Set::RandomDistinct(size_t count, absl::BitGen& rng,
                         absl::FunctionRef<void(std::string_view)> fn) const {
  DCHECK(count <= size_);
  if (count == 0) return;
  if (encoding_ == Encoding::kHashtable && count * 3 <= size_) {
    // A small sample of a large table: random slots until enough distinct ones.
    absl::flat_hash_set<size_t> chosen;
    chosen.reserve(count);
    while (chosen.size() < count) {
      size_t location = RandomSlot(rng);
      if (chosen.insert(location).second) fn(SlotMember(*SlotAt(location)));
    }
    return;
  }
  // Selection sampling (Knuth's algorithm S): one pass, each member taken with probability
  // (still needed) / (still unseen), which yields a uniform sample of exactly `count`.
  size_t needed = count;
  size_t unseen = size_;
  ForEach([&](std::string_view member) {
    if (needed > 0 && absl::Uniform<size_t>(rng, 0, unseen) < needed) {
      fn(member);
      --needed;
    }
    --unseen;
  });
}

std::string Set::PopRandom(absl::BitGen& rng) {
  DCHECK(size_ > 0);
  std::string member;
  if (encoding_ == Encoding::kHashtable) {
    size_t location = RandomSlot(rng);
    member.assign(SlotMember(*SlotAt(location)));
    SlotEraseAt(location);
    return member;
  }
  IntBuffer buffer;
  member.assign(RandomMember(rng, buffer));
  Remove(member);
  return member;
}

void Set::PopRandomMany(size_t count, absl::BitGen& rng, const EncodingLimits& limits,
                        absl::FunctionRef<void(std::string_view)> fn) {
  DCHECK(count < size_);
  if (count == 0) return;
  size_t remaining = size_ - count;
  if (remaining * 5 > count) {
    if (encoding_ == Encoding::kHashtable) {
      for (size_t n = 0; n < count; ++n) {
        size_t location = RandomSlot(rng);
        fn(SlotMember(*SlotAt(location)));
        SlotEraseAt(location);
      }
      return;
    }
    // A flat set: choose the positions in one pass, then close the gaps in another.
    std::vector<size_t> positions;  // intset indexes or listpack offsets, ascending
    positions.reserve(count);
    size_t needed = count;
    size_t unseen = size_;
    size_t index = 0;
    size_t offset = 0;
    IntBuffer buffer;
    while (needed > 0) {
      bool take = absl::Uniform<size_t>(rng, 0, unseen) < needed;
      if (encoding_ == Encoding::kIntset) {
        if (take) {
          fn(FormatInt(IntAt(index), buffer));
          positions.push_back(index);
        }
        ++index;
      } else {
        if (take) {
          fn(ReadMember(flat() + offset));
          positions.push_back(offset);
        }
        offset += StoredSizeAt(flat() + offset);
      }
      needed -= take ? 1 : 0;
      --unseen;
    }
    if (encoding_ == Encoding::kListpack) return PackEraseMany(positions.data(), positions.size());
    size_t out = positions.front();
    size_t next = 0;
    for (size_t i = positions.front(); i < size_; ++i) {
      if (next < positions.size() && positions[next] == i) {
        ++next;
        continue;
      }
      SetIntAt(out++, IntAt(i));
    }
    size_ = out;  // at least `remaining`, so above 0
    data_ = Realloc(data_, size_ * int_width_);
    UpdateFlatBytes();
    return;
  }
  // Most members go: build the set of those that stay and hand out the others.
  Set kept;
  kept.encoding_ = encoding_ == Encoding::kIntset ? Encoding::kIntset : Encoding::kListpack;
  size_t needed = remaining;
  size_t unseen = size_;
  ForEach([&](std::string_view member) {
    if (needed > 0 && absl::Uniform<size_t>(rng, 0, unseen) < needed) {
      kept.Add(member, limits);
      --needed;
    } else {
      fn(member);
    }
    --unseen;
  });
  TakeFrom(kept);
}

// ---------------------------------------------------------------------------------------------
// Intset

int64_t Set::IntAt(size_t i) const { return ReadInt(flat() + i * int_width_, int_width_); }

void Set::SetIntAt(size_t i, int64_t value) {
  WriteInt(flat() + i * int_width_, int_width_, value);
}

size_t Set::IntSearch(int64_t value, bool* found) const {
  size_t low = 0;
  size_t high = size_;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int64_t at = IntAt(mid);
    if (at == value) {
      *found = true;
      return mid;
    }
    if (at < value) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  *found = false;
  return low;
}

bool Set::IntAdd(int64_t value) {
  uint8_t width = IntWidthFor(value);
  if (width > int_width_) {
    // The value lies outside the range of every member: it goes first (negative) or last.
    char* wider = static_cast<char*>(Realloc(nullptr, (size_ + 1) * width));
    size_t shift = value < 0 ? 1 : 0;
    for (size_t i = 0; i < size_; ++i) WriteInt(wider + (i + shift) * width, width, IntAt(i));
    WriteInt(wider + (value < 0 ? 0 : size_) * width, width, value);
    std::free(data_);
    data_ = wider;
    int_width_ = width;
    ++size_;
    UpdateFlatBytes();
    return true;
  }
  bool found;
  size_t at = IntSearch(value, &found);
  if (found) return false;
  data_ = Realloc(data_, (size_ + 1) * int_width_);
  std::memmove(flat() + (at + 1) * int_width_, flat() + at * int_width_, (size_ - at) * int_width_);
  SetIntAt(at, value);
  ++size_;
  UpdateFlatBytes();
  return true;
}

bool Set::IntRemove(int64_t value) {
  bool found;
  size_t at = IntSearch(value, &found);
  if (!found) return false;
  std::memmove(flat() + at * int_width_, flat() + (at + 1) * int_width_,
               (size_ - at - 1) * int_width_);
  --size_;
  if (size_ == 0) {
    std::free(data_);
    data_ = nullptr;
  } else {
    data_ = Realloc(data_, size_ * int_width_);
  }
  UpdateFlatBytes();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Listpack

size_t Set::PackFind(std::string_view member) const {
  for (size_t offset = 0; offset < flat_bytes_;) {
    std::string_view at = ReadMember(flat() + offset);
    if (at == member) return offset;
    offset = static_cast<size_t>(at.data() - flat()) + at.size();
  }
  return SIZE_MAX;
}

void Set::PackAppend(std::string_view member) {
  size_t stored = StoredSize(member);
  data_ = Realloc(data_, flat_bytes_ + stored);
  StoreMember(flat() + flat_bytes_, member);
  flat_bytes_ += stored;
  ++size_;
  UpdateFlatBytes();
}

void Set::PackEraseAt(size_t offset) { PackEraseMany(&offset, 1); }

void Set::PackEraseMany(const size_t* offsets, size_t n) {
  if (n == 0) return;
  size_t out = offsets[0];
  for (size_t k = 0; k < n; ++k) {
    size_t gap_end = offsets[k] + StoredSizeAt(flat() + offsets[k]);
    size_t keep_end = k + 1 < n ? offsets[k + 1] : flat_bytes_;
    std::memmove(flat() + out, flat() + gap_end, keep_end - gap_end);
    out += keep_end - gap_end;
  }
  flat_bytes_ = out;
  size_ -= n;
  if (flat_bytes_ == 0) {
    std::free(data_);
    data_ = nullptr;
  } else {
    data_ = Realloc(data_, flat_bytes_);
  }
  UpdateFlatBytes();
}

// ---------------------------------------------------------------------------------------------
// Hashtable

uintptr_t* Set::SlotAt(size_t location) const {
  size_t capacity = mask_ + 1;
  return location < capacity ? &slots()[location] : &rehash_->slots[location - capacity];
}

size_t Set::SlotFind(std::string_view member, uint64_t hash) const {
  if (size_ == 0) return SIZE_MAX;
  const uintptr_t* table = slots();
  for (size_t i = hash & mask_; table[i] != 0; i = (i + 1) & mask_) {
    if (SlotMatches(table[i], hash) && SlotMember(table[i]) == member) return i;
  }
  if (rehash_ == nullptr) return SIZE_MAX;
  const uintptr_t* old = rehash_->slots;
  for (size_t i = hash & rehash_->mask; old[i] != 0; i = (i + 1) & rehash_->mask) {
    if (SlotMatches(old[i], hash) && SlotMember(old[i]) == member) return mask_ + 1 + i;
  }
  return SIZE_MAX;
}

void Set::SlotInsertNew(std::string_view member, uint64_t hash) {
  if (rehash_ != nullptr) MigrateStep(kMigrateSlotsPerChange);
  if ((size_ + 1) * 4 > (mask_ + 1) * 3) Resize(CapacityFor(size_ + 1));
  size_t stored_size = StoredSize(member);
  char* stored = static_cast<char*>(Realloc(nullptr, stored_size));
  StoreMember(stored, member);
  uintptr_t slot = MakeSlot(stored, hash);
  while (!PlaceSlot(slots(), mask_, slot, hash & mask_)) RebuildAll((mask_ + 1) * 2);
  ++size_;
  allocated_bytes_ += UsableSize(stored);
}

void Set::SlotEraseAt(size_t location) {
  bool in_old = location > mask_;
  uintptr_t* table = in_old ? rehash_->slots : slots();
  size_t mask = in_old ? rehash_->mask : mask_;
  size_t index = in_old ? location - (mask_ + 1) : location;
  char* stored = const_cast<char*>(SlotStored(table[index]));
  allocated_bytes_ -= UsableSize(stored);
  std::free(stored);
  table[index] = 0;
  --size_;
  // Backward shift: pull later members of the run into the hole when their home allows, so
  // that every run stays unbroken from each member's home to the member.
  size_t hole = index;
  for (size_t i = (index + 1) & mask; table[i] != 0; i = (i + 1) & mask) {
    size_t home = SlotHome(i, table[i], mask);
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      table[hole] = table[i];
      table[i] = 0;
      hole = i;
    }
  }
  if (rehash_ != nullptr) {
    MigrateStep(kMigrateSlotsPerChange);
  } else if (mask_ + 1 > kMinCapacity && size_ * 8 < mask_ + 1) {
    Resize(CapacityFor(size_ * 2));
  }
}

size_t Set::SlotHome(size_t index, uintptr_t slot, size_t mask) {
  size_t tag = slot >> kTagShift;
  size_t displacement = (index - tag) & std::min(mask, kTagMask);
  return (index - displacement) & mask;
}

void Set::Resize(size_t capacity) {
  if (rehash_ != nullptr) MigrateStep(SIZE_MAX);
  size_t old_capacity = data_ == nullptr ? 0 : mask_ + 1;
  if (old_capacity <= kSyncRehashSlots) return RebuildAll(capacity);
  // Incremental: the current array becomes the old one, emptied run by run into a new one.
  rehash_ = std::make_unique<Rehash>();
  rehash_->slots = slots();
  rehash_->mask = mask_;
  // Start at a free slot, so that every pause falls between runs (see MigrateStep).
  size_t start = 0;
  while (rehash_->slots[start] != 0) ++start;
  rehash_->next = start;
  rehash_->left = old_capacity;
  uintptr_t* table = AllocateSlotArray<uintptr_t>(capacity);
  data_ = table;
  mask_ = capacity - 1;
  allocated_bytes_ += SlotArrayBytes(table, capacity) + UsableSize(rehash_.get());
  MigrateStep(kMigrateSlotsPerChange);
}

void Set::MigrateStep(size_t budget) {
  Rehash& r = *rehash_;
  // Pause only at a free slot: the slots already visited are then whole runs, now empty, and
  // the runs still in the old array are intact for lookups and backward shifts.
  while (r.left > 0) {
    uintptr_t slot = r.slots[r.next];
    if (slot == 0 && budget == 0) return;
    if (slot != 0) {
      size_t home =
          mask_ <= kTagMask ? (slot >> kTagShift) & mask_ : HashMember(SlotMember(slot)) & mask_;
      // A probe too long for the tag to locate its home: start over in a larger array (it
      // takes the members of both arrays, this one included).
      if (!PlaceSlot(slots(), mask_, slot, home)) return RebuildAll((mask_ + 1) * 2);
      r.slots[r.next] = 0;
    }
    r.next = (r.next + 1) & r.mask;
    --r.left;
    if (budget > 0) --budget;
  }
  allocated_bytes_ -= SlotArrayBytes(r.slots, r.mask + 1) + UsableSize(rehash_.get());
  FreeSlotArray(r.slots, r.mask + 1);
  rehash_.reset();
}

void Set::RebuildAll(size_t capacity) {
  uintptr_t* current = slots();
  size_t current_capacity = current == nullptr ? 0 : mask_ + 1;
  for (;; capacity *= 2) {
    uintptr_t* table = AllocateSlotArray<uintptr_t>(capacity);
    size_t mask = capacity - 1;
    auto place_all = [&](const uintptr_t* from, size_t count) {
      for (size_t i = 0; i < count; ++i) {
        uintptr_t slot = from[i];
        if (slot == 0) continue;
        // A small table's home bits are all in the tag; a larger one needs the whole hash.
        size_t home =
            mask <= kTagMask ? (slot >> kTagShift) & mask : HashMember(SlotMember(slot)) & mask;
        if (!PlaceSlot(table, mask, slot, home)) return false;
      }
      return true;
    };
    if (!place_all(current, current_capacity) ||
        (rehash_ != nullptr && !place_all(rehash_->slots, rehash_->mask + 1))) {
      FreeSlotArray(table, capacity);
      continue;
    }
    allocated_bytes_ -= SlotArrayBytes(current, current_capacity);
    FreeSlotArray(current, current_capacity);
    if (rehash_ != nullptr) {
      allocated_bytes_ -=
          SlotArrayBytes(rehash_->slots, rehash_->mask + 1) + UsableSize(rehash_.get());
      FreeSlotArray(rehash_->slots, rehash_->mask + 1);
      rehash_.reset();
    }
    data_ = table;
    mask_ = mask;
    allocated_bytes_ += SlotArrayBytes(table, capacity);
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// Conversions

void Set::ConvertToHashtable(size_t size_hint) {
  auto table = CreateEmpty(Encoding::kHashtable, std::max(size_hint, size_));
  ForEach([&](std::string_view member) { table->SlotInsertNew(member, HashMember(member)); });
  TakeFrom(*table);
}

void Set::ConvertIntsetToListpack() {
  Set pack;
  pack.encoding_ = Encoding::kListpack;
  size_t bytes = 0;
  ForEach([&](std::string_view member) { bytes += StoredSize(member); });
  if (bytes > 0) pack.data_ = Realloc(nullptr, bytes);
  ForEach([&](std::string_view member) {
    StoreMember(pack.flat() + pack.flat_bytes_, member);
    pack.flat_bytes_ += StoredSize(member);
    ++pack.size_;
  });
  pack.UpdateFlatBytes();
  TakeFrom(pack);
}

}  // namespace ringtail::storage
