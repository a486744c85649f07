#include <cmath>
#include <random>

#include "actors/manager/batch_session.hpp"
#include "actors/manager/http/api_folder_requests.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/idle_clock.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/docker/reference_check.hpp"
#include "runtime/json/json_reader.hpp"

namespace baikal {

namespace {

/// Slots one session may name, and the largest amount of one (2^53: exact as a double).
constexpr size_t max_resource_slots = 32;
constexpr double max_resource_amount = 9007199254740992.0;

std::string generated_session_name() {
  static constexpr char digits[] = "0123456789abcdef";
  std::random_device rd;
  std::string out = "session-";
  for (int i = 0; i < 8; ++i)
    out.push_back(digits[rd() % 16]);
  return out;
}

caf::expected<cluster_mode> cluster_mode_of(const std::string& text) {
  if (text == "single-node")
    return cluster_mode::single_node;
  if (text == "multi-node")
    return cluster_mode::multi_node;
  return make_error(errc::invalid_argument, "cluster_mode must be \"single-node\" or "
                                            "\"multi-node\", not \"" +
                                                checks::shown(text) + "\"");
}

caf::expected<network_type> network_type_of(const std::string& text) {
  if (text == "volatile")
    return network_type::volatile_;
  if (text == "persistent")
    return network_type::persistent;
  if (text == "host")
    return network_type::host;
  return make_error(errc::invalid_argument, "network_type must be \"volatile\", \"persistent\" "
                                            "or \"host\", not \"" +
                                                checks::shown(text) + "\"");
}

caf::error check_resources(const resource_slots& slots, const api_limits& limits) {
  if (slots.size() > max_resource_slots)
    return make_error(errc::invalid_argument,
                      "resources names " + std::to_string(slots.size()) + " slots; at most " +
                          std::to_string(max_resource_slots) + " are accepted");
  for (auto& [name, value] : slots) {
    if (auto err = checks::check_name("a slot name in resources (\"" + checks::shown(name) + "\")",
                                      name, limits.max_name_length))
      return err;
    if (!std::isfinite(value) || value < 0 || value > max_resource_amount)
      return make_error(errc::invalid_argument,
                        "resources." + name + " must be a number from 0 to 2^53");
  }
  auto mem = slots.find("mem");
  if (mem != slots.end() && mem->second > 0 && mem->second < 4 * 1024 * 1024)
    return make_error(errc::invalid_argument,
                      "resources.mem is in bytes and must be at least 4 MiB (4194304)");
  return {};
}

/// The checks of each field once read; the first problem wins.
caf::error check_session_fields(const json::object_reader& in, const session_request& req,
                                const api_limits& limits) {
  if (req.image.empty())
    return make_error(errc::invalid_argument, "the field \"image\" must not be empty");
  if (auto err = docker::check_image_reference(req.image, "image"))
    return err;
  if (auto err = checks::check_name("name", req.name, limits.max_name_length))
    return err;
  if (in.has("network_id"))
    if (auto err = checks::check_name("network_id", req.network_id, limits.max_name_length))
      return err;
  if (in.has("scaling_group"))
    if (auto err = checks::check_name("scaling_group", req.scaling_group, limits.max_name_length))
      return err;
  if (auto err = check_resources(req.resources, limits))
    return err;
  return checks::check_environ("environ", req.environ, limits.environ);
}

} // namespace

bool valid_session_name(const std::string& name) {
  return !checks::check_name("name", name, 64);
}

caf::expected<session_request> parse_session_request(const std::string& body,
                                                     const api_limits& limits) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"name", "image", "cluster_mode", "cluster_size", "resources", "environ", "network_type",
           "network_id", "scaling_group", "idle_timeout", "mounts", "type", "startup_command",
           "batch_timeout"});
  session_request req;
  std::string mode = "single-node";
  std::string network = "volatile";
  int64_t size = 1;
  in.optional_string("name", req.name);
  in.required_string("image", req.image);
  in.optional_string("cluster_mode", mode);
  in.optional_integer("cluster_size", size, 1, limits.max_cluster_size);
  in.optional_number_map("resources", req.resources);
  in.optional_string_map("environ", req.environ);
  in.optional_string("network_type", network);
  in.optional_string("network_id", req.network_id);
  in.optional_string("scaling_group", req.scaling_group);
  double idle_timeout = 0;
  in.optional_number("idle_timeout", idle_timeout);
  std::string type = "interactive";
  in.optional_string("type", type);
  in.optional_string("startup_command", req.startup_command);
  in.optional_number("batch_timeout", req.batch_timeout);
  if (in.error())
    return in.error();
  auto t = session_type_of(type);
  if (!t)
    return t.error();
  req.type = *t;
  if (auto err = check_batch_fields(req, in.has("batch_timeout"), limits.max_code_bytes))
    return err;
  if (in.has("idle_timeout")) {
    if (auto err = check_idle_timeout(idle_timeout))
      return err;
    req.idle_timeout = idle_timeout;
  }
  if (in.has("mounts")) {
    auto mounts = parse_mounts((*doc)["mounts"]);
    if (!mounts)
      return mounts.error();
    req.mounts = std::move(*mounts);
  }
  if (!in.has("name"))
    req.name = generated_session_name();
  if (auto err = check_session_fields(in, req, limits))
    return err;
  auto m = cluster_mode_of(mode);
  if (!m)
    return m.error();
  auto n = network_type_of(network);
  if (!n)
    return n.error();
  req.mode = *m;
  req.network = *n;
  req.cluster_size = static_cast<uint32_t>(size);
  if (req.network == network_type::persistent && req.network_id.empty())
    return make_error(errc::invalid_argument,
                      "network_type \"persistent\" needs the network_id of that network");
  return req;
}

} // namespace baikal
