#pragma once

/// A whole Baikal cluster of real processes for one test: baikal-manager in the manager's
/// network namespace and baikal-agent processes in the agents' namespaces (netns.sh), all on
/// the harness's private Docker engine, joined over the bridge by the manager's namespace
/// address, with TLS when asked. The test drives it over HTTP from the root namespace, as a
/// user on another machine would.
///
/// The constructor writes the TOML files into a temporary directory, starts the manager and two
/// agents and waits until GET /v1/agents shows both ALIVE. The destructor terminates the
/// sessions still live, stops every process (SIGTERM, then SIGKILL), checks that no kernel
/// container of its agents is left and removes what a failed test left behind.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster/cluster_network.hpp"
#include "cluster/engine_probe.hpp"
#include "cluster/node_process.hpp"
#include "support/api_client.hpp"
#include "support/temp_dir.hpp"

namespace baikal::test {

/// A node certificate, its key and the CA it trusts; all empty: plain TCP.
struct node_tls {
  std::string certificate;
  std::string key;
  std::string ca;
  bool enabled() const { return !certificate.empty(); }
};

/// One agent process: its id, its namespace, its service port range and its TLS files.
struct agent_node {
  std::string id;
  netns_node where;
  int port_first = 0;
  node_tls tls;
};

struct cluster_options {
  bool tls = false; ///< certificates from deploy/make-certs.sh for the manager and both agents
  /// The API over HTTPS with make-certs.sh's api.crt; alice and ops trust the cluster CA.
  bool api_tls = false;
  /// The engine the manager and agents use, and the image sessions run; empty: the harness's
  /// shared engine and BAIKAL_TEST_IMAGE.
  std::string docker_socket;
  std::string image;
  /// Each agent's scratch root and state folder go under `{scratch_base}/{n}` (n: 1, 2), e.g. a
  /// small file system; empty: the cluster's own directory.
  std::string scratch_base;
  /// Lines added to every agent's [docker] table ("image-pull-timeout = 10.0").
  std::string agent_docker_toml;
  /// Tables added to the manager's file (more [[images]]).
  std::string manager_toml;
  /// A PostgreSQL database (postgres_server::create_database) for the manager's store instead
  /// of a SQLite file.
  std::string postgres_url;
  /// A second manager on the same database, standing by on the next ports (api_port + 1,
  /// agents_port + 1); the agents know both. Needs postgres_url.
  bool standby_manager = false;
};

class process_cluster {
public:
  explicit process_cluster(cluster_options opts = {});
  ~process_cluster();
  process_cluster(const process_cluster&) = delete;
  process_cluster& operator=(const process_cluster&) = delete;

  /// The options it was made with (the engine's socket and the image filled in).
  const cluster_options& options() const { return opts_; }

  cluster_network net = cluster_network::load();
  temp_dir dir{"bkc"}; ///< short: runner sockets live under it (sun_path holds 108 bytes)
  std::string image;
  engine_probe engine;
  api_client alice;
  api_client ops; ///< an admin user (drains agents)
  agent_node agent_1;
  agent_node agent_2;

  // -- processes --------------------------------------------------------------------------

  void start_manager();
  /// Starts the second manager (options().standby_manager) and waits until its API answers.
  void start_standby();
  /// The second manager took the lead: from now on it is the cluster's manager (alice and ops
  /// call it; stop_manager, kill_manager and the clean-up act on it).
  void standby_leads();
  node_process& standby_process() { return *standby_; }
  /// The API port of manager 1 or 2.
  static uint16_t api_port_of(int manager);
  /// Sends `sig` to the manager without waiting (SIGSTOP, SIGCONT).
  bool signal_manager(int sig);
  /// Waits at most `limit` for the manager to end by itself: its exit code, -1 when it runs.
  int wait_manager(std::chrono::seconds limit);
  /// SIGTERM; answers the exit code (0 when it stopped cleanly).
  int stop_manager();
  /// Sends `sig` (SIGKILL: a crash) to the manager and reaps it; answers the exit code.
  int kill_manager(int sig);
  void start_agent(const agent_node& agent);
  /// SIGTERM when `sig` is 0 (a clean stop), else `sig` (SIGKILL: a crash); answers the exit code.
  int stop_agent(const std::string& id, int sig = 0);
  const node_process& agent_process(const std::string& id) const { return *agents_.at(id); }
  const node_process& manager_process() const { return *manager_; }
  const agent_node& node_of(const std::string& id) const;

  /// Certificates of another CA for `id`, trusting this cluster's CA (empty without TLS).
  node_tls foreign_tls(const std::string& id);

  /// The storage root the manager and every agent share ([storage] root).
  std::filesystem::path storage_root() const { return dir.path / "storage"; }

  /// The port agents join the manager on, at the manager namespace's address.
  static uint16_t registry_port();

  // -- the API ------------------------------------------------------------------------------

  /// The agent's status in GET /v1/agents, empty when it is not listed.
  std::string agent_status(const std::string& id) const;
  /// Waits until the agent shows `status`; answers whether it did.
  bool wait_agent_status(const std::string& id, const std::string& status,
                         std::chrono::seconds limit = std::chrono::seconds{90}) const;
  /// A session created otherwise than by create_session: terminated at the end all the same.
  void track_session(const std::string& id) { sessions_.push_back(id); }
  /// POST /v1/sessions with `body`; answers the new session's id (REQUIREs 201).
  std::string create_session(const std::string& body);
  /// Waits until the session is `status` or has ended otherwise; answers the last status.
  std::string wait_session_status(const std::string& id, const std::string& status,
                                  std::chrono::seconds limit = std::chrono::seconds{120}) const;
  /// Runs `code` in the session's main kernel, following "continued" answers; answers what it
  /// printed on stdout and stderr, with the exit code in `exit_code`.
  std::string run(const std::string& session, const std::string& code,
                  int* exit_code = nullptr) const;

private:
  std::string write_manager_config(int manager = 1) const;
  std::string write_agent_config(const agent_node& agent) const;
  /// The agents' [manager] table: the manager, or both when one stands by.
  std::string manager_addresses() const;
  std::filesystem::path agent_dir(const agent_node& agent) const;
  /// Runs deploy/make-certs.sh with `args` ("[--api-san SAN] OUT_DIR NODE ...").
  void make_certs(const std::string& args) const;
  bool manager_answers() const;
  void terminate_live_sessions();
  void remove_leftovers();

  cluster_options opts_;
  std::string certs_;
  std::unique_ptr<node_process> manager_;
  std::unique_ptr<node_process> standby_;
  std::map<std::string, std::unique_ptr<node_process>> agents_;
  std::vector<agent_node> started_;
  std::vector<std::string> sessions_;
  std::vector<std::string> networks_;
};

/// `key` of kernel `index` in a session's JSON (GET /v1/sessions/{id}), empty when missing.
std::string kernel_field(const api_answer& session, size_t index, const char* key);

} // namespace baikal::test
