#pragma once

/// What code execution, completions, files, logs and commits answer.

#include <caf/optional.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/inspect.hpp"

namespace baikal {

/// One ordered piece of a run's output.
struct console_item {
  std::string stream; ///< "stdout" or "stderr"
  std::string data;
};

BAIKAL_INSPECT("", console_item, x.stream, x.data)

/// The answer of execute: status is "finished", "continued", "waiting-input" or
/// "exec-timeout"; `files` stays empty (kept for API compatibility).
struct execution_result {
  std::string run_id;
  std::string status;
  std::vector<console_item> console;
  caf::optional<int32_t> exit_code;
  std::vector<std::string> files;
};

BAIKAL_INSPECT("", execution_result, x.run_id, x.status, x.console, x.exit_code, x.files)

/// Completion candidates for a piece of text.
struct completion_result {
  std::string status; ///< "finished" or "failed"
  std::vector<std::string> candidates;
};

BAIKAL_INSPECT("", completion_result, x.status, x.candidates)

/// A service that was started inside a kernel.
struct service_result {
  std::string status; ///< "started", "running", "failed"
  std::string error;
  std::map<std::string, std::string> info;
};

BAIKAL_INSPECT("", service_result, x.status, x.error, x.info)

/// A container's logs, stdout and stderr interleaved as the engine keeps them.
struct kernel_logs {
  std::string logs;
};

BAIKAL_INSPECT("", kernel_logs, x.logs)

/// One entry of a directory listing.
struct file_entry {
  std::string filename;
  std::string type; ///< "file", "dir", "symlink", "other"
  uint64_t size = 0;
  std::string mode;  ///< "-rw-r--r--" style
  std::string mtime; ///< seconds since the epoch, as text
};

BAIKAL_INSPECT("", file_entry, x.filename, x.type, x.size, x.mode, x.mtime)

/// The answer of list_files: `files` is a JSON array in text, as the reference system has it.
struct file_listing {
  std::string files;
  std::string errors;
  std::string abspath;
};

BAIKAL_INSPECT("", file_listing, x.files, x.errors, x.abspath)

/// Raw bytes: a tar archive (download_file) or a file's content (download_single).
struct file_bytes {
  std::string data;
};

BAIKAL_INSPECT("", file_bytes, x.data)

enum class commit_status : uint8_t { ready = 1, ongoing };

std::string to_string(commit_status x);

/// Hardware facts of one kind (cpu, memory, disk, gpu).
struct hardware_metadata {
  std::string status; ///< "healthy", "degraded", "offline", "unavailable"
  std::string status_info;
  std::map<std::string, std::string> metadata;
};

BAIKAL_INSPECT("", hardware_metadata, x.status, x.status_info, x.metadata)

/// gather_hwinfo's answer, by kind.
struct hardware_info {
  std::map<std::string, hardware_metadata> kinds;
};

BAIKAL_INSPECT("", hardware_info, x.kinds)

/// ping_kernel's answer: timings when the kernel answered, nothing when it did not.
struct kernel_ping {
  caf::optional<std::map<std::string, double>> timings;
};

BAIKAL_INSPECT("", kernel_ping, x.timings)

} // namespace baikal
