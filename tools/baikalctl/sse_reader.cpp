#include "tools/baikalctl/sse_reader.hpp"

namespace baikal::ctl {

std::vector<std::string> sse_reader::feed(std::string_view piece) {
  std::vector<std::string> out;
  pending_.append(piece);
  size_t end;
  while ((end = pending_.find("\n\n")) != std::string::npos) {
    auto message = pending_.substr(0, end);
    pending_.erase(0, end + 2);
    // A message may span several "data:" lines; the payload joins them with newlines.
    std::string data;
    bool any = false;
    size_t start = 0;
    while (start <= message.size()) {
      auto eol = message.find('\n', start);
      auto line = message.substr(start, eol == std::string::npos ? std::string::npos : eol - start);
      if (line.rfind("data:", 0) == 0) {
        auto value = line.substr(5);
        if (!value.empty() && value.front() == ' ')
          value.erase(0, 1);
        data += (any ? "\n" : "") + value;
        any = true;
      }
      if (eol == std::string::npos)
        break;
      start = eol + 1;
    }
    if (any)
      out.push_back(std::move(data));
  }
  return out;
}

} // namespace baikal::ctl
