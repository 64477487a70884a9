// SPDX-License-Identifier: Apache-2.0
// The bitmap command family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO,
// with Redis 7.0's replies, error texts and argument checks (in Redis's order: which error wins
// when several apply is part of the behaviour). Bitmaps are string values; the bit arithmetic
// lives in storage/bitops.h. Registered by RegisterBitmapCommands. Each handler runs on the
// shard thread that owns its keys (BITOP's keys must all be on one shard).
//
// Keyspace statistics: as in Redis, the commands that read a key for the client (GETBIT,
// BITCOUNT, BITPOS, BITOP's sources, a BITFIELD of GETs only, BITFIELD_RO) count a hit or a
// miss; SETBIT and a writing BITFIELD do not.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"
#include "storage/bitops.h"

namespace ringtail::commands {
namespace {

using protocol::kBitArgNotBinary;
using protocol::kBitFieldInvalidOverflow;
using protocol::kBitFieldInvalidType;
using protocol::kBitFieldRoWrite;
using protocol::kBitOffsetInvalid;
using protocol::kBitOpNotSingleKey;
using protocol::kBitValueInvalid;
using protocol::kSyntax;
using protocol::kWrongType;
using storage::BitFieldOverflow;
using storage::BitOperation;
using storage::Entry;

// ---------------------------------------------------------------------------------------------
// Shared pieces

// The live entry for `key`, counted as a keyspace hit or miss.
Entry* FindForRead(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  return entry;
}

// Parses argument i as a bit offset as Redis does: an integer from 0 whose byte lies below
// proto-max-bulk-len. With `field_bits` (BITFIELD), "#N" means the N-th field of that width,
// N * field_bits (multiplied modulo 2^64, as Redis's C arithmetic wraps). On failure replies
// kBitOffsetInvalid and returns nullopt.
std::optional<uint64_t> BitOffsetArg(CommandContext& ctx, size_t i, unsigned field_bits = 0) {
  std::string_view text = ctx.arg(i);
  const bool by_field = field_bits > 0 && !text.empty() && text[0] == '#';
  std::optional<int64_t> n = ParseInt(by_field ? text.substr(1) : text);
  if (n) {
    int64_t offset = *n;
    if (by_field) offset = static_cast<int64_t>(static_cast<uint64_t>(offset) * field_bits);
    if (offset >= 0 && (offset >> 3) < ctx.shard().config.proto_max_bulk_len) {
      return static_cast<uint64_t>(offset);
    }
  }
  ctx.reply().Error(kBitOffsetInvalid);
  return std::nullopt;
}

// The bytes of the string at `key` for a command that writes bits: created if absent, grown with
// zero bytes to at least `min_size` bytes (its deadline stays). `data` is nullptr after
// replying WRONGTYPE if the key holds another type. Valid until the value changes.
struct MutableBits {
  char* data;
  size_t size;
};
MutableBits BitsForWrite(CommandContext& ctx, std::string_view key, size_t min_size) {
  auto [entry, inserted] = ctx.table().FindOrInsert(key, ctx.now_ms(), min_size);
  if (!inserted && !entry->IsString()) {
    ctx.reply().Error(kWrongType);
    return {nullptr, 0};
  }
  size_t size = std::max(entry->str().size(), min_size);
  return {ctx.table().ResizeString(entry, size), size};
}

// Parses the optional unit argument i of BITCOUNT/BITPOS: BYTE or BIT (case-insensitive).
// Returns whether it is BIT, or nullopt after replying kSyntax.
std::optional<bool> UnitIsBitArg(CommandContext& ctx, size_t i) {
  if (base::EqualsIgnoreCase(ctx.arg(i), "bit")) return true;
  if (base::EqualsIgnoreCase(ctx.arg(i), "byte")) return false;
  ctx.reply().Error(kSyntax);
  return std::nullopt;
}

// Turns a BITCOUNT/BITPOS range into an inclusive range of bits, as Redis does: negative
// indexes count from the end of the `total` units (bytes or bits), both ends are clamped into
// [0, total - 1]. Returns nullopt if the range is then empty.
struct BitRange {
  uint64_t first_bit;
  uint64_t last_bit;
};
std::optional<BitRange> NormalizeRange(int64_t start, int64_t end, int64_t total, bool in_bits) {
  if (start < 0) start += total;
  if (end < 0) end += total;
  start = std::max<int64_t>(start, 0);
  end = std::max<int64_t>(end, 0);
  end = std::min(end, total - 1);
  if (start > end) return std::nullopt;
  const auto first = static_cast<uint64_t>(start);
  const auto last = static_cast<uint64_t>(end);
  if (in_bits) return BitRange{first, last};
  return BitRange{first * 8, last * 8 + 7};
}

// ---------------------------------------------------------------------------------------------
// SETBIT / GETBIT

// SETBIT key offset 0|1: replies with the bit's previous value.
void SetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = BitOffsetArg(ctx, 2);
  if (!offset) return;
  std::optional<int64_t> on = ParseInt(ctx.arg(3));
  if (!on || (*on & ~int64_t{1}) != 0) return ctx.reply().Error(kBitValueInvalid);
  const uint64_t byte = *offset / 8;
  MutableBits bits = BitsForWrite(ctx, ctx.arg(1), byte + 1);
  if (bits.data == nullptr) return;
  const auto mask = static_cast<uint8_t>(0x80u >> (*offset % 8));
  auto& target = reinterpret_cast<uint8_t&>(bits.data[byte]);
  const bool was_set = (target & mask) != 0;
  target = static_cast<uint8_t>(*on != 0 ? (target | mask) : (target & ~mask));
  ctx.reply().Int(was_set ? 1 : 0);
}

void GetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = BitOffsetArg(ctx, 2);
  if (!offset) return;
  const Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Int(0);
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  std::string_view bits = entry->str();
  const uint64_t byte = *offset / 8;
  if (byte >= bits.size()) return ctx.reply().Int(0);
  const bool set = ((static_cast<uint8_t>(bits[byte]) << (*offset % 8)) & 0x80) != 0;
  ctx.reply().Int(set ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// BITCOUNT / BITPOS. As in Redis 7.0, the key is looked up before the range is parsed: a
// missing key replies 0 (BITPOS: 0 or -1) whatever the other arguments are.

// BITCOUNT key [start end [BYTE | BIT]]
void BitCount(CommandContext& ctx) {
  const Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Int(0);
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  std::string_view bits = entry->str();
  if (ctx.argc() == 2) return ctx.reply().Int(static_cast<int64_t>(storage::CountSetBits(bits)));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.reply().Error(kSyntax);
  std::optional<int64_t> start = ctx.IntArg(2);
  if (!start) return;
  std::optional<int64_t> end = ctx.IntArg(3);
  if (!end) return;
  // Two negative indexes out of order count nothing, even where clamping would make them meet
  // (and, in Redis 7.0, before the unit is checked).
  if (*start < 0 && *end < 0 && *start > *end) return ctx.reply().Int(0);
  bool in_bits = false;
  if (ctx.argc() == 5) {
    std::optional<bool> unit = UnitIsBitArg(ctx, 4);
    if (!unit) return;
    in_bits = *unit;
  }
  const auto total = static_cast<int64_t>(in_bits ? bits.size() * 8 : bits.size());
  std::optional<BitRange> range = NormalizeRange(*start, *end, total, in_bits);
  if (!range) return ctx.reply().Int(0);
  uint64_t count = storage::CountSetBits(bits, range->first_bit, range->last_bit);
  ctx.reply().Int(static_cast<int64_t>(count));
}

// BITPOS key 0|1 [start [end [BYTE | BIT]]]: the first bit with that value, or -1. Looking for
// a 0 without an explicit end treats the string as followed by zero bits, so a string of all
// ones replies its length in bits; with an explicit end the search stays within the range.
void BitPos(CommandContext& ctx) {
  std::optional<int64_t> bit = ctx.IntArg(2);
  if (!bit) return;
  if (*bit != 0 && *bit != 1) return ctx.reply().Error(kBitArgNotBinary);
  const Entry* entry = FindForRead(ctx, ctx.arg(1));
  if (entry == nullptr) return ctx.reply().Int(*bit == 1 ? -1 : 0);
  if (!entry->IsString()) return ctx.reply().Error(kWrongType);
  std::string_view bits = entry->str();
  if (ctx.argc() > 6) return ctx.reply().Error(kSyntax);

  bool in_bits = false;
  bool end_given = false;
  std::optional<BitRange> range;
  const auto size = static_cast<int64_t>(bits.size());
  if (ctx.argc() == 3) {
    if (size > 0) range = BitRange{0, static_cast<uint64_t>(size) * 8 - 1};
  } else {
    std::optional<int64_t> start = ctx.IntArg(3);
    if (!start) return;
    if (ctx.argc() == 6) {
      std::optional<bool> unit = UnitIsBitArg(ctx, 5);
      if (!unit) return;
      in_bits = *unit;
    }
    const int64_t total = in_bits ? size * 8 : size;
    int64_t end = total - 1;
    if (ctx.argc() >= 5) {
      std::optional<int64_t> given = ctx.IntArg(4);
      if (!given) return;
      end = *given;
      end_given = true;
    }
    range = NormalizeRange(*start, end, total, in_bits);
  }
  if (!range) return ctx.reply().Int(-1);
  std::optional<uint64_t> pos =
      storage::FindBit(bits, *bit == 1, range->first_bit, range->last_bit);
  if (pos) return ctx.reply().Int(static_cast<int64_t>(*pos));
  if (*bit == 1 || end_given) return ctx.reply().Int(-1);
  ctx.reply().Int(size * 8);
}

// ---------------------------------------------------------------------------------------------
// BITOP

std::optional<BitOperation> BitOperationOf(std::string_view name) {
  if (base::EqualsIgnoreCase(name, "and")) return BitOperation::kAnd;
  if (base::EqualsIgnoreCase(name, "or")) return BitOperation::kOr;
  if (base::EqualsIgnoreCase(name, "xor")) return BitOperation::kXor;
  if (base::EqualsIgnoreCase(name, "not")) return BitOperation::kNot;
  return std::nullopt;
}

// BITOP AND|OR|XOR|NOT destkey key [key ...]: stores the result, as long as the longest input
// (missing keys are empty strings), replacing destkey whatever it held and dropping its
// deadline; an empty result deletes destkey. Replies with the result's length.
void BitOp(CommandContext& ctx) {
  std::optional<BitOperation> op = BitOperationOf(ctx.arg(1));
  if (!op) return ctx.reply().Error(kSyntax);
  if (*op == BitOperation::kNot && ctx.argc() != 4) return ctx.reply().Error(kBitOpNotSingleKey);
  std::vector<std::string_view> inputs;
  inputs.reserve(ctx.argc() - 3);
  size_t size = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    const Entry* entry = FindForRead(ctx, ctx.arg(i));
    if (entry != nullptr && !entry->IsString()) return ctx.reply().Error(kWrongType);
    inputs.push_back(entry == nullptr ? std::string_view() : entry->str());
    size = std::max(size, inputs.back().size());
  }
  if (size == 0) {
    ctx.table().Erase(ctx.arg(2), ctx.now_ms());
    return ctx.reply().Int(0);
  }
  // Computed apart from the destination, which may be one of the inputs.
  std::string result(size, '\0');
  storage::ApplyBitOperation(*op, inputs, result.data(), size);
  Entry* dest = ctx.table().FindOrInsert(ctx.arg(2), ctx.now_ms(), size).entry;
  if (dest->has_expiry()) dest = ctx.table().SetExpiry(dest, 0);
  ctx.table().SetString(dest, result);
  ctx.reply().Int(static_cast<int64_t>(size));
}

// ---------------------------------------------------------------------------------------------
// BITFIELD / BITFIELD_RO

struct FieldOp {
  enum class Kind : uint8_t { kGet, kSet, kIncrBy };
  Kind kind;
  bool is_signed;
  unsigned bits;
  uint64_t offset;
  int64_t argument;  // SET's value or INCRBY's increment
  BitFieldOverflow overflow;
};

// Parses a field type: "i1".."i64" or "u1".."u63" (lower-case letter, Redis's integer rules).
// On failure replies kBitFieldInvalidType and returns false.
bool ParseFieldType(CommandContext& ctx, std::string_view text, FieldOp* op) {
  std::optional<int64_t> bits;
  if (!text.empty() && (text[0] == 'i' || text[0] == 'u')) bits = ParseInt(text.substr(1));
  const bool is_signed = !text.empty() && text[0] == 'i';
  if (!bits || *bits < 1 || *bits > (is_signed ? 64 : 63)) {
    ctx.reply().Error(kBitFieldInvalidType);
    return false;
  }
  op->is_signed = is_signed;
  op->bits = static_cast<unsigned>(*bits);
  return true;
}

// Parses the subcommands from argument 2 on, left to right, stopping at the first error (which
// it replies). `highest_bit` receives the last bit a SET or INCRBY touches.
bool ParseFieldOps(CommandContext& ctx, std::vector<FieldOp>* ops, bool* writes,
                   uint64_t* highest_bit) {
  BitFieldOverflow overflow = BitFieldOverflow::kWrap;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const size_t remaining = ctx.argc() - i - 1;
    std::string_view name = ctx.arg(i);
    FieldOp op{};
    if (base::EqualsIgnoreCase(name, "get") && remaining >= 2) {
      op.kind = FieldOp::Kind::kGet;
    } else if (base::EqualsIgnoreCase(name, "set") && remaining >= 3) {
      op.kind = FieldOp::Kind::kSet;
    } else if (base::EqualsIgnoreCase(name, "incrby") && remaining >= 3) {
      op.kind = FieldOp::Kind::kIncrBy;
    } else if (base::EqualsIgnoreCase(name, "overflow") && remaining >= 1) {
      std::string_view type = ctx.arg(++i);
      if (base::EqualsIgnoreCase(type, "wrap")) {
        overflow = BitFieldOverflow::kWrap;
      } else if (base::EqualsIgnoreCase(type, "sat")) {
        overflow = BitFieldOverflow::kSat;
      } else if (base::EqualsIgnoreCase(type, "fail")) {
        overflow = BitFieldOverflow::kFail;
      } else {
        ctx.reply().Error(kBitFieldInvalidOverflow);
        return false;
      }
      continue;
    } else {
      ctx.reply().Error(kSyntax);
      return false;
    }
    if (!ParseFieldType(ctx, ctx.arg(i + 1), &op)) return false;
    std::optional<uint64_t> offset = BitOffsetArg(ctx, i + 2, op.bits);
    if (!offset) return false;
    op.offset = *offset;
    op.overflow = overflow;
    if (op.kind != FieldOp::Kind::kGet) {
      *writes = true;
      *highest_bit = std::max(*highest_bit, op.offset + op.bits - 1);
      std::optional<int64_t> argument = ctx.IntArg(i + 3);
      if (!argument) return false;
      op.argument = *argument;
    }
    ops->push_back(op);
    i += op.kind == FieldOp::Kind::kGet ? 2 : 3;
  }
  return true;
}

