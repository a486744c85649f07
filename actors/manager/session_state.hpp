#pragma once

/// The session actor's state and the steps its handlers call, shared by session.cpp (the
/// lifecycle), session_probes.cpp (asking agents when events are late) and
/// session_termination.cpp (ending the session).

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/session.hpp"
#include "messages/errors.hpp"
#include "messages/status_types.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

struct session_state {
  std::shared_ptr<const session_context> ctx;
  shared_spec spec_ptr; ///< never null; the front holds the same one
  shared_images images; ///< by canonical reference, never null
  session_status status = session_status::pending;
  std::string pending_reason;
  /// When the current phase's probe is due (every event of the phase moves it); zero when no
  /// phase is timed (PENDING, RUNNING, ended).
  std::chrono::steady_clock::time_point phase_due;
  bool timer_out = false; ///< a phase_timeout message is on its way
  /// When the session was scheduled (or recovered): the start deadline counts from here.
  std::chrono::steady_clock::time_point start_clock;
  std::set<std::string> pending_pulls; ///< pull_key(agent, image) not finished yet
  bool pulls_resent = false;
  /// A probe's answers are awaited. One at a time: two that both found a kernel missing would
  /// both re-send, and the second would take the first's re-send as failed (the grace after a
  /// start's report and the phase timer can come due together).
  bool probe_out = false;
  bool creates_resent = false;
  bool start_outstanding = false; ///< start_sessions asked, not answered yet
  /// Restarts of the main kernel asked of the agent, not answered yet: the session does not
  /// park meanwhile, or the answer would be lost with its actor.
  uint32_t restarts_outstanding = 0;
  bool start_succeeded = false;
  bool dozing = false; ///< asked the front to park (front::session_idle), still idle since
  /// Times the session was placed again after its agents failed it, and each failed attempt's
  /// failures (see session_retry.cpp).
  uint32_t retries = 0;
  std::vector<std::vector<start_failure>> attempts;
  bool cleaning_up = false; ///< destroying what a failed attempt left before it is placed again
  /// Which of spec().kernels run (by position). Their container ids are in the store: keeping
  /// them here too would cost every idle session a copy.
  std::vector<bool> started;
  size_t started_count = 0;
  std::string network_id; ///< what the launcher recorded (kept for network-plugin sessions)
  std::string termination_reason;
  std::string destroy_reason = lifecycle_reason::user_requested;
  bool batch_recorded = false; ///< the batch command's result went to the store
  /// Within a one_store_write: the moves made and the spec bound, written when it ends.
  bool holding_writes = false;
  std::vector<status_change> held_moves;
  shared_spec held_bind;
  std::vector<repo::set_kernel_status> held_kernels;
  std::shared_ptr<spdlog::logger> log = log::get("session");
  static inline const char* name = "session";

  const scheduled_session& spec() const { return *spec_ptr; }

  bool is_started(const kernel_id& kernel) const;
  /// Records that `kernel` (one of the spec's) runs; false if it was known to already.
  bool mark_started(const kernel_id& kernel);
};

using session_ptr = session_actor::stateful_pointer<session_state>;

/// Sends `write` to the store without waiting for its answer: the store logs a failure (the
/// session goes on either way), and no request timeout is held per write.
template <class Write> void store_write(session_ptr self, Write write) {
  caf::anon_send(self->state.ctx->store, std::move(write));
}

/// Writes a kernel's status, held within a one_store_write: the kernel that completes a session
/// goes in the same write as its move to RUNNING.
void write_kernel_status(session_ptr self, repo::set_kernel_status change);

/// While it lives, the session's moves, its binding and its kernels' statuses are held, and
/// written to the store in one write when it ends: a step that moves a session twice (bound,
/// then preparing; prepared, then creating) costs the store one message and one update of the
/// session's row.
class one_store_write {
public:
  explicit one_store_write(session_ptr self);
  ~one_store_write();
  one_store_write(const one_store_write&) = delete;
  one_store_write& operator=(const one_store_write&) = delete;

private:
  session_ptr self_;
  bool outermost_;
};

