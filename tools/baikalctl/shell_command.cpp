// `baikalctl shell SESSION`: the image's shell in the session's main kernel on a real terminal,
// over the API's /pty WebSocket. The local terminal goes raw for the while, so keys (Ctrl-C
// too) go to the remote shell as typed; window resizes follow; the exit code is the shell's.

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>

#include "messages/errors.hpp"
#include "runtime/http/target.hpp"
#include "runtime/http/websocket_client.hpp"
#include "runtime/json/json_reader.hpp"
#include "tools/baikalctl/commands.hpp"
#include "tools/baikalctl/raw_terminal.hpp"

namespace baikal::ctl {

namespace {

namespace net = boost::asio;

/// Everything one shell connection juggles on one thread: keyboard, window, server.
struct shell_link {
  http::websocket_client& ws;
  net::posix::stream_descriptor keyboard;
  net::signal_set window;
  std::array<char, 4096> keys{};
  int exit_code = 0;
  std::string failure;

  shell_link(http::websocket_client& w)
      : ws(w), keyboard(w.io(), ::dup(STDIN_FILENO)), window(w.io(), SIGWINCH) {}

  void read_keys() {
    keyboard.async_read_some(net::buffer(keys), [this](boost::system::error_code ec, size_t n) {
      if (ec)
        return; // stdin ended (not a terminal): the shell goes on until it exits
      ws.async_send(std::string(keys.data(), n), true);
      read_keys();
    });
  }

  void watch_window() {
    window.async_wait([this](boost::system::error_code ec, int) {
      if (ec)
        return;
      if (auto size = terminal_size_of(STDOUT_FILENO))
        ws.async_send("{\"type\":\"resize\",\"rows\":" + std::to_string(size->first) +
                          ",\"cols\":" + std::to_string(size->second) + "}",
                      false);
      watch_window();
    });
  }

  void read_server() {
    ws.async_receive([this](caf::expected<std::optional<http::websocket_message>> msg) {
      if (!msg) {
        failure = message_of(msg.error());
        return stop();
      }
      if (!*msg)
        return stop(); // the server closed: the shell exited
      auto& m = **msg;
      if (m.binary)
        write_all(m.data);
      else
        on_text(m.data);
      read_server();
    });
  }

  void on_text(const std::string& text) {
    auto doc = json::parse_object(text);
    if (!doc)
      return;
    auto type = str(*doc, "type");
    if (type == "exit")
      exit_code = static_cast<int>(integer(*doc, "exit_code"));
    else if (type == "error")
      failure = str(*doc, "message");
  }

  static void write_all(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      auto n = ::write(STDOUT_FILENO, data.data() + done, data.size() - done);
      if (n <= 0)
        return;
      done += static_cast<size_t>(n);
    }
  }

  void stop() {
    boost::system::error_code ignored;
    keyboard.cancel(ignored);
    window.cancel(ignored);
    ws.io().stop();
  }
};

/// TERM for the remote shell: the local one when it is a plain terminal type's name.
std::string local_term() {
  const char* term = std::getenv("TERM");
  if (!term || !*term)
    return "xterm-256color";
  std::string t = term;
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return "xterm-256color";
  return t;
}

} // namespace

int shell(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 2)
    return fail("usage: baikalctl shell SESSION");
  auto id = api.resolve_session(args.words[1]);
  if (!id)
    return fail(id.error());
  auto size = terminal_size_of(STDOUT_FILENO).value_or(std::pair<int, int>{24, 80});
  auto target = "/v1/sessions/" + http::percent_encode(*id) +
                "/pty?rows=" + std::to_string(size.first) + "&cols=" + std::to_string(size.second) +
                "&term=" + http::percent_encode(local_term());
  auto ws = http::websocket_client::open(api.http(), target,
                                         {{"Authorization", "Bearer " + api.token()}});
  if (!ws)
    return fail(ws.error());
  shell_link link{**ws};
  {
    raw_terminal raw{STDIN_FILENO};
    link.read_keys();
    link.watch_window();
    link.read_server();
    (*ws)->io().run();
  }
  if (!link.failure.empty())
    return fail(link.failure);
  return link.exit_code;
}

} // namespace baikal::ctl
