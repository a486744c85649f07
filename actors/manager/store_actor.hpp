#pragma once

/// The store actor: owns the SQLite store (runtime/store/session_store.hpp). SQLite blocks on
/// disk, so it runs detached on its own thread and nothing else touches the database. Requests
/// are answered in arrival order; a failed write answers the store's error (and logs it: many
/// writers send without waiting for the answer).
///
/// Writes are batched: the first write after a commit opens a transaction and queues a
/// `flush_batch` behind the messages already waiting, so every write that arrived meanwhile
/// shares one commit. A write that was requested is answered after that commit. A read commits
/// first (what its reader saw is on disk for any other connection), and the actor ending (the
/// manager stopping) commits what is open.

#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/manager/repository.hpp"
#include "messages/session_records.hpp"

namespace baikal {

namespace repo {

#define BAIKAL_REPO_OP(name, ...)                                                                  \
  template <class Inspector> typename Inspector::result_type inspect(Inspector& f, name& x) {      \
    return f(caf::meta::type_name("baikal::repo::" #name), __VA_ARGS__);                           \
  }

struct insert_session {
  scheduled_session session;
  session_status status = session_status::pending;
  std::string reason;
};
BAIKAL_REPO_OP(insert_session, x.session, x.status, x.reason)

struct get_session {
  session_id session;
};
BAIKAL_REPO_OP(get_session, x.session)

struct list_sessions {};
template <class Inspector> typename Inspector::result_type inspect(Inspector& f, list_sessions&) {
  return f(caf::meta::type_name("baikal::repo::list_sessions"));
}

struct set_session_status {
  session_id session;
  session_status status = session_status::pending;
  std::string reason;
};
BAIKAL_REPO_OP(set_session_status, x.session, x.status, x.reason)

struct get_status_history {
  session_id session;
};
BAIKAL_REPO_OP(get_status_history, x.session)

struct upsert_agent {
  agent_record agent;
};
BAIKAL_REPO_OP(upsert_agent, x.agent)

struct list_agents {};
template <class Inspector> typename Inspector::result_type inspect(Inspector& f, list_agents&) {
  return f(caf::meta::type_name("baikal::repo::list_agents"));
}

struct list_sessions_of {
  user_id owner;
};
BAIKAL_REPO_OP(list_sessions_of, x.owner)

/// The scheduler bound the session's kernels: store the new spec and each kernel's agent.
struct bind_session {
  scheduled_session session;
};
BAIKAL_REPO_OP(bind_session, x.session)

struct set_kernel_status {
  kernel_id kernel;
  kernel_status status = kernel_status::pending;
  std::string container_id;
};
BAIKAL_REPO_OP(set_kernel_status, x.kernel, x.status, x.container_id)

/// Sent by the store to itself: commit the writes of the current batch.
struct flush_batch {};
template <class Inspector> typename Inspector::result_type inspect(Inspector& f, flush_batch&) {
  return f(caf::meta::type_name("baikal::repo::flush_batch"));
}

#undef BAIKAL_REPO_OP

} // namespace repo

using store_actor = session_repository_actor::extend<
    caf::replies_to<repo::insert_session>::with<ack>,
    caf::replies_to<repo::get_session>::with<session_record>,
    caf::replies_to<repo::list_sessions>::with<std::vector<session_record>>,
    caf::replies_to<repo::set_session_status>::with<ack>,
    caf::replies_to<repo::get_status_history>::with<std::vector<status_change>>,
    caf::replies_to<repo::upsert_agent>::with<ack>,
    caf::replies_to<repo::list_agents>::with<std::vector<agent_record>>,
    caf::replies_to<repo::set_kernel_status>::with<ack>,
    caf::replies_to<repo::list_sessions_of>::with<std::vector<session_record>>,
    caf::replies_to<repo::bind_session>::with<ack>, caf::reacts_to<repo::flush_batch>>;

/// Opens the store at `path` (before spawning, so a bad path fails here and not in the actor)
/// and spawns the detached actor that owns it.
caf::expected<store_actor> spawn_store(caf::actor_system& sys, const std::string& path);

} // namespace baikal