// Runs one SET or INCRBY on `bits` (long enough for the field) and replies: SET the old value,
// INCRBY the new one, or a null when the result overflows under OVERFLOW FAIL (nothing written).
void RunFieldWrite(CommandContext& ctx, const FieldOp& op, char* bits, size_t size) {
  const uint64_t raw = storage::GetBitField({bits, size}, op.offset, op.bits);
  const bool incr = op.kind == FieldOp::Kind::kIncrBy;
  if (op.is_signed) {
    const int64_t old = storage::SignExtend(raw, op.bits);
    std::optional<int64_t> result =
        incr ? storage::SignedFieldResult(old, op.argument, op.bits, op.overflow)
             : storage::SignedFieldResult(op.argument, 0, op.bits, op.overflow);
    if (!result) return ctx.reply().Null();
    storage::SetBitField(bits, op.offset, op.bits, static_cast<uint64_t>(*result));
    return ctx.reply().Int(incr ? *result : old);
  }
  std::optional<uint64_t> result =
      incr ? storage::UnsignedFieldResult(raw, op.argument, op.bits, op.overflow)
           : storage::UnsignedFieldResult(static_cast<uint64_t>(op.argument), 0, op.bits,
                                          op.overflow);
  if (!result) return ctx.reply().Null();
  storage::SetBitField(bits, op.offset, op.bits, *result);
  ctx.reply().Int(static_cast<int64_t>(incr ? *result : raw));
}

// BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value |
// [OVERFLOW ...] INCRBY type offset increment ...]: every subcommand is parsed before any runs.
// With SET or INCRBY the key is created and grown to hold the furthest field written (even if
// every write then fails under OVERFLOW FAIL); GETs read past the end as zero bits.
void BitFieldCommand(CommandContext& ctx, bool read_only_command) {
  std::vector<FieldOp> ops;
  bool writes = false;
  uint64_t highest_bit = 0;
  if (!ParseFieldOps(ctx, &ops, &writes, &highest_bit)) return;
  MutableBits bits{nullptr, 0};
  std::string_view value;
  if (!writes) {
    const Entry* entry = FindForRead(ctx, ctx.arg(1));
    if (entry != nullptr && !entry->IsString()) return ctx.reply().Error(kWrongType);
    if (entry != nullptr) value = entry->str();
  } else {
    if (read_only_command) return ctx.reply().Error(kBitFieldRoWrite);
    bits = BitsForWrite(ctx, ctx.arg(1), highest_bit / 8 + 1);
    if (bits.data == nullptr) return;
    value = {bits.data, bits.size};
  }
  ctx.reply().Array(ops.size());
  for (const FieldOp& op : ops) {
    if (op.kind != FieldOp::Kind::kGet) {
      RunFieldWrite(ctx, op, bits.data, bits.size);
      continue;
    }
    const uint64_t raw = storage::GetBitField(value, op.offset, op.bits);
    ctx.reply().Int(op.is_signed ? storage::SignExtend(raw, op.bits) : static_cast<int64_t>(raw));
  }
}

