// SPDX-License-Identifier: Apache-2.0
// SORT and SORT_RO: the elements of a list, set or sorted set, sorted as numbers or (ALPHA) as
// strings, by themselves or by the values a BY pattern names, cut by LIMIT, mapped through GET
// patterns, and replied (an array in RESP2 and RESP3) or stored as a list (SORT ... STORE).
// Registered by RegisterSortCommands; runs on the shard that owns the sorted key (and the STORE
// destination, which must live on the same shard).
//
// How it works: the handler does not touch the collection types' storage. It reads the sorted
// key's elements by running the read commands internally on this shard (LRANGE, SMEMBERS,
// ZRANGE, with LLEN/ZCARD for BY nosort ranges), reads hash fields named by "pattern->field"
// with HGET, and stores a result with RPUSH, as gather.cc moves keys between shards. Pattern
// keys holding strings are read straight from the table. Pattern keys are looked up on this
// shard only: with several shards a pattern key owned by another one reads as missing (Redis
// Cluster refuses BY and GET patterns outright), so give them the sorted key's hash tag.
//
// Redis's rules, followed here byte for byte:
//  - A score is read with strtod over the whole value (leading spaces, hex, "inf" accepted;
//    trailing bytes, overflow, underflow and nan rejected with kSortScoreNotDouble); equal
//    scores order by the elements' bytes. A missing BY value scores 0.
//  - ALPHA compares with strcoll, which in the C locale Redis runs in compares the bytes up to
//    the first NUL; with STORE it compares all the bytes. A missing BY value sorts first.
//  - Elements that compare equal keep their order in the collection (Redis's qsort is glibc's
//    merge sort, which is stable).
//  - A BY pattern without '*' ("nosort") skips sorting: a list or sorted set keeps its order
//    (reversed by DESC) and a set its iteration order, except that SORT ... STORE of a set
//    sorts it ALPHA so that the stored list is deterministic.
//  - A pattern substitutes the element for its first '*'; "->field" after the '*' reads a hash
//    field; "#" is the element itself; a pattern without '*' names nothing.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/command_table.h"
#include "commands/registry.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"
#include "storage/entry.h"

namespace ringtail::commands {
namespace {

using base::EqualsIgnoreCase;
using protocol::kNotInteger;
using protocol::kSortScoreNotDouble;
using protocol::kSyntax;
using protocol::kWrongType;
using storage::Entry;
using storage::ValueType;

// ---------------------------------------------------------------------------------------------
// Internal commands

// Runs the read or write command `args` on this shard, replacing `out` with its RESP2 reply.
// Its own keyspace hits and misses are not counted: SORT counts its lookups itself, once each,
// as Redis does.
void RunInternal(CommandContext& ctx, absl::Span<const std::string_view> args, std::string* out) {
  const CommandSpec* spec = ctx.shard().commands->Find(args[0]);
  CHECK(spec != nullptr, "SORT runs a command that is not registered");
  ShardStats& stats = ctx.shard().stats;
  const uint64_t hits = stats.keyspace_hits;
  const uint64_t misses = stats.keyspace_misses;
  out->clear();
  protocol::ReplyBuilder reply(out, /*resp3=*/false);
  CommandContext internal(ctx.shard(), args, ctx.db_index(), reply, nullptr);
  spec->handler(internal);
  stats.keyspace_hits = hits;
  stats.keyspace_misses = misses;
}

// The bytes of a bulk string reply ("$3\r\nabc\r\n" -> "abc"); nullopt for a null bulk.
std::optional<std::string_view> BulkContent(std::string_view bulk) {
  size_t header_end = bulk.find("\r\n");
  int64_t length = -1;
  std::from_chars(bulk.data() + 1, bulk.data() + header_end, length);
  if (bulk[0] != '$' || length < 0) return std::nullopt;
  return bulk.substr(header_end + 2, static_cast<size_t>(length));
}

// Appends the bulk strings of the array reply `reply` to `out`, as views into `reply`.
void AppendBulks(std::string_view reply, std::vector<std::string_view>* out) {
  protocol::ElementReader items(reply);
  if (items.count() > 0) out->reserve(out->size() + static_cast<size_t>(items.count()));
  while (std::optional<std::string_view> item = items.Next()) {
    out->push_back(BulkContent(*item).value_or(std::string_view()));
  }
}

// ---------------------------------------------------------------------------------------------
// Patterns

// `text` up to its first NUL byte: what Redis's C string functions see of an argument.
std::string_view CString(std::string_view text) { return text.substr(0, text.find('\0')); }

// A BY or GET pattern, taken apart once.
struct Pattern {
  enum class Kind : uint8_t {
    kElement,    // "#": the element itself
    kNothing,    // no '*': names no key
    kString,     // prefix*suffix: a string key
    kHashField,  // prefix*suffix->field: a field of a hash key
  };
  Kind kind = Kind::kNothing;
  std::string_view prefix;
  std::string_view suffix;
  std::string_view field;
};

// As Redis reads a pattern: the '*' and "->" are searched for up to the first NUL, but the
// suffix (without a field) and the field run to the end of the argument.
Pattern ParsePattern(std::string_view text) {
  std::string_view visible = CString(text);
  if (visible == "#") return {.kind = Pattern::Kind::kElement};
  size_t star = visible.find('*');
  if (star == std::string_view::npos) return {.kind = Pattern::Kind::kNothing};
  Pattern pattern{.kind = Pattern::Kind::kString, .prefix = text.substr(0, star)};
  size_t arrow = visible.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < visible.size()) {
    pattern.kind = Pattern::Kind::kHashField;
    pattern.suffix = text.substr(star + 1, arrow - star - 1);
    pattern.field = text.substr(arrow + 2);
  } else {
    pattern.suffix = text.substr(star + 1);
  }
  return pattern;
}

// Looks up the values patterns name for elements, each lookup counted as a keyspace hit or miss.
class PatternReader {
 public:
  explicit PatternReader(CommandContext& ctx) : ctx_(ctx) {}

