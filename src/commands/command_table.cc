// SPDX-License-Identifier: Apache-2.0
#include "commands/command_table.h"

#include "base/check.h"
#include "base/strings.h"
#include "commands/registry.h"

namespace ringtail::commands {

void CommandTable::Add(CommandSpec spec) {
  if (spec.route == Route::kKeys && spec.first_key == 0) spec.route = Route::kLocal;
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

void KeyPositions(const CommandSpec& spec, size_t argc, std::vector<uint32_t>* out) {
  if (spec.first_key <= 0 || argc <= static_cast<size_t>(spec.first_key)) return;
  int last = spec.last_key >= 0 ? spec.last_key : static_cast<int>(argc) + spec.last_key;
  if (last >= static_cast<int>(argc)) last = static_cast<int>(argc) - 1;
  int step = spec.step > 0 ? spec.step : 1;
  for (int i = spec.first_key; i <= last; i += step) out->push_back(static_cast<uint32_t>(i));
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
