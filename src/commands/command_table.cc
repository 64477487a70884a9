// SPDX-License-Identifier: Apache-2.0
#include "commands/command_table.h"

#include <charconv>

#include "base/check.h"
#include "base/strings.h"
#include "commands/registry.h"

namespace ringtail::commands {

void CommandTable::Add(CommandSpec spec) {
  if (spec.route == Route::kKeys && !spec.has_keys()) spec.route = Route::kLocal;
  spec.id = static_cast<uint32_t>(specs_.size());
  auto row = std::make_unique<CommandSpec>(std::move(spec));
  std::string key = base::Lower(row->name);
  bool inserted = by_name_.emplace(key, row.get()).second;
  CHECK(inserted, "command registered twice");
  specs_.push_back(std::move(row));
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  char lower[32];
  if (name.size() > sizeof(lower)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) lower[i] = base::AsciiLower(name[i]);
  auto it = by_name_.find(std::string_view(lower, name.size()));
  return it == by_name_.end() ? nullptr : it->second;
}

void KeyPositions(const CommandSpec& spec, absl::Span<const std::string_view> args,
                  std::vector<uint32_t>* out) {
  if (spec.keys_fn != nullptr) return spec.keys_fn(args, out);
  size_t argc = args.size();
  if (spec.first_key <= 0 || argc <= static_cast<size_t>(spec.first_key)) return;
  int last = spec.last_key >= 0 ? spec.last_key : static_cast<int>(argc) + spec.last_key;
  if (last >= static_cast<int>(argc)) last = static_cast<int>(argc) - 1;
  int step = spec.step > 0 ? spec.step : 1;
  for (int i = spec.first_key; i <= last; i += step) out->push_back(static_cast<uint32_t>(i));
}

void NumKeysPositions(absl::Span<const std::string_view> args, size_t numkeys_pos,
                      std::vector<uint32_t>* out) {
  if (numkeys_pos >= args.size()) return;
  std::string_view text = args[numkeys_pos];
  int64_t numkeys = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), numkeys);
  if (ec != std::errc() || ptr != text.data() + text.size() || numkeys <= 0) return;
  if (static_cast<uint64_t>(numkeys) > args.size() - numkeys_pos - 1) return;
  for (size_t i = 1; i <= static_cast<size_t>(numkeys); ++i) {
    out->push_back(static_cast<uint32_t>(numkeys_pos + i));
  }
}

const CommandTable& DefaultCommandTable() {
  static const CommandTable* table = [] {
    auto* t = new CommandTable;
    RegisterAllCommands(*t);
    return t;
  }();
  return *table;
}

}  // namespace ringtail::commands
