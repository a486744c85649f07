#pragma once

/// Where a kernel's files are: inside its container, and on the agent's host (its scratch
/// directory, which the kernel actor removes when the kernel is destroyed).

#include <string>

#include "messages/kernel_types.hpp"

namespace baikal {

/// Where the runner binary, its socket and the work directory sit inside every kernel.
namespace kernel_paths {
constexpr const char* runner_in_container = "/opt/baikal/baikal-kernel-runner";
constexpr const char* work = "/home/work";
constexpr const char* config = "/home/config";
/// A warm container's session environment, written at its hand-over (the runner's
/// handed_environ.hpp); in `config`.
constexpr const char* environ_file_name = "environ";
constexpr const char* runner_socket_name = "runner.sock";
constexpr const char* services_file_name = "services.json";
} // namespace kernel_paths

/// The kernel's directories on the agent's host.
struct scratch_dirs {
  std::string root;   ///< {scratch_root}/{kernel_id}
  std::string work;   ///< the container's /home/work
  std::string config; ///< the container's /home/config
  std::string runner_socket() const { return config + "/" + kernel_paths::runner_socket_name; }
};

scratch_dirs scratch_dirs_of(const std::string& scratch_root, const kernel_id& id);

/// Blocking: removes a kernel's scratch directory tree (never following links out of it).
void remove_scratch(const scratch_dirs& dirs);

} // namespace baikal
