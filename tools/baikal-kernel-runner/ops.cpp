// The requests of the runner protocol. Each op reads its fields, calls the run or service
// table, and answers (now, or through a waiter). See README.md beside this file for the JSON.

#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "completion.hpp"
#include "json_reply.hpp"
#include "server.hpp"

namespace baikal::kernel_runner {

namespace {

// How often a waiting execute looks whether its run blocks reading stdin; scanning /proc costs.
constexpr auto input_probe_interval = std::chrono::milliseconds(100);

bool is_shell(const std::vector<std::string>& runtime) {
  const std::string& prog = runtime.front();
  auto base = prog.substr(prog.rfind('/') + 1);
  return base.size() >= 2 && base.compare(base.size() - 2, 2, "sh") == 0;
}

// The shell of a terminal: bash where the image has it, else the POSIX shell.
std::string terminal_shell() {
  return ::access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
}

// TERM as a client names it: a terminal type's name, nothing a shell would read otherwise.
bool valid_term(const std::string& term) {
  if (term.empty() || term.size() > 64)
    return false;
  return std::all_of(term.begin(), term.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '+';
  });
}

constexpr const char* bad_size_text =
    "opts.rows and opts.cols must be whole numbers from 1 to 1000";

} // namespace

void server::handle_frame(uint64_t conn, const std::string& payload) {
  auto req = parse_request(payload);
  if (!req) {
    send(conn, error_reply("null", "invalid_json", "the frame is not a JSON object"));
    return;
  }
  const std::string& op = req->op;
  if (op == "execute")
    op_execute(conn, *req);
  else if (op == "interrupt")
    op_interrupt(conn, *req);
  else if (op == "complete")
    op_complete(conn, *req);
  else if (op == "start_service")
    op_start_service(conn, *req);
  else if (op == "shutdown_service")
    op_shutdown_service(conn, *req);
  else if (op == "list_services")
    op_list_services(conn, req->id_json);
  else if (op == "health")
    op_health(conn, req->id_json);
  else
    send(conn, error_reply(req->id_json, "unknown_op", "unknown op \"" + op + "\""));
}

void server::op_execute(uint64_t conn, const request& req) {
  const std::string& id = req.id_json;
  const std::string& mode = req.mode;
  const std::string& code = req.code;
  std::string run_id = req.run_id;
  if (mode.empty() || mode == "query") {
    std::vector<std::string> argv = opts_.runtime;
    argv.push_back(code);
    run_id = runs_.start(run_id, {argv}, req.exec_timeout);
  } else if (mode == "batch") {
    std::deque<std::vector<std::string>> stages;
    std::string exec = req.exec.empty() ? code : req.exec;
    if (!req.build.empty())
      stages.push_back({"/bin/sh", "-c", req.build});
    if (!exec.empty())
      stages.push_back({"/bin/sh", "-c", exec});
    if (stages.empty()) {
      send(conn, error_reply(id, "invalid_argument", "batch needs opts.build, opts.exec or code"));
      return;
    }
    run_id = runs_.start(run_id, std::move(stages), req.exec_timeout);
  } else if (mode == "pty") {
    if (req.bad_size) {
      send(conn, error_reply(id, "invalid_argument", bad_size_text));
      return;
    }
    if (!req.term.empty() && !valid_term(req.term)) {
      send(conn,
           error_reply(id, "invalid_argument",
                       "opts.term must be a terminal type's name (letters, digits, - _ . +)"));
      return;
    }
    terminal_size size{req.rows.value_or(24), req.cols.value_or(80)};
    run_id = runs_.start_terminal(run_id, {terminal_shell()}, size,
                                  {"TERM=" + (req.term.empty() ? "xterm-256color" : req.term)});
  } else if (mode == "write" || mode == "resize" || mode == "cancel") {
    op_run_control(conn, req);
    return;
  } else if (mode == "continue" || mode == "input") {
    run* r = runs_.find(run_id);
    if (!r) {
      send(conn, error_reply(id, "not_found", "no run \"" + run_id + "\""));
      return;
    }
    if (mode == "input" && !runs_.write_input(*r, code + "\n")) {
      send(conn, error_reply(id, "conflict", "the run \"" + run_id + "\" takes no more input"));
      return;
    }
  } else {
    send(conn, error_reply(id, "invalid_argument", "unknown execute mode \"" + mode + "\""));
    return;
  }
  bool busy = std::any_of(waiters_.begin(), waiters_.end(), [&](const waiter& w) {
    return w.kind == waiter::run_output && w.target == run_id;
  });
  if (busy) {
    send(conn, error_reply(id, "conflict", "another request already waits on this run"));
    return;
  }
  auto now = clock_type::now();
  waiters_.push_back({waiter::run_output, conn, id, run_id, after_seconds(now, req.flush_timeout),
                      now + input_probe_interval, req.stream});
}

void server::op_run_control(uint64_t conn, const request& req) {
  const std::string& id = req.id_json;
  run* r = runs_.find(req.run_id);
  if (!r) {
    send(conn, error_reply(id, "not_found", "no run \"" + req.run_id + "\""));
    return;
  }
  if (req.mode == "write" && !runs_.write_input(*r, req.code)) {
    send(conn, error_reply(id, "conflict", "the run \"" + r->id + "\" takes no more input"));
    return;
  }
  if (req.mode == "resize") {
    if (req.bad_size || !req.rows || !req.cols) {
      send(conn, error_reply(id, "invalid_argument", bad_size_text));
      return;
    }
    if (!runs_.resize(*r, terminal_size{*req.rows, *req.cols})) {
      send(conn, error_reply(id, "conflict", "the run \"" + r->id + "\" has no terminal"));
      return;
    }
  }
  if (req.mode == "cancel")
    runs_.cancel(*r, opts_.kill_grace);
  // The output stays for the request that waits on the run.
  json_reply reply(id);
  reply.str("run_id", r->id).str("status", "continued");
  auto& w = reply.writer();
  w.Key("console");
  w.StartArray();
  w.EndArray();
  w.Key("exit_code");
  w.Null();
  send(conn, reply.finish());
}

