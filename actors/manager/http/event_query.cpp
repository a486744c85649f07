#include "actors/manager/http/event_query.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/json/event_names.hpp"

namespace baikal {

namespace {

bool known_type(std::string_view name) {
  return std::find(json::event_names.begin(), json::event_names.end(), name) !=
         json::event_names.end();
}

std::string known_types() {
  std::string out;
  for (auto name : json::event_names)
    out.append(out.empty() ? "" : ", ").append(name);
  return out;
}

caf::expected<std::vector<std::string>> parse_types(const std::string& text) {
  std::vector<std::string> types;
  size_t start = 0;
  while (true) {
    auto comma = text.find(',', start);
    auto name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!known_type(name))
      return make_error(errc::invalid_argument,
                        "the query parameter \"type\" must be event types separated by commas (" +
                            known_types() + "); \"" + checks::shown(name) + "\" is not one");
    if (std::find(types.begin(), types.end(), name) == types.end())
      types.push_back(std::move(name));
    if (comma == std::string::npos)
      return types;
    start = comma + 1;
  }
}

caf::expected<uint64_t> parse_event_id(const std::string& text, const std::string& where) {
  if (auto id = checks::parse_unsigned(text))
    return *id;
  return make_error(errc::invalid_argument, where +
                                                " must be the id of an event (a whole number), "
                                                "not \"" +
                                                checks::shown(text) + "\"");
}

} // namespace

caf::expected<event_query> parse_event_query(const http::http_request& req,
                                             const api_limits& limits) {
  event_query out;
  auto& query = req.query;
  if (auto i = query.find("session"); i != query.end()) {
    if (auto err = checks::check_name("the query parameter \"session\"", i->second,
                                      limits.max_name_length))
      return err;
    out.selection.session = i->second;
  }
  if (auto i = query.find("type"); i != query.end()) {
    auto types = parse_types(i->second);
    if (!types)
      return types.error();
    out.selection.types = std::move(*types);
  }
  if (auto i = req.headers.find("last-event-id"); i != req.headers.end()) {
    auto id = parse_event_id(i->second, "the header Last-Event-ID");
    if (!id)
      return id.error();
    out.last_event_id = *id;
  } else if (auto j = query.find("last_event_id"); j != query.end()) {
    auto id = parse_event_id(j->second, "the query parameter \"last_event_id\"");
    if (!id)
      return id.error();
    out.last_event_id = *id;
  }
  return out;
}

} // namespace baikal
