#include "actors/manager/keygen_gauge.hpp"

#include <cstdio>

namespace baikal {

keygen_reading read(const keygen_gauge& gauge) {
  return {gauge.stocked.load(std::memory_order_relaxed),
          gauge.asked.load(std::memory_order_relaxed),
          gauge.make_us.load(std::memory_order_relaxed)};
}

std::optional<std::string> keypair_wait_notice(const keygen_reading& r, size_t kernels) {
  // Pairs made ahead go to the first askers; this one waits only if they are all spoken for.
  if (r.stocked > r.ahead || r.make_us < 0)
    return std::nullopt;
  // The pairs in stock go to sessions ahead; each other one ahead and this one are made in turn.
  auto to_make = r.ahead - r.stocked + 1;
  auto wait_us = static_cast<double>(r.make_us) * static_cast<double>(to_make);
  if (wait_us < std::chrono::microseconds{keypair_wait_worth_telling}.count())
    return std::nullopt;
  char figures[96];
  std::snprintf(figures, sizeof figures, ": %zu session(s) ahead, about %.1f s at %.0f ms a key",
                r.ahead, wait_us / 1e6, static_cast<double>(r.make_us) / 1e3);
  return keypair_wait_info(kernels) + figures;
}

bool keypair_wait_unknown(const keygen_reading& r) {
  return r.stocked <= r.ahead && r.make_us < 0;
}

std::string keypair_wait_info(size_t kernels) {
  return "waiting for the session's SSH keypair before creating " + std::to_string(kernels) +
         " kernel(s)";
}

std::string creating_kernels_info(size_t kernels) {
  return "creating " + std::to_string(kernels) + " kernel(s)";
}

} // namespace baikal
