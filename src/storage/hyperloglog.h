// SPDX-License-Identifier: Apache-2.0
// HyperLogLog: Redis's HLL string values, byte for byte, for the PF* commands
// (commands/hyperloglog_commands.cc). An HLL is an ordinary string value, so GET, SET, DUMP
// and persistence carry it unchanged, and a value written by Redis works here and vice versa.
// Pure functions on caller-owned bytes; any thread.
//
// Format (all of it Redis's):
//
//   "HYLL" | encoding: 0 dense, 1 sparse | 3 unused bytes | cached cardinality | registers
//
// The cached cardinality is 8 bytes little-endian; the top bit of its last byte set means it is
// stale (every change sets it; PFCOUNT of one key recomputes and stores it). There are 16384
// registers (the low 14 bits of an element's hash choose one), each holding the longest run
// seen of trailing zero bits + 1 in the remaining 50 bits (1..51).
//
// Dense: the registers as 6-bit fields packed least significant bit first, 12288 bytes.
// Sparse: run-length opcodes, used while most registers are 0:
//   ZERO   00xxxxxx            xxxxxx+1 registers (1..64) at 0
//   XZERO  01xxxxxx yyyyyyyy   xxxxxxyyyyyyyy+1 registers (1..16384) at 0
//   VAL    1vvvvvxx            xx+1 registers (1..4) at vvvvv+1 (1..32)
// A sparse HLL becomes dense for good when a register needs a value above 32, or when an
// update would grow it past hll-sparse-max-bytes (header included).
//
// How it works: updating a sparse HLL follows Redis's algorithm exactly, since the resulting
// bytes must be identical: find the opcode covering the register; a VAL already at least as
// high changes nothing; a VAL or ZERO of one register is rewritten in place; otherwise the
// opcode is split into (zeros or old value before) VAL (zeros or old value after), with runs of
// more than 64 zeros written as XZERO. Then, starting at the opcode before the changed one and
// for at most 5 opcodes, adjacent VALs of equal value are merged while their runs fit in 4.
// The cardinality is Ertl's improved estimator over the register histogram ("New cardinality
// estimation algorithms for HyperLogLog sketches", 2017), evaluated in the same order as Redis
// 7 so the doubles, and so the estimates, are the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringtail::storage {

inline constexpr size_t kHllRegisters = 16384;
inline constexpr size_t kHllHeaderBytes = 16;
inline constexpr size_t kHllDenseBytes = kHllHeaderBytes + kHllRegisters * 6 / 8;  // 12304
// The highest register value (1 + the 50 hash bits above the register index).
inline constexpr uint8_t kHllMaxRegisterValue = 51;
// The seed of MurmurHash64A that Redis hashes elements with.
inline constexpr uint64_t kHllHashSeed = 0xadc83b19ULL;

// The value PFADD (and PFMERGE) creates for a new key: a sparse HLL whose one XZERO opcode
// covers every register, with a valid cached cardinality of 0.
inline constexpr std::string_view kHllEmpty{"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff", 18};

// Whether `value` passes Redis's checks for an HLL string: a whole header, the "HYLL" magic, a
// known encoding, and exactly kHllDenseBytes if dense. (Sparse opcodes are checked as they are
// read, and corruption found then is reported as kCorrupt / nullopt / false.)
bool IsHll(std::string_view value);
// REQUIRES: IsHll(value).
bool IsDenseHll(std::string_view value);

// Austin Appleby's 64-bit MurmurHash2 (MurmurHash64A), reading the input little-endian.
uint64_t MurmurHash64A(std::string_view data, uint64_t seed);

// The register an element updates and the value it offers (1..51).
struct HllRegisterUpdate {
  uint32_t index;
  uint8_t value;
};
HllRegisterUpdate HllHashElement(std::string_view element);

enum class HllUpdate : uint8_t {
  kUnchanged,  // the register already held at least that value
  kChanged,    // a register rose; the caller marks the cached cardinality stale
  kCorrupt,    // the sparse opcodes do not describe exactly 16384 registers
};

// Adds `element` to the HLL in `value`, promoting a sparse one to dense as described above.
// The cached cardinality is left as it is. REQUIRES: IsHll(*value).
HllUpdate HllAdd(std::string* value, std::string_view element, size_t sparse_max_bytes);

// HllAdd for a dense HLL updated in place: `value` points at its kHllDenseBytes bytes.
// Returns whether a register rose.
bool HllDenseAdd(char* value, std::string_view element);

// Raises register `index` to `count` if it is lower (count 1..51). REQUIRES: IsHll(*value).
HllUpdate HllRaiseRegister(std::string* value, size_t index, uint8_t count,
                           size_t sparse_max_bytes);

// Converts a sparse HLL to dense, keeping the rest of the header (the cached cardinality too).
// A dense one is left as it is. Returns false, leaving `value` unchanged, if the sparse
// opcodes are corrupt. REQUIRES: IsHll(*value).
bool HllToDense(std::string* value);

// Raises each max[i] (kHllRegisters bytes, one per register) to register i of `value`.
// Returns false if the sparse opcodes are corrupt (`max` is then partly updated).
// REQUIRES: IsHll(value).
bool HllMergeInto(std::string_view value, uint8_t* max);

// The estimated cardinality of the registers `registers` (kHllRegisters bytes, one each).
uint64_t HllEstimate(const uint8_t* registers);

// The estimated cardinality of the HLL in `value`, computed from its registers (the cache is
// not read), or nullopt if its sparse opcodes are corrupt. REQUIRES: IsHll(value).
std::optional<uint64_t> HllCount(std::string_view value);

// The cached cardinality, or nullopt if it is stale. REQUIRES: IsHll(value).
std::optional<uint64_t> HllCachedCount(std::string_view value);
// Store `count` as the cached cardinality (valid) / mark it stale, in the header at `value`.
void HllSetCachedCount(char* value, uint64_t count);
void HllInvalidateCache(char* value);

}  // namespace ringtail::storage
