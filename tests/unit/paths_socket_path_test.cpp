// Unix sockets at paths longer than sun_path holds (a checkout or scratch root deep in a home
// directory): bound and connected through their directory, and refused up front, with the
// reason, when even that cannot reach them.

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "actors/agent/socket_paths.hpp"
#include "messages/errors.hpp"
#include "runtime/paths/socket_path.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;

namespace {

/// A directory under `root` whose path is at least `length` bytes long.
std::string deep_dir(const std::filesystem::path& root, size_t length) {
  auto dir = root / "home/someone/src/github.com/team";
  while (dir.string().size() < length)
    dir /= "0123456789abcdef0123456789abcdef01234567";
  std::filesystem::create_directories(dir);
  return dir.string();
}

unique_fd open_socket() {
  return unique_fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
}

} // namespace

TEST_CASE("socket path: a path that fits sun_path is used as it is") {
  std::string error;
  auto short_one = paths::socket_path::reach("/run/docker.sock", error);
  REQUIRE(short_one);
  CHECK(short_one->name() == "/run/docker.sock");
  CHECK(paths::unreachable_socket_path("/run/docker.sock").empty());
  CHECK(paths::max_socket_path == 107);
}

TEST_CASE("socket path: a socket 300 bytes deep is bound, connected and answers through its "
          "directory") {
  test::temp_dir tmp{"baikal-sock"};
  auto path = deep_dir(tmp.path, 300) + "/runner.sock";
  REQUIRE(path.size() > 300);
  CHECK(paths::unreachable_socket_path(path).empty());

  std::string error;
  auto for_bind = paths::socket_path::reach(path, error);
  REQUIRE_MESSAGE(for_bind, error);
  CHECK(for_bind->name().rfind("/proc/self/fd/", 0) == 0);
  auto listener = open_socket();
  auto addr = for_bind->address();
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), for_bind->address_size()) ==
          0);
  REQUIRE(::listen(listener.get(), 1) == 0);
  CHECK(std::filesystem::is_socket(path)); // the socket file is where the long path says

  auto for_connect = paths::socket_path::reach(path, error);
  REQUIRE_MESSAGE(for_connect, error);
  auto client = open_socket();
  auto to = for_connect->address();
  REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&to), for_connect->address_size()) ==
          0);
  unique_fd served{::accept(listener.get(), nullptr, nullptr)};
  REQUIRE(served);
  REQUIRE(::write(client.get(), "ping", 4) == 4);
  char buf[4] = {};
  REQUIRE(::read(served.get(), buf, sizeof buf) == 4);
  CHECK(std::string(buf, 4) == "ping");
}

TEST_CASE("socket path: what cannot be reached even through its directory is refused, saying "
          "why") {
  test::temp_dir tmp{"baikal-sock-bad"};
  auto dir = deep_dir(tmp.path, 120);
  auto long_name = dir + "/" + std::string(paths::max_socket_name + 1, 's');
  auto why = paths::unreachable_socket_path(long_name);
  CHECK(why.find("its file name " + std::string(paths::max_socket_name + 1, 's')) !=
        std::string::npos);
  std::string error;
  // reach() counts the digits of the descriptor it got; no descriptor leaves room for 100.
  CHECK_FALSE(paths::socket_path::reach(dir + "/" + std::string(100, 's'), error));
  CHECK(error.find("too long") != std::string::npos);
  // A name that just fits is fine.
  CHECK(
      paths::unreachable_socket_path(dir + "/" + std::string(paths::max_socket_name, 's')).empty());

  CHECK_FALSE(paths::socket_path::reach(dir + "/no/such/dir/x.sock", error));
  CHECK(error.find("its directory cannot be opened") != std::string::npos);
  CHECK_FALSE(paths::socket_path::reach("", error));
}

TEST_CASE("socket path: an agent with a deep scratch root starts, one whose Docker socket could "
          "never be reached is refused, naming the setting") {
  test::temp_dir tmp{"baikal-sock-agent"};
  agent_settings settings;
  settings.scratch_root = deep_dir(tmp.path, 150) + "/var/dev-cluster/agent-1/scratch";
  CHECK_FALSE(check_agent_socket_paths(settings, "/var/run/docker.sock"));
  CHECK_FALSE(check_agent_socket_paths(settings, settings.scratch_root + "/docker.sock"));

  auto err = check_agent_socket_paths(settings, settings.scratch_root + "/" +
                                                    std::string(paths::max_socket_name + 1, 'd'));
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  CHECK(message_of(err).find("[docker] socket") != std::string::npos);

  settings.scratch_root = "";
  CHECK_FALSE(check_agent_socket_paths(settings, "/var/run/docker.sock"));
}
