// SPDX-License-Identifier: Apache-2.0
#include "base/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <ctime>
#include <string>

namespace ringtail::base {

void LogLine(LogLevel level, std::string_view message) {
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm local;
  localtime_r(&tv.tv_sec, &local);
  char stamp[64];
  size_t n = strftime(stamp, sizeof(stamp), "%d %b %Y %H:%M:%S", &local);
  std::string line = absl::StrFormat("%d:M %s.%03d %c %s\n", getpid(), std::string_view(stamp, n),
                                     static_cast<int>(tv.tv_usec / 1000),
                                     static_cast<char>(level), message);
  // One write per line keeps lines whole when several threads log.
  [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace ringtail::base
