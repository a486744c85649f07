// The event stream and the log follow against a cluster of real processes: a client that
// comes back with Last-Event-ID gets exactly the events it missed, in order and with their ids;
// the session and type filters keep to what they name (and an id older than the manager's
// first is announced as a gap); `logs?follow=true` and `baikalctl logs -f` see a line written
// while they follow (by the runner of a restarted kernel: the kernel's user cannot write to
// the container's log itself) and end when the session is terminated.

#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "cluster/process_cluster.hpp"
#include "integration/ctl_process.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

struct sse_msg {
  uint64_t id = 0;
  std::string event;
  std::string data;
};

/// Reads an event stream on its own thread until `done(messages so far)` holds (checked as
/// each piece arrives; keep-alives arrive every 15 s) or `stop` is set.
class sse_listener {
public:
  using done_fn = std::function<bool(const std::vector<sse_msg>&)>;

  sse_listener(const api_client& who, std::string target,
               std::map<std::string, std::string> headers, done_fn done) {
    thread_ = std::thread{[this, who, target, headers, done] {
      auto c = http::blocking_client::make("http://" + who.host + ":" + std::to_string(who.port));
      if (!c) {
        status_ = -1;
        return;
      }
      http::client_request req;
      req.target = target;
      req.headers = headers;
      req.headers["Authorization"] = "Bearer " + who.token;
      std::string pending;
      auto status = c->stream(req, [&](std::string_view piece) {
        pending.append(piece);
        std::lock_guard<std::mutex> guard{mtx_};
        size_t end;
        while ((end = pending.find("\n\n")) != std::string::npos) {
          got_.push_back(parse(pending.substr(0, end)));
          pending.erase(0, end + 2);
          if (got_.back().data.empty() && got_.back().event.empty())
            got_.pop_back(); // a comment
        }
        return !stop && !done(got_);
      });
      status_ = status ? *status : -1;
    }};
  }

  ~sse_listener() {
    stop = true;
    if (thread_.joinable())
      thread_.join();
  }

  std::vector<sse_msg> messages() {
    std::lock_guard<std::mutex> guard{mtx_};
    return got_;
  }

  /// Waits for the stream to end (done held); false when it did not within `limit`.
  bool finished(std::chrono::seconds limit) {
    if (!eventually([&] { return ended(); }, limit))
      return false;
    thread_.join();
    return true;
  }

  int status() const { return status_; }
  std::atomic<bool> stop{false};

private:
  bool ended() {
    std::lock_guard<std::mutex> guard{mtx_};
    return status_ != 0;
  }

  static sse_msg parse(const std::string& text) {
    sse_msg m;
    size_t start = 0;
    while (start < text.size()) {
      auto eol = text.find('\n', start);
      auto line = text.substr(start, eol == std::string::npos ? std::string::npos : eol - start);
      start = eol == std::string::npos ? text.size() : eol + 1;
      if (line.rfind("id: ", 0) == 0)
        m.id = std::stoull(line.substr(4));
      else if (line.rfind("event: ", 0) == 0)
        m.event = line.substr(7);
      else if (line.rfind("data: ", 0) == 0)
        m.data = line.substr(6);
    }
    return m;
  }

  std::mutex mtx_;
  std::vector<sse_msg> got_;
  std::atomic<int> status_{0};
  std::thread thread_;
};

bool has(const std::vector<sse_msg>& msgs, const std::string& event, const std::string& text) {
  for (auto& m : msgs)
    if (m.event == event && m.data.find(text) != std::string::npos)
      return true;
  return false;
}

std::string session_body(const process_cluster& cluster, const std::string& name) {
  return R"({"name":")" + name + R"(","image":")" + cluster.image +
         R"(","resources":{"cpu":0.25,"mem":67108864}})";
}

/// The live events of `msgs` (neither subscribed nor gap) with an id in (after, upto].
std::vector<sse_msg> events_between(const std::vector<sse_msg>& msgs, uint64_t after,
                                    uint64_t upto) {
  std::vector<sse_msg> out;
  for (auto& m : msgs)
    if (m.event != "subscribed" && m.event != "gap" && m.id > after && m.id <= upto)
      out.push_back(m);
  return out;
}

bool rising(const std::vector<sse_msg>& msgs) {
  for (size_t i = 1; i < msgs.size(); ++i)
    if (msgs[i].id <= msgs[i - 1].id)
      return false;
  return true;
}

} // namespace

std::string shown(const std::vector<sse_msg>& msgs) {
  std::string out;
  for (auto& m : msgs)
    out += std::to_string(m.id) + " " + m.event + " " + m.data + "\n";
  return out;
}

