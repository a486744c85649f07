#include "runtime/docker/errors.hpp"

#include <rapidjson/document.h>

namespace baikal::docker {

errc errc_of_status(unsigned status) {
  switch (status) {
  case 400:
    return errc::invalid_argument;
  case 403:
    return errc::permission_denied;
  case 404:
    return errc::not_found;
  case 409:
    return errc::conflict;
  default:
    return errc::runtime_error;
  }
}

bool is_success(unsigned status) {
  return (status >= 200 && status < 300) || status == 304;
}

std::string message_of_body(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    auto i = doc.FindMember("message");
    if (i != doc.MemberEnd() && i->value.IsString())
      return {i->value.GetString(), i->value.GetStringLength()};
  }
  auto first = body.find_first_not_of(" \r\n\t");
  auto last = body.find_last_not_of(" \r\n\t");
  if (first == std::string_view::npos)
    return {};
  return std::string{body.substr(first, last - first + 1)};
}

caf::error error_of_response(unsigned status, std::string_view body) {
  auto text = message_of_body(body);
  if (text.empty())
    text = "the Docker engine answered HTTP " + std::to_string(status);
  return make_error(errc_of_status(status), std::move(text));
}

std::optional<std::string> stream_line_error(std::string_view line) {
  // Cheap filter first: most progress lines carry no error at all.
  if (line.find("\"error") == std::string_view::npos)
    return std::nullopt;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::nullopt;
  auto i = doc.FindMember("error");
  if (i != doc.MemberEnd() && i->value.IsString())
    return std::string{i->value.GetString(), i->value.GetStringLength()};
  auto d = doc.FindMember("errorDetail");
  if (d != doc.MemberEnd() && d->value.IsObject()) {
    auto m = d->value.FindMember("message");
    if (m != d->value.MemberEnd() && m->value.IsString())
      return std::string{m->value.GetString(), m->value.GetStringLength()};
  }
  return std::nullopt;
}

caf::error unreachable(const std::string& socket_path, const std::string& why) {
  return make_error(errc::unavailable,
                    "cannot reach the Docker engine at unix://" + socket_path + ": " + why);
}

} // namespace baikal::docker
