// SPDX-License-Identifier: Apache-2.0
#include "server/server_config.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "protocol/resp_parser.h"

namespace ringtail::server {

absl::Status ApplyDirective(std::string_view name, std::string_view value,
                            commands::Config& config) {
  const commands::ConfigOption* option = commands::FindConfigOption(name);
  if (option == nullptr) {
    return absl::InvalidArgumentError("unknown option '" + std::string(name) + "'");
  }
  std::optional<std::string> error = option->set(config, value);
  if (error) {
    return absl::InvalidArgumentError("invalid value '" + std::string(value) + "' for '" +
                                      std::string(name) + "': " + *error);
  }
  return absl::OkStatus();
}

absl::Status ApplyConfigText(std::string_view text, std::string_view source,
                             commands::Config& config) {
  protocol::RespParser parser;
  std::vector<std::string_view> args;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::string original = line.substr(first);
    line = original + "\n";
    // Directives split like inline commands: spaces, "double" and 'single' quotes.
    protocol::ParseResult result = parser.Parse(line.data(), line.size(), &args);
    std::string where = std::string(source) + " line " + std::to_string(line_number) + " ('" +
                        original + "')";
    if (result.status != protocol::ParseStatus::kCommand) {
      return absl::InvalidArgumentError(where + ": unbalanced quotes");
    }
    if (args.empty()) continue;
    if (args.size() < 2 && args[0] != "save") {
      return absl::InvalidArgumentError(where + ": wrong number of arguments");
    }
    std::string value;
    for (size_t i = 1; i < args.size(); ++i) {
      if (i > 1) value += ' ';
      value.append(args[i]);
    }
    absl::Status status = ApplyDirective(args[0], value, config);
    if (!status.ok()) return absl::InvalidArgumentError(where + ": " + std::string(status.message()));
  }
  return absl::OkStatus();
}

absl::Status LoadConfigFile(const std::string& path, commands::Config& config) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError("cannot open config file '" + path + "'");
  std::stringstream contents;
  contents << file.rdbuf();
  return ApplyConfigText(contents.str(), path, config);
}

}  // namespace ringtail::server
