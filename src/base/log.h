// SPDX-License-Identifier: Apache-2.0
// Server log lines in Redis's format ("pid:role day month year time.ms level message"), written
// to stderr in one write() so lines from different shards never interleave. Any thread.
#pragma once

#include <string_view>

#include "absl/strings/str_format.h"

namespace ringtail::base {

enum class LogLevel : char { kDebug = '.', kVerbose = '-', kNotice = '*', kWarning = '#' };

// Writes one line. `role` is 'M' for the main thread, 'S' for shard threads.
void LogLine(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(level, absl::StrFormat(format, args...));
}

}  // namespace ringtail::base
