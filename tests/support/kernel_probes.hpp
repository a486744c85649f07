#pragma once

/// What isolation tests look at from the host: a plain HTTP GET to any address, the host's own
/// addresses, a container's address and init pid from its inspect answer, and the number of
/// processes in the pids cgroup of a host pid.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace baikal::test {

/// GET `path` from `address`:`port` over plain HTTP/1.0; the whole response, or "".
inline std::string http_get(const std::string& address, uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  std::string out;
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) == 1 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
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

/// Whether a TCP connection from this process to `address`:`port` is accepted.
inline bool accepts_connections(const std::string& address, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  bool ok = ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) == 1 &&
            ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

/// The address this host's traffic to the outside leaves from (the source of its default
/// route), or "" without one. Nothing is sent: connecting a UDP socket only picks the route.
inline std::string host_outside_address() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return {};
  sockaddr_in far{};
  far.sin_family = AF_INET;
  far.sin_port = htons(53);
  ::inet_pton(AF_INET, "192.0.2.1", &far.sin_addr); // TEST-NET-1: routed by the default route
  sockaddr_in self{};
  socklen_t len = sizeof self;
  std::string out;
  char text[INET_ADDRSTRLEN] = {};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&far), sizeof far) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0 &&
      ::inet_ntop(AF_INET, &self.sin_addr, text, sizeof text))
    out = text;
  ::close(fd);
  return out;
}

/// A network a container is on, and its address there.
struct container_network {
  std::string name;
  std::string address;
};

/// From a container's inspect answer: the first network it is on; empty when none.
inline container_network network_of_container(const std::string& inspect_body) {
  rapidjson::Document doc;
  doc.Parse(inspect_body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("NetworkSettings") ||
      !doc["NetworkSettings"].HasMember("Networks") ||
      !doc["NetworkSettings"]["Networks"].IsObject())
    return {};
  for (auto& net : doc["NetworkSettings"]["Networks"].GetObject()) {
    container_network out{net.name.GetString(), {}};
    if (net.value.IsObject() && net.value.HasMember("IPAddress") &&
        net.value["IPAddress"].IsString())
      out.address = net.value["IPAddress"].GetString();
    return out;
  }
  return {};
}

/// From a container's inspect answer: the host pid of its first process, or 0.
inline int container_pid(const std::string& inspect_body) {
  rapidjson::Document doc;
  doc.Parse(inspect_body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("State") ||
      !doc["State"].HasMember("Pid") || !doc["State"]["Pid"].IsInt())
    return 0;
  return doc["State"]["Pid"].GetInt();
}

/// The processes (and threads) in the pids cgroup of host process `pid`, cgroup v1 or v2;
/// -1 when it cannot be read.
inline int64_t pids_in_cgroup_of(int pid) {
  std::ifstream groups{"/proc/" + std::to_string(pid) + "/cgroup"};
  std::string line, path;
  for (; std::getline(groups, line);) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos)
      continue;
    auto controllers = line.substr(first + 1, second - first - 1);
    auto where = line.substr(second + 1);
    if (controllers == "pids")
      path = "/sys/fs/cgroup/pids" + where;
    else if (controllers.empty() && path.empty())
      path = "/sys/fs/cgroup" + where;
  }
  std::ifstream current{path + "/pids.current"};
  int64_t n = -1;
  if (!(current >> n))
    return -1;
  return n;
}

} // namespace baikal::test
