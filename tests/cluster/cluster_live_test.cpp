// Live access against a cluster of real processes: the stream route delivers a run's output as
// it is printed and takes input while the run waits; closing it cancels the run; baikalctl
// shell gives a real terminal (driven here through a pseudo-terminal of the test's own, as a
// person's terminal would drive it).

#include <doctest/doctest.h>

#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cluster/process_cluster.hpp"
#include "integration/ctl_process.hpp"
#include "runtime/http/websocket_client.hpp"
#include "runtime/json/json_reader.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

struct frame {
  std::string type;
  std::string data;
  int exit_code = -1;
  steady::time_point at;
};

std::unique_ptr<http::websocket_client> open_stream(const api_client& user, const std::string& id,
                                                    const std::string& route = "stream") {
  auto api = http::blocking_client::make("http://" + user.host + ":" + std::to_string(user.port));
  REQUIRE(api);
  auto ws = http::websocket_client::open(*api, "/v1/sessions/" + id + "/" + route,
                                         {{"Authorization", "Bearer " + user.token}});
  REQUIRE_MESSAGE(ws, why(ws));
  return std::move(*ws);
}

frame next_frame(http::websocket_client& ws) {
  auto msg = ws.receive();
  REQUIRE_MESSAGE(msg, why(msg));
  REQUIRE_MESSAGE(*msg, "the stream closed: " << ws.close_reason());
  auto doc = json::parse_object((*msg)->data);
  REQUIRE(doc);
  frame f;
  f.at = steady::now();
  f.type = (*doc)["type"].GetString();
  if (doc->HasMember("data"))
    f.data = (*doc)["data"].GetString();
  if (doc->HasMember("exit_code") && (*doc)["exit_code"].IsInt())
    f.exit_code = (*doc)["exit_code"].GetInt();
  if (f.type == "error")
    f.data = (*doc)["message"].GetString();
  return f;
}

/// Frames until the run's finished frame (included).
std::vector<frame> frames_until_finished(http::websocket_client& ws) {
  std::vector<frame> out;
  do
    out.push_back(next_frame(ws));
  while (out.back().type != "finished" && out.back().type != "error" && out.size() < 1000);
  return out;
}

/// Reads the pseudo-terminal's master until `needle` shows up (or 20 s pass); answers all read.
/// It answers a cursor-position query (ESC [6n, which BusyBox's line editor sends) as a
/// terminal would, or the shell would wait for the answer.
std::string read_screen(int master, const std::string& needle, std::string& screen) {
  auto deadline = steady::now() + 20s;
  size_t answered = 0;
  while (screen.find(needle) == std::string::npos && steady::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0)
      continue;
    char buf[4096];
    auto n = ::read(master, buf, sizeof buf);
    if (n <= 0)
      break;
    screen.append(buf, static_cast<size_t>(n));
    for (auto at = screen.find("\x1b[6n", answered); at != std::string::npos;
         at = screen.find("\x1b[6n", answered)) {
      answered = at + 4;
      static const std::string position = "\x1b[1;1R";
      REQUIRE(::write(master, position.data(), position.size()) ==
              static_cast<ssize_t>(position.size()));
    }
  }
  return screen;
}

