#include "actors/agent/creation_steps.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/paths/disk_space.hpp"
#include "runtime/runner/runner_client.hpp"

namespace baikal {

namespace {

/// Writes `text` to `path` (created or truncated); errno on failure, 0 on success.
int write_text(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno;
  size_t done = 0;
  int err = 0;
  while (done < text.size() && err == 0) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR)
      err = errno;
    else if (n > 0)
      done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && err == 0)
    err = errno;
  return err;
}

caf::error scratch_error(const std::string& what, const std::string& where, int err) {
  if (is_disk_full(err))
    return make_error(errc::runtime_error, "cannot " + what + ": " + disk_full_text(where, err));
  return make_error(errc::runtime_error,
                    "cannot " + what + " in " + where + ": " +
                        std::error_code{err, std::generic_category()}.message());
}

} // namespace

caf::expected<bool> prepare_scratch(const scratch_dirs& dirs, const std::string& services,
                                    const cluster_info& cluster, const kernel_user& user) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // A kernel on a full disk could not even write its own files: refuse it with the reason.
  auto scratch_root = fs::path{dirs.root}.parent_path().string();
  fs::create_directories(scratch_root, ec);
  if (auto free = free_bytes_of(scratch_root); free && *free < min_scratch_free_bytes)
    return make_error(errc::runtime_error,
                      "cannot create the kernel's scratch directory: the disk holding " +
                          scratch_root + " is full (" + byte_count_text(*free) +
                          " free, a kernel needs at least " +
                          byte_count_text(min_scratch_free_bytes) + ")");
  fs::create_directories(dirs.work, ec);
  if (!ec)
    fs::create_directories(dirs.config + "/ssh", ec);
  if (ec)
    return scratch_error("create scratch directories", dirs.root, ec.value());
  int err = write_text(dirs.config + "/" + kernel_paths::services_file_name, services);
  if (!err && !cluster.ssh.private_key.empty())
    err = write_text(dirs.config + "/ssh/id_cluster", cluster.ssh.private_key);
  if (!err && !cluster.ssh.private_key.empty())
    err = write_text(dirs.config + "/ssh/id_cluster.pub", cluster.ssh.public_key);
  if (err)
    return scratch_error("write the kernel config", dirs.config, err);
  // The kernel's user owns its work dir and its cluster keys; an agent that may not chown
  // (not root) leaves the work dir open to all instead.
  bool owned = ::chown(dirs.work.c_str(), user.uid, user.gid) == 0;
  for (auto name : {"/ssh", "/ssh/id_cluster", "/ssh/id_cluster.pub"})
    if (fs::exists(dirs.config + name, ec))
      owned = ::chown((dirs.config + name).c_str(), user.uid, user.gid) == 0 && owned;
  if (!owned)
    fs::permissions(dirs.work, fs::perms::all, ec);
  return true;
}

caf::expected<bool> wait_for_runner(const std::string& socket, double timeout_s) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  caf::error last;
  std::chrono::microseconds pause{1000};
  while (std::chrono::steady_clock::now() < deadline) {
    runner::runner_client client{socket, std::chrono::milliseconds(500)};
    auto health = client.health();
    if (health)
      return true;
    last = std::move(health.error());
    // The runner usually binds its socket a few milliseconds after the container started,
    // and the kernel holds a creation slot meanwhile: look again soon, then less often.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20000));
  }
  return make_error(errc::timeout, "the kernel's runner did not answer within " +
                                       std::to_string(timeout_s) + " s (" + message_of(last) + ")");
}

} // namespace baikal
