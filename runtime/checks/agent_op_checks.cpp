#include "runtime/checks/agent_op_checks.hpp"

#include <cmath>
#include <limits>

#include "messages/errors.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/docker/reference_check.hpp"
#include "runtime/runner/execute_checks.hpp"

namespace baikal::checks {

namespace {

constexpr size_t max_id_length = 128;
constexpr size_t max_service_name_length = 64;

/// Environment variables as the engine takes them ("KEY=VALUE"): sizes stay the manager's to
/// bound, the agent refuses what would change their meaning.
const map_limits unbounded{std::numeric_limits<size_t>::max(), std::numeric_limits<size_t>::max(),
                           std::numeric_limits<size_t>::max()};

constexpr double max_idle_timeout_s = 366.0 * 24 * 3600;

caf::error check_seconds(const std::string& field, double value, double max) {
  if (std::isfinite(value) && value >= 0 && value <= max)
    return {};
  return make_error(errc::invalid_argument, field + " must be a number of seconds from 0 to " +
                                                std::to_string(static_cast<int64_t>(max)));
}

/// A chunk of a streamed transfer, which one message carries whole.
caf::error check_chunk_size(const std::string& field, uint64_t bytes) {
  if (bytes <= max_transfer_chunk_bytes)
    return {};
  return make_error(errc::too_large, field + " is " + std::to_string(bytes) +
                                         " bytes; a chunk of a transfer holds at most " +
                                         std::to_string(max_transfer_chunk_bytes));
}

caf::error check_subdir(const std::string& subdir) {
  return check_plain_file_name("subdir", subdir);
}

} // namespace

caf::error check_id(const std::string& field, const std::string& id) {
  return check_name(field, id, max_id_length);
}

caf::error check_op(const op::get_completions& x, const op_limits& limits) {
  return check_text("text", x.text, limits.max_code_bytes);
}

caf::error check_op(const op::start_service& x, const op_limits&) {
  return check_name("service", x.service, max_service_name_length);
}

caf::error check_op(const op::shutdown_service& x, const op_limits&) {
  return check_name("service", x.service, max_service_name_length);
}

caf::error check_op(const op::commit& x, const op_limits&) {
  if (auto err = check_subdir(x.subdir))
    return err;
  if (x.canonical)
    if (auto err = docker::check_image_reference(*x.canonical, "canonical"))
      return err;
  if (x.filename)
    if (auto err = check_plain_file_name("filename", *x.filename))
      return err;
  return check_string_map("extra_labels", x.extra_labels, unbounded);
}

caf::error check_op(const op::get_commit_status& x, const op_limits&) {
  return check_subdir(x.subdir);
}

caf::error check_op(const op::trigger_batch_execution& x, const op_limits& limits) {
  if (auto err = check_text("code", x.code, limits.max_code_bytes))
    return err;
  return check_seconds("timeout", x.timeout, runner::max_exec_timeout_s);
}

/// Storage folders only, each at /home/work/NAME once: where the sources lead is checked on
/// the host when the kernel is made (runtime/paths/storage_mounts.hpp).
caf::error check_mounts(const std::string& field, const std::vector<mount_spec>& mounts) {
  if (mounts.size() > max_session_mounts)
    return make_error(errc::invalid_argument,
                      field + " has " + std::to_string(mounts.size()) + " mounts; at most " +
                          std::to_string(max_session_mounts) + " are accepted");
  for (size_t i = 0; i < mounts.size(); ++i) {
    auto at = field + "[" + std::to_string(i) + "]";
    if (auto err = check_mount(at, mounts[i]))
      return err;
    for (size_t j = 0; j < i; ++j)
      if (mounts[j].target == mounts[i].target)
        return make_error(errc::invalid_argument,
                          at + ".target " + mounts[i].target + " is mounted twice");
  }
  return {};
}

caf::error check_creation_config(const std::string& field, const kernel_creation_config& cfg) {
  if (auto err = check_id(field + ".kernel", cfg.kernel))
    return err;
  if (auto err = check_id(field + ".session", cfg.session))
    return err;
  if (auto err = docker::check_image_reference(cfg.image.canonical, field + ".image.canonical"))
    return err;
  if (auto err = check_environ(field + ".environ", cfg.environ, unbounded))
    return err;
  if (!cfg.cluster_hostname.empty())
    if (auto err = check_name(field + ".cluster_hostname", cfg.cluster_hostname, 63))
      return err;
  for (auto& [slot, amount] : cfg.slots)
    if (!std::isfinite(amount) || amount < 0)
      return make_error(errc::invalid_argument,
                        field + ".slots." + shown(slot) + " must be a number from 0 up");
  if (auto err = check_mounts(field + ".mounts", cfg.mounts))
    return err;
  return check_seconds(field + ".idle_timeout", cfg.idle_timeout, max_idle_timeout_s);
}

caf::error check_op(const op::create_kernels& x, const op_limits&) {
  if (auto err = check_id("session", x.session))
    return err;
  for (size_t i = 0; i < x.kernel_ids.size(); ++i)
    if (auto err = check_id("kernel_ids[" + std::to_string(i) + "]", x.kernel_ids[i]))
      return err;
  for (size_t i = 0; i < x.configs.size(); ++i) {
    // The agent takes each kernel's id from kernel_ids, and the session when the config has none.
    auto cfg = x.configs[i];
    if (i < x.kernel_ids.size())
      cfg.kernel = x.kernel_ids[i];
    if (cfg.session.empty())
      cfg.session = x.session;
    if (auto err = check_creation_config("configs[" + std::to_string(i) + "]", cfg))
      return err;
  }
  return {};
}

caf::error check_op(const op::restart_kernel& x, const op_limits&) {
  // The agent fills in the kernel, the session and (when empty) the image from the operation.
  auto cfg = x.updated_config;
  cfg.kernel = x.kernel;
  cfg.session = x.session;
  if (cfg.image.canonical.empty())
    cfg.image.canonical = canonical_of(x.image);
  return check_creation_config("updated_config", cfg);
}

caf::error check_op(const op::purge_images& x, const op_limits&) {
  auto& images = x.request.images;
  for (size_t i = 0; i < images.size(); ++i)
    if (auto err = docker::check_image_reference(images[i], "images[" + std::to_string(i) + "]"))
      return err;
  return {};
}

caf::error check_op(const op::upload_chunk& x, const op_limits&) {
  return check_chunk_size("data", x.data.size());
}

caf::error check_op(const op::open_download& x, const op_limits&) {
  return check_chunk_size("first_chunk", x.first_chunk);
}

caf::error check_op(const op::read_download& x, const op_limits&) {
  return check_chunk_size("max_bytes", x.max_bytes);
}

} // namespace baikal::checks
