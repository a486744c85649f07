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

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "messages/store_interface.hpp"
#include "runtime/store/session_store.hpp"

namespace baikal {

/// Opens the store at `path` (before spawning, so a bad path fails here and not in the actor)
/// and spawns the detached actor that owns it.
caf::expected<store_actor> spawn_store(caf::actor_system& sys, const std::string& path);

/// The same for a store that several managers share (a PostgreSQL URL): waits until this
/// manager leads it (session_store::open_leading, logging whom it waits for), then keeps
/// leading it. The actor ends with an error when the lead is lost: the manager, linked to it,
/// stops acting on what another manager now owns. A SQLite path is opened as spawn_store does.
caf::expected<store_actor> spawn_leading_store(caf::actor_system& sys, const std::string& location,
                                               const lead_settings& lead);

} // namespace baikal
