#pragma once

/// The interface of the agent's link to the manager (actors/agent/manager_link.hpp runs it and
/// describes the protocol). Only the agent's own process talks to it.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_interface.hpp"

namespace baikal {

using link_join_atom = caf::atom_constant<caf::atom("lnk_join")>;
using link_connect_atom = caf::atom_constant<caf::atom("lnk_conn")>;
using link_beat_atom = caf::atom_constant<caf::atom("lnk_beat")>;
using link_scaling_group_atom = caf::atom_constant<caf::atom("lnk_sgrp")>;
using link_health_atom = caf::atom_constant<caf::atom("lnk_hlth")>;

/// The event sink interface plus the link's own steps (join, attempt N, beat N) and the
/// agent's scaling group and health when they change.
using manager_link_actor =
    event_sink_actor::extend<caf::reacts_to<link_join_atom, agent_actor, std::string>,
                             caf::reacts_to<link_connect_atom, uint64_t>,
                             caf::reacts_to<link_beat_atom, uint64_t>,
                             caf::reacts_to<link_scaling_group_atom, std::string>,
                             caf::reacts_to<link_health_atom, std::string>>;

} // namespace baikal
