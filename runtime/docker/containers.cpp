#include "runtime/docker/containers.hpp"

#include "messages/errors.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/docker/json.hpp"

namespace baikal::docker {

namespace {

docker_call call(std::string method, std::string target) {
  docker_call c;
  c.method = std::move(method);
  c.target = std::move(target);
  return c;
}

std::string container_path(const std::string& id) {
  return "/containers/" + url_encode(id);
}

} // namespace

std::string container_create_body(const container_spec& spec) {
  json::writer w;
  auto& raw = w.raw();
  raw.StartObject();
  w.field("Image", spec.image);
  if (!spec.cmd.empty())
    w.field("Cmd", spec.cmd);
  if (spec.entrypoint)
    w.field("Entrypoint", *spec.entrypoint);
  w.field("Env", spec.env);
  w.field("Labels", spec.labels);
  if (!spec.port_bindings.empty()) {
    w.key("ExposedPorts");
    raw.StartObject();
    for (auto& [inner, outer] : spec.port_bindings) {
      w.key(std::to_string(inner) + "/tcp");
      raw.StartObject();
      raw.EndObject();
    }
    raw.EndObject();
  }
  if (!spec.working_dir.empty())
    w.field("WorkingDir", spec.working_dir);
  if (!spec.user.empty())
    w.field("User", spec.user);
  if (!spec.hostname.empty())
    w.field("Hostname", spec.hostname);
  w.key("Tty");
  raw.Bool(spec.tty);
  w.key("HostConfig");
  raw.StartObject();
  w.field("Binds", spec.binds);
  if (!spec.port_bindings.empty()) {
    w.key("PortBindings");
    raw.StartObject();
    for (auto& [inner, outer] : spec.port_bindings) {
      w.key(std::to_string(inner) + "/tcp");
      raw.StartArray();
      raw.StartObject();
      w.field("HostPort", std::to_string(outer));
      raw.EndObject();
      raw.EndArray();
    }
    raw.EndObject();
  }
  if (!spec.network_mode.empty())
    w.field("NetworkMode", spec.network_mode);
  if (spec.nano_cpus > 0) {
    w.key("NanoCpus");
    raw.Int64(spec.nano_cpus);
  }
  if (spec.memory > 0) {
    // Equal swap limit: the kernel gets exactly the memory it was given, no swap on top.
    w.key("Memory");
    raw.Int64(spec.memory);
    w.key("MemorySwap");
    raw.Int64(spec.memory);
  }
  if (spec.pids_limit > 0) {
    w.key("PidsLimit");
    raw.Int64(spec.pids_limit);
  }
  if (!spec.ulimits.empty()) {
    w.key("Ulimits");
    raw.StartArray();
    for (auto& u : spec.ulimits) {
      raw.StartObject();
      w.field("Name", u.name);
      w.key("Soft");
      raw.Int64(u.soft);
      w.key("Hard");
      raw.Int64(u.hard);
      raw.EndObject();
    }
    raw.EndArray();
  }
  if (!spec.cap_drop.empty())
    w.field("CapDrop", spec.cap_drop);
  if (!spec.cap_add.empty())
    w.field("CapAdd", spec.cap_add);
  if (!spec.security_opt.empty())
    w.field("SecurityOpt", spec.security_opt);
  w.key("Init");
  raw.Bool(spec.init);
  w.key("AutoRemove");
  raw.Bool(spec.auto_remove);
  raw.EndObject();
  if (!spec.network_aliases.empty() && !spec.network_mode.empty()) {
    w.key("NetworkingConfig");
    raw.StartObject();
    w.key("EndpointsConfig");
    raw.StartObject();
    w.key(spec.network_mode);
    raw.StartObject();
    w.field("Aliases", spec.network_aliases);
    raw.EndObject();
    raw.EndObject();
    raw.EndObject();
  }
  raw.EndObject();
  return w.str();
}

docker_call container_create(const container_spec& spec) {
  auto c = call("POST", "/containers/create");
  if (!spec.name.empty())
    add_query(c.target, "name", spec.name);
  c.body = container_create_body(spec);
  c.content_type = "application/json";
  return c;
}

docker_call container_start(const std::string& id) {
  return call("POST", container_path(id) + "/start");
}

docker_call container_stop(const std::string& id, int timeout_s) {
  auto c = call("POST", container_path(id) + "/stop");
  add_query(c.target, "t", std::to_string(timeout_s));
  c.long_running = true; // up to timeout_s before the engine answers
  return c;
}

docker_call container_kill(const std::string& id, const std::string& signal) {
  auto c = call("POST", container_path(id) + "/kill");
  add_query(c.target, "signal", signal);
  return c;
}

docker_call container_update(const std::string& id, int64_t nano_cpus, int64_t memory) {
  auto c = call("POST", container_path(id) + "/update");
  json::writer w;
  auto& raw = w.raw();
  raw.StartObject();
  w.key("NanoCpus");
  raw.Int64(nano_cpus);
  w.key("Memory");
  raw.Int64(memory);
  w.key("MemorySwap");
  raw.Int64(memory > 0 ? 2 * memory : 0);
  raw.EndObject();
  c.body = w.str();
  c.content_type = "application/json";
  return c;
}

docker_call container_rename(const std::string& id, const std::string& name) {
  auto c = call("POST", container_path(id) + "/rename");
  add_query(c.target, "name", name);
  return c;
}

docker_call container_remove(const std::string& id, bool force, bool volumes) {
  auto c = call("DELETE", container_path(id));
  add_query(c.target, "force", force ? "true" : "false");
  add_query(c.target, "v", volumes ? "true" : "false");
  return c;
}

docker_call container_inspect(const std::string& id) {
  return call("GET", container_path(id) + "/json");
}

docker_call container_logs(const std::string& id, const log_options& opts) {
  auto c = call("GET", container_path(id) + "/logs");
  add_query(c.target, "stdout", opts.with_stdout ? "1" : "0");
  add_query(c.target, "stderr", opts.with_stderr ? "1" : "0");
  if (opts.timestamps)
    add_query(c.target, "timestamps", "1");
  if (opts.follow)
    add_query(c.target, "follow", "1");
  if (!opts.tail.empty())
    add_query(c.target, "tail", opts.tail);
  if (!opts.since.empty())
    add_query(c.target, "since", opts.since);
  c.long_running = opts.follow;
  return c;
}

docker_call container_wait(const std::string& id, const std::string& condition) {
  auto c = call("POST", container_path(id) + "/wait");
  add_query(c.target, "condition", condition);
  c.long_running = true; // the header comes at once, the body at exit
  return c;
}

caf::expected<int64_t> parse_wait(std::string_view body) {
  auto doc = json::parse_object(body, "wait answer");
  if (!doc)
    return doc.error();
  if (auto e = doc->FindMember("Error"); e != doc->MemberEnd() && e->value.IsObject()) {
    auto text = json::string_of(e->value, "Message");
    if (!text.empty())
      return make_error(errc::runtime_error, text);
  }
  return json::int_of(*doc, "StatusCode");
}

caf::expected<container_info> parse_container_info(std::string_view body) {
  auto doc = json::parse_object(body, "container description");
  if (!doc)
    return doc.error();
  container_info out;
  out.id = json::string_of(*doc, "Id");
  out.name = json::string_of(*doc, "Name");
  if (!out.name.empty() && out.name.front() == '/')
    out.name.erase(0, 1);
  out.image = json::string_of(*doc, "Image");
  if (auto st = doc->FindMember("State"); st != doc->MemberEnd()) {
    out.status = json::string_of(st->value, "Status");
    out.running = json::bool_of(st->value, "Running");
    out.oom_killed = json::bool_of(st->value, "OOMKilled");
    out.exit_code = json::int_of(st->value, "ExitCode");
  }
  if (auto cfg = doc->FindMember("Config"); cfg != doc->MemberEnd())
    out.labels = json::string_map_of(cfg->value, "Labels");
  if (auto ns = doc->FindMember("NetworkSettings");
      ns != doc->MemberEnd() && ns->value.IsObject()) {
    if (auto nets = ns->value.FindMember("Networks");
        nets != ns->value.MemberEnd() && nets->value.IsObject())
      for (auto& n : nets->value.GetObject())
        out.networks.emplace_back(n.name.GetString(), n.name.GetStringLength());
  }
  return out;
}

docker_call archive_get(const std::string& id, const std::string& path) {
  auto c = call("GET", container_path(id) + "/archive");
  add_query(c.target, "path", path);
  c.long_running = true;
  return c;
}

docker_call archive_stat(const std::string& id, const std::string& path) {
  auto c = call("HEAD", container_path(id) + "/archive");
  add_query(c.target, "path", path);
  return c;
}

docker_call archive_put(const std::string& id, const std::string& dir, std::string tar) {
  auto c = call("PUT", container_path(id) + "/archive");
  add_query(c.target, "path", dir);
  c.body = std::move(tar);
  c.content_type = "application/x-tar";
  c.long_running = true;
  return c;
}

caf::expected<path_stat> decode_path_stat(std::string_view header) {
  auto text = base64_decode(header);
  if (!text)
    return make_error(errc::runtime_error, "unreadable X-Docker-Container-Path-Stat header");
  auto doc = json::parse_object(*text, "path stat");
  if (!doc)
    return doc.error();
  path_stat out;
  out.name = json::string_of(*doc, "name");
  out.size = json::int_of(*doc, "size");
  out.mode = static_cast<uint32_t>(json::int_of(*doc, "mode"));
  out.mtime = json::string_of(*doc, "mtime");
  out.link_target = json::string_of(*doc, "linkTarget");
  return out;
}

docker_call exec_create(const std::string& container, const exec_spec& spec) {
  auto c = call("POST", container_path(container) + "/exec");
  json::writer w;
  auto& raw = w.raw();
  raw.StartObject();
  w.key("AttachStdout");
  raw.Bool(true);
  w.key("AttachStderr");
  raw.Bool(true);
  w.key("Tty");
  raw.Bool(spec.tty);
  w.field("Cmd", spec.cmd);
  if (!spec.env.empty())
    w.field("Env", spec.env);
  if (!spec.working_dir.empty())
    w.field("WorkingDir", spec.working_dir);
  if (!spec.user.empty())
    w.field("User", spec.user);
  raw.EndObject();
  c.body = w.str();
  c.content_type = "application/json";
  return c;
}

docker_call exec_start(const std::string& exec_id, bool tty) {
  auto c = call("POST", "/exec/" + url_encode(exec_id) + "/start");
  c.body = std::string{"{\"Detach\":false,\"Tty\":"} + (tty ? "true" : "false") + "}";
  c.content_type = "application/json";
  c.long_running = true; // the body ends when the process does; the connection is used up
  return c;
}

docker_call exec_inspect(const std::string& exec_id) {
  return call("GET", "/exec/" + url_encode(exec_id) + "/json");
}

caf::expected<exec_info> parse_exec_info(std::string_view body) {
  auto doc = json::parse_object(body, "exec description");
  if (!doc)
    return doc.error();
  exec_info out;
  out.running = json::bool_of(*doc, "Running");
  out.exit_code = json::int_of(*doc, "ExitCode");
  out.pid = json::int_of(*doc, "Pid");
  return out;
}

} // namespace baikal::docker
