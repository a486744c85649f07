#include <cstdio>
#include <ctime>
#include <iostream>

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/http/target.hpp"
#include "runtime/json/json_writer.hpp"
#include "tools/baikalctl/commands.hpp"

namespace baikal::ctl {

int fail(const caf::error& err) {
  auto message = message_of(err);
  auto code = to_string(code_of(err));
  // The API's errors already end in "(not_found, HTTP 404)"; local ones name their code too,
  // so a script can match the contract's code whichever side found the problem.
  if (message.find("(" + code) == std::string::npos)
    message += " (" + code + ")";
  std::cerr << "baikalctl: " << message << "\n";
  return 1;
}

int fail(const std::string& message) {
  std::cerr << "baikalctl: " << message << "\n";
  return 1;
}

caf::expected<double> number_option(const ctl_args& args, const std::string& name) {
  auto text = args.option(name);
  if (auto v = checks::parse_number(text, true))
    return *v;
  return make_error(errc::invalid_argument, name + " needs a number, not \"" + text + "\"");
}

namespace {

/// "2026-12-05 16:40:01.123": a time in ms since the epoch, in UTC.
std::string utc_time(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char text[32];
  auto n = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03d", static_cast<int>(ms % 1000));
  return text;
}

/// The option `name` as bytes ("512m", "2g", "1048576").
caf::expected<double> bytes_option(const ctl_args& args, const std::string& name) {
  if (auto v = parse_size(args.option(name)))
    return *v;
  return make_error(errc::invalid_argument,
                    name + " needs a size such as 268435456, 256m or 2g, not \"" +
                        args.option(name) + "\"");
}

/// The agents a session's kernels are on: "a1,a2".
std::string agents_of(const rapidjson::Value& s) {
  std::string out;
  for (auto& k : array_member(s, "kernels").GetArray())
    if (auto agent = str(k, "agent"); !agent.empty() && out.find(agent) == std::string::npos)
      out += (out.empty() ? "" : ",") + agent;
  return out.empty() ? "-" : out;
}

void print_session_line(const rapidjson::Value& s, bool wide) {
  if (!wide) {
    std::printf("%-36s  %-20s  %-12s  %s\n", str(s, "id").c_str(), str(s, "name").c_str(),
                str(s, "status").c_str(), str(s, "image").c_str());
    return;
  }
  std::printf("%-36s  %-20s  %-12s  %-30s  %-23s  %-20s  %s\n", str(s, "id").c_str(),
              str(s, "name").c_str(), str(s, "status").c_str(), str(s, "image").c_str(),
              utc_time(integer(s, "created_at_ms")).c_str(), agents_of(s).c_str(),
              str(s, "status_reason").c_str());
}

} // namespace

caf::expected<std::string> session_body(const ctl_args& args, const std::string& image) {
  json::writer w;
  w.begin_object();
  w.field("image", image);
  if (!args.option("--name").empty())
    w.field("name", args.option("--name"));
  if (!args.option("--cluster-mode").empty())
    w.field("cluster_mode", args.option("--cluster-mode"));
  if (!args.option("--cluster-size").empty()) {
    auto n = number_option(args, "--cluster-size");
    if (!n)
      return n.error();
    w.field("cluster_size", static_cast<int64_t>(*n));
  }
  if (!args.option("--network-type").empty())
    w.field("network_type", args.option("--network-type"));
  if (!args.option("--network-id").empty())
    w.field("network_id", args.option("--network-id"));
  if (!args.option("--scaling-group").empty())
    w.field("scaling_group", args.option("--scaling-group"));
  if (!args.option("--idle-timeout").empty()) {
    auto s = number_option(args, "--idle-timeout");
    if (!s)
      return s.error();
    w.key("idle_timeout");
    w.amount(*s);
  }
  if (args.flag("--batch")) {
    w.field("type", "batch");
    w.field("startup_command", args.code ? *args.code : std::string{});
    if (!args.option("--batch-timeout").empty()) {
      auto s = number_option(args, "--batch-timeout");
      if (!s)
        return s.error();
      w.key("batch_timeout");
      w.amount(*s);
    }
  }
  w.key("resources");
  w.begin_object();
  if (!args.option("--cpu").empty()) {
    auto cpu = number_option(args, "--cpu");
    if (!cpu)
      return cpu.error();
    w.key("cpu");
    w.amount(*cpu);
  }
  if (!args.option("--mem").empty()) {
    auto mem = bytes_option(args, "--mem");
    if (!mem)
      return mem.error();
    w.key("mem");
    w.amount(*mem);
  }
  w.end_object();
  w.key("environ");
  w.begin_object();
  for (auto& kv : args.all("--env")) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(errc::invalid_argument, "--env needs KEY=VALUE, not \"" + kv + "\"");
    w.field(kv.substr(0, eq), kv.substr(eq + 1));
  }
  w.end_object();
  if (auto mounts = args.all("--mount"); !mounts.empty()) {
    w.key("mounts");
    w.begin_array();
    for (auto& text : mounts) {
      std::string error;
      auto m = parse_mount_option(text, error);
      if (!m)
        return make_error(errc::invalid_argument, error);
      w.begin_object();
      w.field("folder", m->folder);
      w.field("mode", m->mode);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.str();
}

int session_create(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 3)
    return fail("usage: baikalctl session create IMAGE [--name N] ...");
  auto& image = args.words[2];
  auto body = session_body(args, image);
  if (!body)
    return fail(body.error());
  auto pulls = watch_pulls(args, api, args.flag("--wait") || !args.json);
  auto res = api.call("POST", "/v1/sessions", *body);
  if (!res)
    return fail(res.error());
  auto id = str(res->json, "id");
  if (args.flag("--wait")) {
    auto running = wait_running(args, api, id, pulls.get(), image);
    if (!running)
      return fail(running.error());
    std::cout << (args.json ? *running : id) << "\n";
    return 0;
  }
  if (!args.json) {
    // A person watching gets the pulls drawn; scripts (--json) get the id at once.
    auto ready = wait_images_ready(args, api, id, pulls.get(), image);
    if (!ready)
      return fail(ready.error());
  }
  std::cout << (args.json ? res->body : id) << "\n";
  return 0;
}

int session_ls(const ctl_args& args, const ctl_client& api) {
  std::string query;
  for (auto name : {"status", "limit", "after"}) {
    auto value = args.option(std::string{"--"} + name);
    if (!value.empty())
      query += (query.empty() ? "?" : "&") + std::string{name} + "=" + http::percent_encode(value);
  }
  auto res = api.get("/v1/sessions" + query);
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  if (args.wide())
    std::printf("%-36s  %-20s  %-12s  %-30s  %-23s  %-20s  %s\n", "ID", "NAME", "STATUS", "IMAGE",
                "CREATED (UTC)", "AGENTS", "REASON");
  else
    std::printf("%-36s  %-20s  %-12s  %s\n", "ID", "NAME", "STATUS", "IMAGE");
  for (auto& s : array_member(res->json, "sessions").GetArray())
    print_session_line(s, args.wide());
  auto next = str(res->json, "next");
  if (!next.empty())
    std::cerr << "more remain: baikalctl session ls --after " << next << "\n";
  return 0;
}

int session_show(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 3)
    return fail("usage: baikalctl session show SESSION");
  auto id = api.resolve_session(args.words[2]);
  if (!id)
    return fail(id.error());
  auto res = api.get("/v1/sessions/" + http::percent_encode(*id));
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  auto& s = res->json;
  std::cout << "id:           " << str(s, "id") << "\n"
            << "name:         " << str(s, "name") << "\n"
            << "status:       " << str(s, "status") << "\n"
            << "reason:       " << str(s, "status_reason") << "\n"
            << "image:        " << str(s, "image") << "\n"
            << "cluster:      " << str(s, "cluster_mode") << "\n"
            << "network:      " << str(s, "network_type") << " " << str(s, "network_id") << "\n";
  if (auto& idle = member(s, "idle_timeout"); idle.IsNumber())
    std::cout << "idle timeout: "
              << (idle.GetDouble() > 0 ? to_json(idle) + " s" : std::string{"never"}) << "\n";
  if (!member(s, "status_data").IsNull())
    std::cout << "status_data:  " << to_json(member(s, "status_data")) << "\n";
  std::cout << "kernels:\n";
  for (auto& k : array_member(s, "kernels").GetArray())
    std::cout << "  " << str(k, "id") << "  " << str(k, "role") << "  " << str(k, "hostname")
              << "  agent " << str(k, "agent") << "  " << str(k, "status") << "  "
              << str(k, "container_id").substr(0, 12) << "\n";
  return 0;
}

