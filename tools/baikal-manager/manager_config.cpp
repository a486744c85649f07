#include "tools/baikal-manager/manager_config.hpp"

#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "messages/errors.hpp"
#include "runtime/config/toml_reader.hpp"

namespace baikal {

namespace {

void read_users(const toml::table& root, const std::string& source, manager_config& cfg,
                caf::error& err) {
  auto* users = root["users"].as_array();
  if (!users)
    return;
  size_t i = 0;
  for (auto& node : *users) {
    auto where = "users[" + std::to_string(i++) + "]";
    auto* t = node.as_table();
    if (!t) {
      err = make_error(errc::invalid_argument, "Invalid " + source + ": " + where +
                                                   " must be a table with name, uuid and token");
      return;
    }
    api_user u;
    toml_reader r{toml::node_view<const toml::node>{*t}, source};
    r.text("name", u.name);
    r.text("uuid", u.uuid);
    r.text("token", u.token);
    if (!r.error() && (u.name.empty() || u.uuid.empty() || u.token.size() < 8))
      r.fail(where, "a table with a name, a uuid and a token of at least 8 characters");
    if ((err = r.error()))
      return;
    cfg.api.users.push_back(std::move(u));
  }
}

caf::expected<auto_pull_policy> pull_policy_of(const std::string& text) {
  if (text == "digest")
    return auto_pull_policy::digest;
  if (text == "tag")
    return auto_pull_policy::tag;
  if (text == "none")
    return auto_pull_policy::none;
  return make_error(errc::invalid_argument, "auto-pull must be \"digest\", \"tag\" or \"none\"");
}

void read_images(const toml::table& root, const std::string& source, manager_config& cfg,
                 caf::error& err) {
  auto* images = root["images"].as_array();
  if (!images)
    return;
  size_t i = 0;
  for (auto& node : *images) {
    auto where = "images[" + std::to_string(i++) + "]";
    auto* t = node.as_table();
    if (!t) {
      err = make_error(errc::invalid_argument,
                       "Invalid " + source + ": " + where + " must be a table");
      return;
    }
    std::string reference;
    std::string pull = "digest";
    image_config img;
    toml_reader r{toml::node_view<const toml::node>{*t}, source};
    r.text("reference", reference);
    r.text("canonical", img.canonical);
    r.text("architecture", img.architecture);
    r.text("project", img.project);
    r.text("digest", img.digest);
    r.text("repo-digest", img.repo_digest);
    r.flag("is-local", img.is_local);
    r.text("auto-pull", pull);
    r.text("registry.name", img.registry.name);
    r.text("registry.url", img.registry.url);
    r.text("registry.username", img.registry.username);
    r.text("registry.password", img.registry.password);
    if (!r.error() && reference.empty())
      r.fail(where + ".reference", "the reference users give, e.g. \"python:3.9\"");
    auto policy = pull_policy_of(pull);
    if (!r.error() && !policy)
      r.fail(where + ".auto-pull", "\"digest\", \"tag\" or \"none\"");
    if ((err = r.error()))
      return;
    img.auto_pull = *policy;
    if (img.canonical.empty())
      img.canonical = reference;
    if (img.architecture.empty())
      img.architecture = "x86_64";
    cfg.manager.images[reference] = img;
  }
  cfg.api.images = cfg.manager.images;
}

} // namespace

manager_config default_manager_config() {
  manager_config cfg;
  cfg.manager.store_path = "var/manager.db";
  cfg.api.host = "127.0.0.1";
  cfg.api.port = 8090;
  cfg.agents.listen = host_port{"127.0.0.1", 6100};
  return cfg;
}

caf::expected<manager_config> parse_manager_config(const std::string& text,
                                                   const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return make_error(errc::invalid_argument, "Invalid " + source + " (" + where.str() +
                                                  "): " + std::string{e.description()});
  }
  auto cfg = default_manager_config();
  toml_reader r{toml::node_view<const toml::node>{root}, source};
  auto& m = cfg.manager;
  r.text("manager.store-path", m.store_path);
  r.text("manager.default-scaling-group", m.default_scaling_group);
  r.text("manager.scheduling-policy", m.scheduling_policy);
  r.seconds("manager.heartbeat-interval", m.heartbeat_interval);
  r.integer("manager.missed-heartbeats-until-lost", m.missed_heartbeats_until_lost, 1, 1000);
  r.seconds("manager.session-start-timeout", m.session_start_timeout);
  r.seconds("manager.phase-probe-after", m.phase_probe_after);
  r.text("manager.default-network-driver", m.default_network_driver);
  r.text("network.docker-socket", cfg.network_docker_socket);
  if (!r.error() && m.scheduling_policy != "concentrated" && m.scheduling_policy != "dispersed")
    r.fail("manager.scheduling-policy", "\"concentrated\" or \"dispersed\"");
  host_port api_listen{cfg.api.host, cfg.api.port};
  r.address("api.listen", api_listen);
  cfg.api.host = api_listen.host;
  cfg.api.port = api_listen.port;
  auto& a = cfg.api;
  r.integer("api.threads", a.threads, 1, 64);
  r.integer("api.max-json-bytes", a.max_json_bytes, 1024, int64_t{1} << 30);
  r.integer("api.max-upload-bytes", a.max_upload_bytes, 1024, int64_t{1} << 34);
  r.seconds("api.manager-timeout", a.manager_timeout);
  r.seconds("api.agent-timeout", a.agent_timeout);
  r.seconds("api.long-timeout", a.long_timeout);
  r.seconds("api.stop-grace", a.stop_grace);
  r.address("agents.listen", cfg.agents.listen);
  r.text("tls.certificate", cfg.agents.tls.certificate);
  r.text("tls.key", cfg.agents.tls.key);
  r.text("tls.ca", cfg.agents.tls.ca);
  if (r.error())
    return r.error();
  caf::error err;
  read_users(root, source, cfg, err);
  if (!err)
    read_images(root, source, cfg, err);
  if (err)
    return err;
  return cfg;
}

caf::expected<manager_config> load_manager_config(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return make_error(errc::invalid_argument, "cannot read the config file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto cfg = parse_manager_config(buf.str(), path);
  if (cfg)
    cfg->config_path = path;
  return cfg;
}

} // namespace baikal
