#pragma once

/// Completion candidates for the `complete` op.

#include <string>
#include <vector>

namespace baikal::kernel_runner {

/// Candidates that complete the last word of `text`: file names (relative to `workdir`, or
/// absolute when the word starts with '/'; directories end with '/'), and, when the word is the
/// first of the line and the runtime is a shell, shell builtins and commands on PATH. Each
/// candidate is the whole completed word, sorted, without duplicates, at most `limit`.
std::vector<std::string> complete_text(const std::string& text, const std::string& workdir,
                                       bool shell_runtime, size_t limit = 256);

} // namespace baikal::kernel_runner
