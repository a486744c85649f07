// End-to-end tests of baikal-kernel-runner on the host (no Docker): each test starts the built
// runner binary with a socket in a fresh temporary directory and talks to it with runner_client.
// The binary is $BAIKAL_KERNEL_RUNNER, else ../tools/baikal-kernel-runner/baikal-kernel-runner
// next to this test executable.

#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/runner/runner_client.hpp"
#include "tests/support/runner_process.hpp"

using namespace baikal;
using namespace baikal::runner;
using baikal::test::runner_process;
using baikal::test::soon;
namespace fs = std::filesystem;

/// Concatenated output of one stream.
std::string stream_text(const execution_result& r, const std::string& stream) {
  std::string out;
  for (const auto& item : r.console)
    if (item.stream == stream)
      out += item.data;
  return out;
}

/// A query with the given flush timeout.
execute_request e2e_query(std::string code, double flush_timeout = 5.0) {
  execute_request req;
  req.code = std::move(code);
  req.flush_timeout = flush_timeout;
  return req;
}

/// A continue or input for `run_id`.
execute_request follow_up(execution_mode mode, std::string run_id, std::string code = {},
                          double flush_timeout = 5.0) {
  execute_request req;
  req.mode = mode;
  req.run_id = std::move(run_id);
  req.code = std::move(code);
  req.flush_timeout = flush_timeout;
  return req;
}

TEST_CASE("runner e2e: health answers the runner's pid") {
  runner_process runner;
  runner_client client(runner.socket);
  auto health = client.health();
  REQUIRE(health);
  CHECK(health->pid == runner.pid);
  CHECK(health->uptime >= 0.0);
}

TEST_CASE("runner e2e: a runner whose socket path is longer than sun_path holds listens, "
          "answers and removes its socket") {
  runner_process runner{200};
  REQUIRE(runner.socket.size() > 200);
  CHECK(fs::is_socket(runner.socket));
  runner_client client(runner.socket);
  auto res = client.execute(e2e_query("echo deep"));
  REQUIRE_MESSAGE(res, (res ? "" : message_of(res.error())));
  CHECK(stream_text(*res, "stdout") == "deep\n");
  int status = runner.terminate();
  CHECK(WIFEXITED(status));
  CHECK_FALSE(fs::exists(runner.socket));
}

TEST_CASE("runner e2e: SIGTERM kills running code, removes the socket, exits 0") {
  runner_process runner;
  runner_client client(runner.socket);
  auto res = client.execute(e2e_query("echo $$; sleep 30", 0.3));
  REQUIRE(res);
  REQUIRE(res->status == "continued");
  pid_t group = std::stoi(stream_text(*res, "stdout"));
  int status = runner.terminate();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_FALSE(fs::exists(runner.socket));
  CHECK(soon([&] { return ::kill(-group, 0) != 0; }));
}

TEST_CASE("runner e2e: echo hi finishes with its stdout and exit code 0") {
  runner_process runner;
  runner_client client(runner.socket);
  auto res = client.execute(e2e_query("echo hi"));
  REQUIRE(res);
  CHECK(res->status == "finished");
  CHECK(!res->run_id.empty());
  REQUIRE(res->console.size() == 1);
  CHECK(res->console[0].stream == "stdout");
  CHECK(res->console[0].data == "hi\n");
  REQUIRE(res->exit_code);
  CHECK(*res->exit_code == 0);
}

TEST_CASE("runner e2e: the exit code is propagated") {
  runner_process runner;
  runner_client client(runner.socket);
  auto res = client.execute(e2e_query("exit 3"));
  REQUIRE(res);
  CHECK(res->status == "finished");
  REQUIRE(res->exit_code);
  CHECK(*res->exit_code == 3);
}

