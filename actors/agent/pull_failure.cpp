#include "actors/agent/pull_failure.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "messages/errors.hpp"

namespace baikal {

std::string to_string(pull_failure_kind x) {
  switch (x) {
  case pull_failure_kind::registry_unreachable:
    return "registry_unreachable";
  case pull_failure_kind::engine_unreachable:
    return "engine_unreachable";
  case pull_failure_kind::timed_out:
    return "timed_out";
  case pull_failure_kind::permanent:
    return "permanent";
  }
  return "?";
}

namespace {

std::string lower(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

} // namespace

pull_failure_kind classify_pull_failure(const caf::error& err) {
  switch (code_of(err)) {
  case errc::timeout:
    return pull_failure_kind::timed_out;
  case errc::unavailable:
    return pull_failure_kind::engine_unreachable;
  default:
    break;
  }
  // What Go's HTTP client and the distribution code say when the registry is down or slow.
  auto text = lower(message_of(err));
  for (auto* words :
       {"connection refused", "connection reset", "broken pipe", "i/o timeout", "no such host",
        "network is unreachable", "no route to host", "tls handshake timeout",
        "context deadline exceeded", "client.timeout exceeded", "server misbehaving",
        "unexpected eof", ": eof", "502 bad gateway", "503 service unavailable",
        "504 gateway timeout", "toomanyrequests", "429 too many requests"})
    if (text.find(words) != std::string::npos)
      return pull_failure_kind::registry_unreachable;
  return pull_failure_kind::permanent;
}

std::string registry_of(const std::string& reference) {
  auto slash = reference.find('/');
  if (slash == std::string::npos)
    return "docker.io";
  auto first = reference.substr(0, slash);
  bool host = first == "localhost" || first.find('.') != std::string::npos ||
              first.find(':') != std::string::npos;
  return host ? first : "docker.io";
}

bool retry_pull(pull_failure_kind kind, uint32_t attempts, uint32_t retries,
                std::chrono::milliseconds delay, std::chrono::milliseconds left) {
  if (kind != pull_failure_kind::registry_unreachable &&
      kind != pull_failure_kind::engine_unreachable)
    return false;
  return attempts <= retries && delay < left;
}

std::string pull_failure_message(const std::string& reference, pull_failure_kind kind,
                                 const std::string& cause, uint32_t attempts, double seconds) {
  auto registry = registry_of(reference);
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  auto tries = std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
  switch (kind) {
  case pull_failure_kind::timed_out:
    return "pulling " + reference + " from registry " + registry + " did not finish within " +
           took + " s (" + tries + "; the registry does not answer or is too slow): " + cause;
  case pull_failure_kind::registry_unreachable:
    return "cannot reach registry " + registry + " to pull " + reference + " (" + tries + " in " +
           took + " s): " + cause;
  case pull_failure_kind::engine_unreachable:
    return "cannot pull " + reference + " from registry " + registry + ": " + cause;
  case pull_failure_kind::permanent:
    break;
  }
  return "pulling " + reference + " from registry " + registry + " failed: " + cause;
}

} // namespace baikal
