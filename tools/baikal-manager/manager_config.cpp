#include "tools/baikal-manager/manager_config.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "messages/errors.hpp"
#include "runtime/config/toml.hpp"
#include "runtime/config/toml_parse.hpp"
#include "runtime/config/toml_reader.hpp"
#include "runtime/http/server_tls.hpp"
#include "runtime/ssh/keypair.hpp"
#include "runtime/store/session_store.hpp"

namespace baikal {

namespace {

/// What `u` shares with an earlier user ("token is already users[0]'s"), or nothing: a shared
/// token would let one user act as the other, a shared name or uuid would merge their sessions.
std::string clash_with(const std::vector<api_user>& earlier, const api_user& u) {
  for (size_t i = 0; i < earlier.size(); ++i) {
    auto other = "users[" + std::to_string(i) + "]'s";
    if (earlier[i].token == u.token)
      return "token is already " + other + ": every user needs a token of their own";
    if (earlier[i].name == u.name)
      return "name \"" + u.name + "\" is already " + other;
    if (earlier[i].uuid == u.uuid)
      return "uuid " + u.uuid + " is already " + other;
  }
  return {};
}

using key_set = std::set<std::string>;

/// The keys each table of manager.toml may hold (deploy/manager.toml documents them).
const std::map<std::string, key_set>& known_tables() {
  static const std::map<std::string, key_set> tables{
      {"manager",
       {"store-path", "default-scaling-group", "scheduling-policy", "heartbeat-interval",
        "missed-heartbeats-until-lost", "session-start-timeout", "phase-probe-after",
        "max-starting", "park-idle-after", "session-idle-timeout", "default-network-driver",
        "launch-retries", "quarantine-after", "quarantine-backoff", "quarantine-max-backoff",
        "cluster-key-type", "cluster-keys-made-ahead", "keygen-workers"}},
      {"network", {"docker-socket"}},
      {"store", {"kind", "url"}},
      {"api",
       {"listen",
        "threads",
        "max-json-bytes",
        "max-upload-bytes",
        "manager-timeout",
        "agent-timeout",
        "long-timeout",
        "stop-grace",
        "idle-timeout",
        "header-timeout",
        "max-header-bytes",
        "max-target-bytes",
        "max-connections-per-address",
        "max-event-streams-per-user",
        "max-cluster-size",
        "max-name-length",
        "max-code-bytes",
        "max-environ-entries",
        "max-environ-key-bytes",
        "max-environ-value-bytes",
        "max-purge-images",
        "tls"}},
      {"agents", {"listen"}},
      {"timeouts",
       {"store-load", "store-call", "store-agent-write", "agent-sync", "kernel-destroy",
        "attempt-cleanup", "internal-call", "termination-lookup", "network-plugin-call",
        "image-pull-request"}},
      {"tls", {"certificate", "key", "ca"}},
      {"storage", {"root"}},
  };
  return tables;
}

std::string listing(const key_set& keys) {
  std::string out;
  for (auto& k : keys)
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

/// The first key of `table` (at `where`) that is not in `known`: a misspelt key would otherwise
/// leave its default in place without a word.
caf::error unknown_key_in(const toml::table& table, const std::string& where, const key_set& known,
                          const std::string& source) {
  for (auto& [key, node] : table) {
    auto name = unshield_toml_string(key.str());
    if (!known.count(name))
      return make_error(errc::invalid_argument, "Invalid " + source + ": unknown key " + where +
                                                    name + " (known here: " + listing(known) + ")");
  }
  return {};
}

/// Every key of the file is one the manager reads.
caf::error check_known_keys(const toml::table& root, const std::string& source) {
  static const key_set entries{"users", "images"};
  static const key_set user_keys{"name", "uuid", "token", "admin"};
  static const key_set image_keys{"reference",   "canonical", "architecture", "project", "digest",
                                  "repo-digest", "is-local",  "auto-pull",    "registry"};
  static const key_set registry_keys{"name", "url", "username", "password"};
  key_set top = entries;
  for (auto& entry : known_tables())
    top.insert(entry.first);
  if (auto err = unknown_key_in(root, "", top, source))
    return err;
  for (auto& [name, keys] : known_tables())
    if (auto* t = root[name].as_table())
      if (auto err = unknown_key_in(*t, name + ".", keys, source))
        return err;
  static const key_set api_tls_keys{"certificate", "key", "client_ca"};
  if (root["api"]["tls"] && !root["api"]["tls"].as_table())
    return make_error(errc::invalid_argument,
                      "Invalid " + source + ": api.tls must be a table ([api.tls])");
  if (auto* t = root["api"]["tls"].as_table())
    if (auto err = unknown_key_in(*t, "api.tls.", api_tls_keys, source))
      return err;
  // Entries that are not tables are reported by read_users and read_images.
  for (auto name : {"users", "images"}) {
    auto* list = root[name].as_array();
    for (size_t i = 0; list && i < list->size(); ++i) {
      auto* t = (*list)[i].as_table();
      if (!t)
        continue;
      auto where = std::string{name} + "[" + std::to_string(i) + "].";
      bool user = std::string{name} == "users";
      if (auto err = unknown_key_in(*t, where, user ? user_keys : image_keys, source))
        return err;
      if (auto* registry = user ? nullptr : (*t)["registry"].as_table())
        if (auto err = unknown_key_in(*registry, where + "registry.", registry_keys, source))
          return err;
    }
  }
  return {};
}

/// A root key that must be an array of tables ([[users]], [[images]]) but is something else.
caf::error not_an_array(const toml::table& root, const char* key, const std::string& source) {
  if (root.contains(key) && !root[key].as_array())
    return make_error(errc::invalid_argument, "Invalid " + source + ": " + key +
                                                  " must be an array of tables ([[" + key + "]])");
  return {};
}

void read_users(const toml::table& root, const std::string& source, manager_config& cfg,
                caf::error& err) {
  if ((err = not_an_array(root, "users", source)))
    return;
  auto* users = root["users"].as_array();
  if (!users)
    return;
  toml_reader r{toml::node_view<const toml::node>{root}, source};
  for (size_t i = 0; i < users->size(); ++i) {
    auto where = "users[" + std::to_string(i) + "]";
    if (!(*users)[i].as_table()) {
      err = make_error(errc::invalid_argument, "Invalid " + source + ": " + where +
                                                   " must be a table with name, uuid and token");
      return;
    }
    // Full paths, so that an error names the entry ("users[1].token must be a string").
    api_user u;
    r.text((where + ".name").c_str(), u.name);
    r.text((where + ".uuid").c_str(), u.uuid);
    r.text((where + ".token").c_str(), u.token);
    r.flag((where + ".admin").c_str(), u.admin);
    if (!r.error() && (u.name.empty() || u.uuid.empty() || u.token.size() < 8))
      r.fail(where, "a table with a name, a uuid and a token of at least 8 characters");
    if ((err = r.error()))
      return;
    if (auto clash = clash_with(cfg.api.users, u); !clash.empty()) {
      err = make_error(errc::invalid_argument, "Invalid " + source + ": " + where + "." + clash);
      return;
    }
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
  if ((err = not_an_array(root, "images", source)))
    return;
  auto* images = root["images"].as_array();
  if (!images)
    return;
  toml_reader r{toml::node_view<const toml::node>{root}, source};
  for (size_t i = 0; i < images->size(); ++i) {
    auto where = "images[" + std::to_string(i) + "]";
    if (!(*images)[i].as_table()) {
      err = make_error(errc::invalid_argument,
                       "Invalid " + source + ": " + where + " must be a table");
      return;
    }
    auto key = [&](const char* name) { return where + "." + name; };
    std::string reference;
    std::string pull = "digest";
    image_config img;
    r.text(key("reference").c_str(), reference);
    r.text(key("canonical").c_str(), img.canonical);
    r.text(key("architecture").c_str(), img.architecture);
    r.text(key("project").c_str(), img.project);
    r.text(key("digest").c_str(), img.digest);
    r.text(key("repo-digest").c_str(), img.repo_digest);
    r.flag(key("is-local").c_str(), img.is_local);
    r.text(key("auto-pull").c_str(), pull);
    r.text(key("registry.name").c_str(), img.registry.name);
    r.text(key("registry.url").c_str(), img.registry.url);
    r.text(key("registry.username").c_str(), img.registry.username);
    r.text(key("registry.password").c_str(), img.registry.password);
    if (!r.error() && reference.empty())
      r.fail(key("reference"), "the reference users give, e.g. \"python:3.9\"");
    auto policy = pull_policy_of(pull);
    if (!r.error() && !policy)
      r.fail(key("auto-pull"), "\"digest\", \"tag\" or \"none\"");
    if (!r.error() && cfg.manager.images.count(reference))
      r.fail(key("reference"), "unique: \"" + reference + "\" is listed twice");
    if ((err = r.error()))
      return;
    img.auto_pull = *policy;
    if (img.canonical.empty())
      img.canonical = reference;
    if (img.architecture.empty())
      img.architecture = "x86_64";
    cfg.manager.images[reference] = img;
    // The map above is keyed by reference; the catalogue keeps the file's order for users.
    cfg.api.images.push_back({reference, img.canonical, img.architecture, img.is_local});
  }
}

/// [api]'s bounds on connections and on what one request may ask for.
void read_api_limits(toml_reader& r, api_settings& a) {
  r.seconds("api.idle-timeout", a.idle_timeout);
  r.seconds("api.header-timeout", a.header_timeout);
  r.integer("api.max-header-bytes", a.max_header_bytes, 1024, 1 << 20);
  r.integer("api.max-target-bytes", a.max_target_bytes, 256, 1 << 20);
  r.integer("api.max-connections-per-address", a.max_connections_per_address, 1, 1 << 20);
  auto& l = a.limits;
  r.integer("api.max-event-streams-per-user", l.max_event_streams_per_user, 1, 1 << 16);
  r.integer("api.max-cluster-size", l.max_cluster_size, 1, 4096);
  r.integer("api.max-name-length", l.max_name_length, 8, 255);
  r.integer("api.max-code-bytes", l.max_code_bytes, 1024, int64_t{1} << 30);
  r.integer("api.max-environ-entries", l.environ.max_entries, 0, 1 << 20);
  r.integer("api.max-environ-key-bytes", l.environ.max_key_bytes, 1, 1 << 20);
  r.integer("api.max-environ-value-bytes", l.environ.max_value_bytes, 1, int64_t{1} << 30);
  r.integer("api.max-purge-images", l.max_purge_images, 1, 1 << 20);
  if (!r.error() && a.max_target_bytes > a.max_header_bytes)
    r.fail("api.max-target-bytes", "at most api.max-header-bytes (the target is part of the head)");
}

/// [api.tls]: its files are loaded now, so that a wrong path or a key of another certificate
/// stops the manager at its start with the key named, not at its first client.
caf::error read_api_tls(toml_reader& r, const std::string& source, http::server_tls& tls) {
  r.text("api.tls.certificate", tls.certificate);
  r.text("api.tls.key", tls.key);
  r.text("api.tls.client_ca", tls.client_ca);
  if (r.error() || !tls.enabled())
    return r.error();
  auto ctx = http::make_server_tls_context(tls, "api.tls.");
  if (!ctx)
    return make_error(errc::invalid_argument, "Invalid " + source + ": " + message_of(ctx.error()));
  return {};
}

void read_timeouts(toml_reader& r, manager_timeouts& t) {
  r.whole_seconds("timeouts.store-load", t.store_load, 1, 86400);
  r.whole_seconds("timeouts.store-call", t.store_call, 1, 86400);
  r.whole_seconds("timeouts.store-agent-write", t.store_agent_write, 1, 86400);
  r.whole_seconds("timeouts.agent-sync", t.agent_sync, 1, 86400);
  r.whole_seconds("timeouts.kernel-destroy", t.kernel_destroy, 1, 86400);
  r.whole_seconds("timeouts.attempt-cleanup", t.attempt_cleanup, 1, 86400);
  r.whole_seconds("timeouts.internal-call", t.internal_call, 1, 86400);
  r.whole_seconds("timeouts.termination-lookup", t.termination_lookup, 1, 86400);
  r.whole_seconds("timeouts.network-plugin-call", t.network_plugin_call, 1, 86400);
  r.whole_seconds("timeouts.image-pull-request", t.image_pull_request, 1, 86400);
}

/// [store]: SQLite in manager.store-path (the default), or PostgreSQL at `url`.
void read_store(toml_reader& r, manager_settings& m) {
  std::string kind = "sqlite";
  r.text("store.kind", kind);
  r.text("store.url", m.store_url);
  if (r.error())
    return;
  if (kind != "sqlite" && kind != "postgres")
    return r.fail("store.kind", "\"sqlite\" or \"postgres\"");
  if (kind == "sqlite" && !m.store_url.empty())
    return r.fail("store.url", "empty unless kind = \"postgres\" (SQLite uses manager.store-path)");
  if (kind == "postgres" && !is_postgres_url(m.store_url))
    r.fail("store.url", "a postgresql:// URL, e.g. \"postgresql://baikal@db.example/baikal\"");
}

/// manager.cluster-key-type: what the keygen workers make each session's cluster keypair of.
void read_cluster_key_type(toml_reader& r, manager_settings& m) {
  std::string type = ssh::to_string(m.cluster_key_type);
  r.text("manager.cluster-key-type", type);
  if (r.error())
    return;
  if (auto parsed = ssh::parse_cluster_key_type(type))
    m.cluster_key_type = *parsed;
  else
    r.fail("manager.cluster-key-type", "\"rsa\" or \"ed25519\"");
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
  auto parsed = parse_toml(text, source);
  if (!parsed.table) {
    auto& bad = parsed.problem;
    return make_error(errc::invalid_argument, "Invalid " + source + " (line " +
                                                  std::to_string(bad.line) + ", column " +
                                                  std::to_string(bad.column) + "): " + bad.what);
  }
  auto& root = *parsed.table;
  if (auto err = check_known_keys(root, source))
    return err;
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
  r.integer("manager.max-starting", m.max_starting, 1, 1000000);
  r.seconds("manager.park-idle-after", m.park_idle_after);
  r.whole_seconds("manager.session-idle-timeout", m.default_idle_timeout, 0, 365 * 24 * 3600);
  r.text("manager.default-network-driver", m.default_network_driver);
  read_cluster_key_type(r, m);
  r.integer("manager.keygen-workers", m.keygen_workers, 1, 64);
  r.integer("manager.cluster-keys-made-ahead", m.cluster_keys_made_ahead, 0, 4096);
  r.integer("manager.launch-retries", m.launch_retries, 0, 100);
  r.integer("manager.quarantine-after", m.quarantine.failures_until_quarantine, 0, 1000000);
  r.seconds("manager.quarantine-backoff", m.quarantine.first_backoff);
  r.seconds("manager.quarantine-max-backoff", m.quarantine.max_backoff);
  if (!r.error() && m.quarantine.max_backoff < m.quarantine.first_backoff)
    r.fail("manager.quarantine-max-backoff", "at least manager.quarantine-backoff");
  read_timeouts(r, m.timeouts);
  read_store(r, m);
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
  read_api_limits(r, a);
  if (auto err = read_api_tls(r, source, a.tls))
    return err;
  r.address("agents.listen", cfg.agents.listen);
  r.text("tls.certificate", cfg.agents.tls.certificate);
  r.text("tls.key", cfg.agents.tls.key);
  r.text("tls.ca", cfg.agents.tls.ca);
  cfg.storage_root_set = root["storage"]["root"].is_string();
  r.text("storage.root", cfg.manager.storage_root);
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

void settle_storage_root(manager_config& cfg) {
  auto& root = cfg.manager.storage_root;
  if (!cfg.storage_root_set)
    root = (std::filesystem::path{cfg.manager.store_path}.parent_path() / "storage").string();
  if (!root.empty())
    root = std::filesystem::absolute(root).lexically_normal().string();
  // "/srv/storage/" and "/srv/storage" must name folders alike: agents compare the paths.
  while (root.size() > 1 && root.back() == '/')
    root.pop_back();
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
