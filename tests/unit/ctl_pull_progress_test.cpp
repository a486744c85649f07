// baikalctl's reading of the event stream and its drawing of image pull progress.

#include <doctest/doctest.h>

#include "tools/baikalctl/pull_progress.hpp"
#include "tools/baikalctl/sse_reader.hpp"

using namespace baikal::ctl;

namespace {

pull_update progress(uint64_t current, uint64_t total, int64_t ms,
                     const std::string& message = "Downloading") {
  pull_update u;
  u.phase = "progress";
  u.agent = "a1";
  u.image = "reg:5000/img:1";
  u.job_id = "pull-a1-1";
  u.message = message;
  u.current = current;
  u.total = total;
  u.timestamp_ms = ms;
  return u;
}

} // namespace

TEST_CASE("ctl sse: messages split across pieces, several in one piece, comments dropped") {
  sse_reader r;
  CHECK(r.feed("data: {\"a\"").empty());
  CHECK(r.feed(":1}\n").empty());
  auto two = r.feed("\ndata: {\"b\":2}\n\n: keep-alive\n\ndata: x");
  CHECK(two == std::vector<std::string>{R"({"a":1})", R"({"b":2})"});
  CHECK(r.feed("\ndata: y\n\n") == std::vector<std::string>{"x\ny"}); // multi-line data
}

TEST_CASE("ctl pull progress: the manager's image_pull event JSON is read, others are not") {
  auto u = parse_pull_event(
      R"({"type":"image_pull","phase":"ImagePullProgressEvent","agent":"a1","image":"img:1",)"
      R"("job_id":"j1",)"
      R"("message":"Downloading","current":1048576,"total":4194304,"timestamp_ms":1700000000123})");
  REQUIRE(u);
  CHECK(u->phase == "progress");
  CHECK(u->agent == "a1");
  CHECK(u->image == "img:1");
  CHECK(u->job_id == "j1");
  CHECK(u->message == "Downloading");
  CHECK(u->current == 1048576);
  CHECK(u->total == 4194304);
  CHECK(u->timestamp_ms == 1700000000123);
  for (auto [name, phase] : {std::pair{"ImagePullStartedEvent", "started"},
                             std::pair{"ImagePullFinishedEvent", "finished"},
                             std::pair{"ImagePullFailedEvent", "failed"}})
    CHECK(
        parse_pull_event(std::string{R"({"type":"image_pull","phase":")"} + name + "\"}")->phase ==
        phase);
  CHECK(!parse_pull_event(R"({"type":"subscribed"})"));
  CHECK(!parse_pull_event(R"({"type":"kernel_started","session":"s"})"));
  CHECK(!parse_pull_event("not json"));
}

TEST_CASE("ctl pull progress: bytes, bar, percentage and rate of the running layer") {
  pull_progress p;
  pull_update start;
  start.phase = "started";
  start.agent = "a1";
  start.image = "reg:5000/img:1";
  start.job_id = "pull-a1-1";
  p.apply(start);
  auto views = p.pulling({"reg:5000/img:1"});
  REQUIRE(views.size() == 1);
  CHECK(!views[0].has_bytes);
  CHECK(progress_line(views[0]) == "reg:5000/img:1 on a1: started");

  p.apply(progress(0, 0, 900, "Pulling fs layer")); // no bytes yet
  p.apply(progress(1024 * 1024, 8 * 1024 * 1024, 1000));
  p.apply(progress(3 * 1024 * 1024, 8 * 1024 * 1024, 2000)); // 2 MiB in one second
  auto v = p.pulling({"reg:5000/img:1"}).at(0);
  CHECK(v.has_bytes);
  CHECK(v.current == 3 * 1024 * 1024);
  CHECK(v.rate == doctest::Approx(2.0 * 1024 * 1024));
  CHECK(progress_line(v, 8) ==
        "reg:5000/img:1 on a1: Downloading [###.....] 3.0 MiB / 8.0 MiB 37% 2.0 MiB/s");

  // Extracting starts over: the rate is measured afresh.
  p.apply(progress(512 * 1024, 8 * 1024 * 1024, 2500, "Extracting"));
  v = p.pulling({"reg:5000/img:1"}).at(0);
  CHECK(v.rate == 0);
  CHECK(progress_line(v, 4) == "reg:5000/img:1 on a1: Extracting [....] 512.0 KiB / 8.0 MiB 6%");

  pull_update done = start;
  done.phase = "finished";
  p.apply(done);
  // The end names the bytes moved: the sizes of the layers seen, each counted once.
  CHECK(progress_line(p.pulling({"reg:5000/img:1"}).at(0)) ==
        "reg:5000/img:1 on a1: pulled 8.0 MiB");
  pull_progress quick;
  quick.apply(start);
  quick.apply(done);
  CHECK(progress_line(quick.pulling({"reg:5000/img:1"}).at(0)) == "reg:5000/img:1 on a1: pulled");
}

TEST_CASE("ctl pull progress: only the pulls of the session's images are shown") {
  pull_progress p;
  auto mine = progress(10, 100, 1);
  auto other = progress(10, 100, 1);
  other.image = "other:2";
  other.job_id = "pull-a1-2";
  p.apply(mine);
  p.apply(other);
  CHECK(p.pulling({"reg:5000/img:1"}).size() == 1);
  CHECK(p.pulling({"nothing"}).empty());
  CHECK(p.pulling({"other:2"}).size() == 1);
  CHECK(p.pulling({"other"}).empty()); // "other" means "other:latest"
  CHECK(p.pulling({"reg:5000/img:1", "other:2"}).size() == 2);
}

TEST_CASE("ctl pull progress: image names, byte sizes and bars") {
  CHECK(same_image("busybox", "busybox:latest"));
  CHECK(same_image("busybox:latest", "busybox"));
  CHECK(same_image("a/b:1", "a/b:1"));
  CHECK(!same_image("busybox:1", "busybox"));
  CHECK(!same_image("", ""));
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(1023) == "1023 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(64.0 * 1024 * 1024) == "64.0 MiB");
  CHECK(format_bytes(3.0 * 1024 * 1024 * 1024) == "3.0 GiB");
  CHECK(progress_bar(0, 10, 5) == "[.....]");
  CHECK(progress_bar(5, 10, 4) == "[##..]");
  CHECK(progress_bar(20, 10, 4) == "[####]"); // never past full
  CHECK(progress_bar(5, 0, 3) == "[...]");    // total unknown
}

TEST_CASE("sse reader: a message's id and event name come with its data") {
  baikal::ctl::sse_reader reader;
  auto got = reader.feed_events("id: 41\nevent: subscribed\ndata: {\"type\":\"subscribed\"}\n\n"
                                ": keep-alive\n\nid: 42\nevent: kernel_st");
  REQUIRE(got.size() == 1);
  CHECK(got[0].id == "41");
  CHECK(got[0].event == "subscribed");
  CHECK(got[0].data == R"({"type":"subscribed"})");
  auto rest = reader.feed_events("arted\ndata: {}\n\n");
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].id == "42");
  CHECK(rest[0].event == "kernel_started");
  CHECK(rest[0].data == "{}");
}