void BitField(CommandContext& ctx) { BitFieldCommand(ctx, false); }
void BitFieldRo(CommandContext& ctx) { BitFieldCommand(ctx, true); }

}  // namespace

void RegisterBitmapCommands(CommandTable& table) {
  // clang-format off
  table.Add({.name = "setbit", .arity = 4, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = SetBit, .group = "bitmap",
             .summary = "Sets or clears the bit at offset in the string value stored at key",
             .since = "2.2.0"});
  table.Add({.name = "getbit", .arity = 3, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = GetBit, .group = "bitmap",
             .summary = "Returns the bit value at offset in the string value stored at key",
             .since = "2.2.0"});
  table.Add({.name = "bitcount", .arity = -2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = BitCount, .group = "bitmap",
             .summary = "Count set bits in a string", .since = "2.6.0"});
  table.Add({.name = "bitpos", .arity = -3, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = BitPos, .group = "bitmap",
             .summary = "Find first bit set or clear in a string", .since = "2.8.7"});
  table.Add({.name = "bitop", .arity = -4, .flags = kWrite | kDenyOom, .first_key = 2,
             .last_key = -1, .step = 1, .handler = BitOp, .group = "bitmap",
             .summary = "Perform bitwise operations between strings", .since = "2.6.0"});
  table.Add({.name = "bitfield", .arity = -2, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = BitField, .group = "bitmap",
             .summary = "Perform arbitrary bitfield integer operations on strings",
             .since = "3.2.0"});
  table.Add({.name = "bitfield_ro", .arity = -2, .flags = kRead | kFast, .first_key = 1,
             .last_key = 1, .step = 1, .handler = BitFieldRo, .group = "bitmap",
             .summary = "Perform arbitrary bitfield integer operations on strings. Read-only "
                        "variant of BITFIELD",
             .since = "6.0.0"});
  // clang-format on
}

}  // namespace ringtail::commands
