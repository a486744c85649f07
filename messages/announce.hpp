#pragma once

namespace caf {
class actor_system_config;
}

namespace baikal {

/// Announces every message type and actor handle of the protocol, so they cross nodes.
/// Call it on the config of every process (same names on both sides).
void announce_message_types(caf::actor_system_config& cfg);

} // namespace baikal
