#include "actors/agent/socket_paths.hpp"

#include "actors/agent/kernel_spec.hpp"
#include "messages/errors.hpp"
#include "runtime/paths/socket_path.hpp"

namespace baikal {

namespace {

/// Kernel ids are UUIDs: 36 characters.
const kernel_id longest_kernel_id(36, 'f');

} // namespace

caf::error check_agent_socket_paths(const agent_settings& settings,
                                    const std::string& docker_socket) {
  if (auto why = paths::unreachable_socket_path(docker_socket); !why.empty())
    return make_error(errc::invalid_argument,
                      "cannot reach the Docker engine ([docker] socket or DOCKER_HOST): " + why);
  auto runner = scratch_dirs_of(settings.scratch_root, longest_kernel_id).runner_socket();
  if (auto why = paths::unreachable_socket_path(runner); !why.empty())
    return make_error(errc::invalid_argument,
                      "kernels under the scratch root " + settings.scratch_root +
                          " ([container] scratch-root) could not be reached: " + why);
  return {};
}

} // namespace baikal
