// The count of sessions by status that /metrics shows: the sessions' actors count their own
// moves, and the front hears only of the moves that change what it acts on.

#include <doctest/doctest.h>

#include "actors/manager/session_census.hpp"

using namespace baikal;

TEST_CASE("session census: counts each session once, in its latest status") {
  session_census census;
  census.moved(caf::none, session_status::pending);
  census.moved(caf::none, session_status::pending);
  census.moved(session_status::pending, session_status::scheduled);
  census.moved(session_status::scheduled, session_status::preparing);
  census.moved(session_status::preparing, session_status::preparing); // a reason changed only
  CHECK(census.count(session_status::pending) == 1);
  CHECK(census.count(session_status::scheduled) == 0);
  CHECK(census.count(session_status::preparing) == 1);
  // A move counted before the session was counted new reads as none, not as a huge number.
  census.moved(session_status::running, session_status::terminating);
  CHECK(census.count(session_status::running) == 0);
  CHECK(census.count(session_status::terminating) == 1);
}

TEST_CASE("session census: the front hears of the moves that change what it acts on") {
  using s = session_status;
  CHECK(front_view_changed(s::pending, s::scheduled));
  CHECK_FALSE(front_view_changed(s::scheduled, s::preparing));
  CHECK_FALSE(front_view_changed(s::preparing, s::pulling));
  // Kernels may run from PREPARED on: an agent's reconciliation must keep them.
  CHECK(front_view_changed(s::pulling, s::prepared));
  CHECK(front_view_changed(s::preparing, s::prepared));
  CHECK_FALSE(front_view_changed(s::prepared, s::creating));
  CHECK(front_view_changed(s::creating, s::running));
  CHECK(front_view_changed(s::running, s::terminating));
  CHECK(front_view_changed(s::terminating, s::terminated));
  CHECK(front_view_changed(s::creating, s::error));
  CHECK(front_view_changed(s::scheduled, s::pending)); // placed again
  CHECK(front_status_text(s::pulling) == "starting");
  CHECK(front_status_text(s::creating) == "starting");
  CHECK(front_status_text(s::running) == "RUNNING");
  CHECK(front_status_text(s::terminated) == "TERMINATED");
}
