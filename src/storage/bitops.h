// SPDX-License-Identifier: Apache-2.0
// Bit operations on byte strings, for the bitmap commands (commands/bitmap_commands.cc):
// counting set bits, finding the first set or clear bit, AND/OR/XOR/NOT of several strings, and
// reading and writing the integers of BITFIELD with Redis's overflow rules. Bits are numbered as
// Redis numbers them: bit 0 is the most significant bit of byte 0, bit 8 that of byte 1.
// Pure functions on caller-owned bytes; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/types/span.h"

namespace ringtail::storage {

// The number of set bits in `bytes`, counted 64-bit word by word with the CPU's popcount
// instruction when it has one.
uint64_t CountSetBits(std::string_view bytes);

// The number of set bits among bits first_bit..last_bit (inclusive) of `bytes`.
// REQUIRES: first_bit <= last_bit < 8 * bytes.size().
uint64_t CountSetBits(std::string_view bytes, uint64_t first_bit, uint64_t last_bit);

// The position of the first bit equal to `bit` among bits first_bit..last_bit (inclusive) of
// `bytes`, or nullopt if all of them differ. REQUIRES: first_bit <= last_bit < 8 * bytes.size().
std::optional<uint64_t> FindBit(std::string_view bytes, bool bit, uint64_t first_bit,
                                uint64_t last_bit);

enum class BitOperation : uint8_t { kAnd, kOr, kXor, kNot };

// Writes `op` applied bytewise to `inputs` into out[0, size): byte i of the result combines byte i
// of every input, an input shorter than `size` reading as zero bytes past its end (so AND with a
// shorter input clears the tail). kNot complements its one input. `out` may not overlap an
// input. REQUIRES: inputs is not empty (exactly one input for kNot).
void ApplyBitOperation(BitOperation op, absl::Span<const std::string_view> inputs, char* out,
                       size_t size);

// ---------------------------------------------------------------------------------------------
// BITFIELD integers: a field of `bits` bits (1..64) at bit `offset`, most significant bit first.

// The field's bits as an unsigned number; bits past the end of `bytes` read as 0.
uint64_t GetBitField(std::string_view bytes, uint64_t offset, unsigned bits);

// Writes the low `bits` bits of `value` into the field. REQUIRES: the field lies within the
// buffer at `bytes` (offset + bits <= 8 * its size).
void SetBitField(char* bytes, uint64_t offset, unsigned bits, uint64_t value);

// The field's raw bits read as a two's complement signed number of `bits` bits.
int64_t SignExtend(uint64_t raw, unsigned bits);

// What BITFIELD does when a SET or INCRBY result does not fit its field (OVERFLOW option).
enum class BitFieldOverflow : uint8_t {
  kWrap,  // keep the low bits (modular arithmetic), the default
  kSat,   // clamp to the field's minimum or maximum
  kFail,  // change nothing and reply a null
};

// The value a signed field of `bits` bits gets for the exact sum `value + increment` (SET
// passes its value with increment 0): the sum itself if it fits, else wrapped or saturated as
// `overflow` says; nullopt when it does not fit and `overflow` is kFail.
std::optional<int64_t> SignedFieldResult(int64_t value, int64_t increment, unsigned bits,
                                         BitFieldOverflow overflow);

// The same for an unsigned field of `bits` bits (1..63). SET passes its argument as
// `value` reinterpreted as unsigned, so a negative argument counts as too large, as in Redis
// (SAT then stores the maximum).
std::optional<uint64_t> UnsignedFieldResult(uint64_t value, int64_t increment, unsigned bits,
                                            BitFieldOverflow overflow);

}  // namespace ringtail::storage
