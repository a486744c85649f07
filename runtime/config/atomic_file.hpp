#pragma once

/// Whole-file reads and crash-safe replacement of files the agent owns (its config, backups).

#include <sys/types.h>

#include <string>
#include <string_view>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace baikal {

/// The bytes of `path`; runtime_error "Cannot read {path}: {reason}" when it cannot.
caf::expected<std::string> read_whole_file(const std::string& path);

/// Replaces `path` with `contents` so that a crash leaves either the old or the new file,
/// never a mix: a temporary file in the same directory, fsync, rename over `path`, fsync of
/// the directory. A `path` that is a symbolic link has its target replaced, the link kept.
/// The file gets `mode`, or keeps the mode of the file it replaces when `mode` is -1.
caf::error write_file_atomically(const std::string& path, std::string_view contents, int mode = -1);

} // namespace baikal