void type_keys(int master, const std::string& keys) {
  REQUIRE(::write(master, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
}

} // namespace

TEST_CASE("cluster: stream: output arrives one line at a time as printed, input reaches a "
          "waiting run, and closing the socket cancels the run") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"live-stream","image":")" + cluster.image +
                                   R"(","resources":{"cpu":0.25,"mem":67108864}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");

  auto ws = open_stream(cluster.alice, id);
  REQUIRE_FALSE(ws->send(R"({"mode":"query","code":"for i in 1 2 3; do echo $i; sleep 1; done"})"));
  auto frames = frames_until_finished(*ws);
  REQUIRE(frames.front().type == "started");
  std::vector<frame> lines;
  for (auto& f : frames)
    if (f.type == "stdout")
      lines.push_back(f);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].data == "1\n");
  CHECK(lines[1].data == "2\n");
  CHECK(lines[2].data == "3\n");
  // Each line came when it was printed, a second after the one before, not all at the end.
  CHECK(lines[1].at - lines[0].at >= 800ms);
  CHECK(lines[2].at - lines[1].at >= 800ms);
  CHECK(frames.back().type == "finished");
  CHECK(frames.back().exit_code == 0);

  // The same stream takes the next run; input goes in when the run waits for it.
  REQUIRE_FALSE(ws->send(R"({"mode":"query","code":"echo name?; read x; echo got-$x; exit 4"})"));
  CHECK(next_frame(*ws).type == "started");
  std::string out;
  frame f;
  do {
    f = next_frame(*ws);
    if (f.type == "stdout")
      out += f.data;
  } while (f.type != "waiting-input" && f.type != "finished");
  REQUIRE(f.type == "waiting-input");
  CHECK(out == "name?\n");
  REQUIRE_FALSE(ws->send(R"({"input":"abc"})"));
  auto rest = frames_until_finished(*ws);
  out.clear();
  for (auto& r : rest)
    if (r.type == "stdout")
      out += r.data;
  CHECK(out == "got-abc\n");
  CHECK(rest.back().exit_code == 4);

  // A bad frame is answered, and the stream stays usable.
  REQUIRE_FALSE(ws->send(R"({"mode":"continue","run_id":"x"})"));
  auto refused = next_frame(*ws);
  CHECK(refused.type == "error");
  CHECK(refused.data.find("mode") != std::string::npos);

  // Closing the socket cancels the run: the file it would write later never appears.
  REQUIRE_FALSE(ws->send(R"({"mode":"query","code":"sleep 3; touch /home/work/late"})"));
  CHECK(next_frame(*ws).type == "started");
  ws->close();
  std::this_thread::sleep_for(5s);
  auto listing = cluster.alice.get("/v1/sessions/" + id + "/files?path=.");
  REQUIRE_MESSAGE(listing.status == 200, listing.body);
  CHECK(listing.body.find("late") == std::string::npos);

  // Only the owner reaches it, and only as a WebSocket.
  auto api = http::blocking_client::make("http://" + cluster.alice.host + ":" +
                                         std::to_string(cluster.alice.port));
  REQUIRE(api);
  auto foreign = http::websocket_client::open(*api, "/v1/sessions/" + id + "/stream",
                                              {{"Authorization", "Bearer " + cluster.ops.token}});
  REQUIRE_FALSE(foreign);
  CHECK_MESSAGE(code_of(foreign.error()) == errc::not_found, message_of(foreign.error()));
  auto plain = cluster.alice.get("/v1/sessions/" + id + "/stream");
  CHECK(plain.status == 400);
  CHECK(plain.str("message").find("WebSocket") != std::string::npos);

  // baikalctl exec goes over the stream: output and exit code as the code gave them, and the
  // words after -- each stay one argument.
  auto url = "http://" + cluster.net.manager.address + ":8090";
  std::map<std::string, std::string> env{{"BAIKAL_API_URL", url},
                                         {"BAIKAL_TOKEN", cluster.alice.token}};
  auto ran = run_ctl({"exec", id, "--", "printf", "%s|", "a b", "c;d"}, env);
  CHECK_MESSAGE(ran.exit_code == 0, ran.err);
  CHECK(ran.out == "a b|c;d|");
  auto failed = run_ctl({"exec", id, "--", "echo oops >&2; exit 5"}, env);
  CHECK(failed.exit_code == 5);
  CHECK(failed.err == "oops\n");
}

TEST_CASE("cluster: shell: baikalctl shell is a real terminal: stty size follows a resize, "
          "Ctrl-C interrupts sleep 100, exit ends it with the shell's code") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"live-shell","image":")" + cluster.image +
                                   R"(","resources":{"cpu":0.25,"mem":67108864}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto url = "http://" + cluster.net.manager.address + ":8090";

  int master = -1;
  winsize size{};
  size.ws_row = 30;
  size.ws_col = 100;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("BAIKAL_API_URL", url.c_str(), 1);
    ::setenv("BAIKAL_TOKEN", cluster.alice.token.c_str(), 1);
    ::setenv("TERM", "xterm", 1);
    ::execl(BAIKALCTL_PATH, BAIKALCTL_PATH, "shell", id.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string screen;
  // The shell's prompt first: keys typed before it would go to its start-up.
  CHECK_MESSAGE(read_screen(master, "$ ", screen).find("$ ") != std::string::npos, screen);
  type_keys(master, "stty size\r");
  CHECK_MESSAGE(read_screen(master, "30 100", screen).find("30 100") != std::string::npos, screen);

  // The window grows: the kernel tells baikalctl (SIGWINCH), which tells the remote terminal.
  size.ws_row = 40;
  size.ws_col = 120;
  REQUIRE(::ioctl(master, TIOCSWINSZ, &size) == 0);
  std::this_thread::sleep_for(500ms);
  type_keys(master, "stty size\r");
  CHECK_MESSAGE(read_screen(master, "40 120", screen).find("40 120") != std::string::npos, screen);

  type_keys(master, "sleep 100\r");
  std::this_thread::sleep_for(1s);
  type_keys(master, "\x03");
  type_keys(master, "echo done-$?\r");
  CHECK_MESSAGE(read_screen(master, "done-130", screen).find("done-130") != std::string::npos,
                screen);

  type_keys(master, "exit 7\r");
  int status = 0;
  bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 20s);
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  REQUIRE_MESSAGE(exited, screen);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);
  // baikalctl gave the terminal back as it found it (cooked, echoing).
  termios after{};
  REQUIRE(::tcgetattr(master, &after) == 0);
  CHECK((after.c_lflag & ICANON) != 0);
  CHECK((after.c_lflag & ECHO) != 0);
  ::close(master);
}
