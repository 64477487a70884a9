// SPDX-License-Identifier: Apache-2.0
// Connection commands: PING, ECHO, QUIT, HELLO, SELECT, AUTH, CLIENT. They act on the caller's
// connection (Route::kLocal), except CLIENT LIST, which asks every shard for its clients.
#include <string>

#include "absl/strings/str_format.h"
#include "base/strings.h"
#include "commands/command_context.h"
#include "commands/registry.h"
#include "protocol/reply_reader.h"

namespace ringtail::commands {
namespace {

using protocol::kNotInteger;
using protocol::kSyntax;

constexpr std::string_view kBadClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";

bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

void Ping(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    return ctx.reply().Error("ERR wrong number of arguments for 'ping' command");
  }
  if (ctx.argc() == 2) return ctx.reply().Bulk(ctx.arg(1));
  ctx.reply().Simple("PONG");
}

void Echo(CommandContext& ctx) { ctx.reply().Bulk(ctx.arg(1)); }

void Quit(CommandContext& ctx) {
  if (ctx.client() != nullptr) ctx.client()->close_after_reply = true;
  ctx.reply().Ok();
}

void Select(CommandContext& ctx) {
  std::optional<int64_t> index = ParseInt(ctx.arg(1));
  if (!index) return ctx.reply().Error(kNotInteger);
  if (*index < 0 || *index >= static_cast<int64_t>(kDatabaseCount)) {
    return ctx.reply().Error(protocol::kDbIndexOutOfRange);
  }
  ctx.client()->db = static_cast<uint8_t>(*index);
  ctx.reply().Ok();
}

// With no password configured, the default user accepts any password (as Redis's "nopass").
bool CheckCredentials(CommandContext& ctx, std::string_view user, std::string_view password) {
  const std::string& required = ctx.shard().config.requirepass;
  if (user != "default") return false;
  return required.empty() || password == required;
}

void Auth(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply().Error(kSyntax);
  std::string_view user = ctx.argc() == 3 ? ctx.arg(1) : "default";
  std::string_view password = ctx.arg(ctx.argc() - 1);
  if (ctx.argc() == 2 && ctx.shard().config.requirepass.empty()) {
    return ctx.reply().Error(protocol::kAuthNoPassword);
  }
  if (!CheckCredentials(ctx, user, password)) {
    return ctx.reply().Error(protocol::kInvalidUsernamePassword);
  }
  ctx.reply().Ok();
}

void Hello(CommandContext& ctx) {
  ClientState& client = *ctx.client();
  int64_t version = client.resp3 ? 3 : 2;
  size_t i = 1;
  if (ctx.argc() >= 2) {
    std::optional<int64_t> requested = ParseInt(ctx.arg(1));
    if (!requested) {
      return ctx.reply().Error("ERR Protocol version is not an integer or out of range");
    }
    if (*requested < 2 || *requested > 3) return ctx.reply().Error(protocol::kNoProto);
    version = *requested;
    i = 2;
  }
  std::string_view new_name;
  bool set_name = false;
  for (; i < ctx.argc(); ++i) {
    size_t left = ctx.argc() - i - 1;
    if (base::EqualsIgnoreCase(ctx.arg(i), "AUTH") && left >= 2) {
      if (!CheckCredentials(ctx, ctx.arg(i + 1), ctx.arg(i + 2))) {
        return ctx.reply().Error(protocol::kInvalidUsernamePassword);
      }
      i += 2;
    } else if (base::EqualsIgnoreCase(ctx.arg(i), "SETNAME") && left >= 1) {
      new_name = ctx.arg(i + 1);
      if (!ValidClientName(new_name)) return ctx.reply().Error(kBadClientName);
      set_name = true;
      i += 1;
    } else {
      return ctx.reply().Error("ERR Syntax error in HELLO option '" + std::string(ctx.arg(i)) +
                               "'");
    }
  }
  if (set_name) client.name = std::string(new_name);
  client.resp3 = version == 3;
  protocol::ReplyBuilder& reply = ctx.reply();
  reply.set_resp3(client.resp3);
  reply.Map(7);
  reply.Bulk("server");
  reply.Bulk("redis");
  reply.Bulk("version");
  reply.Bulk(ctx.shard().server->version);
  reply.Bulk("proto");
  reply.Int(version);
  reply.Bulk("id");
  reply.Int(static_cast<int64_t>(client.id));
  reply.Bulk("mode");
  reply.Bulk("standalone");
  reply.Bulk("role");
  reply.Bulk("master");
  reply.Bulk("modules");
  reply.Array(0);
}

// One CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order.
std::string ClientLine(const ClientState& c, int64_t now_ms) {
  return absl::StrFormat(
      "id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=N db=%d sub=0 psub=0 ssub=0 "
      "multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 "
      "tot-mem=0 events=r cmd=%s user=default redir=-1 resp=%d\n",
      c.id, c.addr, c.laddr, c.fd, c.name, (now_ms - c.created_ms) / 1000,
      (now_ms - c.last_interaction_ms) / 1000, c.db, c.last_command, c.resp3 ? 3 : 2);
}

void ClientList(CommandContext& ctx) {
  // Options: TYPE normal|master|replica|pubsub, ID id [id ...].
  std::vector<uint64_t> ids;
  bool only_none = false;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (base::EqualsIgnoreCase(ctx.arg(i), "TYPE") && i + 1 < ctx.argc()) {
      std::string type = base::Lower(ctx.arg(i + 1));
      if (type != "normal" && type != "master" && type != "replica" && type != "slave" &&
          type != "pubsub") {
        return ctx.reply().Error("ERR Unknown client type '" + std::string(ctx.arg(i + 1)) + "'");
      }
      only_none = type != "normal";
      ++i;
    } else if (base::EqualsIgnoreCase(ctx.arg(i), "ID") && i + 1 < ctx.argc()) {
      for (++i; i < ctx.argc(); ++i) {
        std::optional<int64_t> id = ParseInt(ctx.arg(i));
        if (!id || *id <= 0) return ctx.reply().Error("ERR Invalid client ID");
        ids.push_back(static_cast<uint64_t>(*id));
      }
    } else {
      return ctx.reply().Error(kSyntax);
    }
  }
  std::string text;
  if (!only_none) {
    for (const ClientState* c : ctx.shard().clients) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), c->id) == ids.end()) continue;
      text += ClientLine(*c, ctx.now_ms());
    }
  }
  ctx.reply().Verbatim(text);
}

