// SPDX-License-Identifier: Apache-2.0
#include "commands/gather.h"

#include <charconv>
#include <string>
#include <vector>

#include "commands/command_context.h"
#include "protocol/reply_reader.h"
#include "storage/entry.h"

namespace ringtail::commands {
namespace {

using storage::ValueType;

// Runs `args` on `shard` as an internal step, writing its reply to `out` in RESP2. It calls the
// handler directly: a value moving between shards is not refused for maxmemory.
void RunInternal(ShardState& shard, uint8_t db, absl::Span<const std::string_view> args,
                 std::string* out) {
  const CommandSpec* spec = shard.commands->Find(args[0]);
  protocol::ReplyBuilder reply(out, /*resp3=*/false);
  CommandContext ctx(shard, args, db, reply, nullptr);
  spec->handler(ctx);
}

// The bytes of a bulk string reply ("$3\r\nabc\r\n" -> "abc").
std::string_view BulkContent(std::string_view bulk) {
  size_t header_end = bulk.find("\r\n");
  int64_t length = 0;
  std::from_chars(bulk.data() + 1, bulk.data() + header_end, length);
  if (length < 0) return {};
  return bulk.substr(header_end + 2, static_cast<size_t>(length));
}

void DumpKeys(CommandContext& ctx) {
  ctx.reply().Array(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.reply().Raw(DumpKey(ctx.shard(), ctx.db_index(), ctx.arg(i)));
  }
}

void RestoreKeyHandler(CommandContext& ctx) {
  RestoreKey(ctx.shard(), ctx.db_index(), ctx.arg(1), ctx.arg(2));
  ctx.reply().Ok();
}

}  // namespace

const CommandSpec& DumpKeysSpec() {
  static const CommandSpec spec{.name = "__dumpkeys", .arity = -2, .flags = kRead,
                                .first_key = 1, .last_key = -1, .step = 1,
                                .handler = DumpKeys};
  return spec;
}

const CommandSpec& RestoreKeySpec() {
  static const CommandSpec spec{.name = "__restorekey", .arity = 3, .flags = kWrite,
                                .first_key = 1, .last_key = 1, .step = 1,
                                .handler = RestoreKeyHandler};
  return spec;
}

std::string DumpKey(ShardState& shard, uint8_t db, std::string_view key) {
  std::string out;
  protocol::ReplyBuilder reply(&out, /*resp3=*/false);
  const storage::Entry* entry = shard.dbs[db].Peek(key, shard.clock.now_ms());
  if (entry == nullptr) {
    reply.Null();
    return out;
  }
  reply.Array(3);
  reply.Int(static_cast<int64_t>(entry->type()));
  reply.Int(entry->expire_at_ms());
  switch (entry->type()) {
    case ValueType::kString:
      reply.Bulk(entry->str());
      break;
    case ValueType::kList: {
      std::string_view args[] = {"lrange", key, "0", "-1"};
      RunInternal(shard, db, args, &out);
      break;
    }
    case ValueType::kSet: {
      std::string_view args[] = {"smembers", key};
      RunInternal(shard, db, args, &out);
      break;
    }
    case ValueType::kZSet: {
      std::string_view args[] = {"zrange", key, "0", "-1", "withscores"};
      RunInternal(shard, db, args, &out);
      break;
    }
    case ValueType::kHash: {
      std::string_view args[] = {"hgetall", key};
      RunInternal(shard, db, args, &out);
      break;
    }
  }
  return out;
}

void RestoreKey(ShardState& shard, uint8_t db, std::string_view key, std::string_view element) {
  storage::Table& table = shard.dbs[db];
  table.Erase(key, shard.clock.now_ms());
  if (element.empty() || element[0] != '*') return;  // nil: the key is gone
  protocol::ElementReader fields(element);
  auto type = static_cast<ValueType>(protocol::ReplyInt(*fields.Next()).value_or(0));
  int64_t deadline_ms = protocol::ReplyInt(*fields.Next()).value_or(0);
  std::string_view payload = *fields.Next();
  std::vector<std::string_view> args;
  switch (type) {
    case ValueType::kString:
      args = {"set", key, BulkContent(payload)};
      break;
    case ValueType::kList:
      args = {"rpush", key};
      break;
    case ValueType::kSet:
      args = {"sadd", key};
      break;
    case ValueType::kZSet:
      args = {"zadd", key};
      break;
    case ValueType::kHash:
      args = {"hset", key};
      break;
  }
  if (type != ValueType::kString) {
    protocol::ElementReader items(payload);
    std::vector<std::string_view> values;
    while (auto item = items.Next()) values.push_back(BulkContent(*item));
    if (type == ValueType::kZSet) {
      // ZRANGE WITHSCORES gives member, score; ZADD takes score, member.
      for (size_t i = 0; i + 1 < values.size(); i += 2) std::swap(values[i], values[i + 1]);
    }
    args.insert(args.end(), values.begin(), values.end());
  }
  std::string ignored;
  RunInternal(shard, db, args, &ignored);
  if (deadline_ms != 0) {
    std::string at = std::to_string(deadline_ms);
    std::string_view expire[] = {"pexpireat", key, at};
    RunInternal(shard, db, expire, &ignored);
  }
}

}  // namespace ringtail::commands
