#pragma once

/// Two sockets joined: what one side sends the other receives, until both have finished
/// sending (a side that ends its sending half-closes the other's) or one fails. Runs on the
/// strand of the connection it came from; keeps itself alive through its pending operations.

#include <array>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace baikal::http::detail {

class tunnel : public std::enable_shared_from_this<tunnel> {
public:
  using tcp = boost::asio::ip::tcp;

  /// `to_upstream` is sent to the upstream before anything the client sends.
  tunnel(tcp::socket client, tcp::socket upstream, std::string to_upstream);

  void start();

private:
  struct direction {
    tcp::socket* from;
    tcp::socket* to;
    std::array<char, 16384> buf{};
    bool done = false;
  };

  void pump(direction& d);
  void finished(direction& d);
  void fail();

  tcp::socket client_;
  tcp::socket upstream_;
  std::string first_;
  direction up_{&client_, &upstream_};
  direction down_{&upstream_, &client_};
};

} // namespace baikal::http::detail
