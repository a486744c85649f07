#include "cluster/process_cluster.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "runtime/http/client.hpp"
#include "support/eventually.hpp"
#include "support/test_env.hpp"

namespace baikal::test {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr uint16_t api_port = 8090;
constexpr uint16_t agents_port = 6100;
constexpr const char* alice_token = "cluster-token-alice-0001";
constexpr const char* ops_token = "cluster-token-ops-0001";
constexpr int ports_per_agent = 100;

/// Host ports for kernels' services. Docker publishes them in the root namespace, while an
/// agent checks that a port is free in its own (empty) namespace, so each cluster takes a random
/// block below the ephemeral range (32768 and up: outgoing connections) and below the ports the
/// harness's registries pick (20000 and up).
int random_port_block() {
  std::random_device rd;
  return 11000 + static_cast<int>(rd() % 25) * 3 * ports_per_agent;
}

/// "<pid>-<random>": agent ids unique on the shared engine, whose containers carry them.
std::string run_tag() {
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(rd() % 100000);
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string tls_table(const node_tls& tls) {
  if (!tls.enabled())
    return {};
  return "\n[tls]\ncertificate = " + quoted(tls.certificate) + "\nkey = " + quoted(tls.key) +
         "\nca = " + quoted(tls.ca) + "\n";
}

/// Calls the API without failing the test when nothing answers (a manager restarting, or the
/// clean-up after a failed test, where a throwing assertion would end the whole run); answers
/// the status (0 when nothing answered) and the parsed body.
std::pair<int, rapidjson::Document> quiet_call(const api_client& api, const std::string& method,
                                               const std::string& target) {
  std::pair<int, rapidjson::Document> out{0, rapidjson::Document{}};
  auto client = api.client();
  if (!client)
    return out;
  http::client_request req;
  req.method = method;
  req.target = target;
  req.headers["Authorization"] = "Bearer " + api.token;
  auto res = client->send(req);
  if (!res)
    return out;
  out.first = res->status;
  out.second.Parse(res->body.c_str());
  return out;
}

std::string string_of(const rapidjson::Document& doc, const char* key) {
  if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString())
    return {};
  return doc[key].GetString();
}

/// `code` as a JSON string's contents.
std::string json_escaped(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

/// The end of a daemon's log, for a failure message.
std::string tail_of(const std::string& log, size_t chars = 4000) {
  return log.size() <= chars ? log : log.substr(log.size() - chars);
}

std::string output_of(const api_answer& res) {
  std::string out;
  if (!res.json.IsObject() || !res.json.HasMember("console") || !res.json["console"].IsArray())
    return out;
  for (auto& item : res.json["console"].GetArray())
    if (item.IsArray() && item.Size() == 2 && item[1].IsString())
      out += item[1].GetString();
  return out;
}

} // namespace

std::string kernel_field(const api_answer& session, size_t index, const char* key) {
  if (!session.json.IsObject() || !session.json.HasMember("kernels"))
    return {};
  auto& kernels = session.json["kernels"];
  if (!kernels.IsArray() || index >= kernels.Size() || !kernels[index].HasMember(key) ||
      !kernels[index][key].IsString())
    return {};
  return kernels[index][key].GetString();
}

namespace {

cluster_options filled_in(cluster_options opts) {
  if (opts.docker_socket.empty())
    opts.docker_socket = env_value("BAIKAL_TEST_DOCKER_SOCK");
  if (opts.image.empty())
    opts.image = env_value("BAIKAL_TEST_IMAGE");
  return opts;
}

} // namespace

process_cluster::process_cluster(cluster_options opts)
    : image(filled_in(opts).image), engine(filled_in(opts).docker_socket),
      opts_(filled_in(std::move(opts))) {
  // The engine is named in each agent's config; an inherited DOCKER_HOST would win over it.
  ::unsetenv("DOCKER_HOST");
  alice = api_client{api_port, alice_token, net.manager.address};
  ops = api_client{api_port, ops_token, net.manager.address};
  auto tag = run_tag();
  auto ports = random_port_block();
  agent_1 = {"bkc-" + tag + "-1", net.agent_1, ports, {}};
  agent_2 = {"bkc-" + tag + "-2", net.agent_2, ports + ports_per_agent, {}};
  if (opts_.tls || opts_.api_tls) {
    certs_ = (dir.path / "certs").string();
    // The test reaches the API by the manager namespace's address: api.crt must name it.
    make_certs("--api-san IP:" + net.manager.address + " " + certs_ + " manager " + agent_1.id +
               " " + agent_2.id);
  }
  if (opts_.tls)
    for (auto* a : {&agent_1, &agent_2})
      a->tls = {certs_ + "/" + a->id + ".crt", certs_ + "/" + a->id + ".key", certs_ + "/ca.crt"};
  if (opts_.api_tls)
    for (auto* user : {&alice, &ops})
      user->cacert = certs_ + "/ca.crt";
  start_manager();
  if (opts_.standby_manager)
    start_standby();
  start_agent(agent_1);
  start_agent(agent_2);
  REQUIRE_MESSAGE(wait_agent_status(agent_1.id, "ALIVE"), agent_process(agent_1.id).output());
  REQUIRE_MESSAGE(wait_agent_status(agent_2.id, "ALIVE"), agent_process(agent_2.id).output());
}

process_cluster::~process_cluster() {
  if (manager_ && manager_answers())
    terminate_live_sessions();
  for (auto& [id, process] : agents_)
    process->stop(30s);
  if (manager_)
    manager_->stop(30s);
  if (standby_)
    standby_->stop(30s);
  for (auto& agent : started_)
    CHECK_MESSAGE(engine.containers_of_agent(agent.id).empty(),
                  "kernel containers of " << agent.id << " are left after the test");
  remove_leftovers();
}

// -- processes ----------------------------------------------------------------------------

void process_cluster::start_manager() {
  auto port_file = (dir.path / "manager.ports").string();
  fs::remove(port_file);
  manager_ = std::make_unique<node_process>(
      net.manager.netns,
      std::vector<std::string>{BAIKAL_MANAGER_PATH, "--config", write_manager_config(),
                               "--port-file", port_file},
      (dir.path / "manager.log").string());
  // The port file is written once both the agent port and the API listen.
  REQUIRE_MESSAGE(eventually([&] { return fs::exists(port_file) && manager_answers(); }, 60s),
                  manager_->output());
}

void process_cluster::start_standby() {
  standby_ = std::make_unique<node_process>(
      net.manager.netns,
      std::vector<std::string>{BAIKAL_MANAGER_PATH, "--config", write_manager_config(2)},
      (dir.path / "manager-2.log").string());
  // A standby serves health (and reads) while it waits for the lead.
  auto second = alice;
  second.port = api_port_of(2);
  REQUIRE_MESSAGE(
      eventually([&] { return quiet_call(second, "GET", "/v1/health").first == 200; }, 60s),
      standby_->output());
}

void process_cluster::standby_leads() {
  REQUIRE(standby_);
  if (manager_)
    manager_->stop(30s);
  manager_ = std::move(standby_);
  alice.port = api_port_of(2);
  ops.port = api_port_of(2);
}

uint16_t process_cluster::api_port_of(int manager) {
  return static_cast<uint16_t>(api_port + manager - 1);
}

bool process_cluster::signal_manager(int sig) {
  return manager_ && manager_->signal(sig);
}

int process_cluster::wait_manager(std::chrono::seconds limit) {
  return manager_ ? manager_->wait_for(limit) : -1;
}

int process_cluster::stop_manager() {
  int rc = manager_->stop(60s);
  manager_.reset();
  return rc;
}

int process_cluster::kill_manager(int sig) {
  int rc = manager_->kill(sig);
  manager_.reset();
  return rc;
}

void process_cluster::start_agent(const agent_node& agent) {
  auto dir_of = agent_dir(agent);
  fs::create_directories(dir_of);
  agents_[agent.id] = std::make_unique<node_process>(
      agent.where.netns,
      std::vector<std::string>{BAIKAL_AGENT_PATH, "--config", write_agent_config(agent), "--runner",
                               BAIKAL_KERNEL_RUNNER_PATH},
      (dir_of / "agent.log").string());
  bool known = false;
  for (auto& a : started_)
    known = known || a.id == agent.id;
  if (!known)
    started_.push_back(agent);
}

int process_cluster::stop_agent(const std::string& id, int sig) {
  auto& process = *agents_.at(id);
  return sig == 0 ? process.stop(60s) : process.kill(sig);
}

const agent_node& process_cluster::node_of(const std::string& id) const {
  for (auto& a : started_)
    if (a.id == id)
      return a;
  FAIL("no agent " << id << " in this cluster");
  return started_.front();
}

uint16_t process_cluster::registry_port() {
  return agents_port;
}

node_tls process_cluster::foreign_tls(const std::string& id) {
  auto foreign = (dir.path / "foreign-certs").string();
  make_certs(foreign + " " + id);
  return {foreign + "/" + id + ".crt", foreign + "/" + id + ".key", certs_ + "/ca.crt"};
}

std::string process_cluster::write_manager_config(int manager) const {
  auto suffix = manager == 1 ? std::string{} : "-" + std::to_string(manager);
  auto path = (dir.path / ("manager" + suffix + ".toml")).string();
  auto store = opts_.postgres_url.empty()
                   ? std::string{}
                   : "\n[store]\nkind = \"postgres\"\nurl = " + quoted(opts_.postgres_url) + "\n";
  node_tls tls;
  if (opts_.tls)
    tls = {certs_ + "/manager.crt", certs_ + "/manager.key", certs_ + "/ca.crt"};
  // Short heartbeats so that a cut link shows as LOST within seconds; dispersed scheduling so
  // that a multi-node session puts one kernel on each agent.
  std::ofstream{path}
      << "[manager]\nstore-path = " << quoted((dir.path / ("manager" + suffix + ".db")).string())
      << "\nheartbeat-interval = 0.5\nmissed-heartbeats-until-lost = 3\n"
      << "scheduling-policy = \"dispersed\"\nsession-start-timeout = 120.0\n"
      << "\n[network]\ndocker-socket = " << quoted(opts_.docker_socket) << "\n"
      << "\n[storage]\nroot = " << quoted(storage_root().string()) << "\n"
      << store << "\n[api]\nlisten = { host = " << quoted(net.manager.address)
      << ", port = " << api_port_of(manager) << " }\n"
      << (opts_.api_tls ? "\n[api.tls]\ncertificate = " + quoted(certs_ + "/api.crt") +
                              "\nkey = " + quoted(certs_ + "/api.key") + "\n"
                        : std::string{})
      << "\n[agents]\nlisten = { host = " << quoted(net.manager.address)
      << ", port = " << agents_port + manager - 1 << " }\n"
      << tls_table(tls) << "\n[[users]]\nname = \"alice\"\n"
      << "uuid = \"4be1a6e0-3c1d-4b7e-9a51-0c2f3e8d7a10\"\ntoken = " << quoted(alice_token) << "\n"
      << "\n[[users]]\nname = \"ops\"\n"
      << "uuid = \"9d0c7f52-1b6e-4c3a-8f2d-6e5a4b3c2d10\"\ntoken = " << quoted(ops_token)
      << "\nadmin = true\n"
      << "\n[[images]]\nreference = " << quoted(image) << "\ncanonical = " << quoted(image)
      << "\nis-local = true\nauto-pull = \"none\"\n"
      << opts_.manager_toml;
  return path;
}

std::string process_cluster::manager_addresses() const {
  auto address = [&](int port) {
    return "{ host = " + quoted(net.manager.address) + ", port = " + std::to_string(port) + " }";
  };
  if (!opts_.standby_manager)
    return "\n[manager]\naddress = " + address(agents_port) + "\n";
  return "\n[manager]\naddresses = [ " + address(agents_port) + ", " + address(agents_port + 1) +
         " ]\n";
}

std::filesystem::path process_cluster::agent_dir(const agent_node& agent) const {
  // The id's last part ("1", "2", ...): the runner socket paths under it must stay short.
  return dir.path / agent.id.substr(agent.id.rfind('-') + 1);
}

std::string process_cluster::write_agent_config(const agent_node& agent) const {
  auto path = (agent_dir(agent) / "agent.toml").string();
  auto base = opts_.scratch_base.empty()
                  ? agent_dir(agent)
                  : fs::path{opts_.scratch_base} / agent_dir(agent).filename();
  std::ofstream{path} << "[agent]\nid = " << quoted(agent.id)
                      << "\nrpc-listen-addr = { host = \"127.0.0.1\", port = 0 }\n"
                      << "\n[container]\nscratch-root = " << quoted((base / "s").string())
                      << "\nvar-base-path = " << quoted((base / "var").string())
                      << "\nbase-commit-path = " << quoted((base / "commit").string())
                      << "\nport-range = [" << agent.port_first << ", "
                      << agent.port_first + ports_per_agent - 1
                      << "]\n"
                      // The engine publishes kernels' ports in the root namespace.
                      << "advertised-host = " << quoted(net.host_address) << "\n"
                      << "\n[docker]\nsocket = " << quoted(opts_.docker_socket) << "\n"
                      << opts_.agent_docker_toml << manager_addresses()
                      << "\n[storage]\nroot = " << quoted(storage_root().string()) << "\n"
                      << tls_table(agent.tls);
  return path;
}

void process_cluster::make_certs(const std::string& args) const {
  auto cmd = std::string{BAIKAL_SOURCE_DIR} + "/deploy/make-certs.sh " + args + " >> " +
             (dir.path / "make-certs.log").string() + " 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "deploy/make-certs.sh failed: " << cmd);
}

bool process_cluster::manager_answers() const {
  return quiet_call(alice, "GET", "/v1/health").first == 200;
}

// -- the API --------------------------------------------------------------------------------

std::string process_cluster::agent_status(const std::string& id) const {
  auto res = alice.get("/v1/agents");
  if (res.status != 200 || !res.json.IsObject() || !res.json.HasMember("agents"))
    return {};
  for (auto& a : res.json["agents"].GetArray())
    if (a["id"].IsString() && a["id"].GetString() == id && a["status"].IsString())
      return a["status"].GetString();
  return {};
}

bool process_cluster::wait_agent_status(const std::string& id, const std::string& status,
                                        std::chrono::seconds limit) const {
  return eventually([&] { return agent_status(id) == status; }, limit);
}

std::string process_cluster::create_session(const std::string& body) {
  auto res = alice.post("/v1/sessions", body);
  REQUIRE_MESSAGE(res.status == 201, res.body);
  auto id = res.str("id");
  REQUIRE(!id.empty());
  sessions_.push_back(id);
  return id;
}

std::string process_cluster::wait_session_status(const std::string& id, const std::string& status,
                                                 std::chrono::seconds limit) const {
  std::string last;
  eventually(
      [&] {
        last = alice.get("/v1/sessions/" + id).str("status");
        return last == status || last == "ERROR" || last == "TERMINATED";
      },
      limit);
  if (last != status)
    MESSAGE("session " << id << " is " << last << ": " << alice.get("/v1/sessions/" + id).body);
  return last;
}

std::string process_cluster::run(const std::string& session, const std::string& code,
                                 int* exit_code) const {
  auto escaped = json_escaped(code);
  auto target = "/v1/sessions/" + session + "/execute";
  auto res = alice.post(target, R"({"mode":"query","code":")" + escaped + "\"}");
  auto out = output_of(res);
  while (res.status == 200 && res.str("status") == "continued") {
    res = alice.post(target,
                     R"({"mode":"continue","code":"","run_id":")" + res.str("run_id") + "\"}");
    out += output_of(res);
  }
  CHECK_MESSAGE(res.status == 200, res.body);
  if (exit_code)
    *exit_code =
        res.json.IsObject() && res.json.HasMember("exit_code") && res.json["exit_code"].IsInt()
            ? res.json["exit_code"].GetInt()
            : -1;
  return out;
}

