#pragma once

/// One HTTP/1.1 connection to the Docker engine over its Unix socket, driven with synchronous
/// Beast I/O. Only the engine's own threads use it (never an actor thread).

#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

/// The API version every target is pinned to (the engine here is 20.10, API 1.41).
constexpr std::string_view api_prefix = "/v1.41";

/// The engine's socket: `configured` if set, else DOCKER_HOST's unix:// path, else
/// /var/run/docker.sock.
std::string socket_path_from(const std::string& configured);

/// Receives the bytes of a successful (2xx) body as they arrive.
using data_handler = std::function<void(std::string_view)>;

/// What an exchange did: `ec` is the first I/O error; `request_written` says whether the whole
/// request reached the socket, `header_read` whether the answer had begun (then the request
/// must not be retried; retry_policy.hpp decides the rest).
struct exchange_outcome {
  boost::system::error_code ec;
  bool request_written = false;
  bool header_read = false;
};

class connection {
public:
  connection(boost::asio::io_context& ioc, std::string socket_path);

  /// Connects the socket; the error says why it failed.
  boost::system::error_code connect();

  /// The socket's descriptor, for a cancelling thread to shut it down.
  int native_handle();

  /// Writes `call` and reads the answer into `reply`. With `on_data`, a 2xx body goes to it
  /// piece by piece instead of into `reply.body`; error bodies always go to `reply.body`.
  exchange_outcome exchange(const docker_call& call, docker_reply& reply,
                            const data_handler& on_data);

  /// False once the engine or a failure ended the connection (it must not go back to a pool).
  bool reusable() const { return reusable_; }

private:
  boost::asio::local::stream_protocol::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string socket_path_;
  bool reusable_ = false;
};

} // namespace baikal::docker
