#pragma once

/// The kernels the Docker benchmarks create: the test image, one CPU, 128 MiB, as the
/// integration tests' kernels.

#include <string>
#include <vector>

#include "messages/agent_interface.hpp"

namespace baikal::bench {

/// The creation config of kernel `id` of `session` on `image` (a local image, never pulled).
kernel_creation_config bench_kernel_config(const std::string& image, const kernel_id& id,
                                           const session_id& session);

/// One create_kernels call for `count` kernels named `{prefix}-{i}` of one session.
op::create_kernels bench_create_request(const std::string& image, const std::string& prefix,
                                        size_t count);

} // namespace baikal::bench
