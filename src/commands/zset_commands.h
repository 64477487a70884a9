// SPDX-License-Identifier: Apache-2.0
// Sorted-set operations shared by the sorted-set commands (zset_commands.cc) and the blocking
// commands (blocking_commands.cc), which serve BZPOPMIN, BZPOPMAX and BZMPOP with them once a
// key is ready. They act on the selected database of the shard the context belongs to, and do
// not reply. Shard thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/command_context.h"

namespace ringtail::commands {

enum class ZSetOpResult { kDone, kNoZSet, kWrongType };

// Pops up to `count` lowest (`min`) or highest members of the sorted set at `key` on this
// shard, appending (member, score) to `out` in pop order (lowest first for `min`, highest first
// otherwise), and deletes the key when it empties. Returns kNoZSet when the key is absent
// (nothing appended), kWrongType when it holds another type, else kDone (also for count 0,
// which pops nothing).
ZSetOpResult PopMembers(CommandContext& ctx, std::string_view key, bool min, size_t count,
                        std::vector<std::pair<std::string, double>>* out);

}  // namespace ringtail::commands
