// A kernel's services are published on host ports from the agent's port range: reachable from
// the host, listed in the kernel's info, and given back when the kernel goes.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/test_env.hpp"
#include "support/why.hpp"

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

/// Starts a plain container on the test engine that publishes `host_ports` (container ports
/// 9000, 9001, ...), so the engine refuses them to anyone else; answers its id.
std::string hold_host_ports(agent_fixture& f, const std::vector<uint16_t>& host_ports) {
  docker::container_spec spec;
  spec.image = env_value("BAIKAL_TEST_IMAGE");
  spec.cmd = {"sleep", "3600"};
  spec.init = true;
  uint16_t inner = 9000;
  for (auto port : host_ports)
    spec.port_bindings[inner++] = port;
  auto created = f.engine(docker::container_create(spec));
  REQUIRE_MESSAGE(created, why(created));
  auto id = docker::parse_id(created->body);
  REQUIRE(id);
  auto started = f.engine(docker::container_start(*id));
  REQUIRE_MESSAGE(started, why(started));
  return *id;
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
  REQUIRE_MESSAGE(info, why(info));
  auto httpd = find_service(*info, "httpd");
  REQUIRE(httpd != nullptr);
  REQUIRE(httpd->container_ports == std::vector<uint16_t>{8080});
  REQUIRE(httpd->host_ports.size() == 1);
  auto host_port = httpd->host_ports.front();
  CHECK(host_port >= 30500);
  CHECK(host_port <= 30599);

  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/index.html", "served from a kernel\n"}));
  auto started = ask<service_result>(op::start_service{id, "httpd", {}});
  REQUIRE_MESSAGE(started, why(started));
  CHECK(started->info["host_port"] == std::to_string(host_port));
  std::string page;
  CHECK(eventually([&] {
    page = http_get(host_port, "/index.html");
    return page.find("served from a kernel") != std::string::npos;
  }));
  CHECK(page.rfind("HTTP/1.", 0) == 0);

  // The port goes back to the range with the kernel. The agent hands out the lowest free one,
  // which is below host_port when the probe skipped a port another program on this host held.
  REQUIRE(destroy(id));
  CHECK(eventually([&] {
    std::vector<uint16_t> taken;
    while (taken.empty() || taken.back() < host_port) {
      auto port = ask<assigned_port>(op::assign_port{});
      if (!port)
        break;
      taken.push_back(port->port);
    }
    for (auto port : taken)
      REQUIRE(ask<ack>(op::release_port{port}));
    return !taken.empty() && taken.back() == host_port;
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

// The agent's bind probe sees only its own network namespace. Here the engine's docker-proxy
// shares it, so the probe is turned off (as for an agent in another namespace than the engine)
// and only the engine's refusal tells that a port is taken.
TEST_CASE_FIXTURE(agent_fixture, "a kernel whose host port the engine refuses starts on another") {
  settings.port_first = 30700;
  settings.port_last = 30709;
  settings.probe_host_ports = false;
  respawn_agent();
  auto holder = hold_host_ports(*this, {30700});
  auto id = "k-svc-refused-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  auto httpd = find_service(*info, "httpd");
  REQUIRE(httpd != nullptr);
  REQUIRE(httpd->host_ports.size() == 1);
  auto host_port = httpd->host_ports.front();
  CHECK(host_port > 30700); // another port of the range (30701 unless someone holds it too)
  CHECK(host_port <= 30709);
  auto inspected = engine(docker::container_inspect("kernel." + id));
  REQUIRE_MESSAGE(inspected, why(inspected));
  CHECK(inspected->body.find("\"HostPort\":\"" + std::to_string(host_port) + "\"") !=
        std::string::npos);

  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/index.html", "served after a retry\n"}));
  auto started = ask<service_result>(op::start_service{id, "httpd", {}});
  REQUIRE_MESSAGE(started, why(started));
  std::string page;
  CHECK(eventually([&] {
    page = http_get(host_port, "/index.html");
    return page.find("served after a retry") != std::string::npos;
  }));

  // The refused port stays out of the range for a while, even once its holder is gone: the
  // next kernel does not try it again.
  REQUIRE(engine(docker::container_remove(holder, true, true)));
  auto next_id = "k-svc-refused-next-" + unique_suffix();
  auto next = create_test_kernel(next_id);
  REQUIRE_MESSAGE(next, why(next));
  auto next_httpd = find_service(*next, "httpd");
  REQUIRE(next_httpd != nullptr);
  REQUIRE(next_httpd->host_ports.size() == 1);
  CHECK(next_httpd->host_ports.front() != 30700); // the lowest port of the range, were it free
  CHECK(next_httpd->host_ports.front() != host_port);
  REQUIRE(destroy(next_id));
  REQUIRE(destroy(id));
}

TEST_CASE_FIXTURE(agent_fixture, "a kernel fails clearly when the engine refuses every retry") {
  settings.port_first = 30720;
  settings.port_last = 30729;
  settings.probe_host_ports = false;
  respawn_agent();
  // One refused port per attempt: the first try and three retries.
  auto holder = hold_host_ports(*this, {30720, 30721, 30722, 30723});
  auto id = "k-svc-refused-all-" + unique_suffix();
  auto refused = create_test_kernel(id);
  (void)engine(docker::container_remove(holder, true, true));
  REQUIRE(!refused);
  auto text = message_of(refused.error());
  CHECK(text.find("refused the host ports of 4 attempts") != std::string::npos);
  CHECK(text.find("30723") != std::string::npos); // the last refusal names its port
  CHECK(eventually([&] { return !engine(docker::container_inspect("kernel." + id)); }));
}
