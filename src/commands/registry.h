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
void RegisterListCommands(CommandTable& table);        // list_commands.cc
void RegisterHashCommands(CommandTable& table);        // hash_commands.cc
void RegisterSetCommands(CommandTable& table);         // set_commands.cc
void RegisterZSetCommands(CommandTable& table);        // zset_commands.cc
void RegisterBitmapCommands(CommandTable& table);      // bitmap_commands.cc
void RegisterHyperLogLogCommands(CommandTable& table); // hyperloglog_commands.cc
void RegisterSortCommands(CommandTable& table);        // sort_commands.cc
void RegisterBlockingCommands(CommandTable& table);    // blocking_commands.cc

inline void RegisterAllCommands(CommandTable& table) {
  RegisterConnectionCommands(table);
  RegisterServerCommands(table);
  RegisterStringCommands(table);
  RegisterKeyCommands(table);
  RegisterObjectCommands(table);
  RegisterMemoryCommands(table);
  RegisterListCommands(table);
  RegisterHashCommands(table);
  RegisterSetCommands(table);
  RegisterZSetCommands(table);
  RegisterBitmapCommands(table);
  RegisterHyperLogLogCommands(table);
  RegisterSortCommands(table);
  RegisterBlockingCommands(table);
}

}  // namespace ringtail::commands