TEST_CASE("runner e2e: stdout and stderr chunks keep their order") {
  runner_process runner;
  runner_client client(runner.socket);
  // The pauses are the scenario: output of two pipes is ordered as the runner sees it arrive.
  auto res = client.execute(e2e_query("echo a; sleep 0.05; echo b >&2; sleep 0.05; echo c"));
  REQUIRE(res);
  REQUIRE(res->console.size() == 3);
  CHECK(res->console[0].stream == "stdout");
  CHECK(res->console[0].data == "a\n");
  CHECK(res->console[1].stream == "stderr");
  CHECK(res->console[1].data == "b\n");
  CHECK(res->console[2].stream == "stdout");
  CHECK(res->console[2].data == "c\n");
}

TEST_CASE("runner e2e: a run longer than the flush timeout continues, then finishes") {
  runner_process runner;
  runner_client client(runner.socket);
  auto first = client.execute(e2e_query("echo start; sleep 2; echo done", 0.2));
  REQUIRE(first);
  CHECK(first->status == "continued");
  CHECK_FALSE(first->exit_code);
  CHECK(stream_text(*first, "stdout") == "start\n");
  auto next = client.execute(follow_up(execution_mode::continue_, first->run_id));
  REQUIRE(next);
  CHECK(next->status == "finished");
  CHECK(next->run_id == first->run_id);
  CHECK(stream_text(*next, "stdout") == "done\n");
  auto gone = client.execute(follow_up(execution_mode::continue_, first->run_id));
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);
}

TEST_CASE("runner e2e: a run reading stdin waits for input and gets it") {
  runner_process runner;
  runner_client client(runner.socket);
  auto first = client.execute(e2e_query("echo name?; read x; echo got $x"));
  REQUIRE(first);
  // Detected from /proc well before the 5 s flush timeout.
  CHECK(first->status == "waiting-input");
  CHECK(stream_text(*first, "stdout") == "name?\n");
  auto next = client.execute(follow_up(execution_mode::input, first->run_id, "bob"));
  REQUIRE(next);
  CHECK(next->status == "finished");
  CHECK(stream_text(*next, "stdout") == "got bob\n");
}