// CLIENT LIST ran on every shard: one text.
void MergeClientList(MergeContext& ctx) {
  std::string text;
  for (std::string_view sub : ctx.sub_replies) {
    if (protocol::IsErrorReply(sub)) return ctx.reply.Raw(sub);
    // Each sub-reply is a bulk or verbatim string: skip the header line (and "txt:").
    size_t header = sub.find("\r\n") + 2;
    std::string_view body = sub.substr(header, sub.size() - header - 2);
    if (sub[0] == '=') body.remove_prefix(4);
    text.append(body);
  }
  ctx.reply.Verbatim(text);
}

void Client(CommandContext& ctx) {
  std::string sub = base::Lower(ctx.arg(1));
  ClientState* client = ctx.client();
  auto arity_error = [&] {
    ctx.reply().Error("ERR wrong number of arguments for 'client|" + sub + "' command");
  };
  if (sub == "list") return ClientList(ctx);
  if (client == nullptr) return ctx.reply().Error("ERR CLIENT subcommand needs a local client");
  if (sub == "id") {
    if (ctx.argc() != 2) return arity_error();
    return ctx.reply().Int(static_cast<int64_t>(client->id));
  }
  if (sub == "setname") {
    if (ctx.argc() != 3) return arity_error();
    if (!ValidClientName(ctx.arg(2))) return ctx.reply().Error(kBadClientName);
    client->name = std::string(ctx.arg(2));
    return ctx.reply().Ok();
  }
  if (sub == "getname") {
    if (ctx.argc() != 2) return arity_error();
    if (client->name.empty()) return ctx.reply().Null();
    return ctx.reply().Bulk(client->name);
  }
  if (sub == "info") {
    if (ctx.argc() != 2) return arity_error();
    return ctx.reply().Verbatim(ClientLine(*client, ctx.now_ms()));
  }
  if (sub == "setinfo") {
    if (ctx.argc() != 4) return arity_error();
    std::string attr = base::Lower(ctx.arg(2));
    if (attr == "lib-name") {
      client->lib_name = std::string(ctx.arg(3));
    } else if (attr == "lib-ver") {
      client->lib_ver = std::string(ctx.arg(3));
    } else {
      return ctx.reply().Error("ERR Unrecognized option '" + std::string(ctx.arg(2)) + "'");
    }
    return ctx.reply().Ok();
  }
  if (sub == "help") {
    static constexpr std::string_view kHelp[] = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME", "    Return the name of the current connection.",
        "ID", "    Return the ID of the current connection.",
        "INFO", "    Return information about the current client connection.",
        "LIST [options ...]", "    Return information about client connections.",
        "SETNAME <name>", "    Assign the name <name> to the current connection.",
        "HELP", "    Print this help."};
    ctx.ReplyHelp(kHelp);
    return;
  }
  ctx.reply().Error("ERR unknown subcommand '" + std::string(ctx.arg(1)) +
                    "'. Try CLIENT HELP.");
}

Route ClientRoute(absl::Span<const std::string_view> args) {
  return base::EqualsIgnoreCase(args[1], "list") ? Route::kAllShards : Route::kLocal;
}

}  // namespace

void RegisterConnectionCommands(CommandTable& table) {
  table.Add({.name = "ping", .arity = -1, .flags = kFast, .handler = Ping,
             .group = "connection", .summary = "Returns the server's liveliness response."});
  table.Add({.name = "echo", .arity = 2, .flags = kFast, .handler = Echo, .group = "connection",
             .summary = "Returns the given string."});
  table.Add({.name = "quit", .arity = -1, .flags = kFast | kNoAuth | kAllowBusy, .handler = Quit,
             .group = "connection", .summary = "Closes the connection."});
  table.Add({.name = "select", .arity = 2, .flags = kFast | kLoading | kStale, .handler = Select,
             .group = "connection", .summary = "Changes the selected database."});
  table.Add({.name = "auth", .arity = -2, .flags = kFast | kNoAuth | kNoScript, .handler = Auth,
             .group = "connection", .summary = "Authenticates the connection."});
  table.Add({.name = "hello", .arity = -1, .flags = kFast | kNoAuth | kNoScript,
             .handler = Hello, .group = "connection",
             .summary = "Handshakes with the Redis server.", .since = "6.0.0"});
  table.Add({.name = "client", .arity = -2, .flags = kNoScript | kLoading | kStale,
             .handler = Client, .merge = Merge::kCustom, .merge_fn = MergeClientList,
             .route_fn = ClientRoute, .group = "connection",
             .summary = "A container for client connection commands.", .since = "2.4.0",
             .subcommands = {"client|id", "client|setname", "client|getname", "client|list",
                             "client|info", "client|setinfo", "client|help"}});
}

}  // namespace ringtail::commands
