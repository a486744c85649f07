#include "tools/baikalctl/sse_reader.hpp"

namespace baikal::ctl {

namespace {

/// The value of a "name: value" line (one space after the colon is not part of it).
std::string field_value(const std::string& line, size_t name_size) {
  auto value = line.substr(name_size);
  if (!value.empty() && value.front() == ' ')
    value.erase(0, 1);
  return value;
}

} // namespace

std::vector<sse_event> sse_reader::feed_events(std::string_view piece) {
  std::vector<sse_event> out;
  pending_.append(piece);
  size_t end;
  while ((end = pending_.find("\n\n")) != std::string::npos) {
    auto message = pending_.substr(0, end);
    pending_.erase(0, end + 2);
    // A message may span several "data:" lines; the payload joins them with newlines.
    sse_event ev;
    bool any = false;
    size_t start = 0;
    while (start <= message.size()) {
      auto eol = message.find('\n', start);
      auto line = message.substr(start, eol == std::string::npos ? std::string::npos : eol - start);
      if (line.rfind("data:", 0) == 0) {
        ev.data += (any ? "\n" : "") + field_value(line, 5);
        any = true;
      } else if (line.rfind("id:", 0) == 0) {
        ev.id = field_value(line, 3);
      } else if (line.rfind("event:", 0) == 0) {
        ev.event = field_value(line, 6);
      }
      if (eol == std::string::npos)
        break;
      start = eol + 1;
    }
    if (any)
      out.push_back(std::move(ev));
  }
  return out;
}

std::vector<std::string> sse_reader::feed(std::string_view piece) {
  std::vector<std::string> out;
  for (auto& ev : feed_events(piece))
    out.push_back(std::move(ev.data));
  return out;
}

} // namespace baikal::ctl
