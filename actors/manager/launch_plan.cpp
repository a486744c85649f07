#include "actors/manager/launch_plan.hpp"

#include <set>

#include "messages/errors.hpp"

namespace baikal::launch {

std::map<agent_id, image_configs>
group_images_by_agent(const std::vector<scheduled_session>& sessions, const image_configs& configs,
                      std::vector<std::string>* missing) {
  std::map<agent_id, image_configs> out;
  std::set<std::string> unknown;
  for (auto& session : sessions)
    for (auto& kernel : session.kernels) {
      auto i = configs.find(kernel.image);
      if (i == configs.end())
        unknown.insert(kernel.image);
      else
        out[kernel.agent].emplace(kernel.image, i->second); // a map: one entry per image
    }
  if (missing)
    missing->assign(unknown.begin(), unknown.end());
  return out;
}

std::map<agent_id, agent_pull>
merge_pulls(const std::vector<std::map<agent_id, image_configs>>& triggers) {
  std::map<agent_id, agent_pull> out;
  for (size_t i = 0; i < triggers.size(); ++i)
    for (auto& [agent, images] : triggers[i]) {
      auto& pull = out[agent];
      pull.images.insert(images.begin(), images.end());
      pull.triggers.push_back(i);
    }
  return out;
}

std::map<agent_id, std::vector<kernel_binding>>
group_kernels_by_agent(const scheduled_session& session) {
  std::map<agent_id, std::vector<kernel_binding>> out;
  for (auto& kernel : session.kernels)
    out[kernel.agent].push_back(kernel);
  return out;
}

caf::expected<std::map<kernel_id, image_config>> resolve_images(const scheduled_session& session,
                                                                const image_configs& configs) {
  std::map<kernel_id, image_config> out;
  for (auto& kernel : session.kernels) {
    auto i = configs.find(kernel.image);
    if (i == configs.end())
      return make_error(errc::invalid_argument, "Image configuration not found for " +
                                                    kernel.image + " (kernel " + kernel.id + ")");
    out.emplace(kernel.id, i->second);
  }
  return out;
}

std::string hostname_of(const kernel_binding& kernel) {
  if (!kernel.cluster_hostname.empty())
    return kernel.cluster_hostname;
  return to_string(kernel.role) + std::to_string(kernel.cluster_idx);
}

std::string host_of(const std::string& agent_addr) {
  auto start = agent_addr.find("://");
  auto host = start == std::string::npos ? agent_addr : agent_addr.substr(start + 3);
  if (!host.empty() && host.front() == '[') // IPv6 literal: "[::1]:6001"
    return host.substr(1, host.find(']') - 1);
  return host.substr(0, host.find(':'));
}

image_ref parse_image_ref(const image_config& config) {
  image_ref out;
  out.architecture = config.architecture;
  out.is_local = config.is_local;
  std::string rest = config.canonical;
  auto slash = rest.find('/');
  auto& known = config.registry.name;
  if (!known.empty() && rest.compare(0, known.size() + 1, known + "/") == 0) {
    out.registry = known;
    rest.erase(0, known.size() + 1);
  } else if (slash != std::string::npos) {
    // Docker's rule: a first component with a dot, a port or "localhost" is a registry.
    auto first = rest.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
      out.registry = first;
      rest.erase(0, slash + 1);
    }
  }
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
    out.tag = rest.substr(colon + 1);
    rest.resize(colon);
  } else {
    out.tag = "latest";
  }
  auto last = rest.rfind('/');
  out.project = last == std::string::npos ? std::string{} : rest.substr(0, last);
  out.name = last == std::string::npos ? rest : rest.substr(last + 1);
  if (config.is_local)
    out.registry = "local";
  return out;
}

std::string to_string(network_kind x) {
  switch (x) {
  case network_kind::default_bridge:
    return "default_bridge";
  case network_kind::local_bridge:
    return "local_bridge";
  case network_kind::plugin:
    return "plugin";
  case network_kind::host:
    return "host";
  case network_kind::persistent:
    return "persistent";
  }
  return "default_bridge";
}

network_kind plan_network(const scheduled_session& session) {
  switch (session.network) {
  case network_type::persistent:
    return network_kind::persistent;
  case network_type::host:
    return network_kind::host;
  case network_type::volatile_:
    break;
  }
  if (session.mode == cluster_mode::multi_node)
    return network_kind::plugin;
  return session.kernels.size() > 1 ? network_kind::local_bridge : network_kind::default_bridge;
}

std::string single_node_network_name(const session_id& id) {
  return "bai-singlenode-" + id;
}

