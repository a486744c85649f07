#pragma once

/// Looking for words in what a test read back: a command's output, a log, an error message.

#include <cstddef>
#include <string>

namespace baikal::test {

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// How often `what` occurs in `text`, occurrences not overlapping.
inline size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto i = text.find(what); i != std::string::npos; i = text.find(what, i + what.size()))
    ++n;
  return n;
}

} // namespace baikal::test
