// SPDX-License-Identifier: Apache-2.0
// List operations shared by the list commands (list_commands.cc) and the blocking commands
// (blocking_commands.cc), which serve BLPOP, BLMPOP and BLMOVE with them once a key is ready.
// They act on the selected database of the shard the context belongs to, and do not reply.
// Shard thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "commands/command_context.h"

namespace ringtail::commands {

enum class ListOpResult { kDone, kNoList, kWrongType };

// Pops up to `count` elements from the head (`left`) or tail of the list at `key` on this
// shard, appending them to `out` in pop order, and deletes the key when it empties. Returns
// kNoList when the key is absent (nothing appended), kWrongType when it holds another type,
// else kDone (also for count 0, which pops nothing).
ListOpResult PopElements(CommandContext& ctx, std::string_view key, bool left, size_t count,
                         std::vector<std::string>* out);

// Pushes `elements` one by one to the head (`left`) or tail of the list at `key`, creating it
// through Table::SetObject (so that blocked clients learn of it) when absent. Returns
// kWrongType if the key holds another type (nothing pushed), else kDone. With no elements
// nothing is created.
ListOpResult PushElements(CommandContext& ctx, std::string_view key, bool left,
                          absl::Span<const std::string_view> elements);

}  // namespace ringtail::commands