  // The value `pattern` names for `element`, or nullopt if it names nothing, the key is missing
  // or holds another type (a string key for kString, a hash for kHashField), or the hash lacks
  // the field. The view is valid until the next Read or the next change to the table.
  std::optional<std::string_view> Read(const Pattern& pattern, std::string_view element) {
    switch (pattern.kind) {
      case Pattern::Kind::kElement:
        return element;
      case Pattern::Kind::kNothing:
        return std::nullopt;
      case Pattern::Kind::kString:
      case Pattern::Kind::kHashField:
        break;
    }
    key_.assign(pattern.prefix).append(element).append(pattern.suffix);
    Entry* entry = ctx_.table().Find(key_, ctx_.now_ms());
    ctx_.CountLookup(entry != nullptr);
    if (entry == nullptr) return std::nullopt;
    if (pattern.kind == Pattern::Kind::kString) {
      if (!entry->IsString()) return std::nullopt;
      return entry->str();
    }
    if (entry->type() != ValueType::kHash) return std::nullopt;
    std::string_view args[] = {"hget", key_, pattern.field};
    RunInternal(ctx_, args, &reply_);
    return BulkContent(reply_);
  }

 private:
  CommandContext& ctx_;
  std::string key_;
  std::string reply_;
};

// ---------------------------------------------------------------------------------------------
// Options

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dont_sort = false;  // a BY pattern without '*' was given (any one: it sticks)
  std::optional<std::string_view> by;  // the last BY pattern
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::vector<std::string_view> gets;  // GET patterns, in order
  size_t store_pos = 0;                // argument position of the last STORE key, 0 for none
};

enum class ParseError : uint8_t { kNone, kSyntax, kNotInteger };

