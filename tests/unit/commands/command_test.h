// SPDX-License-Identifier: Apache-2.0
// CommandTest: runs commands on one in-process shard with no sockets, no threads and a frozen
// clock. Run({...}) returns the reply bytes; Ok(), Int(n), Bulk(s), Nil(), Err(text) and
// Array({...}) build the expected bytes; AdvanceTime(ms) moves the clock to drive expiry.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"
#include "commands/executor.h"
#include "protocol/reply_builder.h"

namespace ringtail::commands {

class CommandTest : public ::testing::Test {
 protected:
  static constexpr int64_t kStartMs = 1700000000000;

  CommandTest() : shard_(0, 1, DefaultCommandTable(), info_, Config{}) {
    shard_.clock.Freeze(kStartMs);
    client_.id = 1;
  }

  // Runs one command and returns its reply bytes.
  std::string Run(std::initializer_list<std::string_view> args) {
    return Run(std::vector<std::string_view>(args));
  }
  std::string Run(const std::vector<std::string_view>& args) {
    std::string out;
    protocol::ReplyBuilder reply(&out, client_.resp3);
    RunOnSingleShard(shard_, args, reply, client_);
    return out;
  }

  void AdvanceTime(int64_t ms) { shard_.clock.Advance(ms); }
  int64_t NowMs() const { return shard_.clock.now_ms(); }

  static std::string Ok() { return "+OK\r\n"; }
  static std::string Simple(std::string_view s) { return "+" + std::string(s) + "\r\n"; }
  static std::string Int(int64_t n) { return ":" + std::to_string(n) + "\r\n"; }
  static std::string Bulk(std::string_view s) {
    return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
  }
  static std::string Nil() { return "$-1\r\n"; }
  static std::string NilArray() { return "*-1\r\n"; }
  static std::string Err(std::string_view text) { return "-" + std::string(text) + "\r\n"; }
  // An array whose elements are already-encoded replies: Array({Bulk("a"), Nil()}).
  static std::string Array(std::initializer_list<std::string> elements) {
    std::string out = "*" + std::to_string(elements.size()) + "\r\n";
    for (const std::string& e : elements) out += e;
    return out;
  }
  // An array of bulk strings.
  static std::string Bulks(std::initializer_list<std::string_view> items) {
    std::string out = "*" + std::to_string(items.size()) + "\r\n";
    for (std::string_view s : items) out += Bulk(s);
    return out;
  }

  ServerInfo info_;
  ShardState shard_;
  ClientState client_;
};

// A command's row as Redis's COMMAND INFO reports it.
struct SpecRow {
  std::string_view name;
  int arity;
  uint32_t flags;
  int first_key = 1, last_key = 1, step = 1;
};

// Checks every row against DefaultCommandTable(): the command is there with that arity, flags
// and key positions, in `group`, with a summary.
inline void ExpectSpecRows(std::initializer_list<SpecRow> rows, std::string_view group) {
  for (const SpecRow& row : rows) {
    const CommandSpec* spec = DefaultCommandTable().Find(row.name);
    ASSERT_NE(spec, nullptr) << row.name;
    EXPECT_EQ(spec->arity, row.arity) << row.name;
    EXPECT_EQ(spec->flags, row.flags) << row.name;
    EXPECT_EQ(spec->first_key, row.first_key) << row.name;
    EXPECT_EQ(spec->last_key, row.last_key) << row.name;
    EXPECT_EQ(spec->step, row.step) << row.name;
    EXPECT_EQ(spec->group, group) << row.name;
    EXPECT_FALSE(spec->summary.empty()) << row.name;
  }
}

}  // namespace ringtail::commands
