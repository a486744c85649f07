#pragma once

/// Committing a kernel's container to an image, optionally exported as a gzipped tarball.
/// While a commit runs, the lock file {base_commit_path}/{subdir}/lock/{kernel_id} exists
/// (get_commit_status reports ONGOING); commits of one kernel on one subdir run one after the
/// other, and the lock file is removed after success or failure.

#include <string>

#include "actors/kernel/kernel_state.hpp"

namespace baikal {

caf::result<commit_state> get_commit_status(kernel_pointer self, const op::get_commit_status& x);

caf::result<ack> commit(kernel_pointer self, const op::commit& x);

/// The image reference a commit creates: `canonical` with ":latest" when it has no tag.
std::string commit_reference(const std::string& canonical);

/// {base}/{subdir}/lock/{kernel_id}
std::string commit_lock_path(const std::string& base, const std::string& subdir,
                             const std::string& kernel);

} // namespace baikal
