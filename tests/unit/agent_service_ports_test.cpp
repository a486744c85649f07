// Service ports without an engine: reading them from a service table, mapping them to host
// ports all-or-nothing, and the label a restarted agent reads them back from.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

bool always_free(uint16_t) {
  return true;
}

} // namespace

TEST_CASE("service ports come from the services of the table that have a port") {
  auto ports = service_ports_of_table(
      R"({"httpd":{"command":["httpd"],"port":8080,"protocol":"http"},)"
      R"("worker":{"command":["sleep","1"]},"bad":{"command":["x"],"port":70000}})");
  REQUIRE(ports.size() == 1);
  CHECK(ports[0].name == "httpd");
  CHECK(ports[0].protocol == "http");
  CHECK(ports[0].container_ports == std::vector<uint16_t>{8080});
  CHECK(ports[0].host_ports.empty());
  CHECK(service_ports_of_table("not json").empty());
}

TEST_CASE("service ports map to host ports all or nothing") {
  port_pool pool{31000, 31001};
  std::vector<service_port> two{{"a", "tcp", {80}, {}}, {"b", "tcp", {81}, {}}};
  REQUIRE(!map_service_ports(two, pool, false, always_free));
  CHECK(two[0].host_ports == std::vector<uint16_t>{31000});
  CHECK(two[1].host_ports == std::vector<uint16_t>{31001});
  CHECK(pool.free_count() == 0);

  std::vector<service_port> more{{"c", "tcp", {82}, {}}};
  auto err = map_service_ports(more, pool, false, always_free);
  REQUIRE(err);
  CHECK(code_of(err) == errc::unavailable);
  release_service_ports(two, pool);
  CHECK(pool.free_count() == 2);

  port_pool one{31000, 31000};
  auto refused = map_service_ports(two, one, false, always_free);
  CHECK(refused);
  CHECK(one.free_count() == 1); // the first service's port was given back
}

TEST_CASE("host ports something else holds are skipped and stay in the pool") {
  port_pool pool{31000, 31002};
  std::vector<service_port> ports{{"httpd", "http", {8080}, {}}};
  auto all_but_first = [](uint16_t port) { return port != 31000; };
  REQUIRE(!map_service_ports(ports, pool, false, all_but_first));
  CHECK(ports[0].host_ports == std::vector<uint16_t>{31001});
  CHECK(pool.free_count() == 2); // 31000 went back: its holder may let go

  port_pool busy{31000, 31001};
  auto none_free = [](uint16_t) { return false; };
  auto err = map_service_ports(ports, busy, false, none_free);
  REQUIRE(err);
  CHECK(code_of(err) == errc::unavailable);
  CHECK(busy.free_count() == 2);
}

TEST_CASE("a port this test holds is not free on the host") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  CHECK(!host_port_free(ntohs(addr.sin_port)));
  ::close(fd);
}

TEST_CASE("host networking publishes services on their own ports and takes none from the pool") {
  port_pool pool{31000, 31001};
  std::vector<service_port> ports{{"httpd", "http", {8080}, {}}};
  REQUIRE(!map_service_ports(ports, pool, true));
  CHECK(ports[0].host_ports == std::vector<uint16_t>{8080});
  CHECK(pool.free_count() == 2);
  release_service_ports(ports, pool);
  CHECK(pool.free_count() == 2);
}

TEST_CASE("the service-ports label round-trips and skips malformed entries") {
  std::vector<service_port> ports{{"httpd", "http", {8080}, {30001}},
                                  {"ssh", "tcp", {22}, {30002}}};
  auto label = encode_service_ports(ports);
  CHECK(label == "httpd:http:8080:30001,ssh:tcp:22:30002");
  auto back = decode_service_ports(label + ",broken,x:tcp:1:99999");
  REQUIRE(back.size() == 2);
  CHECK(back[1].name == "ssh");
  CHECK(back[1].container_ports == std::vector<uint16_t>{22});
  CHECK(back[1].host_ports == std::vector<uint16_t>{30002});
  CHECK(decode_service_ports("").empty());
}

TEST_CASE("the engine's refusals of a taken host port are recognised as port conflicts") {
  CHECK(is_host_port_conflict(make_error(
      errc::runtime_error, "driver failed programming external connectivity on endpoint "
                           "kernel.k1: Bind for 0.0.0.0:30000 failed: port is already allocated")));
  CHECK(is_host_port_conflict(make_error(errc::runtime_error,
                                         "Error starting userland proxy: listen tcp4 "
                                         "0.0.0.0:30000: bind: address already in use")));
  CHECK(is_host_port_conflict(make_error(
      errc::runtime_error,
      "driver failed programming external connectivity on endpoint kernel.k1 (ab12): (iptables "
      "failed: iptables --wait -t nat -A DOCKER -p tcp --dport 14735 -j DNAT: iptables: No "
      "chain/target/match by that name.)")));
  CHECK(!is_host_port_conflict(make_error(errc::not_found, "No such image: nope:latest")));
  CHECK(!is_host_port_conflict(caf::error{}));
}

TEST_CASE("pool_ports_of lists the host ports taken from the pool, none with host networking") {
  port_pool pool{30000, 30010};
  std::vector<service_port> services{{"httpd", "tcp", {8080}, {}}, {"jupyter", "tcp", {8888}, {}}};
  REQUIRE(!map_service_ports(services, pool, false, any_port_free));
  CHECK(pool_ports_of(services) == std::vector<uint16_t>{30000, 30001});
  REQUIRE(!map_service_ports(services, pool, true, any_port_free));
  CHECK(pool_ports_of(services).empty());
  CHECK(any_port_free(1));
}
