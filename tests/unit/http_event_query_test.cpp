// What a client of GET /v1/events asks for: the session and type filters and the last id it
// saw, each refused with a 400 naming the parameter (or header) when it is malformed.

#include <doctest/doctest.h>

#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/event_query.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

http::http_request with(std::map<std::string, std::string> query,
                        std::map<std::string, std::string> headers = {}) {
  http::http_request req;
  req.query = std::move(query);
  req.headers = std::move(headers);
  return req;
}

std::string refusal(const caf::expected<event_query>& q) {
  REQUIRE_FALSE(q);
  CHECK(code_of(q.error()) == errc::invalid_argument);
  return message_of(q.error());
}

} // namespace

TEST_CASE("event query: no parameters select every event, live only") {
  auto q = parse_event_query(with({}));
  REQUIRE(q);
  CHECK(q->selection.session.empty());
  CHECK(q->selection.types.empty());
  CHECK_FALSE(q->last_event_id);
}

TEST_CASE("event query: session and comma-separated types are read") {
  auto q = parse_event_query(with({{"session", "s-1"}, {"type", "kernel_started,image_pull"}}));
  REQUIRE(q);
  CHECK(q->selection.session == "s-1");
  CHECK(q->selection.types == std::vector<std::string>{"kernel_started", "image_pull"});
  // A name given twice is kept once.
  auto twice = parse_event_query(with({{"type", "execution,execution"}}));
  REQUIRE(twice);
  CHECK(twice->selection.types == std::vector<std::string>{"execution"});
}

TEST_CASE("event query: an unknown or empty type and a malformed session answer 400 naming the "
          "parameter") {
  auto unknown = refusal(parse_event_query(with({{"type", "kernel_started,kernel_exploded"}})));
  CHECK(unknown.find("\"type\"") != std::string::npos);
  CHECK(unknown.find("kernel_exploded") != std::string::npos);
  CHECK(refusal(parse_event_query(with({{"type", ""}}))).find("\"type\"") != std::string::npos);
  CHECK(refusal(parse_event_query(with({{"type", "image_pull,"}}))).find("\"type\"") !=
        std::string::npos);
  CHECK(refusal(parse_event_query(with({{"session", ""}}))).find("\"session\"") !=
        std::string::npos);
  CHECK(refusal(parse_event_query(with({{"session", "a b/c"}}))).find("\"session\"") !=
        std::string::npos);
}

TEST_CASE("event query: Last-Event-ID is a whole number, else 400 naming the header") {
  auto q = parse_event_query(with({}, {{"last-event-id", "1717000000000042"}}));
  REQUIRE(q);
  CHECK(q->last_event_id == caf::optional<uint64_t>{1717000000000042ULL});
  CHECK(refusal(parse_event_query(with({}, {{"last-event-id", "12abc"}}))).find("Last-Event-ID") !=
        std::string::npos);
  CHECK(refusal(parse_event_query(with({}, {{"last-event-id", "-1"}}))).find("Last-Event-ID") !=
        std::string::npos);
  CHECK(refusal(parse_event_query(with({}, {{"last-event-id", ""}}))).find("Last-Event-ID") !=
        std::string::npos);
}

TEST_CASE("event query: the last_event_id parameter stands in for the header, which wins") {
  auto q = parse_event_query(with({{"last_event_id", "7"}}));
  REQUIRE(q);
  CHECK(q->last_event_id == caf::optional<uint64_t>{7});
  auto both = parse_event_query(with({{"last_event_id", "7"}}, {{"last-event-id", "9"}}));
  REQUIRE(both);
  CHECK(both->last_event_id == caf::optional<uint64_t>{9});
  CHECK(refusal(parse_event_query(with({{"last_event_id", "x"}}))).find("\"last_event_id\"") !=
        std::string::npos);
}

TEST_CASE("logs follow parameter: true, false, 1 and 0, else 400 naming follow") {
  CHECK(parse_follow({}) == caf::expected<bool>{false});
  CHECK(parse_follow({{"follow", "true"}}) == caf::expected<bool>{true});
  CHECK(parse_follow({{"follow", "1"}}) == caf::expected<bool>{true});
  CHECK(parse_follow({{"follow", "false"}}) == caf::expected<bool>{false});
  CHECK(parse_follow({{"follow", "0"}}) == caf::expected<bool>{false});
  for (auto bad : {"yes", "TRUE", "", "2"}) {
    auto f = parse_follow({{"follow", bad}});
    REQUIRE_FALSE(f);
    CHECK(code_of(f.error()) == errc::invalid_argument);
    CHECK(message_of(f.error()).find("\"follow\"") != std::string::npos);
  }
}
