#include "runtime/json/api_json.hpp"

#include "runtime/json/event_names.hpp"
#include "runtime/json/folder_json.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal::json {

namespace {

/// Embeds `text` when it is JSON, else writes it as a string (or null when empty).
void embedded(writer& w, std::string_view k, const std::string& text) {
  w.key(k);
  if (text.empty())
    w.null();
  else if (is_json(text))
    w.raw(text);
  else
    w.string(text);
}

void kernel_fields(writer& w, const kernel_record& k) {
  w.begin_object();
  w.field("id", k.id);
  w.field("agent", k.agent);
  w.field("role", to_string(k.role));
  w.field("idx", static_cast<int64_t>(k.cluster_idx));
  w.field("hostname", k.cluster_hostname);
  w.field("container_id", k.container_id);
  w.field("status", to_string(k.status));
  w.end_object();
}

void session_fields(writer& w, const session_record& rec) {
  auto& s = rec.spec;
  w.begin_object();
  w.field("id", s.id);
  w.field("name", s.name);
  w.field("status", to_string(rec.status));
  embedded(w, "status_data", rec.status_data);
  w.field("status_reason", rec.status_reason);
  w.field("image", s.kernels.empty() ? std::string{} : s.kernels.front().image);
  w.field("cluster_mode", to_string(s.mode));
  w.field("cluster_size", static_cast<int64_t>(s.cluster_size));
  w.field("network_type", to_string(s.network));
  w.field("network_id", rec.network_id);
  w.field("scaling_group", s.scaling_group);
  w.key("idle_timeout");
  w.amount(s.idle_timeout);
  w.field("type", to_string(s.type));
  w.key("result");
  if (rec.batch_exit_code) {
    w.begin_object();
    w.field("exit_code", int64_t{*rec.batch_exit_code});
    w.end_object();
  } else {
    w.null();
  }
  w.field("created_at_ms", rec.created_at_ms);
  mounts_field(w, "mounts", s.mounts);
  // What a user reaches through /v1/sessions/{id}/apps/{name}/: host ports are the agent's.
  w.key("service_ports");
  w.begin_array();
  for (auto& p : rec.service_ports) {
    w.begin_object();
    w.field("name", p.name);
    w.field("protocol", p.protocol);
    w.key("container_port");
    if (p.container_ports.empty())
      w.null();
    else
      w.integer(p.container_ports.front());
    w.end_object();
  }
  w.end_array();
  w.key("kernels");
  w.begin_array();
  for (auto& k : rec.kernels)
    kernel_fields(w, k);
  w.end_array();
  w.end_object();
}

void header_fields(writer& w, const char* type, const kernel_event_header& h) {
  w.begin_object();
  w.field("type", type);
  w.field("kernel", h.kernel);
  w.field("session", h.session);
  w.field("agent", h.agent);
  w.field("reason", h.reason);
}

std::string kernel_event(const char* type, const kernel_event_header& h) {
  writer w;
  header_fields(w, type, h);
  w.end_object();
  return w.str();
}

} // namespace

std::string status_history_json(const std::vector<status_change>& history) {
  writer w;
  w.begin_array();
  for (auto& change : history) {
    w.begin_object();
    w.field("status", to_string(change.status));
    w.field("reason", change.reason);
    w.field("at_ms", change.at_ms);
    w.end_object();
  }
  w.end_array();
  return w.str();
}

std::string error_body(const std::string& code, const std::string& message) {
  writer w;
  w.begin_object();
  w.field("error", code);
  w.field("message", message);
  w.end_object();
  return w.str();
}

std::string session_json(const session_record& rec) {
  writer w;
  session_fields(w, rec);
  return w.str();
}

std::string sessions_json(const std::vector<session_record>& recs, const std::string& next) {
  writer w;
  w.begin_object();
  w.key("sessions");
  w.begin_array();
  for (auto& rec : recs)
    session_fields(w, rec);
  w.end_array();
  if (!next.empty())
    w.field("next", next);
  w.end_object();
  return w.str();
}

