#pragma once

/// What a client of `GET /v1/events` asks for: `?session=ID` (one session's events),
/// `?type=A,B` (those types only, names as runtime/json/event_names.hpp spells them) and, when
/// it comes back, the last id it saw: the `Last-Event-ID` header (what a browser's EventSource
/// sends) or the `last_event_id` query parameter (the header wins when both are given).

#include <caf/expected.hpp>
#include <caf/optional.hpp>

#include "actors/manager/http/api_limits.hpp"
#include "messages/event_feed.hpp"
#include "runtime/http/http_message.hpp"

namespace baikal {

struct event_query {
  event_selection selection;
  caf::optional<uint64_t> last_event_id;
};

/// Reads the query; invalid_argument naming the parameter (or the header) when one is wrong.
caf::expected<event_query> parse_event_query(const http::http_request& req,
                                             const api_limits& limits = {});

} // namespace baikal
