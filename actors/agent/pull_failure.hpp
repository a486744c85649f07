#pragma once

/// Why an image pull failed, and whether trying again may help: a registry that cannot be
/// reached (refused, reset, timed out, answering 5xx) or an engine that is away may be back in
/// a moment; a missing manifest or refused credentials will not change.

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/error.hpp>

namespace baikal {

enum class pull_failure_kind : uint8_t {
  registry_unreachable, ///< the engine could not talk to the registry
  engine_unreachable,   ///< the agent could not talk to the engine
  timed_out,            ///< the pull did not finish in time
  permanent,            ///< anything else: no retry
};

std::string to_string(pull_failure_kind x);

/// The kind of a pull's error (Docker's words are in the message).
pull_failure_kind classify_pull_failure(const caf::error& err);

/// The registry an image reference is pulled from: its first component when that names a host
/// ("127.0.0.1:5000/x/y", "registry.example.com/x", "localhost/x"), else Docker Hub.
std::string registry_of(const std::string& reference);

/// Whether a pull that failed as `kind` after `attempts` attempts is tried again, with
/// `retries` allowed and `delay` still fitting before the pull's deadline (`left`).
bool retry_pull(pull_failure_kind kind, uint32_t attempts, uint32_t retries,
                std::chrono::milliseconds delay, std::chrono::milliseconds left);

/// The failure as the ImagePullFailed event and the session's status say it: the image, the
/// registry, how many attempts over how long, and the cause.
std::string pull_failure_message(const std::string& reference, pull_failure_kind kind,
                                 const std::string& cause, uint32_t attempts, double seconds);

} // namespace baikal
