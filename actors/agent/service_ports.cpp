#include "actors/agent/service_ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include <rapidjson/document.h>

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal {

namespace {

bool valid_port(int64_t port) {
  return port > 0 && port <= 65535;
}

bool parse_port(const std::string& text, uint16_t& out) {
  auto value = checks::parse_unsigned(text, 65535);
  if (!value || !valid_port(static_cast<int64_t>(*value)))
    return false;
  out = static_cast<uint16_t>(*value);
  return true;
}

} // namespace

std::vector<service_port> service_ports_of_table(const std::string& table_json) {
  std::vector<service_port> out;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(table_json.data(), table_json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return out;
  for (auto& [name, def] : doc.GetObject()) {
    if (!def.IsObject() || !def.HasMember("port") || !def["port"].IsInt64() ||
        !valid_port(def["port"].GetInt64()))
      continue;
    service_port sp;
    sp.name = name.GetString();
    sp.protocol = def.HasMember("protocol") && def["protocol"].IsString()
                      ? def["protocol"].GetString()
                      : "tcp";
    sp.container_ports = {static_cast<uint16_t>(def["port"].GetInt64())};
    out.push_back(std::move(sp));
  }
  return out;
}

bool host_port_free(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return true; // cannot tell: let the engine decide
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

bool any_port_free(uint16_t) {
  return true;
}

bool is_host_port_conflict(const caf::error& err) {
  if (!err)
    return false;
  auto text = message_of(err);
  // The last: the engine's publishing rules failed (iptables busy or its chains rebuilt under
  // it, as after an engine restart); other ports, a moment later, go through.
  return text.find("port is already allocated") != std::string::npos ||
         text.find("address already in use") != std::string::npos ||
         text.find("driver failed programming external connectivity") != std::string::npos;
}

std::vector<uint16_t> pool_ports_of(const std::vector<service_port>& services) {
  std::vector<uint16_t> out;
  for (auto& sp : services)
    if (sp.host_ports != sp.container_ports) // host networking took nothing from the pool
      out.insert(out.end(), sp.host_ports.begin(), sp.host_ports.end());
  return out;
}

caf::error map_service_ports(std::vector<service_port>& services, port_pool& pool,
                             bool host_network, port_probe is_free) {
  // Ports held by someone else stay marked until the mapping is done, then go back to the
  // pool: whoever holds them may let go later.
  std::vector<uint16_t> skipped;
  auto assign_free = [&]() -> caf::expected<uint16_t> {
    for (;;) {
      auto port = pool.assign();
      if (!port || is_free(*port))
        return port;
      skipped.push_back(*port);
    }
  };
  auto give_back_skipped = [&] {
    for (auto port : skipped)
      pool.release(port);
  };
  for (size_t i = 0; i < services.size(); ++i) {
    auto& sp = services[i];
    sp.host_ports.clear();
    if (host_network) {
      sp.host_ports = sp.container_ports;
      continue;
    }
    for (size_t j = 0; j < sp.container_ports.size(); ++j) {
      auto port = assign_free();
      if (!port) {
        give_back_skipped();
        release_service_ports(services, pool);
        for (auto& taken : services)
          taken.host_ports.clear();
        return make_error(errc::unavailable,
                          "no free host port for service " + sp.name + ": " +
                              message_of(port.error()) +
                              "; widen container.port-range or destroy idle kernels");
      }
      sp.host_ports.push_back(*port);
    }
  }
  give_back_skipped();
  return {};
}

void release_service_ports(const std::vector<service_port>& services, port_pool& pool) {
  for (auto& sp : services)
    if (sp.host_ports != sp.container_ports) // host networking took nothing from the pool
      for (auto port : sp.host_ports)
        pool.release(port);
}

std::string encode_service_ports(const std::vector<service_port>& services) {
  std::string out;
  for (auto& sp : services)
    for (size_t i = 0; i < sp.container_ports.size() && i < sp.host_ports.size(); ++i)
      out += (out.empty() ? "" : ",") + sp.name + ":" + sp.protocol + ":" +
             std::to_string(sp.container_ports[i]) + ":" + std::to_string(sp.host_ports[i]);
  return out;
}

std::vector<service_port> decode_service_ports(const std::string& label) {
  std::vector<service_port> out;
  std::stringstream entries{label};
  std::string entry;
  while (std::getline(entries, entry, ',')) {
    std::stringstream fields{entry};
    std::string name, protocol, inner, outer;
    uint16_t container = 0, host = 0;
    if (!std::getline(fields, name, ':') || !std::getline(fields, protocol, ':') ||
        !std::getline(fields, inner, ':') || !std::getline(fields, outer) || name.empty() ||
        !parse_port(inner, container) || !parse_port(outer, host))
      continue;
    out.push_back(service_port{name, protocol, {container}, {host}});
  }
  return out;
}

} // namespace baikal