// -- clean-up -------------------------------------------------------------------------------

void process_cluster::terminate_live_sessions() {
  auto status_of = [&](const std::string& id, std::string* network = nullptr) {
    auto shown = quiet_call(alice, "GET", "/v1/sessions/" + id);
    if (network)
      *network = string_of(shown.second, "network_id");
    return string_of(shown.second, "status");
  };
  for (auto& id : sessions_) {
    std::string network;
    auto status = status_of(id, &network);
    if (!network.empty())
      networks_.push_back(network);
    if (status == "TERMINATED" || status.empty())
      continue;
    // A session in ERROR is deleted too: its kernels may still have containers.
    quiet_call(alice, "DELETE", "/v1/sessions/" + id);
    CHECK_MESSAGE(eventually(
                      [&] {
                        status = status_of(id);
                        return status == "TERMINATED" || status == "ERROR";
                      },
                      60s),
                  "session " << id
                             << " was not terminated at the end of the test; the manager "
                                "wrote:\n"
                             << tail_of(manager_->output()));
  }
}

void process_cluster::remove_leftovers() {
  for (auto& agent : started_)
    for (auto& container : engine.containers_of_agent(agent.id))
      engine.remove_container(container);
  for (auto& network : networks_)
    if (network.rfind("bai-", 0) == 0)
      engine.remove_network(network);
}

} // namespace baikal::test
