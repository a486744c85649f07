#include "actors/manager/session_request.hpp"

#include <cstdio>
#include <random>

#include "actors/manager/batch_session.hpp"
#include "actors/manager/idle_clock.hpp"
#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"

namespace baikal {

namespace {

constexpr double default_cpu = 1;
constexpr double default_mem = 256.0 * 1024 * 1024;

/// The architecture of the machine the manager runs on: images are resolved for it.
const char* host_architecture() {
#if defined(__aarch64__)
  return "aarch64";
#else
  return "x86_64";
#endif
}

bool looks_like_host(const std::string& part) {
  return part.find('.') != std::string::npos || part.find(':') != std::string::npos ||
         part == "localhost";
}

} // namespace

std::string new_uuid() {
  // Version 7 (RFC 9562): the first 48 bits are the Unix time in ms, so ids made one after
  // another sort one after another. The store's indexes on session and kernel ids then grow at
  // their end instead of at random pages: a burst's commits write far fewer pages. 74 bits stay
  // random; ids were never the guard of a session (its owner is).
  thread_local std::mt19937_64 gen{std::random_device{}()};
  auto ms = static_cast<uint64_t>(wall_clock_ms());
  uint64_t hi = (ms << 16) | 0x7000ULL | (gen() & 0x0fffULL); // version 7
  uint64_t lo = (gen() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

caf::error validate(const session_request& req) {
  auto invalid = [](std::string text) { return make_error(errc::invalid_argument, text); };
  if (req.owner.empty())
    return invalid("a session needs the user it belongs to");
  if (req.image.empty())
    return invalid("a session needs an image: give 'image' as a reference such as "
                   "'registry.example.com/project/python:3.9'");
  if (req.mode != cluster_mode::single_node && req.mode != cluster_mode::multi_node)
    return invalid("unknown cluster mode " + std::to_string(static_cast<int>(req.mode)) +
                   ": use 'single-node' or 'multi-node'");
  if (req.cluster_size < 1)
    return invalid("cluster_size must be at least 1, got " + std::to_string(req.cluster_size));
  if (req.network != network_type::volatile_ && req.network != network_type::persistent &&
      req.network != network_type::host)
    return invalid("unknown network type " + std::to_string(static_cast<int>(req.network)) +
                   ": use 'volatile', 'persistent' or 'host'");
  if (req.network == network_type::persistent && req.network_id.empty())
    return invalid("a 'persistent' network needs 'network_id', the network to attach to");
  for (auto& [name, amount] : req.resources)
    if (!(amount >= 0))
      return invalid("resource '" + name + "' must not be negative");
  if (req.idle_timeout)
    if (auto err = check_idle_timeout(*req.idle_timeout))
      return err;
  // The HTTP layer checked the command's size against its own limit already.
  return check_batch_fields(req, false, req.startup_command.size());
}

caf::error check_slots_offered(const resource_slots& asked, const std::set<std::string>& offered) {
  for (auto& [name, amount] : asked) {
    if (offered.count(name))
      continue;
    std::string known;
    for (auto& o : offered)
      known += (known.empty() ? "" : ", ") + o;
    return make_error(errc::invalid_argument,
                      "resources." + name + ": no agent offers the slot \"" + name +
                          "\", so no agent could ever run this session; the slots agents offer "
                          "are " +
                          known);
  }
  return {};
}

image_config resolve_image(const std::string& reference,
                           const std::map<std::string, image_config>& configured) {
  if (auto i = configured.find(reference); i != configured.end())
    return i->second;
  for (auto& entry : configured)
    if (entry.second.canonical == reference)
      return entry.second;
  image_config out;
  out.architecture = host_architecture();
  out.canonical = reference;
  auto last_slash = reference.rfind('/');
  auto last_part = last_slash == std::string::npos ? reference : reference.substr(last_slash + 1);
  if (last_part.find(':') == std::string::npos && last_part.find('@') == std::string::npos)
    out.canonical += ":latest";
  auto first_slash = reference.find('/');
  std::string registry = "index.docker.io";
  std::string path = reference;
  if (first_slash != std::string::npos && looks_like_host(reference.substr(0, first_slash))) {
    registry = reference.substr(0, first_slash);
    path = reference.substr(first_slash + 1);
  }
  auto project_end = path.rfind('/');
  out.project = project_end == std::string::npos ? "" : path.substr(0, project_end);
  out.registry.name = registry;
  out.registry.url = "https://" + registry;
  return out;
}

resource_slots kernel_slots(const session_request& req) {
  auto slots = req.resources;
  slots.emplace("cpu", default_cpu);
  slots.emplace("mem", default_mem);
  return slots;
}

scheduled_session make_session(const session_request& req, const image_config& image,
                               const std::string& default_scaling_group) {
  scheduled_session s;
  s.id = new_uuid();
  s.name = req.name.empty() ? "session-" + s.id.substr(0, 8) : req.name;
  s.user_uuid = req.owner;
  s.access_key = req.access_key;
  s.mode = req.mode;
  s.cluster_size = req.cluster_size;
  s.network = req.network;
  s.network_id = req.network_id;
  s.environ = req.environ;
  s.scaling_group = req.scaling_group.empty() ? default_scaling_group : req.scaling_group;
  s.idle_timeout = req.idle_timeout ? *req.idle_timeout : 0;
  s.type = req.type;
  s.startup_command = req.startup_command;
  s.batch_timeout = req.batch_timeout;
  auto slots = kernel_slots(req);
  for (uint32_t i = 0; i < req.cluster_size; ++i) {
    kernel_binding k;
    k.id = new_uuid();
    k.image = image.canonical;
    k.architecture = image.architecture;
    // The first kernel is the main one; the others are sub1, sub2, ...
    k.role = i == 0 ? cluster_role::main : cluster_role::sub;
    k.cluster_idx = i == 0 ? 1 : i;
    k.cluster_hostname = to_string(k.role) + std::to_string(k.cluster_idx);
    k.slots = slots;
    s.kernels.push_back(std::move(k));
  }
  return s;
}

} // namespace baikal