TEST_CASE("runner e2e: interrupt stops the running code") {
  runner_process runner;
  runner_client client(runner.socket);
  auto first = client.execute(e2e_query("sleep 30", 0.1));
  REQUIRE(first);
  REQUIRE(first->status == "continued");
  auto note = client.interrupt(); // no run id: the latest run
  REQUIRE(note);
  CHECK(note->empty());
  auto start = std::chrono::steady_clock::now();
  auto next = client.execute(follow_up(execution_mode::continue_, first->run_id));
  REQUIRE(next);
  CHECK(next->status == "finished");
  REQUIRE(next->exit_code);
  CHECK(*next->exit_code == 128 + SIGINT);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("runner e2e: exec timeout kills the run and says exec-timeout") {
  runner_process runner;
  runner_client client(runner.socket);
  auto req = e2e_query("echo before; sleep 5");
  req.exec_timeout = 0.3;
  auto start = std::chrono::steady_clock::now();
  auto res = client.execute(req);
  REQUIRE(res);
  CHECK(res->status == "exec-timeout");
  CHECK(stream_text(*res, "stdout") == "before\n");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("runner e2e: batch runs build then exec and stops at a failed build") {
  runner_process runner;
  runner_client client(runner.socket);
  execute_request req;
  req.mode = execution_mode::batch;
  req.build = "echo building";
  req.exec = "echo running; exit 2";
  req.flush_timeout = 5;
  auto res = client.execute(req);
  REQUIRE(res);
  CHECK(res->status == "finished");
  CHECK(stream_text(*res, "stdout") == "building\nrunning\n");
  CHECK(*res->exit_code == 2);
  req.build = "echo broken >&2; exit 4";
  auto failed = client.execute(req);
  REQUIRE(failed);
  CHECK(stream_text(*failed, "stdout").empty());
  CHECK(stream_text(*failed, "stderr") == "broken\n");
  CHECK(*failed->exit_code == 4);
}

TEST_CASE("runner e2e: completions list files of the workdir and commands") {
  runner_process runner;
  std::ofstream(runner.dir / "work" / "echo_me.txt") << "x";
  fs::create_directory(runner.dir / "work" / "sub");
  std::ofstream(runner.dir / "work" / "sub" / "inner.py") << "x";
  runner_client client(runner.socket);
  auto has = [](const completion_result& r, const std::string& c) {
    return std::find(r.candidates.begin(), r.candidates.end(), c) != r.candidates.end();
  };
  auto files = client.complete("cat ec");
  REQUIRE(files);
  CHECK(files->candidates == std::vector<std::string>{"echo_me.txt"});
  auto first_word = client.complete("ec");
  REQUIRE(first_word);
  CHECK(has(*first_word, "echo_me.txt"));
  CHECK(has(*first_word, "echo"));
  auto nested = client.complete("python3 sub/in");
  REQUIRE(nested);
  CHECK(nested->candidates == std::vector<std::string>{"sub/inner.py"});
  auto dirs = client.complete("cd su");
  REQUIRE(dirs);
  CHECK(dirs->candidates == std::vector<std::string>{"sub/"});
}

TEST_CASE("runner e2e: services start, report running, stop, and unknown ones fail softly") {
  runner_process runner;
  runner_client client(runner.socket);
  auto started = client.start_service("sleeper");
  REQUIRE(started);
  CHECK(started->status == "started");
  CHECK(started->info.at("port") == "8080");
  pid_t pid = std::stoi(started->info.at("pid"));
  CHECK(::kill(pid, 0) == 0);
  auto again = client.start_service("sleeper");
  REQUIRE(again);
  CHECK(again->status == "running");
  auto stopped = client.shutdown_service("sleeper");
  REQUIRE(stopped);
  CHECK(stopped->empty());
  CHECK(::kill(pid, 0) != 0); // answered only once the process was reaped
  auto twice = client.shutdown_service("sleeper");
  REQUIRE(twice);
  CHECK(twice->find("already stopped") != std::string::npos);
  auto unknown_stop = client.shutdown_service("nope");
  REQUIRE(unknown_stop);
  CHECK(!unknown_stop->empty());
  auto unknown = client.start_service("nope");
  REQUIRE(unknown);
  CHECK(unknown->status == "failed");
  CHECK(unknown->error.find("unknown service") != std::string::npos);
  auto broken = client.start_service("broken");
  REQUIRE(broken);
  CHECK(broken->status == "failed");
  CHECK(broken->error.find("/nonexistent/program") != std::string::npos);
}

// -- bad input: the runner answers a clear error and keeps serving ---------------------------

/// A raw connection for sending bytes the client never would.
struct raw_connection {
  unique_fd fd;
  frame_decoder decoder;

  explicit raw_connection(const std::string& path) {
    fd.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  void send_bytes(const std::string& bytes) {
    REQUIRE(::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  /// The next frame, or nothing when the runner closed the connection or 5 s passed.
  std::optional<std::string> read_frame() {
    for (;;) {
      if (auto payload = decoder.next())
        return payload;
      pollfd p{fd.get(), POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0)
        return std::nullopt;
      char buf[4096];
      ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
      if (n <= 0)
        return std::nullopt;
      decoder.feed(buf, static_cast<size_t>(n));
    }
  }
};

TEST_CASE("runner e2e: invalid JSON answers invalid_json and the connection still serves") {
  runner_process runner;
  raw_connection conn(runner.socket);
  conn.send_bytes(encode_frame("{not json"));
  auto answer = conn.read_frame();
  REQUIRE(answer);
  CHECK(answer->find("\"error\":\"invalid_json\"") != std::string::npos);
  conn.send_bytes(encode_frame(R"({"op":"health","id":"h1"})"));
  auto health = conn.read_frame();
  REQUIRE(health);
  CHECK(health->find("\"id\":\"h1\"") != std::string::npos);
  CHECK(health->find("\"status\":\"ok\"") != std::string::npos);
  conn.send_bytes(encode_frame(R"({"op":"fly","id":2})"));
  auto unknown = conn.read_frame();
  REQUIRE(unknown);
  CHECK(unknown->find("\"error\":\"unknown_op\"") != std::string::npos);
}

TEST_CASE("runner e2e: a huge frame length is refused and the runner keeps serving") {
  runner_process runner;
  raw_connection conn(runner.socket);
  conn.send_bytes(std::string("\xff\xff\xff\xff{}", 6));
  auto answer = conn.read_frame();
  REQUIRE(answer);
  CHECK(answer->find("\"error\":\"frame_too_large\"") != std::string::npos);
  CHECK_FALSE(conn.read_frame()); // closed: the stream cannot be resynchronised
  CHECK(runner_client(runner.socket).health());
}

TEST_CASE("runner e2e: a client leaving mid-frame does not disturb the runner") {
  runner_process runner;
  {
    raw_connection conn(runner.socket);
    conn.send_bytes(encode_frame(R"({"op":"health","id":1})").substr(0, 10));
  }
  CHECK(runner_client(runner.socket).health());
}

TEST_CASE("runner e2e: a waiting execute does not hold up another client") {
  runner_process runner;
  runner_client slow(runner.socket);
  auto waiting =
      std::async(std::launch::async, [&] { return slow.execute(e2e_query("sleep 1", 5)); });
  runner_client fast(runner.socket);
  auto start = std::chrono::steady_clock::now();
  auto res = fast.execute(e2e_query("echo hi"));
  REQUIRE(res);
  CHECK(res->status == "finished");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
  auto slow_res = waiting.get();
  REQUIRE(slow_res);
  CHECK(slow_res->status == "finished");
}

TEST_CASE("runner e2e: an exec_timeout of 1e300 seconds lets the run finish") {
  // Before it was cut to a year, the overflowing deadline killed the run at once.
  runner_process runner;
  runner_client client(runner.socket);
  auto req = e2e_query("sleep 0.2; echo done");
  req.exec_timeout = 1e300;
  auto res = client.execute(req);
  REQUIRE(res);
  CHECK(res->status == "finished");
  CHECK(stream_text(*res, "stdout") == "done\n");
}

TEST_CASE("runner e2e: start_service with a port beyond 65535 answers invalid_argument") {
  runner_process runner;
  raw_connection conn(runner.socket);
  conn.send_bytes(encode_frame(R"({"op":"start_service","id":4,"name":"sleeper",)"
                               R"("opts":{"port":80801}})"));
  auto answer = conn.read_frame();
  REQUIRE(answer);
  CHECK(answer->find("\"error\":\"invalid_argument\"") != std::string::npos);
  CHECK(answer->find("65535") != std::string::npos);
}

namespace {

/// Polls a run with stream set until its stdout holds `needle` or it ends; answers the stdout
/// collected (the terminal's echo included).
std::string read_until(runner_client& client, const std::string& run_id, const std::string& needle,
                       std::optional<int>* exit_code = nullptr) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (out.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    auto req = follow_up(execution_mode::continue_, run_id, {}, 2.0);
    req.stream = true;
    auto res = client.execute(req);
    if (!res)
      break;
    out += stream_text(*res, "stdout");
    if (res->status == "finished") {
      if (exit_code && res->exit_code)
        *exit_code = *res->exit_code;
      break;
    }
  }
  return out;
}

caf::error control(runner_client& client, execution_mode mode, const std::string& run_id,
                   std::string code = {}, std::optional<int> rows = {},
                   std::optional<int> cols = {}) {
  auto req = follow_up(mode, run_id, std::move(code), 0);
  req.rows = rows;
  req.cols = cols;
  auto res = client.execute(req);
  return res ? caf::error{} : res.error();
}

} // namespace

TEST_CASE("runner e2e: with stream set, a poll answers as soon as the run prints") {
  runner_process runner;
  runner_client client(runner.socket);
  auto req = e2e_query("for i in 1 2 3; do echo $i; sleep 0.5; done", 5.0);
  req.stream = true;
  std::vector<std::string> pieces;
  std::vector<std::chrono::steady_clock::time_point> at;
  auto res = client.execute(req);
  REQUIRE(res);
  auto run_id = res->run_id;
  while (true) {
    if (auto text = stream_text(*res, "stdout"); !text.empty()) {
      pieces.push_back(text);
      at.push_back(std::chrono::steady_clock::now());
    }
    if (res->status == "finished")
      break;
    CHECK(res->status == "continued");
    auto next = follow_up(execution_mode::continue_, run_id);
    next.stream = true;
    res = client.execute(next);
    REQUIRE(res);
  }
  // Each line came alone, when it was printed: the polls did not wait for the flush timeout.
  REQUIRE(pieces == std::vector<std::string>{"1\n", "2\n", "3\n"});
  CHECK(at[1] - at[0] >= std::chrono::milliseconds(400));
  CHECK(at[2] - at[1] >= std::chrono::milliseconds(400));
  CHECK(*res->exit_code == 0);
}

TEST_CASE("runner e2e: a terminal run is a shell on a pty that resizes, takes Ctrl-C and exits") {
  runner_process runner;
  runner_client client(runner.socket);
  execute_request start;
  start.mode = execution_mode::pty;
  start.rows = 30;
  start.cols = 100;
  start.stream = true;
  start.flush_timeout = 0.5;
  auto first = client.execute(start);
  REQUIRE(first);
  REQUIRE(first->status == "continued");
  auto run = first->run_id;
  REQUIRE_FALSE(control(client, execution_mode::write, run, "stty size\n"));
  CHECK(read_until(client, run, "30 100").find("30 100") != std::string::npos);
  REQUIRE_FALSE(control(client, execution_mode::resize, run, {}, 40, 120));
  REQUIRE_FALSE(control(client, execution_mode::write, run, "stty size\n"));
  CHECK(read_until(client, run, "40 120").find("40 120") != std::string::npos);
  // Ctrl-C is a byte to the terminal, which interrupts the foreground job as in any terminal.
  REQUIRE_FALSE(control(client, execution_mode::write, run, "sleep 100\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE_FALSE(control(client, execution_mode::write, run, "\x03"));
  REQUIRE_FALSE(control(client, execution_mode::write, run, "echo done-$?\n"));
  CHECK(read_until(client, run, "done-130").find("done-130") != std::string::npos);
  REQUIRE_FALSE(control(client, execution_mode::write, run, "exit 3\n"));
  std::optional<int> exit_code;
  read_until(client, run, "\x01never", &exit_code);
  REQUIRE(exit_code);
  CHECK(*exit_code == 3);
}

TEST_CASE("runner e2e: a resize of a run without a terminal answers conflict, bad sizes "
          "invalid_argument") {
  runner_process runner;
  runner_client client(runner.socket);
  auto first = client.execute(e2e_query("sleep 5", 0.1));
  REQUIRE(first);
  auto err = control(client, execution_mode::resize, first->run_id, {}, 30, 100);
  CHECK(code_of(err) == errc::conflict);
  err = control(client, execution_mode::resize, first->run_id, {}, 0, 100);
  CHECK(code_of(err) == errc::invalid_argument);
  err = control(client, execution_mode::write, "no-such-run", "x");
  CHECK(code_of(err) == errc::not_found);
}

TEST_CASE("runner e2e: cancel ends a run whose client went away") {
  runner_process runner;
  runner_client client(runner.socket);
  auto first = client.execute(e2e_query("sleep 100", 0.1));
  REQUIRE(first);
  REQUIRE(first->status == "continued");
  REQUIRE_FALSE(control(client, execution_mode::cancel, first->run_id));
  auto next = client.execute(follow_up(execution_mode::continue_, first->run_id));
  REQUIRE(next);
  CHECK(next->status == "finished");
  REQUIRE(next->exit_code);
  CHECK(*next->exit_code == 128 + SIGHUP);
}
