#pragma once

/// The two repository operations the launcher needs (the reference's SchedulerRepository), as a
/// typed interface: the store actor answers it, and so can a test's recording repository.

#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_interface.hpp"
#include "messages/ids.hpp"

namespace baikal {

namespace repo {

/// Record the network the session's kernels attach to; empty for Docker's default network.
struct update_session_network_id {
  session_id session;
  std::string network_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, update_session_network_id& x) {
  return f(caf::meta::type_name("baikal::repo::update_session_network_id"), x.session,
           x.network_id);
}

/// Record why the session failed to start: the error info JSON of error_info.hpp.
struct update_session_error_info {
  session_id session;
  std::string error_info;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, update_session_error_info& x) {
  return f(caf::meta::type_name("baikal::repo::update_session_error_info"), x.session,
           x.error_info);
}

} // namespace repo

using session_repository_actor =
    caf::typed_actor<caf::replies_to<repo::update_session_network_id>::with<ack>,
                     caf::replies_to<repo::update_session_error_info>::with<ack>>;

} // namespace baikal
