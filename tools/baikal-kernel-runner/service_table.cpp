#include "service_table.hpp"

#include <signal.h>

#include <fstream>
#include <sstream>

#include <rapidjson/document.h>

namespace baikal::kernel_runner {

namespace {

std::optional<service_definition> parse_definition(const rapidjson::Value& v) {
  if (!v.IsObject() || !v.HasMember("command"))
    return std::nullopt;
  service_definition def;
  const auto& cmd = v["command"];
  if (cmd.IsString()) {
    def.command = {"/bin/sh", "-c", cmd.GetString()};
  } else if (cmd.IsArray()) {
    for (const auto& word : cmd.GetArray())
      if (word.IsString())
        def.command.emplace_back(word.GetString());
  }
  if (def.command.empty())
    return std::nullopt;
  if (v.HasMember("port") && v["port"].IsInt())
    def.port = v["port"].GetInt();
  if (v.HasMember("protocol") && v["protocol"].IsString())
    def.protocol = v["protocol"].GetString();
  if (v.HasMember("env") && v["env"].IsObject())
    for (const auto& kv : v["env"].GetObject())
      if (kv.value.IsString())
        def.env.push_back(std::string(kv.name.GetString()) + "=" + kv.value.GetString());
  return def;
}

} // namespace

service_table::service_table(std::string table_path, std::string workdir, double kill_grace)
    : table_path_(std::move(table_path)), workdir_(std::move(workdir)), kill_grace_(kill_grace) {}

std::map<std::string, service_definition> service_table::load_table(std::string& error) const {
  std::map<std::string, service_definition> table;
  std::ifstream in(table_path_);
  if (!in) {
    error = "no service table at " + table_path_;
    return table;
  }
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    error = "the service table " + table_path_ + " is not a JSON object";
    return table;
  }
  for (const auto& kv : doc.GetObject())
    if (auto def = parse_definition(kv.value))
      table.emplace(kv.name.GetString(), std::move(*def));
  return table;
}

service_start service_table::start(const std::string& name, std::optional<int> port_override) {
  auto it = services_.find(name);
  if (it != services_.end() && it->second.pid > 0 && !it->second.kill_at)
    return {"running", "", it->second.pid, it->second.port, it->second.def.protocol};
  if (it != services_.end() && it->second.pid > 0)
    return {"failed", "the service " + name + " is still stopping", -1, 0, ""};
  std::string error;
  auto table = load_table(error);
  auto def_it = table.find(name);
  if (def_it == table.end())
    return {"failed", "unknown service " + name + (error.empty() ? "" : " (" + error + ")"), -1, 0,
            ""};
  instance inst;
  inst.def = def_it->second;
  inst.port = port_override.value_or(inst.def.port);
  spawn_spec spec{inst.def.command, workdir_, false, inst.def.env, std::nullopt};
  for (auto& arg : spec.argv)
    for (auto pos = arg.find("{port}"); pos != std::string::npos; pos = arg.find("{port}"))
      arg.replace(pos, 6, std::to_string(inst.port));
  auto child = spawn_child(spec, error);
  if (child.pid < 0)
    return {"failed", error, -1, 0, ""};
  inst.pid = child.pid;
  services_[name] = inst;
  return {"started", "", inst.pid, inst.port, inst.def.protocol};
}

std::optional<std::string> service_table::stop(const std::string& name) {
  auto it = services_.find(name);
  if (it == services_.end())
    return "the service " + name + " is not running";
  if (it->second.pid <= 0)
    return "the service " + name + " already stopped";
  if (!it->second.kill_at) {
    signal_group(it->second.pid, SIGTERM);
    it->second.kill_at = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                                 std::chrono::duration<double>(kill_grace_));
  }
  return std::nullopt;
}

bool service_table::stopped(const std::string& name) const {
  auto it = services_.find(name);
  return it == services_.end() || it->second.pid <= 0;
}

std::vector<service_view> service_table::list() const {
  std::vector<service_view> out;
  for (const auto& [name, inst] : services_) {
    std::string status = inst.pid <= 0 ? "stopped" : inst.kill_at ? "stopping" : "running";
    out.push_back({name, status, inst.pid, inst.port, inst.def.protocol, inst.exit_code});
  }
  return out;
}

bool service_table::on_child_exit(pid_t pid, int wait_status) {
  for (auto& [name, inst] : services_) {
    if (inst.pid == pid) {
      inst.pid = -1;
      inst.kill_at.reset();
      inst.exit_code = exit_code_of(wait_status);
      return true;
    }
  }
  return false;
}

void service_table::tick(time_point now) {
  for (auto& [name, inst] : services_) {
    if (inst.pid > 0 && inst.kill_at && now >= *inst.kill_at) {
      signal_group(inst.pid, SIGKILL);
      inst.kill_at = now + std::chrono::seconds(3600); // killed; just wait for the reaper
    }
  }
}

std::optional<time_point> service_table::next_deadline() const {
  std::optional<time_point> next;
  for (const auto& [name, inst] : services_)
    if (inst.pid > 0 && inst.kill_at && (!next || *inst.kill_at < *next))
      next = inst.kill_at;
  return next;
}

void service_table::signal_all(int sig) {
  for (auto& [name, inst] : services_)
    if (inst.pid > 0)
      signal_group(inst.pid, sig);
}

bool service_table::any_alive() const {
  for (const auto& [name, inst] : services_)
    if (inst.pid > 0)
      return true;
  return false;
}

} // namespace baikal::kernel_runner
