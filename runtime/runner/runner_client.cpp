#include "runtime/runner/runner_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "messages/errors.hpp"
#include "runtime/paths/socket_path.hpp"

namespace baikal::runner {

namespace {

using clock_type = std::chrono::steady_clock;

int remaining_ms(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

} // namespace

caf::error runner_client::connect() {
  std::string why;
  // The scratch root may be deep: a long path is reached through its opened directory.
  auto socket = paths::socket_path::reach(path_, why);
  if (!socket)
    return make_error(errc::unavailable, "cannot reach the kernel runner: " + why);
  auto addr = socket->address();
  unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  // A Unix socket connect does not wait on the network: it succeeds or fails at once.
  if (!fd || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), socket->address_size()) != 0)
    return make_error(errc::unavailable, "the kernel runner does not listen at " + path_ + ": " +
                                             std::strerror(errno));
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
  fd_ = std::move(fd);
  decoder_ = frame_decoder{};
  return caf::none;
}

void runner_client::drop_if_closed() {
  if (!fd_)
    return;
  pollfd p{fd_.get(), POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0)
    return; // nothing waiting: the connection is open and idle
  if (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) {
    fd_.reset();
    return;
  }
  // Bytes while idle can only be a late answer (skipped by id); none at all is an end of stream.
  char byte;
  if (::recv(fd_.get(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
    fd_.reset();
}

caf::expected<std::string> runner_client::call(std::string_view request, uint64_t id,
                                               duration timeout) {
  drop_if_closed();
  if (!fd_)
    if (auto err = connect())
      return err;
  auto deadline = clock_type::now() + timeout;
  auto fail = [&](errc code, std::string what) -> caf::expected<std::string> {
    fd_.reset();
    return make_error(code, what + " (kernel runner at " + path_ + ")");
  };
  std::string out = encode_frame(request);
  size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = ::send(fd_.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return fail(errc::unavailable, std::string("send: ") + std::strerror(errno));
    pollfd p{fd_.get(), POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) == 0)
      return fail(errc::timeout, "the request could not be sent in time");
  }
  for (;;) {
    while (auto payload = decoder_.next())
      if (response_id(*payload) == id)
        return std::move(*payload); // answers of earlier, timed-out calls are skipped
    if (decoder_.failed())
      return fail(errc::runtime_error, "the runner sent an oversized frame");
    pollfd p{fd_.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready == 0)
      return fail(errc::timeout, "no answer in time");
    if (ready < 0 && errno == EINTR)
      continue;
    char buf[65536];
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return fail(errc::unavailable, "the connection closed before the answer");
    decoder_.feed(buf, static_cast<size_t>(n));
  }
}

caf::expected<execution_result> runner_client::execute(const execute_request& req) {
  auto id = next_id();
  auto wait =
      std::chrono::duration_cast<duration>(std::chrono::duration<double>(req.flush_timeout));
  auto answer = call(make_execute_request(id, req), id, wait + extra_wait_);
  if (!answer)
    return answer.error();
  return parse_execution_result(*answer);
}

caf::expected<std::string> runner_client::interrupt(std::string_view run_id) {
  auto id = next_id();
  auto answer = call(make_interrupt_request(id, run_id), id, extra_wait_);
  if (!answer)
    return answer.error();
  return parse_ok(*answer);
}

caf::expected<completion_result> runner_client::complete(std::string_view text) {
  auto id = next_id();
  auto answer = call(make_complete_request(id, text), id, extra_wait_);
  if (!answer)
    return answer.error();
  return parse_completion_result(*answer);
}

caf::expected<service_result> runner_client::start_service(std::string_view name,
                                                           std::optional<int> port) {
  auto id = next_id();
  auto answer = call(make_start_service_request(id, name, port), id, extra_wait_);
  if (!answer)
    return answer.error();
  return parse_service_result(*answer);
}

caf::expected<std::string> runner_client::shutdown_service(std::string_view name) {
  auto id = next_id();
  // The runner answers once the service is gone: SIGTERM, then SIGKILL after its grace.
  auto answer = call(make_shutdown_service_request(id, name), id, extra_wait_ * 2);
  if (!answer)
    return answer.error();
  return parse_ok(*answer);
}

caf::expected<runner_health> runner_client::health() {
  auto id = next_id();
  auto answer = call(make_simple_request(id, "health"), id, extra_wait_);
  if (!answer)
    return answer.error();
  return parse_health(*answer);
}

} // namespace baikal::runner
