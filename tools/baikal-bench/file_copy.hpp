#pragma once

/// The files baseline: a plain copy with read/write in 1 MiB chunks, and file set-up helpers.

#include <string>

namespace baikal::bench {

/// Copies `from` to `to` (created or truncated); with `sync`, fsyncs `to` before answering.
/// Throws std::runtime_error on an I/O failure.
void copy_file_plain(const std::string& from, const std::string& to, bool sync);

/// Writes `data` to `path` (created or truncated) and fsyncs it.
void write_file(const std::string& path, const std::string& data);

/// The size of `path` in bytes; throws when it cannot be read.
size_t file_size_of(const std::string& path);

/// `n` bytes from a fixed-seed generator: incompressible, the same every run.
std::string random_bytes(size_t n);

} // namespace baikal::bench
