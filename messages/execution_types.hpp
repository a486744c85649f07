#pragma once

/// What code execution, completions, files, logs and commits answer.

#include <cstdint>
#include <map>
#include <caf/optional.hpp>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace baikal {

/// One ordered piece of a run's output.
struct console_item {
  std::string stream; ///< "stdout" or "stderr"
  std::string data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, console_item& x) {
  return f(caf::meta::type_name("baikal::console_item"), x.stream, x.data);
}

/// The answer of execute: status is "finished", "continued", "waiting-input" or
/// "exec-timeout"; `files` stays empty (kept for API compatibility).
struct execution_result {
  std::string run_id;
  std::string status;
  std::vector<console_item> console;
  caf::optional<int32_t> exit_code;
  std::vector<std::string> files;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, execution_result& x) {
  return f(caf::meta::type_name("baikal::execution_result"), x.run_id, x.status, x.console,
           x.exit_code, x.files);
}

/// Completion candidates for a piece of text.
struct completion_result {
  std::string status; ///< "finished" or "failed"
  std::vector<std::string> candidates;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, completion_result& x) {
  return f(caf::meta::type_name("baikal::completion_result"), x.status, x.candidates);
}

/// A service that was started inside a kernel.
struct service_result {
  std::string status; ///< "started", "running", "failed"
  std::string error;
  std::map<std::string, std::string> info;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, service_result& x) {
  return f(caf::meta::type_name("baikal::service_result"), x.status, x.error, x.info);
}

/// A container's logs, stdout and stderr interleaved as the engine keeps them.
struct kernel_logs {
  std::string logs;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_logs& x) {
  return f(caf::meta::type_name("baikal::kernel_logs"), x.logs);
}

/// One entry of a directory listing.
struct file_entry {
  std::string filename;
  std::string type; ///< "file", "dir", "symlink", "other"
  uint64_t size = 0;
  std::string mode; ///< "-rw-r--r--" style
  std::string mtime; ///< seconds since the epoch, as text
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_entry& x) {
  return f(caf::meta::type_name("baikal::file_entry"), x.filename, x.type, x.size, x.mode,
           x.mtime);
}

/// The answer of list_files: `files` is a JSON array in text, as the reference system has it.
struct file_listing {
  std::string files;
  std::string errors;
  std::string abspath;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_listing& x) {
  return f(caf::meta::type_name("baikal::file_listing"), x.files, x.errors, x.abspath);
}

/// Raw bytes: a tar archive (download_file) or a file's content (download_single).
struct file_bytes {
  std::string data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_bytes& x) {
  return f(caf::meta::type_name("baikal::file_bytes"), x.data);
}

enum class commit_status : uint8_t { ready = 1, ongoing };

std::string to_string(commit_status x);

/// Hardware facts of one kind (cpu, memory, disk, gpu).
struct hardware_metadata {
  std::string status; ///< "healthy", "degraded", "offline", "unavailable"
  std::string status_info;
  std::map<std::string, std::string> metadata;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hardware_metadata& x) {
  return f(caf::meta::type_name("baikal::hardware_metadata"), x.status, x.status_info,
           x.metadata);
}

/// gather_hwinfo's answer, by kind.
struct hardware_info {
  std::map<std::string, hardware_metadata> kinds;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hardware_info& x) {
  return f(caf::meta::type_name("baikal::hardware_info"), x.kinds);
}

/// ping_kernel's answer: timings when the kernel answered, nothing when it did not.
struct kernel_ping {
  caf::optional<std::map<std::string, double>> timings;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_ping& x) {
  return f(caf::meta::type_name("baikal::kernel_ping"), x.timings);
}

} // namespace baikal
