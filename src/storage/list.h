// SPDX-License-Identifier: Apache-2.0
// List: the value of a Redis list key, a sequence of byte strings with cheap access at both
// ends. Used by the list commands (commands/list_commands.cc) and the blocking commands, on the
// shard thread that owns the key.
//
// How it works: the elements live in nodes, each one malloc'd block of encoded entries. A small
// list is one node (OBJECT ENCODING "listpack"); when an element would take it past one node's
// limit (list-max-listpack-size, EncodingLimits) it becomes a "quicklist": a sequence of nodes
// whose descriptors (block, bytes, element count) sit in a ring buffer, so nodes are added and
// removed at both ends in O(1) and a position is found by summing the per-node counts, skipping
// whole nodes. As in Redis, a list never converts back when it shrinks. Limits per node:
//   positive n     at most n elements (and at most 8 KB, unless the node holds one element)
//   -1 .. -5       at most 4, 8, 16, 32 or 64 KB of entries
// An element larger than the limit gets a node of its own.
//
// Entry format (all multi-byte numbers little-endian), designed so that a walk works in both
// directions: a header that gives the entry's length when read forward, then the payload, then
// a back-length that gives it when read backward from the next entry.
//   1xxxxxxx                  an integer 0..127, the whole entry (no back-length)
//   00llllll <bytes>          a string of 0..63 bytes
//   01000lll llllllll <bytes> a string of up to 2047 bytes (11-bit length)
//   01001000 <len:4> <bytes>  a longer string
//   01001010 <3 bytes>        a 24-bit integer; 01001011 <4 bytes> 32-bit; 01001100 <8> 64-bit
//   0101iiii <1 byte>         a 12-bit integer (-2048..2047)
//   011iiiii <2 bytes>        a 21-bit integer (-1048576..1048575)
// The back-length L counts header and payload. Its last byte has the high bit clear, which
// tells it from a one-byte integer: L < 64 is that byte alone; otherwise the last byte is
// 0x40 | (L & 63) and the higher bits precede it, 7 per byte, high bit set while more follow
// (going backward). Elements that are canonical decimal integers (no leading zeros, no '+',
// not "-0", in int64 range, as Redis's string2ll) are stored as integers and read back as the
// same text. "element:123456" takes 16 bytes, as in a Redis listpack; 0..127 take 1 byte, and
// integers up to a million 3 or 4 (Redis: 2 to 5).
//
// Invariants: no node is empty; size() is the sum of the node counts; AllocatedBytes() is
// sizeof(List) plus the usable sizes of every node block and of the ring.
// Thread-safety: none; one shard thread owns each list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/encoding_limits.h"
#include "storage/entry.h"

namespace ringtail::storage {

// One element as read from a list: its text, or the integer it was stored as (whose decimal
// text is the element). Views into the list stay valid until the list changes.
struct ListElement {
  std::string_view str;  // when !is_int
  int64_t num = 0;       // when is_int
  bool is_int = false;

  static constexpr size_t kIntChars = 21;  // "-9223372036854775808"
  // The element's text; an integer is formatted into `buf` (kIntChars bytes).
  std::string_view Text(char* buf) const;
  void AppendTo(std::string* out) const;
};

// A value to compare elements with (LPOS, LREM, LINSERT): equal when the text is equal, as in
// Redis. Parsed once, so integers compare as integers.
class ListNeedle {
 public:
  explicit ListNeedle(std::string_view text);
  bool Matches(const ListElement& element) const {
    return element.is_int ? (is_int_ && element.num == num_) : element.str == text_;
  }

 private:
  std::string_view text_;
  int64_t num_ = 0;
  bool is_int_ = false;
};

class List {
 public:
  static constexpr ValueType kType = ValueType::kList;
  enum class End : uint8_t { kHead, kTail };

  List() = default;
  ~List();
  List(const List&) = delete;
  List& operator=(const List&) = delete;

  size_t size() const { return size_; }
  // Bytes this object occupies (the allocator's sizes), kept as it changes: O(1).
  size_t AllocatedBytes() const { return allocated_bytes_; }
  // Redis's OBJECT ENCODING name of the current encoding: "listpack" or "quicklist".
  std::string_view EncodingName() const { return is_quicklist_ ? "quicklist" : "listpack"; }
  bool is_quicklist() const { return is_quicklist_; }
  size_t node_count() const { return node_count_; }
  // Elements of node i (0 = head node). REQUIRES: i < node_count().
  size_t node_size(size_t i) const { return NodeAt(i).count; }