int session_history(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 3)
    return fail("usage: baikalctl session history SESSION");
  auto id = api.resolve_session(args.words[2]);
  if (!id)
    return fail(id.error());
  auto res = api.get("/v1/sessions/" + http::percent_encode(*id) + "/history");
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  if (!res->json.IsArray())
    return fail("the manager's answer to the history of " + *id + " is not a list");
  std::printf("%-24s  %-12s  %s\n", "TIME (UTC)", "STATUS", "REASON");
  for (auto& change : res->json.GetArray())
    std::printf("%-24s  %-12s  %s\n", utc_time(integer(change, "at_ms")).c_str(),
                str(change, "status").c_str(), str(change, "reason").c_str());
  return 0;
}

int session_rm(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 3)
    return fail("usage: baikalctl session rm SESSION...");
  int rc = 0;
  for (size_t i = 2; i < args.words.size(); ++i) {
    auto id = api.resolve_session(args.words[i]);
    auto res = id ? api.call("DELETE", "/v1/sessions/" + http::percent_encode(*id))
                  : caf::expected<api_reply>{id.error()};
    if (!res) {
      rc = fail(res.error());
      continue;
    }
    std::cout << (args.json ? res->body : *id) << "\n";
  }
  return rc;
}

} // namespace baikal::ctl
