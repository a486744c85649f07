#pragma once

/// Splits a server-sent event stream, arriving in pieces of any size, into its messages: the
/// `data:` payload with the message's `id:` and `event:` (comments such as keep-alives, and
/// messages without data, are dropped).

#include <string>
#include <string_view>
#include <vector>

namespace baikal::ctl {

struct sse_event {
  std::string id;    ///< empty when the message had no id line
  std::string event; ///< empty when the message had no event line
  std::string data;
};

class sse_reader {
public:
  /// Adds `piece`; answers the messages it completed, in order.
  std::vector<sse_event> feed_events(std::string_view piece);

  /// Adds `piece`; answers the payloads of the messages it completed, in order.
  std::vector<std::string> feed(std::string_view piece);

private:
  std::string pending_;
};

} // namespace baikal::ctl
