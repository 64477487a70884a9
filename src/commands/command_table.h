// SPDX-License-Identifier: Apache-2.0
// The command table: one row per command with its name, arity, flags, key positions, handler,
// routing and merge rule. `COMMAND` output, key routing and cross-shard splitting all come from
// the row. Built once at startup (Register*Commands) and immutable afterwards, so every shard
// thread reads it without synchronization.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "base/strings.h"

namespace ringtail::commands {

class CommandContext;
struct MergeContext;

// Command flags, reported by COMMAND as Redis names them.
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,      // "write"
  kRead = 1u << 1,       // "readonly"
  kFast = 1u << 2,       // "fast"
  kDenyOom = 1u << 3,    // "denyoom"
  kAdmin = 1u << 4,      // "admin"
  kNoScript = 1u << 5,   // "noscript"
  kLoading = 1u << 6,    // "loading"
  kStale = 1u << 7,      // "stale"
  kNoAuth = 1u << 8,     // "no_auth"
  kAllowBusy = 1u << 9,  // "allow_busy"
  kBlocking = 1u << 10,  // "blocking"
};

// Where a command executes.
enum class Route : uint8_t {
  kKeys,        // on the shard(s) owning its keys; split per shard when they differ.
                // A row with first_key == 0 is treated as kLocal.
  kLocal,       // on the connection's own shard, with access to the client state
  kAllShards,   // on every shard; the sub-replies are combined by the row's merge rule
  kScanCursor,  // on the shard encoded in the cursor (argument 1): SCAN
};

// How the sub-replies of a command that ran on several shards become one reply.
enum class Merge : uint8_t {
  kNone,      // never split
  kSumInts,   // DEL, EXISTS, DBSIZE: the sum of the integer replies (first error wins)
  kAllOk,     // MSET, FLUSHALL, CONFIG SET: +OK unless a shard replied with an error
  kKeyOrder,  // MGET: array elements put back in the order of the keys
  kConcat,    // KEYS: the arrays' elements concatenated
  kCustom,    // the row's merge function
};

using Handler = void (*)(CommandContext& ctx);
using MergeFn = void (*)(MergeContext& ctx);
// Chooses the route per call, for containers such as CLIENT and CONFIG whose subcommands differ.
using RouteFn = Route (*)(absl::Span<const std::string_view> args);
// Appends the positions of the keys in `args`, for commands whose keys move (a numkeys argument
// says how many follow: LMPOP, ZUNIONSTORE, SINTERCARD). Appends nothing when the count is
// malformed; the handler then replies with the error.
using KeysFn = void (*)(absl::Span<const std::string_view> args, std::vector<uint32_t>* out);

struct CommandSpec {
  std::string_view name;  // lower case, as COMMAND reports it
  int arity = 0;          // Redis convention: n = exactly n arguments, -n = at least n
  uint32_t flags = 0;
  int first_key = 0;  // position of the first key, 0 for none
  int last_key = 0;   // position of the last key; negative counts from the end (-1 = last)
  int step = 0;       // distance between keys (MSET: 2)
  Handler handler = nullptr;
  Route route = Route::kKeys;
  Merge merge = Merge::kNone;
  MergeFn merge_fn = nullptr;
  RouteFn route_fn = nullptr;
  KeysFn keys_fn = nullptr;  // movable keys; first_key/last_key/step then describe none
  std::string_view group = "generic";  // COMMAND DOCS group: string, generic, connection, server
  std::string_view summary = "";
  std::string_view since = "1.0.0";
  std::vector<std::string_view> subcommands = {};  // for COMMAND: "client|setname", ...
  // Assigned by CommandTable::Add: the index of this row, for per-command statistics.
  uint32_t id = 0;

  bool has_keys() const { return first_key > 0 || keys_fn != nullptr; }
  Route RouteFor(absl::Span<const std::string_view> args) const {
    return route_fn != nullptr ? route_fn(args) : route;
  }
};

class CommandTable {
 public:
  // Adds a row. REQUIRES: no row with that name yet; called before the shards start.
  void Add(CommandSpec spec);

  // Looks `name` up case-insensitively; nullptr if unknown. Allocation-free.
  const CommandSpec* Find(std::string_view name) const;

  size_t size() const { return specs_.size(); }
  const CommandSpec& at(size_t id) const { return *specs_[id]; }
  // All rows, in registration order.
  const std::vector<std::unique_ptr<CommandSpec>>& specs() const { return specs_; }

 private:
  std::vector<std::unique_ptr<CommandSpec>> specs_;
  absl::flat_hash_map<std::string, const CommandSpec*, base::StringHash, base::StringEq> by_name_;
};

// Checks the argument count against `spec.arity`. True if it fits.
inline bool ArityOk(const CommandSpec& spec, size_t argc) {
  int arity = spec.arity;
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

// Positions of the keys in `args` for a row with keys (empty if none or the arguments are too
// few). Appends to `out`.
void KeyPositions(const CommandSpec& spec, absl::Span<const std::string_view> args,
                  std::vector<uint32_t>* out);

// A KeysFn helper: appends the positions of the `numkeys` keys that follow the numkeys argument
// at `numkeys_pos` (nothing if it is not a positive integer or too few arguments follow).
void NumKeysPositions(absl::Span<const std::string_view> args, size_t numkeys_pos,
                      std::vector<uint32_t>* out);

// The table with every command family registered (built once, on first use).
const CommandTable& DefaultCommandTable();

}  // namespace ringtail::commands