std::string agents_json(const std::vector<agent_view>& agents) {
  writer w;
  w.begin_object();
  w.key("agents");
  w.begin_array();
  for (auto& a : agents) {
    w.begin_object();
    w.field("id", a.record.id);
    w.field("address", a.record.addr);
    w.field("status", to_string(a.record.status));
    w.field("scaling_group", a.record.scaling_group);
    w.key("slots");
    w.begin_object();
    w.field("capacity", a.record.capacity);
    w.field("used", a.used);
    w.end_object();
    w.field("last_heartbeat_ms", a.record.last_heartbeat_ms);
    // Separate from status: a quarantined agent is ALIVE, it only gets no new sessions.
    w.key("quarantine");
    w.begin_object();
    w.field("state", a.quarantine.state);
    w.field("reason", a.quarantine.reason);
    w.key("seconds_left");
    w.number(static_cast<double>(a.quarantine.remaining_ms) / 1000.0);
    w.field("failures", static_cast<int64_t>(a.quarantine.failures));
    w.end_object();
    // Apart from status: an ALIVE agent may still be unable to run kernels.
    w.field("healthy", a.record.unhealthy.empty());
    w.field("drained", a.drained);
    if (!a.record.unhealthy.empty())
      w.field("unhealthy_reason", a.record.unhealthy);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string execution_json(const execution_result& res) {
  writer w;
  w.begin_object();
  w.field("run_id", res.run_id);
  w.field("status", res.status);
  w.key("console");
  w.begin_array();
  for (auto& item : res.console) {
    w.begin_array();
    w.string(item.stream);
    w.string(item.data);
    w.end_array();
  }
  w.end_array();
  w.key("exit_code");
  if (res.exit_code)
    w.integer(*res.exit_code);
  else
    w.null();
  w.field("files", res.files);
  w.end_object();
  return w.str();
}

std::string file_listing_json(const file_listing& listing) {
  writer w;
  w.begin_object();
  embedded(w, "files", listing.files.empty() ? std::string{"[]"} : listing.files);
  w.field("errors", listing.errors);
  w.field("abspath", listing.abspath);
  w.end_object();
  return w.str();
}

std::string purge_json(const purge_images_resp& resp) {
  writer w;
  w.begin_object();
  w.key("results");
  w.begin_array();
  for (auto& r : resp.responses) {
    w.begin_object();
    w.field("image", r.image);
    w.key("error");
    if (r.error)
      w.string(*r.error);
    else
      w.null();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string completion_json(const completion_result& res) {
  writer w;
  w.begin_object();
  w.field("status", res.status);
  w.field("candidates", res.candidates);
  w.end_object();
  return w.str();
}

std::string service_json(const service_result& res) {
  writer w;
  w.begin_object();
  w.field("status", res.status);
  w.field("error", res.error);
  w.field("info", res.info);
  w.end_object();
  return w.str();
}

std::string kernel_info_json(const kernel_info& info) {
  writer w;
  w.begin_object();
  w.field("id", info.id);
  w.field("session", info.session);
  w.field("agent", info.agent);
  w.field("host", info.host);
  w.field("container_id", info.container_id);
  w.field("scaling_group", info.scaling_group);
  w.field("slots", info.slots);
  w.key("service_ports");
  w.begin_array();
  for (auto& p : info.service_ports) {
    w.begin_object();
    w.field("name", p.name);
    w.field("protocol", p.protocol);
    w.key("container_ports");
    w.begin_array();
    for (auto port : p.container_ports)
      w.integer(port);
    w.end_array();
    w.key("host_ports");
    w.begin_array();
    for (auto port : p.host_ports)
      w.integer(port);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string commit_state_json(const commit_state& st) {
  writer w;
  w.begin_object();
  w.field("status", to_string(st.status));
  w.end_object();
  return w.str();
}

std::string logs_json(const kernel_logs& logs) {
  writer w;
  w.begin_object();
  w.field("logs", logs.logs);
  w.end_object();
  return w.str();
}

std::string event_json(const kernel_preparing_event& ev) {
  return kernel_event(event_name(ev), ev.header);
}

std::string event_json(const kernel_pulling_event& ev) {
  return kernel_event(event_name(ev), ev.header);
}

std::string event_json(const kernel_creating_event& ev) {
  return kernel_event(event_name(ev), ev.header);
}

std::string event_json(const kernel_started_event& ev) {
  writer w;
  header_fields(w, event_name(ev), ev.header);
  w.field("container_id", ev.info.container_id);
  w.field("host", ev.info.host);
  w.end_object();
  return w.str();
}

std::string event_json(const kernel_terminated_event& ev) {
  writer w;
  header_fields(w, event_name(ev), ev.header);
  w.key("exit_code");
  if (ev.exit_code)
    w.integer(*ev.exit_code);
  else
    w.null();
  w.end_object();
  return w.str();
}

std::string event_json(const do_agent_resource_check_event& ev) {
  writer w;
  w.begin_object();
  w.field("type", event_name(ev));
  w.field("agent", ev.agent);
  w.end_object();
  return w.str();
}

std::string event_json(const agent_terminated_event& ev) {
  writer w;
  w.begin_object();
  w.field("type", event_name(ev));
  w.field("agent", ev.agent);
  w.field("reason", ev.reason);
  w.end_object();
  return w.str();
}

std::string event_json(const image_pull_event& ev) {
  writer w;
  w.begin_object();
  w.field("type", event_name(ev));
  w.field("phase", to_string(ev.what));
  w.field("agent", ev.agent);
  w.field("image", ev.image);
  w.field("job_id", ev.job_id);
  w.field("message", ev.message);
  w.field("current", static_cast<int64_t>(ev.current));
  w.field("total", static_cast<int64_t>(ev.total));
  w.field("timestamp_ms", ev.timestamp_ms);
  w.end_object();
  return w.str();
}

std::string event_json(const batch_result_event& ev) {
  writer w;
  header_fields(w, event_name(ev), ev.header);
  w.field("outcome", to_string(ev.outcome));
  w.key("exit_code");
  if (ev.exit_code)
    w.integer(*ev.exit_code);
  else
    w.null();
  w.end_object();
  return w.str();
}

std::string event_json(const execution_event& ev) {
  writer w;
  w.begin_object();
  w.field("type", event_name(ev));
  w.field("phase", to_string(ev.what));
  w.field("session", ev.session);
  w.field("kernel", ev.kernel);
  w.end_object();
  return w.str();
}

} // namespace baikal::json
