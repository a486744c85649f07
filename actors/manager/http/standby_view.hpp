#pragma once

/// What the API of a manager standing by knows of the one that leads: where to send the
/// requests a standby does not serve itself. Written by the thread that waits for the lead,
/// read by the API's threads.

#include <mutex>
#include <string>

#include "runtime/http/http_message.hpp"

namespace baikal {

class standby_view {
public:
  /// The leader as the store names it (its API's URL); anything not a URL is ignored.
  void saw(const std::string& leader);
  /// The leader's API URL, without a trailing slash; empty while none is known.
  std::string leader_url() const;

private:
  mutable std::mutex mutex_;
  std::string url_;
};

/// Whether a standby answers route `label` itself (health, readiness, the API document and the
/// session reads, from the database); every other request goes to the leader.
bool standby_serves(const std::string& label);

/// A standby's answer to what it does not serve: 307 to the same target on the leader (the
/// method and body are sent again there), or 503 while no manager leads.
http::http_response standby_redirect(const standby_view& view, const std::string& target);

} // namespace baikal
