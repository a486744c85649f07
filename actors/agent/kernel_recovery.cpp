#include "actors/agent/kernel_recovery.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include <caf/scoped_actor.hpp>
#include <rapidjson/document.h>

#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/registry_file.hpp"
#include "actors/agent/service_ports.hpp"
#include "actors/agent/warm_pool.hpp"
#include "actors/kernel/kernel.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/agent_op_checks.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

std::string label_of(const rapidjson::Value& labels, const char* key) {
  if (!labels.IsObject() || !labels.HasMember(key) || !labels[key].IsString())
    return {};
  return labels[key].GetString();
}

} // namespace

std::vector<labelled_container> parse_kernel_containers(const std::string& body) {
  std::vector<labelled_container> out;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray())
    return out;
  for (auto& c : doc.GetArray()) {
    if (!c.IsObject() || !c.HasMember("Id") || !c["Id"].IsString() || !c.HasMember("Labels"))
      continue;
    labelled_container lc;
    lc.id = c["Id"].GetString();
    lc.state = c.HasMember("State") && c["State"].IsString() ? c["State"].GetString() : "";
    lc.status = c.HasMember("Status") && c["Status"].IsString() ? c["Status"].GetString() : "";
    lc.kernel = label_of(c["Labels"], "ai.backend.kernel-id");
    lc.session = label_of(c["Labels"], "ai.backend.session-id");
    lc.service_ports = label_of(c["Labels"], service_ports_label);
    // The kernel id names the scratch directory: a label that is not an id is not ours.
    if (!lc.kernel.empty() && !checks::check_id("kernel", lc.kernel))
      out.push_back(std::move(lc));
  }
  return out;
}

docker_call list_agent_containers(const agent_id& agent) {
  docker_call call;
  call.target = "/containers/json?all=1&filters=" +
                docker::url_encode("{\"label\":[\"ai.backend.agent-id=" + agent + "\"]}");
  return call;
}

namespace {

/// The registry file's kernels; none when there is no file, and a warning when it is unreadable
/// (the container labels still name every kernel).
std::map<kernel_id, kernel_info> load_registry(const agent_settings& settings) {
  auto path = registry_file_path(settings);
  std::ifstream in{path};
  if (!in)
    return {};
  std::stringstream text;
  text << in.rdbuf();
  auto kernels = decode_registry_file(text.str());
  if (!kernels) {
    log::get("agent")->warn("ignoring the registry file {}: {}", path, message_of(kernels.error()));
    return {};
  }
  log::get("agent")->info("registry file {} lists {} kernels", path, kernels->size());
  return std::move(*kernels);
}

/// A warm container handed to a kernel keeps its warm label: the registry file says whose it
/// became (by container id). Renames `c` to that kernel; false when it was nobody's yet.
bool adopt_warm_container(labelled_container& c, const std::map<kernel_id, kernel_info>& known) {
  for (auto& [id, info] : known)
    if (info.container_id == c.id) {
      c.kernel = id;
      c.session = info.session;
      return true;
    }
  return false;
}

} // namespace

std::vector<kernel_info> recover_kernels(caf::actor_system& sys, const agent_settings& settings,
                                         const docker_actor& docker) {
  std::vector<kernel_info> recovered;
  caf::scoped_actor self{sys};
  auto ask = [&](docker_call call) {
    caf::expected<docker_reply> out{caf::error{}};
    self->request(docker, settings.timeouts.engine_call, std::move(call))
        .receive([&](docker_reply& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  };
  auto listed = ask(list_agent_containers(settings.id));
  if (!listed) {
    log::get("agent")->warn("cannot list this agent's containers; nothing recovered: {}",
                            message_of(listed.error()));
    return recovered;
  }
  auto known = load_registry(settings);
  for (auto& c : parse_kernel_containers(listed->body)) {
    if (is_warm_label(c.kernel) && !adopt_warm_container(c, known)) {
      // Still in its pool when the agent went: the new agent fills its pools anew.
      log::get("agent")->info("removing warm container {} left from before (container {})",
                              c.kernel, c.id.substr(0, 12));
      (void)ask(docker::container_remove(c.id, true, true));
      remove_scratch(scratch_dirs_of(settings.scratch_root, c.kernel));
      continue;
    }
    auto in_file = known.find(c.kernel);
    if (c.state == "running") {
      auto info = in_file != known.end() ? in_file->second : kernel_info{};
      if (in_file == known.end())
        log::get("agent")->warn("kernel {} runs but is not in the registry file; serving it "
                                "from its container labels",
                                c.kernel);
      info.id = c.kernel;
      info.session = c.session;
      info.agent = settings.id;
      info.host = settings.host;
      info.container_id = c.id; // the engine knows better than a file
      info.scaling_group = settings.scaling_group;
      if (!c.service_ports.empty())
        info.service_ports = decode_service_ports(c.service_ports);
      recovered.push_back(std::move(info));
      log::get("agent")->info("recovered kernel {} (container {})", c.kernel, c.id.substr(0, 12));
    } else {
      log::get("agent")->info("removing stopped kernel {} left from before (container {})",
                              c.kernel, c.id.substr(0, 12));
      (void)ask(docker::container_remove(c.id, true, true));
      remove_scratch(scratch_dirs_of(settings.scratch_root, c.kernel));
    }
    if (in_file != known.end())
      known.erase(in_file);
  }
  for (auto& [id, info] : known) {
    log::get("agent")->warn("kernel {} of the registry file has no container any more (it was "
                            "{}); removing its scratch directory",
                            id, info.container_id.substr(0, 12));
    remove_scratch(scratch_dirs_of(settings.scratch_root, id));
  }
  return recovered;
}

} // namespace baikal