// Reads the options after the key as Redis does: left to right, each option with the arguments
// it takes; the first malformed one ends parsing with its error. SORT_RO (`read_only`) has no
// STORE. Used by the handler and the key function alike, so that both see one destination.
ParseError ParseOptions(absl::Span<const std::string_view> args, bool read_only,
                        SortOptions* options) {
  for (size_t i = 2; i < args.size(); ++i) {
    std::string_view option = args[i];
    size_t left = args.size() - i - 1;
    if (EqualsIgnoreCase(option, "asc")) {
      options->desc = false;
    } else if (EqualsIgnoreCase(option, "desc")) {
      options->desc = true;
    } else if (EqualsIgnoreCase(option, "alpha")) {
      options->alpha = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      std::optional<int64_t> start = ParseInt(args[i + 1]);
      if (!start) return ParseError::kNotInteger;
      std::optional<int64_t> count = ParseInt(args[i + 2]);
      if (!count) return ParseError::kNotInteger;
      options->limit_start = *start;
      options->limit_count = *count;
      i += 2;
    } else if (!read_only && EqualsIgnoreCase(option, "store") && left >= 1) {
      options->store_pos = ++i;
    } else if (EqualsIgnoreCase(option, "by") && left >= 1) {
      options->by = args[++i];
      if (CString(*options->by).find('*') == std::string_view::npos) options->dont_sort = true;
    } else if (EqualsIgnoreCase(option, "get") && left >= 1) {
      options->gets.push_back(args[++i]);
    } else {
      return ParseError::kSyntax;
    }
  }
  return ParseError::kNone;
}

// SORT's keys: the sorted key and the STORE destination, if any.
void SortKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  if (args.size() < 2) return;
  out->push_back(1);
  SortOptions options;
  ParseOptions(args, /*read_only=*/false, &options);
  if (options.store_pos != 0) out->push_back(static_cast<uint32_t>(options.store_pos));
}

// ---------------------------------------------------------------------------------------------
// Sorting

// The inclusive range of positions LIMIT selects among `length` elements (empty when
// end < start), with Redis's clamping of out-of-range offsets and counts.
struct Range {
  int64_t start;
  int64_t end;
  int64_t size() const { return end >= start ? end - start + 1 : 0; }
};
Range LimitRange(int64_t limit_start, int64_t limit_count, int64_t length) {
  int64_t start = std::clamp<int64_t>(limit_start, 0, length);
  int64_t count = std::clamp<int64_t>(limit_count, -1, length);
  int64_t end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;
  return {start, end};
}

// A score as Redis reads one: strtod over the value as a C string, which must consume all of
// it (std::from_chars takes neither leading spaces nor hex, which strtod accepts). nullopt if
// it is not a number, out of range or nan.
std::optional<double> ParseScore(std::string_view text, std::string* scratch) {
  scratch->assign(text);
  errno = 0;
  char* end = nullptr;
  double score = std::strtod(scratch->c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(score)) return std::nullopt;
  return score;
}

struct SortItem {
  std::string_view element;
  double score = 0;
  std::optional<std::string> by_value;  // ALPHA with BY: the pattern's value, if any
};

