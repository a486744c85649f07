// What a session actor's state knows of its kernels without an actor: their positions, which of
// them run, and the session's agents.

#include <doctest/doctest.h>

#include <memory>

#include "actors/manager/session_state.hpp"

using namespace baikal;

namespace {

scheduled_session three_kernels() {
  scheduled_session spec;
  spec.id = "s-1";
  spec.kernels.resize(3);
  spec.kernels[0].id = "k-1";
  spec.kernels[0].agent = "a2";
  spec.kernels[1].id = "k-2";
  spec.kernels[1].agent = "a1";
  spec.kernels[2].id = "k-3";
  spec.kernels[2].agent = "a2";
  return spec;
}

} // namespace

TEST_CASE("session state: kernels are found by position, and an unknown one past the end") {
  auto spec = three_kernels();
  CHECK(kernel_index(spec, "k-1") == 0);
  CHECK(kernel_index(spec, "k-3") == 2);
  CHECK(kernel_index(spec, "k-9") == 3);
}

TEST_CASE("session state: a kernel is marked started once, and unknown kernels never") {
  session_state st;
  st.spec_ptr = std::make_shared<const scheduled_session>(three_kernels());
  CHECK_FALSE(st.is_started("k-2"));
  CHECK(st.mark_started("k-2"));
  CHECK(st.is_started("k-2"));
  CHECK_FALSE(st.is_started("k-1"));
  CHECK_FALSE(st.mark_started("k-2"));
  CHECK_FALSE(st.mark_started("k-9"));
  CHECK(st.started_count == 1);
  CHECK(st.mark_started("k-1"));
  CHECK(st.started_count == 2);
}

TEST_CASE("session state: the session's agents each once, in kernel order") {
  CHECK(agents_of(three_kernels()) == std::vector<agent_id>{"a2", "a1"});
}
