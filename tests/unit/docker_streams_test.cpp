// Incremental stream parsing and error mapping of runtime/docker/: no engine needed.

#include <doctest/doctest.h>

#include <cstdlib>

#include "runtime/docker/connection.hpp"
#include "runtime/docker/errors.hpp"
#include "runtime/docker/streams.hpp"

using namespace baikal;
using namespace baikal::docker;

namespace {

std::string frame(char type, const std::string& payload) {
  std::string out{type, 0, 0, 0};
  auto n = static_cast<uint32_t>(payload.size());
  out += {char(n >> 24), char(n >> 16 & 0xFF), char(n >> 8 & 0xFF), char(n & 0xFF)};
  return out + payload;
}

} // namespace

TEST_CASE("docker: log frames demultiplex across split reads") {
  auto body = frame(1, "hello ") + frame(2, "oops\n") + frame(1, std::string(300, 'x'));
  // Feed every split size, byte by byte up to big pieces: the result never changes.
  for (size_t step : {1, 3, 7, 8, 9, 64, 1000}) {
    frame_demuxer d;
    for (size_t i = 0; i < body.size(); i += step)
      d.feed(std::string_view{body}.substr(i, step));
    CHECK(d.out() == "hello " + std::string(300, 'x'));
    CHECK(d.err() == "oops\n");
    CHECK(d.pending() == 0);
  }
  frame_demuxer partial;
  partial.feed(body.substr(0, 10));
  CHECK(partial.out().empty());
  CHECK(partial.pending() == 10);
  CHECK(demux_frames(frame(1, "a")).out == "a");
}

TEST_CASE("docker: progress lines split across chunks, CRLF dropped") {
  std::vector<std::string> lines;
  progress_stream p;
  auto on_line = [&](std::string l) { lines.push_back(std::move(l)); };
  p.feed("{\"status\":\"Pull", on_line);
  p.feed("ing\"}\r\n{\"status\":\"Done\"}\r", on_line);
  p.feed("\n{\"status\":\"last\"}", on_line);
  docker_reply reply;
  reply.status = 200;
  auto r = p.finish(reply, on_line);
  REQUIRE(r);
  CHECK(lines == std::vector<std::string>{R"({"status":"Pulling"})", R"({"status":"Done"})",
                                          R"({"status":"last"})"});
  CHECK(r->body == R"({"status":"last"})");
}

TEST_CASE("docker: an error line inside a 200 stream fails the call with Docker's text") {
  progress_stream p;
  p.feed("{\"status\":\"Preparing\"}\n{\"errorDetail\":{\"message\":\"unauthorized: "
         "authentication required\"},\"error\":\"unauthorized: authentication required\"}\n",
         nullptr);
  docker_reply reply;
  reply.status = 200;
  auto r = p.finish(reply, nullptr);
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == errc::runtime_error);
  CHECK(message_of(r.error()) == "unauthorized: authentication required");
}

TEST_CASE("docker: HTTP statuses map to Baikal codes and keep Docker's message") {
  auto e = error_of_response(404, "{\"message\":\"No such image: ghost:v0\"}\n");
  CHECK(code_of(e) == errc::not_found);
  CHECK(message_of(e) == "No such image: ghost:v0");
  CHECK(code_of(error_of_response(409, "{\"message\":\"conflict: x\"}")) == errc::conflict);
  CHECK(code_of(error_of_response(400, "{\"message\":\"bad\"}")) == errc::invalid_argument);
  CHECK(code_of(error_of_response(403, "{\"message\":\"in use\"}")) == errc::permission_denied);
  CHECK(code_of(error_of_response(500, "{\"message\":\"boom\"}")) == errc::runtime_error);
  CHECK(code_of(error_of_response(502, "")) == errc::runtime_error);
  // Docker's HTTP layer answers some 400s in plain text.
  CHECK(message_of(error_of_response(400, "Bad Request: missing required Host header\n")) ==
        "Bad Request: missing required Host header");
  CHECK(is_success(204));
  CHECK(is_success(304));
  CHECK_FALSE(is_success(404));
  auto down = unreachable("/nowhere.sock", "No such file or directory");
  CHECK(code_of(down) == errc::unavailable);
  CHECK(message_of(down).find("/nowhere.sock") != std::string::npos);
}

TEST_CASE("docker: the socket path comes from config, then DOCKER_HOST, then the default") {
  CHECK(socket_path_from("/a.sock") == "/a.sock");
  ::setenv("DOCKER_HOST", "unix:///tmp/x.sock", 1);
  CHECK(socket_path_from("") == "/tmp/x.sock");
  ::setenv("DOCKER_HOST", "tcp://1.2.3.4:2375", 1);
  CHECK(socket_path_from("") == "/var/run/docker.sock");
  ::unsetenv("DOCKER_HOST");
  CHECK(socket_path_from("") == "/var/run/docker.sock");
}
