// SPDX-License-Identifier: Apache-2.0
// Reading the server's settings: a Redis-style config file ("port 6380", "bind 127.0.0.1",
// one directive per line, # comments, quoted arguments) and command-line flags, which override
// the file. Every directive maps to one row of commands::ConfigOptions(). Main thread, at startup.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "commands/config.h"

namespace ringtail::server {

// Applies the directives of the file at `path` to `config`. The error names the line.
absl::Status LoadConfigFile(const std::string& path, commands::Config& config);

// Applies the directives in `text` (the contents of a config file named `source`).
absl::Status ApplyConfigText(std::string_view text, std::string_view source,
                             commands::Config& config);

// Applies one directive: `name` and its arguments joined by spaces.
absl::Status ApplyDirective(std::string_view name, std::string_view value,
                            commands::Config& config);

}  // namespace ringtail::server