TEST_CASE("cluster: events: Last-Event-ID replays exactly what was missed, in order, with ids") {
  process_cluster cluster;
  // The witness follows the whole time: what the returning client must get is what it saw.
  std::mutex ids_mtx;
  std::string first_session;
  sse_listener witness{cluster.alice, "/v1/events", {}, [&](const std::vector<sse_msg>& msgs) {
                         std::lock_guard<std::mutex> guard{ids_mtx};
                         return !first_session.empty() &&
                                has(msgs, "kernel_terminated", first_session);
                       }};
  // The client reads until the first kernel has started, then goes away.
  sse_listener early{cluster.alice, "/v1/events", {}, [](const std::vector<sse_msg>& msgs) {
                       return has(msgs, "kernel_started", "");
                     }};
  REQUIRE(eventually([&] { return !witness.messages().empty() && !early.messages().empty(); }));
  auto s1 = cluster.create_session(session_body(cluster, "replay-1"));
  {
    std::lock_guard<std::mutex> guard{ids_mtx};
    first_session = s1;
  }
  REQUIRE(cluster.wait_session_status(s1, "RUNNING") == "RUNNING");
  REQUIRE_MESSAGE(early.finished(60s), shown(early.messages()));
  auto seen = early.messages();
  REQUIRE(seen.size() >= 2);
  CHECK(seen.front().event == "subscribed");
  CHECK(rising(seen));
  auto last_seen = seen.back().id;
  CHECK(seen.back().event == "kernel_started");

  // While it is away: another session starts and the first ends.
  auto s2 = cluster.create_session(session_body(cluster, "replay-2"));
  REQUIRE(cluster.wait_session_status(s2, "RUNNING") == "RUNNING");
  REQUIRE(cluster.alice.del("/v1/sessions/" + s1).status == 200);
  REQUIRE(cluster.wait_session_status(s1, "TERMINATED") == "TERMINATED");
  REQUIRE_MESSAGE(witness.finished(60s), shown(witness.messages()));
  auto truth = witness.messages();
  CHECK(rising(truth));
  auto witness_last = truth.back().id;
  auto missed = events_between(truth, last_seen, witness_last);
  REQUIRE(!missed.empty());
  CHECK(has(missed, "kernel_started", s2));
  CHECK(has(missed, "kernel_terminated", s1));
  // What the early client saw is what the witness saw for those ids.
  auto before = events_between(truth, seen.front().id, last_seen);
  auto early_events = events_between(seen, 0, last_seen);
  REQUIRE(before.size() == early_events.size());
  for (size_t i = 0; i < before.size(); ++i)
    CHECK(before[i].data == early_events[i].data);

  // It comes back with the last id it saw.
  sse_listener back{cluster.alice,
                    "/v1/events",
                    {{"Last-Event-ID", std::to_string(last_seen)}},
                    [&](const std::vector<sse_msg>& msgs) {
                      return !msgs.empty() && msgs.back().id >= witness_last &&
                             msgs.back().event != "subscribed";
                    }};
  REQUIRE(back.finished(60s));
  auto again = back.messages();
  REQUIRE(!again.empty());
  CHECK(again.front().event == "subscribed");
  CHECK(again.front().id == last_seen);
  CHECK_FALSE(has(again, "gap", ""));
  auto replayed = events_between(again, 0, witness_last);
  CHECK(rising(replayed));
  REQUIRE(replayed.size() == missed.size());
  for (size_t i = 0; i < missed.size(); ++i) {
    CHECK(replayed[i].id == missed[i].id);
    CHECK(replayed[i].event == missed[i].event);
    CHECK(replayed[i].data == missed[i].data);
  }
  CHECK(cluster.alice.del("/v1/sessions/" + s2).status == 200);
}