// -- session_restart.cpp --

/// Restarts the main kernel of a RUNNING session with the launcher's creation config.
caf::result<kernel_info> restart_main_kernel(session_ptr self);

// -- session.cpp --

/// Moves to `to`, stores the transition with `reason`, tells the front, re-arms the phase timer.
void move_to(session_ptr self, session_status to, const std::string& reason);

/// Re-arms the current phase's timer (an event of the phase arrived); RUNNING arms the timer
/// after which an idle session parks.
void touch(session_ptr self);

/// Every image is on its agents: PREPARED, then CREATING.
void images_ready(session_ptr self, const std::string& reason);

/// Every kernel runs: RUNNING.
void all_started(session_ptr self, const std::string& reason);

/// Records that `kernel` runs in `container`; RUNNING once every kernel does.
void kernel_running(session_ptr self, const kernel_id& kernel, const std::string& container,
                    const std::string& how);

// -- session_kernel_events.cpp --

/// A kernel of the session started (events of an earlier attempt are not the session's): its
/// main kernel's services and its container are stored; RUNNING once every kernel runs.
void on_started(session_ptr self, const kernel_started_event& e);

/// A kernel of the session ended: a restart's end is expected, a lost container or a failed
/// creation fails the session, a batch command's limit ends the batch, and any other end of a
/// RUNNING session's kernel terminates the session.
void on_terminated(session_ptr self, const kernel_terminated_event& e);

// -- session_batch.cpp --
/// A batch session became RUNNING: its main kernel's agent runs the startup command.
void start_batch(session_ptr self);
/// The startup command ended: the result goes to the store, and a RUNNING session ends.
void on_batch_result(session_ptr self, const batch_result_event& e);

// -- session_state.cpp --

/// The position of kernel `id` in `spec.kernels`; its size when there is none.
size_t kernel_index(const scheduled_session& spec, const kernel_id& id);

/// The session's agents, each once.
std::vector<agent_id> agents_of(const scheduled_session& spec);

// -- session_probes.cpp --

void probe_pulls(session_ptr self);
void probe_creation(session_ptr self);

// -- session_resend.cpp --

/// Asks the agents again to create `kernels` (create_kernels is idempotent on the agent). The
/// answer changes nothing by itself: the next probe checks what runs.
void resend_creates(session_ptr self, const agent_directory& dir,
                    const std::vector<kernel_id>& kernels);

// -- session_retry.cpp --

/// Tells the front which agents failed the start for reasons of their own (for their
/// quarantine).
void report_start(session_ptr self, const session_start_outcome& outcome);

/// Whether a start that failed as `outcome` says may be placed again now.
bool may_place_again(session_ptr self, const session_start_outcome* outcome);

/// The start failed on agents for reasons of their own: cleans up what it left there, then
/// PENDING again and placed anew by the front, away from the agents that failed it.
void place_again(session_ptr self, const std::vector<start_failure>& failures);

/// The start failed for good: ERROR with `err`, and every attempt in status_data when the
/// session was placed again before (`launcher_wrote`: the launcher wrote the error info).
void start_failed(session_ptr self, const caf::error& err, const session_start_outcome* outcome,
                  bool launcher_wrote);

// -- session_termination.cpp --

/// Starts ending the session (the user asked, or a kernel ended): TERMINATING, then TERMINATED
/// once kernels and network are gone.
void begin_termination(session_ptr self, const std::string& reason, const std::string& why);

/// Kernels are being created and the launcher just answered: destroy now.
void continue_termination(session_ptr self);

/// ERROR with `reason`; the error info is written too when `write_error_info` (the launcher
/// writes its own). Cleans up what the session may have left on its agents, then stops.
void fail(session_ptr self, const std::string& reason, const agent_id& agent = {},
          bool write_error_info = true, errc code = errc::agent_error);

} // namespace baikal
