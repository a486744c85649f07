#pragma once

/// A manager that shares a PostgreSQL store with others: it serves the standby API while it
/// waits for the lead, and stops waiting on SIGTERM or SIGINT.

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/manager/manager.hpp"
#include "messages/errors.hpp"
#include "runtime/paths/unique_fd.hpp"
#include "tools/baikal-manager/manager_config.hpp"

namespace baikal {

struct lead_outcome {
  caf::expected<manager_handles> handles{make_error(errc::unavailable, "not started")};
  int signal = 0; ///< the stop signal that came while standing by; 0 when it leads or failed
  /// The standby API's listening socket, for the full API once this manager leads.
  unique_fd api_listener;
};

/// The URL this manager's API is reached at, as the standbys send clients there: the listen
/// address, or this host's name when it listens on every address.
std::string api_url_of(const api_settings& api);

/// Serves the standby API on the API's port while spawn_manager waits for the lead, then stops
/// it and answers the leader's handles with its listening socket, for the full API to serve on
/// (clients that connect in between wait rather than being refused). Sets `cfg.manager.lead_as`
/// to the API's URL.
lead_outcome lead_or_stand_by(caf::actor_system& sys, manager_config& cfg);

} // namespace baikal
