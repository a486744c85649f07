#pragma once

/// Turning a child's raw output bytes into valid UTF-8 for JSON.

#include <string>
#include <string_view>

namespace baikal::kernel_runner {

/// Decodes one output stream piece by piece: a multi-byte character split across two reads is
/// held back until its end arrives, and invalid bytes become U+FFFD, so every chunk we send is
/// valid UTF-8 (JSON requires it; programs print arbitrary bytes).
class utf8_stream {
public:
  /// Returns the valid text of `carry + bytes`, keeping an unfinished trailing character.
  std::string feed(std::string_view bytes);

  /// Flushes a trailing incomplete character (as U+FFFD) at end of stream.
  std::string finish();

private:
  std::string carry_;
};

} // namespace baikal::kernel_runner