// Byte comparison of whole strings (Redis's compareStringObjects), or up to the first NUL
// (strcoll in the C locale).
int CompareStrings(std::string_view a, std::string_view b, bool whole) {
  if (!whole) {
    a = CString(a);
    b = CString(b);
  }
  int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

// Sorts `items` in place as Redis's sortCompare orders them.
void SortItems(std::vector<SortItem>* items, bool alpha, bool by_pattern, bool store,
               bool desc) {
  auto compare = [=](const SortItem& a, const SortItem& b) {
    int cmp = 0;
    if (!alpha) {
      if (a.score > b.score) {
        cmp = 1;
      } else if (a.score < b.score) {
        cmp = -1;
      } else {
        cmp = CompareStrings(a.element, b.element, /*whole=*/true);
      }
    } else if (by_pattern) {
      if (!a.by_value || !b.by_value) {
        cmp = a.by_value.has_value() == b.by_value.has_value() ? 0 : (a.by_value ? 1 : -1);
      } else {
        cmp = CompareStrings(*a.by_value, *b.by_value, store);
      }
    } else {
      cmp = CompareStrings(a.element, b.element, store);
    }
    return desc ? -cmp : cmp;
  };
  std::stable_sort(items->begin(), items->end(),
                   [&](const SortItem& a, const SortItem& b) { return compare(a, b) < 0; });
}

// ---------------------------------------------------------------------------------------------
// The command

// Reads the elements of the list or sorted set at `key` (with `length` elements) that LIMIT
// selects in the collection's own order, reversed by DESC, into `elements` (views into `reply`).
void ReadRangeInOrder(CommandContext& ctx, std::string_view key, ValueType type, int64_t length,
                      const SortOptions& options, std::string* reply,
                      std::vector<std::string_view>* elements) {
  Range range = LimitRange(options.limit_start, options.limit_count, length);
  if (range.size() == 0) return;
  int64_t first = options.desc ? length - 1 - range.end : range.start;
  int64_t last = options.desc ? length - 1 - range.start : range.end;
  std::string first_text = std::to_string(first);
  std::string last_text = std::to_string(last);
  std::string_view args[] = {type == ValueType::kList ? "lrange" : "zrange", key, first_text,
                             last_text};
  RunInternal(ctx, args, reply);
  AppendBulks(*reply, elements);
  if (options.desc) std::reverse(elements->begin(), elements->end());
}

// The length of the list or sorted set at `key`.
int64_t CollectionLength(CommandContext& ctx, std::string_view key, ValueType type) {
  std::string reply;
  std::string_view args[] = {type == ValueType::kList ? "llen" : "zcard", key};
  RunInternal(ctx, args, &reply);
  return protocol::ReplyInt(reply).value_or(0);
}

// Reads the elements of the list, set or sorted set at `key` (`type`; nullopt when missing)
// into `elements`, as views into `reply`, and returns the range of them LIMIT selects. Without
// sorting (`dont_sort`), a list or sorted set gives only that range, in its order reversed by
// DESC; otherwise every element comes, to be sorted before the range is taken.
Range ReadElements(CommandContext& ctx, std::string_view key, std::optional<ValueType> type,
                   bool dont_sort, const SortOptions& options, std::string* reply,
                   std::vector<std::string_view>* elements) {
  if (type && dont_sort && (*type == ValueType::kList || *type == ValueType::kZSet)) {
    int64_t length = CollectionLength(ctx, key, *type);
    ReadRangeInOrder(ctx, key, *type, length, options, reply, elements);
    return {0, static_cast<int64_t>(elements->size()) - 1};
  }
  if (type == ValueType::kList) {
    std::string_view args[] = {"lrange", key, "0", "-1"};
    RunInternal(ctx, args, reply);
  } else if (type == ValueType::kSet) {
    std::string_view args[] = {"smembers", key};
    RunInternal(ctx, args, reply);
  } else if (type == ValueType::kZSet) {
    std::string_view args[] = {"zrange", key, "0", "-1"};
    RunInternal(ctx, args, reply);
  }
  if (type) AppendBulks(*reply, elements);
  return LimitRange(options.limit_start, options.limit_count,
                    static_cast<int64_t>(elements->size()));
}

// Sorts `elements` by their scores (or ALPHA) or those of `by`. Returns false after replying
// kSortScoreNotDouble if a score is not a number.
bool SortElements(CommandContext& ctx, PatternReader& patterns, const std::optional<Pattern>& by,
                  bool alpha, bool store, bool desc, std::vector<std::string_view>* elements) {
  std::vector<SortItem> items(elements->size());
  std::string scratch;
  for (size_t i = 0; i < elements->size(); ++i) {
    SortItem& item = items[i];
    item.element = (*elements)[i];
    std::optional<std::string_view> value = item.element;
    if (by) {
      value = patterns.Read(*by, item.element);
      if (!value) continue;  // sorts as 0, or first with ALPHA
    }
    if (alpha) {
      if (by) item.by_value.emplace(*value);
      continue;
    }
    std::optional<double> score = ParseScore(*value, &scratch);
    if (!score) {
      ctx.reply().Error(kSortScoreNotDouble);
      return false;
    }
    item.score = *score;
  }
  SortItems(&items, alpha, by.has_value(), store, desc);
  for (size_t i = 0; i < items.size(); ++i) (*elements)[i] = items[i].element;
  return true;
}

// Replies with the elements in `range`, or for each the values of the GET patterns.
void ReplyElements(CommandContext& ctx, PatternReader& patterns,
                   const std::vector<std::string_view>& elements, Range range,
                   const std::vector<Pattern>& gets) {
  ctx.reply().Array(static_cast<size_t>(range.size()) * std::max<size_t>(gets.size(), 1));
  for (int64_t i = range.start; i <= range.end; ++i) {
    std::string_view element = elements[static_cast<size_t>(i)];
    if (gets.empty()) ctx.reply().Bulk(element);
    for (const Pattern& get : gets) {
      std::optional<std::string_view> value = patterns.Read(get, element);
      if (value) {
        ctx.reply().Bulk(*value);
      } else {
        ctx.reply().Null();
      }
    }
  }
}

// STORE: the elements in `range` (or for each the values of the GET patterns, a missing one as
// an empty string) replace `destination` as a list; an empty result deletes it. Replies with
// the stored length.
void StoreElements(CommandContext& ctx, PatternReader& patterns,
                   const std::vector<std::string_view>& elements, Range range,
                   const std::vector<Pattern>& gets, std::string_view destination) {
  std::vector<std::string> values;  // copies: the destination may be a pattern key
  for (int64_t i = range.start; i <= range.end && !gets.empty(); ++i) {
    for (const Pattern& get : gets) {
      values.emplace_back(patterns.Read(get, elements[static_cast<size_t>(i)]).value_or(""));
    }
  }
  ctx.table().Erase(destination, ctx.now_ms());
  const size_t length = gets.empty() ? static_cast<size_t>(range.size()) : values.size();
  if (length > 0) {
    std::vector<std::string_view> args = {"rpush", destination};
    args.reserve(length + 2);
    if (gets.empty()) {
      args.insert(args.end(), elements.begin() + range.start, elements.begin() + range.end + 1);
    } else {
      args.insert(args.end(), values.begin(), values.end());
    }
    std::string ignored;
    RunInternal(ctx, args, &ignored);
  }
  ctx.reply().Int(static_cast<int64_t>(length));
}

void SortGeneric(CommandContext& ctx, bool read_only) {
  SortOptions options;
  switch (ParseOptions(ctx.args(), read_only, &options)) {
    case ParseError::kNone:
      break;
    case ParseError::kSyntax:
      return ctx.reply().Error(kSyntax);
    case ParseError::kNotInteger:
      return ctx.reply().Error(kNotInteger);
  }
  const bool store = options.store_pos != 0;
  const std::string_view key = ctx.arg(1);

  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  ctx.CountLookup(entry != nullptr);
  std::optional<ValueType> type;
  if (entry != nullptr) {
    type = entry->type();
    if (type != ValueType::kList && type != ValueType::kSet && type != ValueType::kZSet) {
      return ctx.reply().Error(kWrongType);
    }
  }

  bool dont_sort = options.dont_sort;
  bool alpha = options.alpha;
  std::optional<Pattern> by;
  if (options.by) by = ParsePattern(*options.by);
  if (dont_sort && type == ValueType::kSet && store) {
    // A stored list must not depend on the set's iteration order.
    dont_sort = false;
    alpha = true;
    by.reset();
  }

  std::string elements_reply;
  std::vector<std::string_view> elements;
  Range range = ReadElements(ctx, key, type, dont_sort, options, &elements_reply, &elements);
  PatternReader patterns(ctx);
  if (!dont_sort && !SortElements(ctx, patterns, by, alpha, store, options.desc, &elements)) {
    return;
  }
  std::vector<Pattern> gets;
  gets.reserve(options.gets.size());
  for (std::string_view text : options.gets) gets.push_back(ParsePattern(text));
  if (store) return StoreElements(ctx, patterns, elements, range, gets, ctx.arg(options.store_pos));
  ReplyElements(ctx, patterns, elements, range, gets);
}

void Sort(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/false); }
void SortRo(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/true); }

}  // namespace

void RegisterSortCommands(CommandTable& table) {
  table.Add({.name = "sort", .arity = -2, .flags = kWrite | kDenyOom, .first_key = 1,
             .last_key = 1, .step = 1, .handler = Sort, .keys_fn = SortKeys,
             .summary = "Sort the elements in a list, set or sorted set", .since = "1.0.0"});
  table.Add({.name = "sort_ro", .arity = -2, .flags = kRead, .first_key = 1, .last_key = 1,
             .step = 1, .handler = SortRo,
             .summary = "Sort the elements in a list, set or sorted set. Read-only variant of "
                        "SORT.",
             .since = "7.0.0"});
}

}  // namespace ringtail::commands
