// The phases of a kernel's creation: the way through them, the detours (a pull, scratch
// directories still being written, refused host ports, a network found twice), and late or
// duplicate answers recognised as such.

#include <doctest/doctest.h>

#include <vector>

#include "actors/agent/creation_phase.hpp"

using namespace baikal;
using phase = creation_phase;
using event = creation_event;

namespace {

/// The phase after each of `events` from `from`, failing the test at a refused move.
phase walk(phase from, const std::vector<event>& events) {
  for (auto e : events) {
    auto next = next_creation_phase(from, e);
    REQUIRE(next);
    from = *next;
  }
  return from;
}

} // namespace

TEST_CASE("creation phase: an image present, scratch written first, goes straight to running") {
  CHECK(walk(phase::waiting_for_slot,
             {event::image_ready, event::ports_mapped, event::network_ready,
              event::container_created, event::container_started, event::runner_ready}) ==
        phase::running);
}

TEST_CASE("creation phase: a pull first, then the scratch directories are waited for") {
  auto p = walk(phase::waiting_for_slot, {event::pull_needed});
  CHECK(p == phase::pulling);
  p = walk(p, {event::pulled, event::ports_mapped_early});
  CHECK(p == phase::waiting_for_scratch);
  CHECK(walk(p, {event::scratch_written}) == phase::networking);
}

TEST_CASE("creation phase: refused host ports replace the container, then create again") {
  auto p = walk(phase::waiting_for_slot, {event::image_ready, event::ports_mapped,
                                          event::network_ready, event::container_created});
  CHECK(p == phase::starting_container);
  p = walk(p, {event::ports_refused});
  CHECK(p == phase::replacing_container);
  CHECK(walk(p, {event::container_removed}) == phase::creating_container);
  // A create refused for its ports before any container exists takes other ports at once.
  CHECK(walk(phase::creating_container, {event::remapped}) == phase::creating_container);
  // The kernel network found twice by the engine: made again, then the create again.
  CHECK(walk(phase::creating_container, {event::network_lost, event::network_ready}) ==
        phase::creating_container);
}

TEST_CASE("creation phase: a container made on a lost network goes first, then the network, "
          "then the create again") {
  auto p = walk(phase::starting_container, {event::network_lost});
  CHECK(p == phase::replacing_container);
  p = walk(p, {event::removed_for_network});
  CHECK(p == phase::networking);
  CHECK(walk(p, {event::network_ready, event::container_created}) == phase::starting_container);
  // The removal answer of a refused-ports replacement does not skip the network.
  CHECK_FALSE(next_creation_phase(phase::networking, event::container_removed));
  CHECK_FALSE(next_creation_phase(phase::creating_container, event::removed_for_network));
}

TEST_CASE("creation phase: failure ends every phase but the final ones, once") {
  for (auto p :
       {phase::waiting_for_slot, phase::pulling, phase::mapping_ports, phase::waiting_for_scratch,
        phase::networking, phase::creating_container, phase::starting_container,
        phase::replacing_container, phase::waiting_for_runner}) {
    INFO(to_string(p));
    CHECK_FALSE(creation_over(p));
    CHECK(next_creation_phase(p, event::failure) == phase::failed);
  }
  CHECK_FALSE(next_creation_phase(phase::failed, event::failure));
  CHECK_FALSE(next_creation_phase(phase::running, event::failure));
  CHECK(creation_over(phase::failed));
  CHECK(creation_over(phase::running));
}

TEST_CASE("creation phase: a late or duplicate answer moves nothing") {
  // A scratch write that finishes after the job failed, or before it waits for it.
  CHECK_FALSE(next_creation_phase(phase::failed, event::scratch_written));
  CHECK_FALSE(next_creation_phase(phase::pulling, event::scratch_written));
  // A runner answering for a kernel already handed over; a second create answer.
  CHECK_FALSE(next_creation_phase(phase::running, event::runner_ready));
  CHECK_FALSE(next_creation_phase(phase::starting_container, event::container_created));
  // Steps out of order.
  CHECK_FALSE(next_creation_phase(phase::waiting_for_slot, event::container_started));
  CHECK_FALSE(next_creation_phase(phase::networking, event::runner_ready));
  CHECK_FALSE(next_creation_phase(phase::creating_container, event::ports_refused));
}
