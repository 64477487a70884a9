// SPDX-License-Identifier: Apache-2.0
// Set: the value of a Redis set key, an unordered collection of distinct binary-safe strings, in
// one of three encodings, which OBJECT ENCODING reports by Redis's names:
//
//   "intset"     every member is an integer (Redis's string2ll form: no '+', no leading zeros,
//                fits int64) and there are at most set-max-intset-entries of them: one sorted
//                array of integers, each 2, 4 or 8 bytes wide (the smallest width that holds all).
//   "listpack"   at most set-max-listpack-entries members of at most set-max-listpack-value bytes
//                each: one buffer of members in insertion order, each a varint length and bytes.
//   "hashtable"  anything larger: see "How it works" below.
//
// Conversions follow Redis 7.2's t_set.c (the first version with listpack sets): an intset that
// receives a non-integer becomes a listpack if the result fits the listpack limits (counting the
// integers by their decimal length), else a hashtable; an intset past its entry limit and a
// listpack past either limit become a hashtable. A set never converts back when it shrinks.
// Callers pass the limits (the shard's storage::EncodingLimits) to every operation that may
// convert.
//
// How it works (hashtable): an open-addressing table of tagged pointers with linear probing.
// Each member is one allocation holding a varint length and the bytes ("member:123456": 14
// bytes, a 16-byte allocator class). A slot holds the member's address in its low 48 bits, the
// low 16 bits of the member's hash in its top 16 bits (the tag) and 3 more hash bits in the low
// bits that 8-byte alignment leaves free. A member's home slot is hash & mask and it sits at the
// first free slot from there, less than 65536 slots further (an insert that would land further
// grows the table first; at our loads it never happens). Together these let the table recover
// a member's home from its slot and tag alone, so lookups, deletion (backward shift, no
// tombstones) and scans never touch a member that does not match. The table doubles when it is
// 3/4 full and shrinks when it falls under 1/8 full. Like Redis's dict, a large table rehashes
// incrementally: the old array stays while each change moves a few of its runs to the new one
// (lookups try both arrays), so no command pauses to rehash millions of members; a large array
// is mapped from the kernel as zero pages, so allocating it costs nothing either. With 1M
// members it costs 16 bytes per member plus 8 bytes per slot at a load of 0.375 to 0.75,
// against Redis's 24-byte dictEntry, 8-byte bucket and sds string (a 1M "member:123456" set
// measured 33 bytes per member here, 56 in Redis 7.0).
//
// Scan (SSCAN): the cursor walks home slots in reverse-binary order, as Redis's dictScan does
// over buckets: a step visits every member whose home is the cursor's slot (they all sit in the
// run of occupied slots that starts there), and because the table size is a power of two and a
// member's home is the low bits of its hash, a member present for the whole scan is returned
// even if the table grows or shrinks between calls (after shrinking, some may come twice).
// During a rehash a step visits the home in the smaller array and every home of the larger
// array that shares its low bits, as dictScan does with its two tables.
//
// Single-threaded: owned by one shard through its storage::Entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/random/random.h"
#include "storage/encoding_limits.h"
#include "storage/entry.h"

namespace ringtail::storage {

class Set {
 public:
  static constexpr ValueType kType = ValueType::kSet;

  enum class Encoding : uint8_t { kIntset, kListpack, kHashtable };

  // Room for a member read out of an intset: the decimal form of any int64.
  struct IntBuffer {
    char digits[24];
  };

  // An empty intset (Redis's createIntsetObject), the start of every computed result.
  Set() = default;
  ~Set();
  Set(const Set&) = delete;
  Set& operator=(const Set&) = delete;

  // An empty set in the encoding Redis's setTypeCreate picks for a key about to receive
  // `size_hint` members of which `first_member` is the first: an intset if that member is an
  // integer and the hint fits the intset limit, else a listpack if the hint fits the listpack
  // entry limit, else a hashtable sized for the hint.
  static std::unique_ptr<Set> Create(std::string_view first_member, size_t size_hint,
                                     const EncodingLimits& limits);
  // An empty set of `encoding` (a hashtable sized for `size_hint` members).
  static std::unique_ptr<Set> CreateEmpty(Encoding encoding, size_t size_hint = 0);
  // A copy with the same members and encoding (Redis's setTypeDup, for COPY).
  std::unique_ptr<Set> Clone() const;

  size_t size() const { return size_; }
  // Bytes this object occupies (its own size, its buffer or slot arrays and every member's
  // allocation, by the allocator's usable sizes; a mapped array by its size), kept as it
  // changes: O(1).
  size_t AllocatedBytes() const { return allocated_bytes_; }
  Encoding encoding() const { return encoding_; }
  // Redis's OBJECT ENCODING name of the current encoding.
  std::string_view EncodingName() const;

  // Adds `member`; returns true if it was not there. May convert (see the file comment).
  bool Add(std::string_view member, const EncodingLimits& limits);
  // Removes `member`; returns true if it was there.
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  // SADD's conversion before adding `size_hint` members (Redis's setTypeMaybeConvert): an
  // intset or listpack whose entry limit the hint exceeds becomes a hashtable sized for it.
  void PrepareForAdds(size_t size_hint, const EncodingLimits& limits);

  // Calls `fn` for every member: ascending for an intset, in insertion order for a listpack, in
  // slot order for a hashtable. A view is valid during its call only. `fn` must not change the
  // set.
  void ForEach(absl::FunctionRef<void(std::string_view)> fn) const;

