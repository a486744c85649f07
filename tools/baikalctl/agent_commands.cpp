#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "messages/errors.hpp"
#include "runtime/http/target.hpp"
#include "runtime/json/json_writer.hpp"
#include "tools/baikalctl/commands.hpp"
#include "tools/baikalctl/sse_reader.hpp"

namespace baikal::ctl {

namespace {

std::string slot_text(const rapidjson::Value& slots, const char* name) {
  auto& amount = member(slots, name);
  if (!amount.IsNumber())
    return "0"; // a slot nothing uses is left out of "used"
  double v = amount.GetDouble();
  char buf[64];
  if (std::string{name} == "mem")
    std::snprintf(buf, sizeof buf, "%.1fG", v / (1024.0 * 1024 * 1024));
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// "-", "probing", or "quarantined 12s: <reason>": whether the agent takes new sessions.
std::string quarantine_text(const rapidjson::Value& agent) {
  auto& q = member(agent, "quarantine");
  if (!q.IsObject())
    return "-";
  auto state = str(q, "state");
  if (state.empty() || state == "clear")
    return "-";
  if (state != "quarantined")
    return state;
  auto& seconds_left = member(q, "seconds_left");
  char left[32];
  std::snprintf(left, sizeof left, " %.0fs",
                seconds_left.IsNumber() ? seconds_left.GetDouble() : 0.0);
  return state + left + ": " + str(q, "reason");
}

/// "3s": how long ago the agent's last heartbeat came.
std::string heartbeat_age(const rapidjson::Value& agent) {
  auto last = integer(agent, "last_heartbeat_ms");
  if (last <= 0)
    return "-";
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return std::to_string(std::max<int64_t>(0, now - last) / 1000) + "s";
}

/// "healthy", or "unhealthy: <reason>".
std::string health_text(const rapidjson::Value& agent) {
  auto& healthy = member(agent, "healthy");
  if (!healthy.IsBool() || healthy.GetBool())
    return "healthy";
  return "unhealthy: " + str(agent, "unhealthy_reason");
}

} // namespace

int agents(const ctl_args& args, const ctl_client& api) {
  auto res = api.get("/v1/agents");
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  // The default table as it always was; wide adds the heartbeat and the engine's health.
  const char* format = args.wide() ? "%-24s  %-8s  %-10s  %-22s  %-11s  %-13s  %-7s  %-32s  "
                                     "%-13s  %s\n"
                                   : "%-24s  %-8s  %-10s  %-22s  %-11s  %-13s  %-7s  %s\n";
  std::printf(format, "ID", "STATUS", "GROUP", "ADDRESS", "CPU used/of", "MEM used/of", "DRAINED",
              "QUARANTINE", "HEARTBEAT AGO", "HEALTH");
  for (auto& a : array_member(res->json, "agents").GetArray()) {
    auto& slots = member(a, "slots");
    auto& used = member(slots, "used");
    auto& capacity = member(slots, "capacity");
    auto cpu = slot_text(used, "cpu") + "/" + slot_text(capacity, "cpu");
    auto mem = slot_text(used, "mem") + "/" + slot_text(capacity, "mem");
    auto& drained = member(a, "drained");
    auto drained_text = drained.IsBool() && drained.GetBool() ? "yes" : "-";
    std::printf(format, str(a, "id").c_str(), str(a, "status").c_str(),
                str(a, "scaling_group").c_str(), str(a, "address").c_str(), cpu.c_str(),
                mem.c_str(), drained_text, quarantine_text(a).c_str(), heartbeat_age(a).c_str(),
                health_text(a).c_str());
  }
  return 0;
}

int agents_drain(const ctl_args& args, const ctl_client& api) {
  auto& action = args.words[1];
  if (args.words.size() != 3)
    return fail("usage: baikalctl agents " + action + " AGENT");
  auto& agent = args.words[2];
  auto res = api.call("POST", "/v1/agents/" + http::percent_encode(agent) + "/" + action);
  if (!res)
    return fail(res.error());
  if (args.json)
    std::cout << res->body << "\n";
  else if (action == "drain")
    std::cout << "agent " << agent
              << " is drained: it gets no new kernels, its running ones stay\n";
  else
    std::cout << "agent " << agent << " takes new kernels again\n";
  return 0;
}

int images_purge(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 4)
    return fail("usage: baikalctl images purge AGENT IMAGE... [--force] [--noprune]");
  json::writer w;
  w.begin_object();
  w.field("images", std::vector<std::string>(args.words.begin() + 3, args.words.end()));
  w.field("force", args.flag("--force"));
  w.field("noprune", args.flag("--noprune"));
  w.end_object();
  auto res = api.call("POST", "/v1/agents/" + http::percent_encode(args.words[2]) + "/images/purge",
                      w.str());
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  int rc = 0;
  for (auto& r : array_member(res->json, "results").GetArray()) {
    if (member(r, "error").IsString()) {
      rc = 1;
      std::cout << str(r, "image") << ": " << str(r, "error") << "\n";
    } else {
      std::cout << str(r, "image") << ": deleted\n";
    }
  }
  return rc;
}

/// One event for --json: `{"id": N, "event": NAME, "data": {...}}`.
std::string event_line(const sse_event& ev) {
  auto digits = !ev.id.empty() && ev.id.find_first_not_of("0123456789") == std::string::npos;
  return std::string{"{\"id\":"} + (digits ? ev.id : "null") + ",\"event\":\"" +
         (ev.event.empty() ? "message" : ev.event) + "\",\"data\":" + ev.data + "}";
}

int events(const ctl_args& args, const ctl_client& api) {
  http::client_request req;
  req.target = "/v1/events";
  std::string query;
  if (auto session = args.option("--session"); !session.empty()) {
    auto id = api.resolve_session(session);
    if (!id)
      return fail(id.error());
    query += "session=" + http::percent_encode(*id);
  }
  if (auto types = args.option("--type"); !types.empty())
    query += (query.empty() ? "" : "&") + std::string{"type="} + http::percent_encode(types);
  if (!query.empty())
    req.target += "?" + query;
  req.headers["Authorization"] = "Bearer " + api.token();
  sse_reader reader;
  std::string body; // kept for an error answer, which is not an event stream
  auto status = api.http().stream(req, [&](std::string_view piece) {
    if (body.size() < 4096)
      body.append(piece);
    for (auto& ev : reader.feed_events(piece))
      std::cout << (args.json ? event_line(ev) : ev.data) << std::endl;
    return true;
  });
  if (!status)
    return fail(status.error());
  if (*status >= 400)
    return fail(describe_api_error(*status, body));
  return 0;
}

} // namespace baikal::ctl
