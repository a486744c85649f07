// A kernel's services are published on host ports from the agent's port range: reachable from
// the host, listed in the kernel's info, and given back when the kernel goes.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// GET `path` from 127.0.0.1:`port` over plain HTTP/1.0; the whole response, or "".
std::string http_get(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    auto req = "GET " + path + " HTTP/1.0\r\n\r\n";
    if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

const service_port* find_service(const kernel_info& info, const std::string& name) {
  for (auto& sp : info.service_ports)
    if (sp.name == name)
      return &sp;
  return nullptr;
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "a kernel's service is reachable on its host port") {
  settings.port_first = 30500;
  settings.port_last = 30599;
  respawn_agent();
  auto id = "k-svc-port-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, message_of(info.error()));
  auto httpd = find_service(*info, "httpd");
  REQUIRE(httpd != nullptr);
  REQUIRE(httpd->container_ports == std::vector<uint16_t>{8080});
  REQUIRE(httpd->host_ports.size() == 1);
  auto host_port = httpd->host_ports.front();
  CHECK(host_port >= 30500);
  CHECK(host_port <= 30599);

  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/index.html", "served from a kernel\n"}));
  auto started = ask<service_result>(op::start_service{id, "httpd", {}});
  REQUIRE_MESSAGE(started, message_of(started.error()));
  CHECK(started->info["host_port"] == std::to_string(host_port));
  std::string page;
  CHECK(eventually([&] {
    page = http_get(host_port, "/index.html");
    return page.find("served from a kernel") != std::string::npos;
  }));
  CHECK(page.rfind("HTTP/1.", 0) == 0);

  // The port goes back to the range with the kernel (the agent hands out the lowest free one).
  REQUIRE(destroy(id));
  CHECK(eventually([&] {
    auto port = ask<assigned_port>(op::assign_port{});
    if (!port)
      return false;
    REQUIRE(ask<ack>(op::release_port{port->port}));
    return port->port == host_port;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "a kernel whose services find no free host port is not created") {
  settings.port_first = 30600;
  settings.port_last = 30600;
  respawn_agent();
  auto first = "k-svc-full-1-" + unique_suffix();
  REQUIRE(create_test_kernel(first));
  auto second = "k-svc-full-2-" + unique_suffix();
  auto refused = create_test_kernel(second);
  REQUIRE(!refused);
  CHECK(message_of(refused.error()).find("no free host port for service httpd") !=
        std::string::npos);
  CHECK(!engine(docker::container_inspect("kernel." + second)));
  REQUIRE(destroy(first));
}
