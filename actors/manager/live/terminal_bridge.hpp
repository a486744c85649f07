#pragma once

/// The actor behind one `/v1/sessions/{id}/pty` WebSocket: it starts the image's shell on a new
/// terminal in the session's main kernel (as the kernel's user), sends the terminal's output to
/// the client as it comes, writes the client's keystrokes to it in order (one write in flight,
/// the rest joined into the next), resizes it, and closes the WebSocket when the shell exits. A
/// client that goes away hangs the terminal up. Frames: live_frames.hpp.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/manager/live/live_frames.hpp"
#include "actors/manager/live/live_setup.hpp"

namespace baikal::live {

/// Spawns the actor with the terminal's first size and TERM; it takes ws_data_atom and
/// ws_closed_atom (messages/live_interface.hpp).
caf::actor spawn_terminal_bridge(caf::actor_system& sys, live_setup setup, terminal_size size,
                                 std::string term);

} // namespace baikal::live