std::string persistent_network_name(const std::string& network_id) {
  return "persistent-" + network_id;
}

bool needs_ssh_ports(const scheduled_session& session) {
  return session.kernels.size() > 1;
}

std::map<std::string, std::string> make_cluster_environ(const scheduled_session& session,
                                                        const kernel_binding& kernel,
                                                        const image_config& image) {
  std::string hosts;
  for (auto& k : session.kernels)
    hosts += (hosts.empty() ? "" : ",") + hostname_of(k);
  std::map<std::string, uint32_t> replicas;
  for (auto& k : session.kernels)
    ++replicas[to_string(k.role)];
  std::string replica_list;
  for (auto& [role, n] : replicas)
    replica_list += (replica_list.empty() ? "" : ",") + role + ":" + std::to_string(n);
  auto env = session.environ; // the user's variables, overridden by the cluster's own
  env["BACKENDAI_USER_UUID"] = session.user_uuid;
  env["BACKENDAI_ACCESS_KEY"] = session.access_key;
  env["BACKENDAI_SESSION_ID"] = session.id;
  env["BACKENDAI_SESSION_NAME"] = session.name;
  env["BACKENDAI_KERNEL_ID"] = kernel.id;
  env["BACKENDAI_KERNEL_IMAGE"] = image.canonical;
  env["BACKENDAI_CLUSTER_SIZE"] = std::to_string(session.kernels.size());
  env["BACKENDAI_CLUSTER_REPLICAS"] = replica_list;
  env["BACKENDAI_CLUSTER_HOSTS"] = hosts;
  env["BACKENDAI_CLUSTER_HOST"] = hostname_of(kernel);
  env["BACKENDAI_CLUSTER_ROLE"] = to_string(kernel.role);
  env["BACKENDAI_CLUSTER_IDX"] = std::to_string(kernel.cluster_idx);
  env["BACKENDAI_CLUSTER_LOCAL_RANK"] = std::to_string(kernel.local_rank);
  if (!session.preopen_ports.empty()) {
    std::string ports;
    for (auto p : session.preopen_ports)
      ports += (ports.empty() ? "" : ",") + std::to_string(p);
    env["BACKENDAI_PREOPEN_PORTS"] = ports;
  }
  return env;
}

kernel_creation_config make_kernel_creation_config(const scheduled_session& session,
                                                   const kernel_binding& kernel,
                                                   const image_config& image) {
  kernel_creation_config x;
  x.image = image;
  x.kernel = kernel.id;
  x.session = session.id;
  x.owner_user_id = session.user_uuid;
  x.owner_project_id = session.project_id;
  // The reference passes the session id here: the agent names per-session resources by it.
  x.network_id = session.id;
  x.type = session.type;
  x.mode = session.mode;
  x.role = kernel.role;
  x.cluster_idx = kernel.cluster_idx;
  x.local_rank = kernel.local_rank;
  x.cluster_hostname = hostname_of(kernel);
  x.uid = kernel.uid;
  x.main_gid = kernel.main_gid;
  x.slots = kernel.slots;
  x.environ = make_cluster_environ(session, kernel, image);
  x.mounts = session.mounts;
  x.idle_timeout = session.idle_timeout;
  x.preopen_ports = session.preopen_ports;
  x.agent_addr = kernel.agent_addr;
  x.scaling_group = session.scaling_group;
  return x;
}

cluster_info make_cluster_info(const scheduled_session& session, network_config network,
                               ssh_keypair ssh, std::map<std::string, host_port> ssh_ports) {
  cluster_info out;
  out.mode = session.mode;
  out.size = static_cast<uint32_t>(session.kernels.size());
  for (auto& k : session.kernels)
    ++out.replicas[to_string(k.role)];
  out.network = std::move(network);
  out.ssh = std::move(ssh);
  out.ssh_port_mapping = std::move(ssh_ports);
  return out;
}

op::create_kernels make_create_kernels(const scheduled_session& session,
                                       const std::vector<kernel_binding>& kernels,
                                       const std::map<kernel_id, image_config>& images,
                                       const cluster_info& cluster) {
  op::create_kernels out;
  out.session = session.id;
  out.cluster = cluster;
  for (auto& kernel : kernels) {
    auto& image = images.at(kernel.id);
    out.kernel_ids.push_back(kernel.id);
    out.configs.push_back(make_kernel_creation_config(session, kernel, image));
    out.image_refs.emplace(kernel.id, parse_image_ref(image));
  }
  return out;
}

} // namespace baikal::launch