TEST_CASE("cluster: events: the session and type filters keep to what they name, an id older "
          "than the buffer is announced as a gap, and malformed filters answer 400") {
  process_cluster cluster;
  auto s1 = cluster.create_session(session_body(cluster, "filtered-1"));
  auto s2 = cluster.create_session(session_body(cluster, "filtered-2"));
  REQUIRE(cluster.wait_session_status(s1, "RUNNING") == "RUNNING");
  REQUIRE(cluster.wait_session_status(s2, "RUNNING") == "RUNNING");
  // From id 0: everything kept is replayed, after a gap for the ids before this manager's first.
  sse_listener filtered{
      cluster.alice,
      "/v1/events?session=" + s1 + "&type=kernel_started,kernel_terminated&last_event_id=0",
      {},
      [&](const std::vector<sse_msg>& msgs) { return has(msgs, "kernel_terminated", s1); }};
  REQUIRE(eventually([&] { return has(filtered.messages(), "kernel_started", s1); }, 30s));
  REQUIRE(cluster.alice.del("/v1/sessions/" + s1).status == 200);
  REQUIRE(filtered.finished(60s));
  auto got = filtered.messages();
  REQUIRE(got.size() >= 4);
  CHECK(got[0].event == "subscribed");
  CHECK(got[0].id == 0);
  CHECK(got[1].event == "gap");
  CHECK(got[1].data.find("\"from\":1,") != std::string::npos);
  CHECK(got[1].id < got[2].id);
  auto events = events_between(got, 0, UINT64_MAX);
  CHECK(rising(events));
  for (auto& m : events) {
    CHECK((m.event == "kernel_started" || m.event == "kernel_terminated"));
    CHECK(m.data.find(s1) != std::string::npos);
    CHECK(m.data.find(s2) == std::string::npos);
  }

  auto bad_type = cluster.alice.get("/v1/events?type=kernel_started,kernel_exploded");
  CHECK(bad_type.status == 400);
  CHECK(bad_type.str("error") == "invalid_argument");
  CHECK(bad_type.str("message").find("\"type\"") != std::string::npos);
  auto c = http::blocking_client::make("http://" + cluster.alice.host + ":" +
                                       std::to_string(cluster.alice.port));
  REQUIRE(c);
  http::client_request req;
  req.target = "/v1/events";
  req.headers["Authorization"] = "Bearer " + cluster.alice.token;
  req.headers["Last-Event-ID"] = "yesterday";
  auto bad_id = c->send(req);
  REQUIRE(bad_id);
  CHECK(bad_id->status == 400);
  CHECK(bad_id->body.find("Last-Event-ID") != std::string::npos);
  CHECK(cluster.alice.del("/v1/sessions/" + s2).status == 200);
}

TEST_CASE("cluster: logs follow sees a line written after it started and ends when the session "
          "is terminated, and baikalctl logs -f prints it") {
  process_cluster cluster;
  auto id = cluster.create_session(session_body(cluster, "followed"));
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto bad = cluster.alice.get("/v1/sessions/" + id + "/logs?follow=maybe");
  CHECK(bad.status == 400);
  CHECK(bad.str("message").find("\"follow\"") != std::string::npos);

  std::mutex mtx;
  std::string body;
  std::atomic<int> status{0};
  std::atomic<bool> ended{false};
  std::thread follower{[&] {
    auto c = http::blocking_client::make("http://" + cluster.alice.host + ":" +
                                         std::to_string(cluster.alice.port));
    http::client_request req;
    req.target = "/v1/sessions/" + id + "/logs?follow=true";
    req.headers["Authorization"] = "Bearer " + cluster.alice.token;
    auto done = c->stream(
        req, [&](int code) { status = code; },
        [&](std::string_view piece) {
          std::lock_guard<std::mutex> guard{mtx};
          body.append(piece);
          return true;
        });
    if (!done)
      status = -1;
    ended = true;
  }};
  auto url = "http://" + cluster.alice.host + ":" + std::to_string(cluster.alice.port);
  ctl_result printed;
  std::thread ctl{[&] {
    printed = run_ctl({"logs", "-f", id},
                      {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", cluster.alice.token}});
  }};
  // The stream is open before the line is written.
  REQUIRE(eventually([&] { return status.load() != 0; }, 30s));
  CHECK(status.load() == 200);
  auto count = [&](const std::string& text) {
    std::lock_guard<std::mutex> guard{mtx};
    size_t n = 0;
    for (auto at = body.find(text); at != std::string::npos; at = body.find(text, at + 1))
      ++n;
    return n;
  };
  // The runner says where it listens when its container starts: once so far.
  const std::string started_line = "baikal-kernel-runner: listening on";
  REQUIRE(eventually([&] { return count(started_line) == 1; }, 30s));
  // A restarted kernel is a new container whose runner writes that line again, after the
  // follow began; the follow moves to it.
  auto restarted = cluster.alice.post("/v1/sessions/" + id + "/restart");
  REQUIRE_MESSAGE(restarted.status == 200, restarted.body);
  CHECK(eventually([&] { return count(started_line) == 2; }, 60s));
  CHECK_FALSE(ended.load());
  // Three more reads (each since the newest line's time, which the engine answers again) write
  // nothing twice.
  std::this_thread::sleep_for(3 * 500ms);
  CHECK(count(started_line) == 2);
  REQUIRE(cluster.alice.del("/v1/sessions/" + id).status == 200);
  CHECK(eventually([&] { return ended.load(); }, 60s));
  follower.join();
  ctl.join();
  CHECK_MESSAGE(printed.exit_code == 0, printed.err);
  CHECK(printed.out.find(started_line) != std::string::npos);
}