  // Adds `value` at the head or the tail. `limits` decide when a new node is needed.
  void Push(End end, std::string_view value, const EncodingLimits& limits);
  // The head or tail element. REQUIRES: size() > 0.
  ListElement Peek(End end) const;
  // Removes the head or tail element. REQUIRES: size() > 0.
  void Pop(End end);

  // The element at `index` (0 = head). REQUIRES: index < size().
  ListElement At(size_t index) const;
  // Replaces the element at `index`. REQUIRES: index < size().
  void Set(size_t index, std::string_view value, const EncodingLimits& limits);
  // Inserts `value` before the element at `index` (at the tail when index == size()).
  // REQUIRES: index <= size().
  void Insert(size_t index, std::string_view value, const EncodingLimits& limits);
  // Removes `count` elements from `start` on. REQUIRES: start + count <= size().
  void Erase(size_t start, size_t count);
  // Removes the elements that match `needle` from `start` toward the tail, at most `limit` of
  // them (0: all), merging nodes left small with their neighbours. Returns how many it removed.
  size_t RemoveMatches(const ListNeedle& needle, size_t start, size_t limit,
                       const EncodingLimits& limits);

  // Walks the elements from a position toward the tail (forward) or the head. Invalidated by
  // any change of the list.
  //   for (List::Iterator it(list, 0, true); !it.done(); it.Next()) use(it.Get());
  class Iterator {
   public:
    // Starts at the element at `index`; done() at once if index >= list.size().
    Iterator(const List& list, size_t index, bool forward);
    bool done() const { return remaining_ == 0; }
    // The current element's index from the head.
    size_t index() const { return index_; }
    ListElement Get() const;
    void Next();

   private:
    const List* list_;
    size_t node_ = 0;    // index of the current node
    size_t offset_ = 0;  // byte offset of the current entry in it
    size_t index_ = 0;
    size_t remaining_ = 0;  // elements left to visit, the current one included
    bool forward_ = true;
  };

 private:
  // A node: a block of `bytes` bytes of encoded entries holding `count` elements.
  struct Node {
    char* data = nullptr;
    uint32_t bytes = 0;
    uint32_t count = 0;
  };
  struct Limit {
    size_t max_bytes;
    size_t max_count;
  };
  struct Location {
    size_t node;    // index of the node
    size_t offset;  // byte offset of the entry in it
    size_t rank;    // index of the element within the node
  };
  class Encoded;

  static Limit LimitOf(const EncodingLimits& limits);
  // Whether `node` may take one more entry of `entry_bytes` bytes.
  bool Fits(const Node& node, size_t entry_bytes, const Limit& limit) const;

  const Node& NodeAt(size_t i) const { return ring_[(ring_head_ + i) & ring_mask_]; }
  Node& NodeAt(size_t i) { return ring_[(ring_head_ + i) & ring_mask_]; }
  // Inserts an empty node descriptor at position i (0..node_count_) and returns it.
  Node& InsertNode(size_t i);
  // Frees node i's block and removes its descriptor.
  void RemoveNode(size_t i);
  void GrowRing();
  // Where the element at `index` is. REQUIRES: index < size_.
  Location Locate(size_t index) const;

  // Byte-level changes of one node, keeping allocated_bytes_ (not the counts) up to date.
  // Opens a gap of `n` bytes at `offset` and returns it.
  char* OpenGap(Node& node, size_t offset, size_t n);
  // Removes `n` bytes at `offset`, shrinking the block when it is mostly unused.
  void CloseGap(Node& node, size_t offset, size_t n);
  void PutEntry(Node& node, size_t offset, const Encoded& entry);
  // Creates a node at position i holding just `entry`.
  void NewNodeWith(size_t i, const Encoded& entry);
  // Splits node i before its element `rank` (0 < rank < count) at byte `offset`.
  void SplitNode(size_t i, size_t offset, size_t rank);
  // Appends node i to node i - 1 if both fit in one; returns whether it did.
  bool MergeWithPrevious(size_t i, const Limit& limit);

  void InsertEncoded(size_t index, const Encoded& entry, const Limit& limit);
  void PushEncoded(End end, const Encoded& entry, const Limit& limit);

  Node* ring_ = &inline_node_;  // ring buffer of descriptors; inline_node_ while one suffices
  uint32_t ring_mask_ = 0;      // capacity - 1; the capacity is a power of two
  uint32_t ring_head_ = 0;      // slot of node 0
  uint32_t node_count_ = 0;
  bool is_quicklist_ = false;
  size_t size_ = 0;
  size_t allocated_bytes_ = sizeof(List);
  Node inline_node_;
};

}  // namespace ringtail::storage
