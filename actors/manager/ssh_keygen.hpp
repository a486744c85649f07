#pragma once

/// A detached worker that hands out cluster SSH keypairs, each to one session. It keeps a few
/// made ahead: an RSA-2048 key takes 0.1–0.4 s to make here, and every session start waited for
/// one. Handed-out pairs are never kept, and a pair is made again in the background for each one
/// handed out, one per message, so that a request waits behind at most one key being made.

#include <cstddef>
#include <deque>
#include <memory>

#include <caf/atom.hpp>
#include <caf/optional.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/keygen_gauge.hpp"
#include "actors/manager/launcher.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

using keygen_atom = caf::atom_constant<caf::atom("keygen")>;
using keygen_refill_atom = caf::atom_constant<caf::atom("kgrefill")>;

using ssh_keygen_actor = caf::typed_actor<caf::replies_to<keygen_atom>::with<ssh_keypair>,
                                          caf::reacts_to<keygen_refill_atom>>;

/// Pairs made ahead and not handed out yet, at most `capacity`; plain, so that tests need no
/// actor system.
class keypair_stock {
public:
  explicit keypair_stock(size_t capacity) : capacity_(capacity) {}

  /// A made-ahead pair, or none when the stock is empty.
  caf::optional<ssh_keypair> take();
  void put(ssh_keypair keys) { ready_.push_back(std::move(keys)); }
  bool full() const { return ready_.size() >= capacity_; }
  size_t size() const { return ready_.size(); }

private:
  size_t capacity_;
  std::deque<ssh_keypair> ready_;
};

struct ssh_keygen_state {
  keypair_source source;
  keypair_stock stock{0};
  std::shared_ptr<keygen_gauge> gauge;
  bool refill_queued = false;
  static inline const char* name = "ssh_keygen";
};

/// A worker as the launcher and its starters hold it.
struct keygen_worker {
  ssh_keygen_actor actor;
  std::shared_ptr<keygen_gauge> gauge;
};

/// `made_ahead` pairs are kept ready (0: every pair is made when asked for). The worker keeps
/// `gauge` up to date for the starters that ask it (null: a gauge nobody reads).
ssh_keygen_actor::behavior_type
ssh_keygen(ssh_keygen_actor::stateful_pointer<ssh_keygen_state> self, keypair_source source,
           size_t made_ahead, std::shared_ptr<keygen_gauge> gauge);

} // namespace baikal
