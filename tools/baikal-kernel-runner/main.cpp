// baikal-kernel-runner: the entrypoint of every kernel container. A static binary (no library
// inside the image is assumed) serving the runner protocol on a Unix socket in /home/config.

#include <cstdio>

#include "handed_environ.hpp"
#include "options.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
  using namespace baikal::kernel_runner;
  std::string error;
  auto opts = parse_options(argc, argv, error);
  if (!opts) {
    std::fputs(error.empty() ? usage_text().c_str()
                             : ("baikal-kernel-runner: " + error + "\n" + usage_text()).c_str(),
               error.empty() ? stdout : stderr);
    return error.empty() ? 0 : 2;
  }
  set_handed_environ_path(opts->environ_path);
  server srv(std::move(*opts));
  return srv.serve();
}
