// The window of a streamed transfer: never more chunks on their way than it allows, one fetch
// from the source at a time, and complete only once the source ended and every chunk arrived.

#include <doctest/doctest.h>

#include "actors/manager/http/transfer_window.hpp"

using namespace baikal;

TEST_CASE("transfer window: at most `window` chunks travel, one fetched at a time") {
  transfer_window w{2};
  CHECK(w.may_start());
  w.starting();
  CHECK_FALSE(w.may_start()); // a piece is being read
  w.started(false);
  CHECK(w.may_start());
  w.starting();
  w.started(false);
  CHECK_FALSE(w.may_start()); // two on their way
  w.done();
  CHECK(w.may_start());
  CHECK(w.in_flight() == 1);
  CHECK_FALSE(w.complete());
}

TEST_CASE("transfer window: complete once the source ended and every chunk arrived") {
  transfer_window w{4};
  w.starting();
  w.started(true); // the last piece
  CHECK_FALSE(w.may_start());
  CHECK_FALSE(w.complete());
  w.done();
  CHECK(w.complete());

  transfer_window empty{4};
  empty.starting();
  empty.source_ended(); // the body ended with no more bytes
  CHECK(empty.complete());
  transfer_window zero{0}; // a window of 0 would never move: it is taken as 1
  CHECK(zero.may_start());
}
