#pragma once

/// Splits a server-sent event stream, arriving in pieces of any size, into the `data:` payloads
/// of its messages (comments such as keep-alives are dropped).

#include <string>
#include <string_view>
#include <vector>

namespace baikal::ctl {

class sse_reader {
public:
  /// Adds `piece`; answers the payloads of the messages it completed, in order.
  std::vector<std::string> feed(std::string_view piece);

private:
  std::string pending_;
};

} // namespace baikal::ctl
