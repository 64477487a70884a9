// SPDX-License-Identifier: Apache-2.0
// TODO(ringtail): the sort commands (#4).
#include "commands/command_table.h"
#include "commands/registry.h"

namespace ringtail::commands {

void RegisterSortCommands(CommandTable& table) { (void)table; }

}  // namespace ringtail::commands
