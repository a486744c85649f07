#pragma once

/// The manager's HTTP API as one object: the Beast server, the route table and the bridge to
/// `manager_actor`. `baikal-manager` and the tests start it the same way.

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/manager/http/api_settings.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/http/server.hpp"

namespace baikal {

struct api_context;

class http_api {
public:
  http_api(caf::actor_system& sys, manager_actor manager, api_settings settings);
  ~http_api();

  /// Listens and serves; answers the bound port. Given `listener` (another API's, see
  /// hand_over_listener), serves on that socket instead of binding one.
  caf::expected<uint16_t> start(unique_fd listener = {});

  /// Answers GET /v1/ready with 503 from now on, stops accepting, ends event streams, lets requests
  /// in flight be answered, joins the server's threads. Call it before the manager's actors stop.
  void stop();
  /// stop(), keeping the listening socket open for the API that takes the port next.
  unique_fd hand_over_listener();

  uint16_t port() const;

private:
  std::shared_ptr<api_context> ctx_;
  std::unique_ptr<http::server> server_;
};

} // namespace baikal
