#pragma once

/// The API of a manager standing by: the same routes and port as the leader's, answering the
/// session reads from the shared database (standby_front) and sending everything else to the
/// manager that leads (standby_view). It serves until this manager leads; then the full API
/// takes the port.

#include <chrono>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/manager/http/api_settings.hpp"
#include "actors/manager/http/standby_view.hpp"
#include "messages/manager_interface.hpp"
#include "messages/store_interface.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal {

class http_api;

class standby_api {
public:
  /// `store_url`: the shared database; the API starts even when it cannot be reached (the
  /// reads then answer 503, everything else still goes to the leader).
  standby_api(caf::actor_system& sys, const std::string& store_url, api_settings settings,
              std::chrono::milliseconds store_timeout);
  ~standby_api();

  /// Listens and serves; answers the bound port.
  caf::expected<uint16_t> start();
  /// Stops serving (requests in flight are answered) and ends its actors.
  void stop();
  /// stop(), handing out the listening socket for the full API of the manager that now leads:
  /// clients that connect meanwhile wait instead of being refused.
  unique_fd hand_over_port();

  /// Where the leader is, as the wait for the lead learns it.
  standby_view& view() { return *view_; }

private:
  unique_fd stop_serving(bool keep_listener);

  std::shared_ptr<standby_view> view_;
  store_actor store_;
  manager_actor front_;
  std::unique_ptr<http_api> api_;
};

} // namespace baikal