std::string server::run_reply(const std::string& id_json, run& r, const char* status) {
  json_reply reply(id_json);
  reply.str("run_id", r.id).str("status", status);
  auto& w = reply.writer();
  w.Key("console");
  w.StartArray();
  for (const auto& chunk : runs_.take_console(r)) {
    w.StartObject();
    w.Key("stream");
    w.String(chunk.is_stderr ? "stderr" : "stdout");
    w.Key("data");
    w.String(chunk.data.data(), static_cast<rapidjson::SizeType>(chunk.data.size()));
    w.EndObject();
  }
  w.EndArray();
  w.Key("exit_code");
  if (r.finished)
    w.Int(r.exit_code);
  else
    w.Null();
  w.Key("files");
  w.StartArray();
  w.EndArray();
  return reply.finish();
}

void server::settle_waiters(time_point now) {
  // Answering may erase runs, never waiters of other runs; collect first, then answer.
  std::vector<waiter> pending;
  pending.swap(waiters_);
  for (auto& w : pending) {
    if (w.kind == waiter::service_stop) {
      if (services_.stopped(w.target))
        send(w.conn, json_reply(w.id_json).str("status", "ok").finish());
      else if (now >= w.deadline)
        send(w.conn,
             json_reply(w.id_json).str("status", "ok").str("note", "still stopping").finish());
      else
        waiters_.push_back(std::move(w));
      continue;
    }
    run* r = runs_.find(w.target);
    if (!r) {
      send(w.conn, error_reply(w.id_json, "not_found", "the run \"" + w.target + "\" is gone"));
    } else if (r->finished) {
      send(w.conn, run_reply(w.id_json, *r, r->timed_out ? "exec-timeout" : "finished"));
      runs_.erase(w.target);
    } else if (w.stream && !r->console.empty()) {
      send(w.conn, run_reply(w.id_json, *r, "continued"));
    } else if ((now >= w.next_probe || now >= w.deadline) && runs_.waits_for_input(*r)) {
      send(w.conn, run_reply(w.id_json, *r, "waiting-input"));
    } else if (now >= w.deadline) {
      send(w.conn, run_reply(w.id_json, *r, "continued"));
    } else {
      if (now >= w.next_probe)
        w.next_probe = now + input_probe_interval;
      waiters_.push_back(std::move(w));
    }
  }
}

void server::op_interrupt(uint64_t conn, const request& req) {
  run* r = req.run_id.empty() ? runs_.latest() : runs_.find(req.run_id);
  json_reply reply(req.id_json);
  reply.str("status", "ok");
  if (r && !r->finished && r->child.pid > 0) {
    signal_group(r->child.pid, SIGINT);
    reply.str("run_id", r->id);
  } else {
    reply.str("note", "no running code to interrupt");
  }
  send(conn, reply.finish());
}

void server::op_complete(uint64_t conn, const request& req) {
  auto candidates = complete_text(req.text, opts_.workdir, is_shell(opts_.runtime));
  json_reply reply(req.id_json);
  reply.str("status", "finished");
  auto& w = reply.writer();
  w.Key("candidates");
  w.StartArray();
  for (const auto& c : candidates)
    w.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
  w.EndArray();
  send(conn, reply.finish());
}

void server::op_start_service(uint64_t conn, const request& req) {
  if (req.bad_port) {
    send(conn, error_reply(req.id_json, "invalid_argument",
                           "opts.port must be a whole number from 1 to 65535"));
    return;
  }
  auto result = services_.start(req.name, req.port);
  json_reply reply(req.id_json);
  reply.str("status", result.status);
  if (result.status == "failed")
    reply.str("error", result.error);
  else
    reply.num("pid", result.pid).num("port", result.port).str("protocol", result.protocol);
  send(conn, reply.finish());
}

void server::op_shutdown_service(uint64_t conn, const request& req) {
  if (auto note = services_.stop(req.name)) {
    send(conn, json_reply(req.id_json).str("status", "ok").str("note", *note).finish());
    return;
  }
  waiters_.push_back({waiter::service_stop,
                      conn,
                      req.id_json,
                      req.name,
                      after_seconds(clock_type::now(), opts_.kill_grace + 5.0),
                      {}});
}

void server::op_list_services(uint64_t conn, const std::string& id) {
  json_reply reply(id);
  reply.str("status", "ok");
  auto& w = reply.writer();
  w.Key("services");
  w.StartArray();
  for (const auto& s : services_.list()) {
    w.StartObject();
    w.Key("name");
    w.String(s.name.c_str());
    w.Key("status");
    w.String(s.status.c_str());
    w.Key("pid");
    w.Int(s.pid);
    w.Key("port");
    w.Int(s.port);
    w.Key("protocol");
    w.String(s.protocol.c_str());
    if (s.exit_code) {
      w.Key("exit_code");
      w.Int(*s.exit_code);
    }
    w.EndObject();
  }
  w.EndArray();
  send(conn, reply.finish());
}

void server::op_health(uint64_t conn, const std::string& id) {
  double uptime = std::chrono::duration<double>(clock_type::now() - started_at_).count();
  send(conn,
       json_reply(id).str("status", "ok").num("pid", ::getpid()).real("uptime", uptime).finish());
}

} // namespace baikal::kernel_runner
