// Every JSON body decoder of the manager's API on its own, the first byte choosing which: each
// must answer a value or an invalid_argument error (too_large for a size over a limit, which
// the API also answers as invalid_argument, with 413), whatever the bytes.

#include "actors/manager/http/api_requests.hpp"
#include "messages/errors.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace baikal;

template <class T> void expect_value_or_bad_argument(const caf::expected<T>& x) {
  if (!x && code_of(x.error()) != errc::invalid_argument && code_of(x.error()) != errc::too_large)
    fuzz::broken("a body decoder failed with another error than invalid_argument or too_large");
}

} // namespace

BAIKAL_FUZZ_TARGET {
  fuzz::input in{data, size};
  auto which = in.byte() % 6;
  std::string body{in.rest()};
  switch (which) {
  case 0:
    expect_value_or_bad_argument(parse_session_request(body));
    break;
  case 1:
    expect_value_or_bad_argument(parse_execute(body));
    break;
  case 2:
    expect_value_or_bad_argument(parse_completion(body));
    break;
  case 3:
    expect_value_or_bad_argument(parse_start_service(body));
    break;
  case 4:
    expect_value_or_bad_argument(parse_commit(body));
    break;
  default:
    expect_value_or_bad_argument(parse_purge(body));
    break;
  }
  return 0;
}
