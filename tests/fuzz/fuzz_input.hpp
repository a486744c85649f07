#pragma once

/// What every fuzz target shares: the libFuzzer entry point's signature and a reader that
/// takes a few choices (a selector, chunk sizes) off the front of the input before the rest is
/// handed to the parser under test.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace baikal::fuzz {

class input {
public:
  input(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  /// The next byte, 0 once the input is used up.
  uint8_t byte() {
    if (rest_.empty())
      return 0;
    auto b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  /// Everything not taken yet.
  std::string_view rest() const { return rest_; }

private:
  std::string_view rest_;
};

/// `text` cut into pieces whose sizes come from `sizes` (1 to 64 bytes each, cycling), as a
/// stream arrives in reads that never line up with its records.
inline std::vector<std::string_view> chunks_of(std::string_view text, std::string_view sizes) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (!text.empty()) {
    size_t n =
        sizes.empty() ? text.size() : 1 + static_cast<uint8_t>(sizes[i++ % sizes.size()]) % 64;
    n = std::min(n, text.size());
    out.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

/// A property of the parser that does not hold: reported as a crash with `what`.
[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

} // namespace baikal::fuzz

#define BAIKAL_FUZZ_TARGET extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
