// SPDX-License-Identifier: Apache-2.0
// ZSet: the sorted set value type, members with double scores ordered by (score, member), as
// Redis's zset. The command family in commands/zset_commands.cc is its only user. Single-threaded:
// owned by one shard's table.
//
// Encodings (OBJECT ENCODING names as in Redis):
//   "listpack"  one contiguous allocation of entries sorted by (score, member), each
//               [member length, forward varint][score, 8 bytes][member bytes][member length,
//               backward varint], so it can be walked both ways. Every operation is a linear
//               walk, fine for the few entries it holds. A score of -0 is stored as 0, as
//               Redis's listpack does (it stores the score as the integer 0).
//   "skiplist"  (named as Redis names it) an order-statistic B+ tree of (score, member node)
//               items with subtree sizes, for O(log n) rank, select and range bounds, plus an
//               open-addressing hash set of member nodes for O(1) member -> score. A member
//               node is one allocation holding the score and the member bytes; the tree and
//               the hash set point at it.
// A sorted set starts flat and converts (once, never back) when an insert would make it hold
// more than zset-max-listpack-entries members or a member longer than zset-max-listpack-value
// bytes (EncodingLimits, passed by the caller).
//
// Memory: a member of a large set costs its node (the score, a length byte and the member, in
// the allocator's size class: 32 bytes for "member:123456"), a 16-byte tree item in leaves that
// are 50-100% full (about 70% after inserts in random order) and an 8-byte hash slot at a load
// of 40-80%: 76 bytes per member measured for 1M such members with random scores, against
// Redis's skiplist node, dict entry, bucket and sds string (110 bytes).
//
// Ranks are 0-based in ascending (score, member) order. A rank range is half-open:
// [first, last). Views of members returned by any call stay valid until the set next changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "storage/encoding_limits.h"
#include "storage/entry.h"

namespace ringtail::storage {

// One end of a score interval: `value`, included unless `exclusive` ("(1.5" in Redis syntax).
struct ScoreBound {
  double value = 0;
  bool exclusive = false;
};

// One end of a member (lexicographic) interval, Redis's "[a", "(a", "-" and "+".
struct LexBound {
  enum class Kind : uint8_t {
    kInclusive,  // "[value"
    kExclusive,  // "(value"
    kMinusInf,   // "-": below every member
    kPlusInf,    // "+": above every member
  };
  Kind kind = Kind::kMinusInf;
  std::string_view value;  // for kInclusive / kExclusive
};

class ZSet {
 public:
  static constexpr ValueType kType = ValueType::kZSet;

  ZSet();
  ~ZSet();
  ZSet(const ZSet&) = delete;
  ZSet& operator=(const ZSet&) = delete;

  size_t size() const { return size_; }
  // Bytes this object occupies (the allocator's sizes), kept as it changes: O(1).
  size_t AllocatedBytes() const;
  // Redis's OBJECT ENCODING name of the current encoding: "listpack" or "skiplist".
  std::string_view EncodingName() const { return full_ == nullptr ? "listpack" : "skiplist"; }
  bool is_flat() const { return full_ == nullptr; }

  // The score of `member`, or nullopt if it is not in the set.
  std::optional<double> Score(std::string_view member) const;

  enum class SetResult : uint8_t { kAdded, kUpdated, kUnchanged };
  // Adds `member` with `score`, or moves an existing member to `score`. May convert the
  // encoding (see the file comment) by `limits`. REQUIRES: `score` is not NaN, and `member` is
  // not a view into this set.
  SetResult Set(std::string_view member, double score, const EncodingLimits& limits);

  // Removes `member`; returns whether it was there.
  bool Remove(std::string_view member);

  struct RankAndScore {
    size_t rank;
    double score;
  };
  // The ascending rank and the score of `member`, or nullopt if it is not in the set.
  std::optional<RankAndScore> Rank(std::string_view member) const;

  // The number of members below the range that starts at `min`: those with a score below
  // min.value (at or below it if min.exclusive).
  size_t CountBelow(const ScoreBound& min) const;
  // The number of members within the range that ends at `max`: those with a score at or below
  // max.value (below it if max.exclusive). Members of [min, max] have the ranks
  // [CountBelow(min), CountThrough(max)), empty if the second is not greater.
  size_t CountThrough(const ScoreBound& max) const;
  // The same for member bounds. As in Redis, meaningful when all scores are equal (the members
  // are then in lexicographic order).
  size_t CountBelow(const LexBound& min) const;
  size_t CountThrough(const LexBound& max) const;

  struct Item {
    std::string_view member;
    double score;
  };
  // The member of rank `rank`. REQUIRES: rank < size().
  Item At(size_t rank) const;

  // Calls `fn` for the members of ranks [first, last), in ascending order, or in descending
  // order (from last - 1 down to first) if `reverse`. REQUIRES: first <= last <= size().
  // `fn` must not change the set.
  void ForRange(size_t first, size_t last, bool reverse,
                absl::FunctionRef<void(std::string_view member, double score)> fn) const;
  void ForEach(absl::FunctionRef<void(std::string_view member, double score)> fn) const {
    ForRange(0, size_, false, fn);
  }

  // Removes the members of ranks [first, last). REQUIRES: first <= last <= size().
  void RemoveRange(size_t first, size_t last);

  // ZSCAN: calls `fn` for some members starting at `cursor` and returns the next cursor, 0 when
  // the scan is complete. The flat encoding returns every member at once (cursor 0), as Redis
  // does for a listpack. The full encoding walks the hash set's buckets in hash order, about
  // `count` members per call (visiting at most 10 * count buckets), and returns every member
  // present for the whole scan at least once, however the set grows or shrinks in between.
  uint64_t Scan(uint64_t cursor, size_t count,
                absl::FunctionRef<void(std::string_view member, double score)> fn) const;

  // Lazy freeing (storage/lazy_free.h), for a collection whose key is gone: frees the member
  // allocations a slice at a time, from `cursor` (0 at first; this call advances it), charging
  // one unit of `budget` per allocation freed (and one per 32 empty slots passed), and returns
  // true once they are all freed and what is left is freed by the destructor in a few steps.
  // After the first call the object may only be released further or destroyed.
  bool ReleaseSome(size_t& cursor, size_t& budget);

 private:
  struct Full;  // the tree, the hash set and their nodes (zset.cc)

  // Moves the flat entries into a new full encoding.
  void ConvertToFull();
  // The members ordered before `bound`'s value, and those equal to it if `count_equal` (the
  // infinite bounds: none or all).
  size_t CountByLex(const LexBound& bound, bool count_equal) const;
  // Flat-encoding operations (zset.cc).
  size_t FlatFind(std::string_view member, double* score, size_t* rank) const;
  void FlatInsert(std::string_view member, double score);
  void FlatErase(size_t offset);

  size_t size_ = 0;
  // The flat encoding: entries in flat_[0, flat_used_). Null when empty or full.
  char* flat_ = nullptr;
  size_t flat_used_ = 0;
  std::unique_ptr<Full> full_;  // non-null once converted
};

}  // namespace ringtail::storage
