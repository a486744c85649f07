#pragma once

/// What the WebSocket of a live route (/v1/sessions/{id}/stream and /pty) tells the manager's
/// actor that bridges it to the session's main kernel: a message from the client (text or
/// binary) and the end of the connection. See actors/manager/live/.

#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace baikal {

using ws_data_atom = caf::atom_constant<caf::atom("ws_data")>;
using ws_closed_atom = caf::atom_constant<caf::atom("ws_closed")>;

/// (ws_data_atom, data, binary) and (ws_closed_atom, why).
using live_bridge_actor = caf::typed_actor<caf::reacts_to<ws_data_atom, std::string, bool>,
                                           caf::reacts_to<ws_closed_atom, std::string>>;

} // namespace baikal
