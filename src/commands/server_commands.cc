// SPDX-License-Identifier: Apache-2.0
#include "commands/command_context.h"
#include "commands/registry.h"

namespace ringtail::commands {

void RegisterServerCommands(CommandTable& table) { (void)table; }

}  // namespace ringtail::commands
