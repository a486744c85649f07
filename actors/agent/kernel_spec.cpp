#include "actors/agent/kernel_spec.hpp"

#include "actors/agent/service_ports.hpp"

#include <cmath>

#include "actors/agent/network_names.hpp"
#include "messages/errors.hpp"

namespace baikal {

std::map<std::string, std::string> kernel_labels(const kernel_creation_config& cfg,
                                                 const agent_id& agent) {
  return {
      {"ai.backend.kernel-id", cfg.kernel},
      {"ai.backend.session-id", cfg.session},
      {"ai.backend.agent-id", agent},
      {"ai.backend.owner", cfg.owner_user_id},
      {"ai.backend.cluster-role", to_string(cfg.role)},
      {"ai.backend.cluster-hostname", cfg.cluster_hostname},
      {"ai.backend.managed", "baikal"},
  };
}

std::vector<std::string> kernel_environ(const kernel_creation_config& cfg) {
  std::vector<std::string> env;
  env.reserve(cfg.environ.size());
  for (auto& [key, value] : cfg.environ)
    env.push_back(key + "=" + value);
  return env;
}

std::string kernel_runtime(const image_config& image) {
  auto i = image.labels.find("ai.backend.runtime");
  return i != image.labels.end() && !i->second.empty() ? i->second : "/bin/sh -c";
}

std::string kernel_network_mode(const cluster_info& cluster) {
  auto& net = cluster.network;
  if (net.mode == "host")
    return "host";
  // Never the engine's default bridge, where every container reaches every other.
  return net.network_name.empty() ? kernel_network_name : net.network_name;
}

namespace {

// Modes that share another namespace instead of joining a network: no hostname of one's own.
bool shares_network_namespace(const std::string& network_mode) {
  return network_mode == "host" || network_mode.rfind("container:", 0) == 0;
}

// Docker's built-in networks ("" is the default bridge): no aliases, no DNS by name.
bool is_user_defined_network(const std::string& network_mode) {
  return !network_mode.empty() && network_mode != "bridge" && network_mode != "default" &&
         network_mode != "none" && !shares_network_namespace(network_mode);
}

} // namespace

std::string kernel_hostname(const kernel_creation_config& cfg, const std::string& network_mode) {
  if (shares_network_namespace(network_mode))
    return {};
  return cfg.cluster_hostname;
}

std::vector<std::string> kernel_network_aliases(const kernel_creation_config& cfg,
                                                const std::string& network_mode) {
  // On the agent's kernel network, shared by sessions, an alias would answer for every
  // session's kernel of that hostname.
  if (cfg.cluster_hostname.empty() || !is_user_defined_network(network_mode) ||
      network_mode == kernel_network_name)
    return {};
  return {cfg.cluster_hostname};
}

container_limits limits_of(const resource_slots& slots) {
  container_limits out;
  if (auto cpu = slots.find("cpu"); cpu != slots.end() && cpu->second > 0)
    out.nano_cpus = static_cast<int64_t>(std::llround(cpu->second * 1e9));
  if (auto mem = slots.find("mem"); mem != slots.end() && mem->second > 0)
    out.memory = static_cast<int64_t>(mem->second);
  return out;
}

kernel_user kernel_user_of(const kernel_creation_config& cfg, const agent_settings& settings) {
  kernel_user user{cfg.uid, cfg.main_gid, cfg.supplementary_gids};
  if (settings.kernel_uid >= 0)
    user.uid = static_cast<uint32_t>(settings.kernel_uid);
  if (settings.kernel_gid >= 0)
    user.gid = static_cast<uint32_t>(settings.kernel_gid);
  return user;
}

std::vector<std::string> runner_user_args(const kernel_user& user) {
  std::vector<std::string> args{"--uid", std::to_string(user.uid), "--gid",
                                std::to_string(user.gid)};
  if (!user.groups.empty()) {
    std::string list;
    for (auto gid : user.groups)
      list += (list.empty() ? "" : ",") + std::to_string(gid);
    args.insert(args.end(), {"--groups", list});
  }
  return args;
}

std::vector<std::string> runner_capabilities(const agent_settings& settings) {
  std::vector<std::string> caps{"SETGID", "SETUID"};
  if (!settings.root_owns_scratch)
    caps.emplace_back("DAC_OVERRIDE");
  return caps;
}

docker::container_spec make_container_spec(const kernel_creation_config& cfg,
                                           const cluster_info& cluster,
                                           const agent_settings& settings,
                                           const std::vector<service_port>& services) {
  auto dirs = scratch_dirs_of(settings.scratch_root, cfg.kernel);
  docker::container_spec spec;
  spec.name = "kernel." + cfg.kernel;
  spec.image = cfg.image.canonical;
  std::vector<std::string> entrypoint{kernel_paths::runner_in_container, "--runtime",
                                      kernel_runtime(cfg.image)};
  auto user_args = runner_user_args(kernel_user_of(cfg, settings));
  entrypoint.insert(entrypoint.end(), user_args.begin(), user_args.end());
  spec.entrypoint = std::move(entrypoint);
  spec.cmd = {};
  spec.env = kernel_environ(cfg);
  spec.labels = kernel_labels(cfg, settings.id);
  spec.working_dir = kernel_paths::work;
  spec.binds = {dirs.work + ":" + kernel_paths::work + ":rw",
                dirs.config + ":" + kernel_paths::config + ":rw",
                settings.runner_path + ":" + kernel_paths::runner_in_container + ":ro"};
  for (auto& m : cfg.mounts)
    spec.binds.push_back(m.source + ":" + m.target + ":" + (m.mode == "ro" ? "ro" : "rw"));
  spec.network_mode = kernel_network_mode(cluster);
  spec.hostname = kernel_hostname(cfg, spec.network_mode);
  spec.network_aliases = kernel_network_aliases(cfg, spec.network_mode);
  auto limits = limits_of(cfg.slots);
  spec.nano_cpus = limits.nano_cpus;
  spec.memory = limits.memory;
  spec.init = false; // the runner is PID 1 and reaps its children itself
  // No way back to root for the kernel's code (setuid binaries, file capabilities), no
  // capability beyond what the runner drops with root, and bounds on processes and open files
  // so that one kernel cannot starve its host. Seccomp stays the engine's default profile.
  spec.security_opt = {"no-new-privileges"};
  spec.cap_drop = {"ALL"};
  spec.cap_add = runner_capabilities(settings);
  spec.pids_limit = settings.kernel_pids_limit;
  spec.ulimits = {{"nofile", settings.kernel_open_files, settings.kernel_open_files}};
  if (!services.empty()) {
    spec.labels[service_ports_label] = encode_service_ports(services);
    if (spec.network_mode != "host")
      for (auto& sp : services)
        for (size_t i = 0; i < sp.container_ports.size() && i < sp.host_ports.size(); ++i)
          spec.port_bindings[sp.container_ports[i]] = sp.host_ports[i];
  }
  return spec;
}

caf::error explain_start_failure(const caf::error& err, const agent_settings& settings) {
  auto text = message_of(err);
  // runc's words when the engine may not open as many files as the kernel is to have.
  if (text.find("error setting rlimit type 7") == std::string::npos)
    return err;
  return make_error(code_of(err),
                    "the Docker engine cannot give kernels container.kernel-open-files = " +
                        std::to_string(settings.kernel_open_files) +
                        " open files, more than its own limit: lower the setting or raise the "
                        "engine's (LimitNOFILE of its service). The engine said: " +
                        text);
}

std::string service_table_json(const image_config& image) {
  if (auto i = image.labels.find("ai.backend.services"); i != image.labels.end())
    return i->second;
  return R"({"httpd":{"command":["httpd","-f","-p","8080","-h","/home/work"],)"
         R"("port":8080,"protocol":"http"}})";
}

kernel_info make_kernel_info(const kernel_creation_config& cfg, const agent_settings& settings,
                             const std::string& container_id) {
  kernel_info info;
  info.id = cfg.kernel;
  info.session = cfg.session;
  info.agent = settings.id;
  info.host = settings.host;
  info.container_id = container_id;
  info.scaling_group = settings.scaling_group;
  info.slots = cfg.slots;
  info.mounts = cfg.mounts;
  return info;
}

} // namespace baikal
