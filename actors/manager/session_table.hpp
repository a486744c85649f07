#pragma once

/// The manager front's table of sessions: what it keeps in memory of every session it knows,
/// live or ended, and who may see each. A live session keeps its shared spec; a parked one only
/// what the front reads while it sleeps (parked_session), and an ended one only its owner and
/// status. The store has the rest, so neither a long-running manager nor many idle sessions
/// grow with what the front would not read.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "messages/manager_internal_interface.hpp"
#include "messages/session_records.hpp"

namespace baikal {

/// Where a session's actor is (see parking_lot.hpp).
enum class session_presence : uint8_t {
  live,   ///< its actor runs the session
  dozing, ///< its actor asked to park: what comes for the session is held until it says
  parked, ///< no actor: the next message for it wakes it
  waking, ///< no actor yet: its spec is being read back from the store
};

/// One kernel of a parked session, as the front routes to it.
struct kernel_place {
  kernel_id id;
  agent_id agent;
  bool main = false;
};

/// What the front keeps of a parked session instead of its spec: what it reads while the
/// session sleeps (execute and file routes, an agent's reconciliation, folders in use, the idle
/// clock). Its slots stay held; they are released only after it woke, with its spec back.
struct parked_session {
  std::vector<kernel_place> kernels;
  std::vector<mount_spec> mounts;
  double idle_timeout = 0;
};

/// What the front keeps of one session.
struct session_entry {
  const session_id* key = nullptr; ///< its key in the table (entries never move)
  shared_spec spec; ///< shared with its session actor; null once the session ended or parked
  user_id owner;    ///< set once the session ended or parked (before, the spec has it)
  std::unique_ptr<parked_session> parked; ///< while it is parked or waking
  session_actor actor;        ///< invalid once the session ended, and while it is parked
  std::string pending_reason; ///< the last reason it was told it stays PENDING
  std::chrono::steady_clock::time_point created; ///< for the launch latency
  /// The last activity of a RUNNING session with an idle_timeout (idle_clock.hpp); not stored.
  std::chrono::steady_clock::time_point last_activity;
  // The small fields last and together: every session the manager knows has an entry.
  session_status status = session_status::pending;
  session_presence presence = session_presence::live;
  bool holds_slots = false;    ///< its kernels count against their agents
  bool starting = false;       ///< bound and not RUNNING or ended yet (see max_starting)
  bool idle_check_out = false; ///< a front::idle_check for it is on its way
};

/// What a user is told of a session that is not there, or not theirs.
caf::error no_session(const session_id& id);

/// Who created the session.
const user_id& owner_of(const session_entry& e);

/// The session's id (an entry of a session_table knows it, live, parked or ended).
const session_id& id_of(const session_entry& e);

/// An ended session keeps only what the front still answers from memory (its owner and status).
void forget_spec(session_entry& e);

/// `e` ended: it has no actor any more, and keeps only its owner and status.
void forget_ended(session_entry& e);

/// `e` parked: it keeps what parked_session names instead of its spec.
void park(session_entry& e);

/// `e` wakes with `spec`, read back from the store.
void unpark(session_entry& e, shared_spec spec);

/// Its idle_timeout in seconds (0: none), live or parked.
double idle_timeout_of(const session_entry& e);

/// Its kernels, live or parked; none once it ended.
std::vector<kernel_place> kernels_of(const session_entry& e);

/// Its main kernel, live or parked; none once it ended or when it has none.
std::optional<kernel_place> main_kernel_of(const session_entry& e);

/// Its mounts, live or parked.
const std::vector<mount_spec>& mounts_of(const session_entry& e);

class session_table {
public:
  /// Hashed: looked up for every message about a session. Entries never move nor go, so the
  /// placement book may point at them.
  using map = std::unordered_map<session_id, session_entry>;

  /// Takes on the session `rec` describes (new, or recovered after a restart), its spec moved
  /// out of `rec` unless `spec` is given (a new session's, shared with the store's write); an
  /// ended one keeps only its owner and status.
  session_entry& add(session_record& rec, shared_spec spec = nullptr);

  /// The session `id`, or null.
  session_entry* find(const session_id& id);

  /// The session `id` if it waits to be placed: PENDING, with its actor (not ended meanwhile).
  session_entry* waiting(const session_id& id);

  /// The session `id` if `owner` may see it: another user's session is as unknown as none.
  session_entry* owned(const user_id& owner, const session_id& id);

  /// The live session whose actor is `who`, or null. A scan: it only runs when a session's
  /// actor crashed, and an index by address would cost every session its memory.
  std::pair<const session_id, session_entry>* run_by(const caf::actor_addr& who);

  map::iterator begin() { return sessions_.begin(); }
  map::iterator end() { return sessions_.end(); }

private:
  map sessions_;
};

} // namespace baikal
