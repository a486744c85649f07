#pragma once

/// The manager front's sessions: taking one on, the API's calls about one, and what its
/// actor tells the front of its status.

#include "actors/manager/manager_front_state.hpp"

namespace baikal::front_steps {

/// Takes on a session: a live one gets its actor and waits for a placement or holds its slots.
/// A new session's spec comes as `spec` (shared), a recovered one's in `rec`.
void add_session(front_ptr self, session_record rec, shared_images images,
                 shared_spec spec = nullptr);

/// Checks a new session and answers its id once the store holds it (with the other creates of
/// the same insert_pass).
caf::result<session_id> create_session(front_ptr self, api::create_session& x);

/// Writes the creates waiting since the last pass in one store request.
void insert_pass(front_ptr self);

caf::result<session_record> get_session(front_ptr self, const api::get_session& x);

caf::result<std::vector<status_change>> get_session_history(front_ptr self,
                                                            const api::get_session_history& x);

/// The stored output of an ended batch session: its kernels, and their logs, are gone.
caf::result<batch_output_answer> batch_output(front_ptr self, const api::batch_output& x);

caf::result<ack> terminate_session(front_ptr self, const api::terminate_session& x);

caf::result<kernel_info> restart_session(front_ptr self, const api::restart_session& x);

caf::result<kernel_route> main_kernel(front_ptr self, const api::main_kernel& x);

void session_changed(front_ptr self, const front::session_changed& x);

} // namespace baikal::front_steps
