// SPDX-License-Identifier: Apache-2.0
#include "base/strings.h"

namespace ringtail::base {
namespace {

bool Match(const char* p, const char* pend, const char* s, const char* send, bool nocase,
           int depth) {
  if (depth > 1000) return false;  // bound recursion on pathological patterns
  while (p < pend) {
    switch (*p) {
      case '*': {
        while (p + 1 < pend && p[1] == '*') ++p;
        if (p + 1 == pend) return true;
        for (const char* t = s; t <= send; ++t) {
          if (Match(p + 1, pend, t, send, nocase, depth + 1)) return true;
        }
        return false;
      }
      case '?':
        if (s == send) return false;
        ++s;
        break;
      case '[': {
        if (s == send) return false;
        ++p;
        bool negate = p < pend && *p == '^';
        if (negate) ++p;
        bool matched = false;
        while (p < pend && *p != ']') {
          if (*p == '\\' && p + 1 < pend) {
            ++p;
            if (*p == *s) matched = true;
          } else if (p + 2 < pend && p[1] == '-' && p[2] != ']') {
            char lo = p[0], hi = p[2], c = *s;
            if (lo > hi) std::swap(lo, hi);
            if (nocase) {
              lo = AsciiLower(lo);
              hi = AsciiLower(hi);
              c = AsciiLower(c);
            }
            if (c >= lo && c <= hi) matched = true;
            p += 2;
          } else if (nocase ? AsciiLower(*p) == AsciiLower(*s) : *p == *s) {
            matched = true;
          }
          ++p;
        }
        if (p == pend) --p;  // unterminated class: Redis treats the end as ']'
        if (negate) matched = !matched;
        if (!matched) return false;
        ++s;
        break;
      }
      case '\\':
        if (p + 1 < pend) ++p;
        [[fallthrough]];
      default:
        if (s == send) return false;
        if (nocase ? AsciiLower(*p) != AsciiLower(*s) : *p != *s) return false;
        ++s;
        break;
    }
    ++p;
  }
  return s == send;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  return Match(pattern.data(), pattern.data() + pattern.size(), text.data(),
               text.data() + text.size(), nocase, 0);
}

}  // namespace ringtail::base
