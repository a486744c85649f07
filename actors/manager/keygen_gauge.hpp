#pragma once

/// What a session starter can see of a keygen worker without asking it: how many pairs it has
/// made ahead, how many sessions already wait on it, and how long its last pair took to make.
/// A session that will wait for its pair says so in its status info (an RSA key takes a
/// fraction of a second here, and a burst of sessions waits in turn); the worker's mailbox
/// cannot be asked, since the question would queue behind the very keys it is about.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace baikal {

/// Shared by one keygen worker (which writes `stocked` and `make_us`) and the starters that
/// ask it (which count themselves in `asked` while they wait). Read without a lock: a reading
/// a moment old only changes what a status info says.
struct keygen_gauge {
  std::atomic<size_t> stocked{0};
  std::atomic<size_t> asked{0};
  /// How long the last pair took to make, in microseconds; -1 before the first.
  std::atomic<int64_t> make_us{-1};

  void made_one(std::chrono::steady_clock::duration took) {
    make_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  }
};

/// Counts one asker in `gauge.asked` while it lives. Held by the request's handlers, so a
/// starter stopped while it waits (its deadline passed) is not counted ever after.
class keygen_ask {
public:
  explicit keygen_ask(std::shared_ptr<keygen_gauge> gauge) : gauge_(std::move(gauge)) {
    ++gauge_->asked;
  }
  ~keygen_ask() { --gauge_->asked; }
  keygen_ask(const keygen_ask&) = delete;
  keygen_ask& operator=(const keygen_ask&) = delete;

private:
  std::shared_ptr<keygen_gauge> gauge_;
};

/// One reading of a gauge, taken as a starter is about to ask for a pair.
struct keygen_reading {
  size_t stocked = 0;
  size_t ahead = 0; ///< sessions that asked this worker before and still wait
  int64_t make_us = -1;
};

keygen_reading read(const keygen_gauge& gauge);

/// A wait shorter than this is not worth a status change (two history rows per session).
constexpr std::chrono::milliseconds keypair_wait_worth_telling{50};

/// What a session about to ask for its pair tells, or nothing when its pair is ready, comes
/// within keypair_wait_worth_telling, or nobody knows yet how long a pair takes.
std::optional<std::string> keypair_wait_notice(const keygen_reading& r, size_t kernels);

/// No pair is left for this asker and none was made yet, so the wait has no estimate: the
/// starter tells it only if the pair has not come within keypair_wait_worth_telling (telling at
/// once would give every first session of a manager with instant keys a wait it never had).
bool keypair_wait_unknown(const keygen_reading& r);

/// The wait told without figures.
std::string keypair_wait_info(size_t kernels);

/// The status info of a session whose starter has its pair and creates the kernels.
std::string creating_kernels_info(size_t kernels);

} // namespace baikal
