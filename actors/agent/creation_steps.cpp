#include "actors/agent/creation_steps.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/runner/runner_client.hpp"

namespace baikal {

caf::expected<bool> prepare_scratch(const scratch_dirs& dirs, const std::string& services,
                                    const cluster_info& cluster, const kernel_user& user) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dirs.work, ec);
  if (!ec)
    fs::create_directories(dirs.config + "/ssh", ec);
  if (ec)
    return make_error(errc::runtime_error,
                      "cannot create scratch directories under " + dirs.root + ": " + ec.message());
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out{path, std::ios::trunc};
    out << text;
    return static_cast<bool>(out);
  };
  bool ok = write(dirs.config + "/" + kernel_paths::services_file_name, services);
  if (!cluster.ssh.private_key.empty())
    ok = ok && write(dirs.config + "/ssh/id_cluster", cluster.ssh.private_key) &&
         write(dirs.config + "/ssh/id_cluster.pub", cluster.ssh.public_key);
  if (!ok)
    return make_error(errc::runtime_error, "cannot write the kernel config in " + dirs.config);
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
