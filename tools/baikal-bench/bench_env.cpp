#include "tools/baikal-bench/bench_env.hpp"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "runtime/docker/connection.hpp"

namespace baikal::bench {

namespace fs = std::filesystem;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

/// --runner, else $BAIKAL_KERNEL_RUNNER, else the build tree's runner next to this program.
std::string find_runner(const std::string& configured) {
  if (!configured.empty())
    return fs::absolute(configured).string();
  if (const char* env = std::getenv("BAIKAL_KERNEL_RUNNER"))
    return env;
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (auto candidate : {self / "baikal-kernel-runner",
                         self.parent_path() / "baikal-kernel-runner" / "baikal-kernel-runner"})
    if (fs::exists(candidate, ec))
      return candidate.string();
  return BAIKAL_KERNEL_RUNNER_PATH;
}

} // namespace

bench_env resolve_env(const bench_options& opts) {
  bench_env env;
  env.docker_socket = docker::socket_path_from(opts.docker_socket);
  env.image =
      !opts.image.empty() ? opts.image : env_or("BAIKAL_TEST_IMAGE", "baikal-test/busybox:1");
  env.registry = !opts.registry.empty() ? opts.registry : env_or("BAIKAL_TEST_REGISTRY", "");
  env.runner_path = find_runner(opts.runner_path);
  env.scratch_dir = fs::absolute(opts.scratch_dir.empty() ? "/tmp" : opts.scratch_dir).string();
  return env;
}

std::string make_temp_dir(const std::string& parent, const std::string& prefix) {
  std::string tmpl = parent + "/" + prefix + ".XXXXXX";
  if (!::mkdtemp(tmpl.data()))
    throw std::runtime_error("cannot create a directory under " + parent);
  return tmpl;
}

void remove_tree(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

} // namespace baikal::bench
