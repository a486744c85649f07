#include "actors/manager/ssh_keygen.hpp"

#include <chrono>
#include <utility>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/ssh/keypair.hpp"

namespace baikal {

caf::optional<ssh_keypair> keypair_stock::take() {
  if (ready_.empty())
    return caf::none;
  auto keys = std::move(ready_.front());
  ready_.pop_front();
  return keys;
}

namespace {

using keygen_ptr = ssh_keygen_actor::stateful_pointer<ssh_keygen_state>;

/// One more pair for the stock, after whatever is waiting in the mailbox.
void queue_refill(keygen_ptr self) {
  auto& st = self->state;
  if (st.refill_queued || st.stock.full())
    return;
  st.refill_queued = true;
  self->send(self, keygen_refill_atom::value);
}

/// A pair from the source, timed for the starters' wait estimate.
caf::expected<ssh_keypair> make(ssh_keygen_state& st) {
  auto began = std::chrono::steady_clock::now();
  auto keys = st.source();
  st.gauge->made_one(std::chrono::steady_clock::now() - began);
  return keys;
}

void refill(keygen_ptr self) {
  auto& st = self->state;
  st.refill_queued = false;
  if (st.stock.full())
    return;
  auto keys = make(st);
  if (!keys) {
    // Asked-for pairs are made on demand and report the failure themselves; the stock tries
    // again with the next one handed out.
    log::get("launcher")->warn("making an SSH keypair ahead failed: {}", message_of(keys.error()));
    return;
  }
  st.stock.put(std::move(*keys));
  st.gauge->stocked = st.stock.size();
  queue_refill(self);
}

caf::result<ssh_keypair> hand_out(keygen_ptr self) {
  auto& st = self->state;
  auto ready = st.stock.take();
  st.gauge->stocked = st.stock.size();
  queue_refill(self);
  if (ready)
    return std::move(*ready);
  auto keys = make(st);
  if (!keys)
    return std::move(keys.error());
  return std::move(*keys);
}

} // namespace

ssh_keygen_actor::behavior_type ssh_keygen(keygen_ptr self, keypair_source source,
                                           size_t made_ahead, std::shared_ptr<keygen_gauge> gauge) {
  stop_alone_on_exception(self, "an SSH keypair worker");
  // Runs on this detached actor's own thread as it ends, while the actor system still waits for
  // the thread (a manager exiting right after a keypair was made reported OpenSSL's per-thread
  // random generators as leaked, under ASan).
  self->attach_functor([] { ssh::end_keygen_on_this_thread(); });
  if (!source)
    source = [] { return ssh::generate_cluster_keypair(); };
  self->state.source = std::move(source);
  self->state.stock = keypair_stock{made_ahead};
  self->state.gauge = gauge ? std::move(gauge) : std::make_shared<keygen_gauge>();
  queue_refill(self);
  return {
      [self](keygen_atom) { return hand_out(self); },
      [self](keygen_refill_atom) { refill(self); },
  };
}

} // namespace baikal