  // A uniformly chosen member; REQUIRES: size() > 0. The view is valid until the set changes
  // (an intset member is written to `buffer`).
  std::string_view RandomMember(absl::BitGen& rng, IntBuffer& buffer) const;
  // Calls `fn` for `count` distinct uniformly chosen members; REQUIRES: count <= size(). A view
  // is valid during its call only. `fn` must not change the set.
  void RandomDistinct(size_t count, absl::BitGen& rng,
                      absl::FunctionRef<void(std::string_view)> fn) const;
  // Removes a uniformly chosen member and returns it; REQUIRES: size() > 0.
  std::string PopRandom(absl::BitGen& rng);
  // Removes `count` distinct uniformly chosen members, calling `fn` for each (the view is valid
  // during the call); REQUIRES: count < size(). As in Redis, when few members remain
  // (remaining * 5 <= count) the set is rebuilt from the members kept: an intset stays an
  // intset, other sets start again as a listpack and convert as they fill.
  void PopRandomMany(size_t count, absl::BitGen& rng, const EncodingLimits& limits,
                     absl::FunctionRef<void(std::string_view)> fn);

  // SSCAN: calls `fn` for some members and returns the next cursor, 0 when the scan is done.
  // An intset or listpack returns all its members at once, whatever the cursor. A hashtable
  // visits home slots from `cursor` on until it has returned at least `count` members, visited
  // 10 * count home slots, or finished (see "Scan" above). `fn` must not change the set.
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(std::string_view)> fn) const;

  // Slots of the hashtable's current array (0 for the flat encodings), and whether a rehash
  // into it is under way; for tests.
  size_t capacity() const { return encoding_ == Encoding::kHashtable ? mask_ + 1 : 0; }
  bool rehashing() const { return rehash_ != nullptr; }

  // Lazy freeing (storage/lazy_free.h), for a collection whose key is gone: frees the member
  // allocations a slice at a time, from `cursor` (0 at first; this call advances it), charging
  // one unit of `budget` per allocation freed (and one per 32 empty slots passed), and returns
  // true once they are all freed and what is left is freed by the destructor in a few steps.
  // After the first call the object may only be released further or destroyed.
  bool ReleaseSome(size_t& cursor, size_t& budget);

 private:
  // ---- intset: the buffer holds size_ integers of int_width_ bytes each, ascending.
  int64_t IntAt(size_t i) const;
  void SetIntAt(size_t i, int64_t value);
  // The index of `value` (*found true), or where it would go (*found false).
  size_t IntSearch(int64_t value, bool* found) const;
  bool IntAdd(int64_t value);
  bool IntRemove(int64_t value);

  // ---- listpack: the buffer holds size_ members (varint length, bytes) in flat_bytes_ bytes.
  // The offset of `member`, or SIZE_MAX.
  size_t PackFind(std::string_view member) const;
  void PackAppend(std::string_view member);
  void PackEraseAt(size_t offset);
  // Removes the members at the `n` ascending `offsets` in one pass.
  void PackEraseMany(const size_t* offsets, size_t n);

  // ---- hashtable: mask_ + 1 tagged member pointers (0 = free); see set.cc for the layout.
  // During a rehash the previous array (rehash_) still holds the members not yet moved. A
  // slot location below mask_ + 1 is in the current array, the rest in the previous one.
  struct Rehash {
    uintptr_t* slots;  // the previous array
    size_t mask;
    size_t next;  // its next slot to move
    size_t left;  // its slots not yet visited
  };
  uintptr_t* SlotAt(size_t location) const;
  // The location of `member` (whose hash is `hash`), or SIZE_MAX.
  size_t SlotFind(std::string_view member, uint64_t hash) const;
  // Inserts `member`, known to be absent, whose hash is `hash`.
  void SlotInsertNew(std::string_view member, uint64_t hash);
  // Frees the member at `location`, backward-shifts its run, and moves a rehash on or shrinks
  // a sparse table.
  void SlotEraseAt(size_t location);
  // The home slot of the member held in `slot` at `index` of an array with `mask`, from its
  // tag alone.
  static size_t SlotHome(size_t index, uintptr_t slot, size_t mask);
  // Moves to an array of `capacity` slots: at once for a small table, else incrementally.
  void Resize(size_t capacity);
  // Moves runs of the previous array to the current one, visiting at least `budget` slots
  // (and up to the end of a run); frees it when done.
  void MigrateStep(size_t budget);
  // Puts every member of both arrays into one new array of `capacity` slots (more if a member
  // would land too far from home), ending any rehash.
  void RebuildAll(size_t capacity);
  // A uniformly chosen occupied location.
  size_t RandomSlot(absl::BitGen& rng) const;

  // Conversions (never back to a flat encoding).
  void ConvertToHashtable(size_t size_hint);
  void ConvertIntsetToListpack();
  // Replaces this set's contents with `other`'s, leaving `other` an empty intset.
  void TakeFrom(Set& other);
  // Frees everything; the set is then an empty intset.
  void FreeAll();
  // FreeAll without freeing the members (freed already, or never owned).
  void FreeStructure();
  // Recomputes allocated_bytes_ for a flat encoding.
  void UpdateFlatBytes();

  char* flat() const { return static_cast<char*>(data_); }
  uintptr_t* slots() const { return static_cast<uintptr_t*>(data_); }

  Encoding encoding_ = Encoding::kIntset;
  uint8_t int_width_ = 2;  // intset: bytes per integer
  size_t size_ = 0;
  size_t allocated_bytes_ = sizeof(Set);
  // The intset or listpack buffer (malloc; nullptr when empty) or the slot array (calloc, or
  // mapped from the kernel when large).
  void* data_ = nullptr;
  size_t flat_bytes_ = 0;           // listpack: used bytes of the buffer
  size_t mask_ = 0;                 // hashtable: slot count - 1
  std::unique_ptr<Rehash> rehash_;  // hashtable: the previous array while a rehash is under way
};

}  // namespace ringtail::storage
