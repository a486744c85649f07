#pragma once

/// What the cluster tests ask the Docker engine directly, beside the API: whether a container
/// or a network still exists, which containers carry an agent's label, and removing leftovers
/// after a failed test. Through curl on the engine's socket: the test process runs no actor
/// system of its own.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace baikal::test {

class engine_probe {
public:
  explicit engine_probe(std::string socket) : socket_(std::move(socket)) {}

  /// The HTTP status of GET `target` (e.g. 200 or 404), 0 when the engine does not answer.
  int status_of(const std::string& target) const {
    auto out = run("curl -s -o /dev/null -w '%{http_code}' --unix-socket '" + socket_ +
                   "' 'http://engine" + target + "'");
    return out.empty() ? 0 : std::atoi(out.c_str());
  }

  bool container_exists(const std::string& id) const {
    return status_of("/containers/" + id + "/json") == 200;
  }
  bool network_exists(const std::string& name) const {
    return status_of("/networks/" + name) == 200;
  }

  /// The container's IPv4 address on `network`, empty when it is not attached to it.
  std::string address_on(const std::string& container, const std::string& network) const {
    rapidjson::Document doc;
    doc.Parse(run("curl -s --unix-socket '" + socket_ + "' 'http://engine/containers/" + container +
                  "/json'")
                  .c_str());
    if (!doc.IsObject() || !doc.HasMember("NetworkSettings"))
      return {};
    auto& networks = doc["NetworkSettings"]["Networks"];
    if (!networks.IsObject() || !networks.HasMember(network.c_str()))
      return {};
    auto& endpoint = networks[network.c_str()];
    return endpoint.HasMember("IPAddress") && endpoint["IPAddress"].IsString()
               ? endpoint["IPAddress"].GetString()
               : "";
  }

  /// Ids of the containers, running or not, labelled as kernels of `agent`.
  std::vector<std::string> containers_of_agent(const std::string& agent) const {
    auto body = run("curl -s -G --unix-socket '" + socket_ +
                    "' 'http://engine/containers/json' --data-urlencode all=1 "
                    "--data-urlencode 'filters={\"label\":[\"ai.backend.agent-id=" +
                    agent + "\"]}'");
    std::vector<std::string> ids;
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (doc.IsArray())
      for (auto& c : doc.GetArray())
        if (c.IsObject() && c.HasMember("Id") && c["Id"].IsString())
          ids.emplace_back(c["Id"].GetString());
    return ids;
  }

  /// A kernel container as its labels name it.
  struct kernel_container {
    std::string id;
    std::string kernel;
    std::string session;
    std::string state; ///< "running", "exited", ...
  };

  /// The containers, running or not, labelled as kernels of `agent`, with their kernel and
  /// session.
  std::vector<kernel_container> kernel_containers_of_agent(const std::string& agent) const {
    auto body = run("curl -s -G --unix-socket '" + socket_ +
                    "' 'http://engine/containers/json' --data-urlencode all=1 "
                    "--data-urlencode 'filters={\"label\":[\"ai.backend.agent-id=" +
                    agent + "\"]}'");
    std::vector<kernel_container> out;
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (!doc.IsArray())
      return out;
    auto label = [](const rapidjson::Value& c, const char* key) -> std::string {
      if (!c.HasMember("Labels") || !c["Labels"].IsObject() || !c["Labels"].HasMember(key) ||
          !c["Labels"][key].IsString())
        return {};
      return c["Labels"][key].GetString();
    };
    for (auto& c : doc.GetArray())
      if (c.IsObject() && c.HasMember("Id") && c["Id"].IsString())
        out.push_back(
            {c["Id"].GetString(), label(c, "ai.backend.kernel-id"),
             label(c, "ai.backend.session-id"),
             c.HasMember("State") && c["State"].IsString() ? c["State"].GetString() : ""});
    return out;
  }

  /// Whether a process of the container has `needle` in its command line (GET .../top).
  bool runs_process(const std::string& container, const std::string& needle) const {
    auto body = run("curl -s --unix-socket '" + socket_ + "' 'http://engine/containers/" +
                    container + "/top?ps_args=-ef'");
    return body.find(needle) != std::string::npos;
  }

  /// Kills the container's process (SIGKILL), as if the kernel crashed; answers the status.
  int kill_container(const std::string& id) const {
    auto out = run("curl -s -o /dev/null -w '%{http_code}' -X POST --unix-socket '" + socket_ +
                   "' 'http://engine/containers/" + id + "/kill'");
    return out.empty() ? 0 : std::atoi(out.c_str());
  }

  bool image_exists(const std::string& ref) const {
    return status_of("/images/" + ref + "/json") == 200;
  }
  /// Removes the tag `ref` (the image stays while another tag names it).
  void remove_image(const std::string& ref) const {
    run("curl -s -X DELETE --unix-socket '" + socket_ + "' 'http://engine/images/" + ref + "'");
  }

  void remove_container(const std::string& id) const {
    run("curl -s -X DELETE --unix-socket '" + socket_ + "' 'http://engine/containers/" + id +
        "?force=1&v=1'");
  }
  void remove_network(const std::string& name) const {
    run("curl -s -X DELETE --unix-socket '" + socket_ + "' 'http://engine/networks/" + name + "'");
  }

private:
  static std::string run(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen(cmd.c_str(), "r"), ::pclose};
    std::string out;
    if (!pipe)
      return out;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0;)
      out.append(buf, n);
    return out;
  }

  std::string socket_;
};

} // namespace baikal::test
