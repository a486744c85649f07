#pragma once

/// The actor behind one `/v1/sessions/{id}/stream` WebSocket: it starts the runs the client
/// asks for on the session's main kernel and follows each with polls that the runner answers as
/// soon as there is output, so every piece of output reaches the client as it is printed. Input
/// lines go to the run when it waits for them; a client that goes away cancels its run. Frames:
/// live_frames.hpp.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/manager/live/live_setup.hpp"

namespace baikal::live {

/// Spawns the actor; it takes ws_data_atom and ws_closed_atom (messages/live_interface.hpp).
caf::actor spawn_run_stream(caf::actor_system& sys, live_setup setup);

} // namespace baikal::live
