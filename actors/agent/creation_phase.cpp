#include "actors/agent/creation_phase.hpp"

namespace baikal {

namespace {

using phase = creation_phase;
using event = creation_event;

/// The moves other than failure.
std::optional<phase> step(phase from, event e) {
  switch (from) {
  case phase::waiting_for_slot:
    if (e == event::image_ready)
      return phase::mapping_ports;
    if (e == event::pull_needed)
      return phase::pulling;
    break;
  case phase::pulling:
    if (e == event::pulled)
      return phase::mapping_ports;
    break;
  case phase::mapping_ports:
    if (e == event::ports_mapped)
      return phase::networking;
    if (e == event::ports_mapped_early)
      return phase::waiting_for_scratch;
    break;
  case phase::waiting_for_scratch:
    if (e == event::scratch_written)
      return phase::networking;
    break;
  case phase::networking:
    if (e == event::network_ready)
      return phase::creating_container;
    break;
  case phase::creating_container:
    if (e == event::container_created)
      return phase::starting_container;
    if (e == event::network_lost)
      return phase::networking;
    if (e == event::remapped)
      return phase::creating_container;
    break;
  case phase::starting_container:
    if (e == event::container_started)
      return phase::waiting_for_runner;
    if (e == event::ports_refused || e == event::network_lost)
      return phase::replacing_container;
    break;
  case phase::replacing_container:
    if (e == event::container_removed)
      return phase::creating_container;
    if (e == event::removed_for_network)
      return phase::networking;
    break;
  case phase::waiting_for_runner:
    if (e == event::runner_ready)
      return phase::running;
    break;
  case phase::running:
  case phase::failed:
    break;
  }
  return std::nullopt;
}

} // namespace

bool creation_over(creation_phase p) {
  return p == phase::running || p == phase::failed;
}

std::optional<creation_phase> next_creation_phase(creation_phase from, creation_event e) {
  if (e == event::failure)
    return creation_over(from) ? std::nullopt : std::optional<phase>{phase::failed};
  return step(from, e);
}

const char* to_string(creation_phase p) {
  switch (p) {
  case phase::waiting_for_slot:
    return "waiting for a creation slot";
  case phase::pulling:
    return "pulling its image";
  case phase::mapping_ports:
    return "taking host ports";
  case phase::waiting_for_scratch:
    return "waiting for its scratch directories";
  case phase::networking:
    return "preparing its network";
  case phase::creating_container:
    return "creating its container";
  case phase::starting_container:
    return "starting its container";
  case phase::replacing_container:
    return "removing its container to make it again";
  case phase::waiting_for_runner:
    return "waiting for its runner";
  case phase::running:
    return "running";
  case phase::failed:
    return "failed";
  }
  return "unknown";
}

} // namespace baikal
