// SPDX-License-Identifier: Apache-2.0
// One Register<Family>Commands per command family file; RegisterAllCommands calls them all.
#pragma once

namespace ringtail::commands {

class CommandTable;

void RegisterConnectionCommands(CommandTable& table);  // connection_commands.cc
void RegisterServerCommands(CommandTable& table);      // server_commands.cc
void RegisterStringCommands(CommandTable& table);      // string_commands.cc
void RegisterKeyCommands(CommandTable& table);         // key_commands.cc
void RegisterObjectCommands(CommandTable& table);      // object_commands.cc
void RegisterMemoryCommands(CommandTable& table);      // memory_commands.cc

inline void RegisterAllCommands(CommandTable& table) {
  RegisterConnectionCommands(table);
  RegisterServerCommands(table);
  RegisterStringCommands(table);
  RegisterKeyCommands(table);
  RegisterObjectCommands(table);
  RegisterMemoryCommands(table);
}

}  // namespace ringtail::commands
