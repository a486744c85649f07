#include "actors/agent/kernel_recovery.hpp"

#include <chrono>

#include <caf/scoped_actor.hpp>
#include <rapidjson/document.h>

#include "actors/agent/kernel.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"
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
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray())
    return out;
  for (auto& c : doc.GetArray()) {
    if (!c.IsObject() || !c.HasMember("Id") || !c.HasMember("Labels"))
      continue;
    labelled_container lc;
    lc.id = c["Id"].GetString();
    lc.state = c.HasMember("State") && c["State"].IsString() ? c["State"].GetString() : "";
    lc.kernel = label_of(c["Labels"], "ai.backend.kernel-id");
    lc.session = label_of(c["Labels"], "ai.backend.session-id");
    lc.service_ports = label_of(c["Labels"], service_ports_label);
    if (!lc.kernel.empty())
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

std::vector<kernel_info> recover_kernels(caf::actor_system& sys, const agent_settings& settings,
                                         const docker_actor& docker) {
  std::vector<kernel_info> recovered;
  caf::scoped_actor self{sys};
  auto ask = [&](docker_call call) {
    caf::expected<docker_reply> out{caf::error{}};
    self->request(docker, std::chrono::minutes(1), std::move(call))
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
  for (auto& c : parse_kernel_containers(listed->body)) {
    if (c.state == "running") {
      kernel_info info;
      info.id = c.kernel;
      info.session = c.session;
      info.agent = settings.id;
      info.host = settings.host;
      info.container_id = c.id;
      info.scaling_group = settings.scaling_group;
      info.service_ports = decode_service_ports(c.service_ports);
      recovered.push_back(std::move(info));
      log::get("agent")->info("recovered kernel {} (container {})", c.kernel, c.id.substr(0, 12));
      continue;
    }
    log::get("agent")->info("removing stopped kernel {} left from before (container {})",
                            c.kernel, c.id.substr(0, 12));
    (void) ask(docker::container_remove(c.id, true, true));
    remove_scratch(scratch_dirs_of(settings.scratch_root, c.kernel));
  }
  return recovered;
}

} // namespace baikal
