#pragma once

/// The client's stream and a socket to the upstream joined: what one side sends the other
/// receives, until both have finished sending (a side that ends its sending half-closes the
/// other's) or one fails. The client's stream is plain TCP or TLS (tunnel.cpp makes both); the
/// upstream is plain TCP. Runs on the strand of the connection it came from; keeps itself alive
/// through its pending operations.

#include <array>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace baikal::http::detail {

template <class Stream> class tunnel : public std::enable_shared_from_this<tunnel<Stream>> {
public:
  using tcp = boost::asio::ip::tcp;

  /// `to_upstream` is sent to the upstream before anything the client sends.
  tunnel(Stream client, tcp::socket upstream, std::string to_upstream);

  void start();

private:
  std::shared_ptr<tunnel> shared() { return this->shared_from_this(); }
  void pump_up();
  void pump_down();
  void client_finished();
  void upstream_finished();
  /// Ends both sides; over TLS the client first gets close_notify (for a few seconds at most).
  void end();
  void fail();

  Stream client_;
  tcp::socket upstream_;
  boost::asio::steady_timer shutdown_timer_;
  std::string first_;
  std::array<char, 16384> up_buf_{};
  std::array<char, 16384> down_buf_{};
};

} // namespace baikal::http::detail
