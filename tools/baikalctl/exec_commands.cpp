#include <chrono>
#include <iostream>
#include <thread>

#include "messages/errors.hpp"
#include "messages/status_types.hpp"
#include "runtime/http/target.hpp"
#include "runtime/http/websocket_client.hpp"
#include "runtime/json/json_reader.hpp"
#include "runtime/json/json_writer.hpp"
#include "runtime/runner/execute_checks.hpp"
#include "tools/baikalctl/commands.hpp"

namespace baikal::ctl {

namespace {

struct run_outcome {
  std::string status; ///< the last status: "finished", "exec-timeout", ...
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
  std::string run_id;
};

std::string run_frame(execution_mode mode, const std::string& code) {
  json::writer w;
  w.begin_object();
  w.field("mode", to_string(mode));
  w.field("code", code);
  w.end_object();
  return w.str();
}

std::string input_frame(const std::string& line) {
  json::writer w;
  w.begin_object();
  w.field("input", line);
  w.end_object();
  return w.str();
}

/// Runs `code` over the session's stream route: output is printed as the code prints it
/// (unless `quiet`), and a line of stdin is sent each time the run waits for input.
caf::expected<run_outcome> execute_until_done(const ctl_client& api, const std::string& id,
                                              execution_mode mode, const std::string& code,
                                              bool quiet) {
  auto ws = http::websocket_client::open(api.http(),
                                         "/v1/sessions/" + http::percent_encode(id) + "/stream",
                                         {{"Authorization", "Bearer " + api.token()}});
  if (!ws)
    return ws.error();
  auto& stream = **ws;
  if (auto err = stream.send(run_frame(mode, code)))
    return err;
  run_outcome out;
  while (true) {
    auto msg = stream.receive();
    if (!msg)
      return msg.error();
    if (!*msg)
      return make_error(
          errc::unavailable,
          "the manager closed the stream before the run ended" +
              (stream.close_reason().empty() ? std::string{} : ": " + stream.close_reason()));
    auto doc = json::parse_object((*msg)->data);
    if (!doc)
      continue;
    auto type = str(*doc, "type");
    if (type == "started") {
      out.run_id = str(*doc, "run_id");
    } else if (type == "stdout" || type == "stderr") {
      auto data = str(*doc, "data");
      (type == "stderr" ? out.stderr_text : out.stdout_text) += data;
      if (!quiet)
        (type == "stderr" ? std::cerr : std::cout) << data << std::flush;
    } else if (type == "waiting-input") {
      std::string line;
      std::getline(std::cin, line);
      if (auto err = stream.send(input_frame(line)))
        return err;
    } else if (type == "error") {
      return make_error(errc::runtime_error, str(*doc, "message"));
    } else if (type == "finished") {
      out.status = str(*doc, "status");
      auto& code_value = member(*doc, "exit_code");
      if (out.status == "exec-timeout")
        out.exit_code = 124;
      else if (code_value.IsInt())
        out.exit_code = code_value.GetInt();
      else
        out.exit_code = 1;
      stream.close();
      return out;
    }
  }
}

std::string outcome_json(const std::string& session, const run_outcome& r) {
  json::writer w;
  w.begin_object();
  w.field("session", session);
  w.field("run_id", r.run_id);
  w.field("status", r.status);
  w.field("exit_code", static_cast<int64_t>(r.exit_code));
  w.field("stdout", r.stdout_text);
  w.field("stderr", r.stderr_text);
  w.end_object();
  return w.str();
}

/// `run --batch`: the manager runs the command once the session runs and ends the session
/// with it; this follows the session to its end and answers as the command did.
int run_batch(const ctl_args& args, const ctl_client& api) {
  auto body = session_body(args, args.words[1]);
  if (!body)
    return fail(body.error());
  auto pulls = watch_pulls(args, api, true);
  auto created = api.call("POST", "/v1/sessions", *body);
  if (!created)
    return fail(created.error());
  auto id = str(created->json, "id");
  // Until it ends: TERMINATING is on the way to TERMINATED, not a failure here.
  auto ending = follow_session(args, api, id, pulls.get(), {args.words[1]}, [](session_status s) {
    return is_terminal(s) || s == session_status::terminating;
  });
  if (pulls)
    pulls->stop();
  if (!ending)
    return fail(ending.error());
  auto session = api.get("/v1/sessions/" + http::percent_encode(id));
  // Destroying the kernels takes the manager at most its kernel-destroy timeout (120 s).
  for (int tick = 0; tick < 1000 && session && str(session->json, "status") == "TERMINATING";
       ++tick) {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    session = api.get("/v1/sessions/" + http::percent_encode(id));
  }
  if (!session)
    return fail(session.error());
  auto& result = member(session->json, "result");
  if (str(session->json, "status") != "TERMINATED" || !result.IsObject())
    return fail("batch session " + id + " is " + str(session->json, "status") + ": " +
                to_json(member(session->json, "status_data")));
  // The answer is read without trusting its shape: no exit code is an error, not a crash.
  auto& exit_code = member(result, "exit_code");
  if (!exit_code.IsInt())
    return fail("the manager's result for batch session " + id +
                " has no exit code: " + to_json(result));
  auto code = exit_code.GetInt();
  auto logs = api.get("/v1/sessions/" + http::percent_encode(id) + "/logs");
  if (!logs)
    return fail(logs.error());
  if (args.json) {
    std::cout << session->body << "\n";
    return code;
  }
  std::cout << str(logs->json, "logs") << std::flush;
  return code;
}

} // namespace

int run(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 2 || !args.code)
    return fail("usage: baikalctl run [--batch] IMAGE [options] -- CODE");
  if (args.flag("--batch"))
    return run_batch(args, api);
  auto body = session_body(args, args.words[1]);
  if (!body)
    return fail(body.error());
  auto pulls = watch_pulls(args, api, true);
  auto created = api.call("POST", "/v1/sessions", *body);
  if (!created)
    return fail(created.error());
  auto id = str(created->json, "id");
  auto cleanup = [&] {
    if (args.flag("--keep"))
      return;
    auto gone = api.call("DELETE", "/v1/sessions/" + http::percent_encode(id));
    if (!gone)
      std::cerr << "baikalctl: could not delete session " << id << ": " << message_of(gone.error())
                << "\n";
  };
  auto running = wait_running(args, api, id, pulls.get(), args.words[1]);
  if (pulls)
    pulls->stop();
  if (!running) {
    cleanup();
    return fail(running.error());
  }
  auto outcome = execute_until_done(api, id, execution_mode::query, *args.code, args.json);
  cleanup();
  if (!outcome)
    return fail(outcome.error());
  if (args.json)
    std::cout << outcome_json(id, *outcome) << "\n";
  return outcome->exit_code;
}

int exec(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 2 || !args.code)
    return fail("usage: baikalctl exec SESSION [--mode query|batch] -- CODE");
  auto mode = args.option("--mode").empty() ? caf::expected<execution_mode>{execution_mode::query}
                                            : runner::parse_execution_mode(args.option("--mode"));
  if (!mode)
    return fail(mode.error());
  auto id = api.resolve_session(args.words[1]);
  if (!id)
    return fail(id.error());
  auto outcome = execute_until_done(api, *id, *mode, *args.code, args.json);
  if (!outcome)
    return fail(outcome.error());
  if (args.json)
    std::cout << outcome_json(*id, *outcome) << "\n";
  return outcome->exit_code;
}

} // namespace baikal::ctl
