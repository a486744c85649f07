// The agent's side of the kernel-runner wire: frames reassembled from reads of any size (the
// same payloads as from one read, the same refusal of an oversized length), and every answer
// parser over each payload.

#include "messages/errors.hpp"
#include "runtime/runner/frame_codec.hpp"
#include "runtime/runner/runner_protocol.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace baikal;

struct decoded {
  std::vector<std::string> payloads;
  bool failed = false;
  size_t pending = 0;
};

decoded decode(const std::vector<std::string_view>& pieces, uint32_t max_size) {
  runner::frame_decoder dec{max_size};
  decoded out;
  for (auto piece : pieces) {
    dec.feed(piece.data(), piece.size());
    while (auto p = dec.next())
      out.payloads.push_back(std::move(*p));
  }
  out.failed = dec.failed();
  out.pending = out.failed ? 0 : dec.pending_bytes();
  return out;
}

void parse_answers(std::string_view json) {
  (void)runner::response_id(json);
  (void)runner::parse_execution_result(json);
  (void)runner::parse_completion_result(json);
  (void)runner::parse_service_result(json);
  (void)runner::parse_health(json);
  (void)runner::parse_ok(json);
}

} // namespace

BAIKAL_FUZZ_TARGET {
  fuzz::input in{data, size};
  // A small limit reaches the refusal with short inputs; the real one the rest of the time.
  auto limit_choice = in.byte();
  uint32_t max_size = limit_choice & 1 ? runner::max_frame_size : limit_choice;
  size_t sizes_len = in.byte() % 16;
  std::string sizes;
  for (size_t i = 0; i < sizes_len; ++i)
    sizes.push_back(static_cast<char>(in.byte()));
  auto stream = in.rest();

  auto whole = decode({stream}, max_size);
  auto pieces = decode(fuzz::chunks_of(stream, sizes), max_size);
  if (whole.payloads != pieces.payloads || whole.failed != pieces.failed ||
      whole.pending != pieces.pending)
    fuzz::broken("reads of other sizes decode other frames");
  for (auto& p : whole.payloads) {
    if (p.size() > max_size)
      fuzz::broken("a payload is larger than the limit");
    auto again = decode({runner::encode_frame(p)}, max_size);
    if (again.payloads.size() != 1 || again.payloads.front() != p)
      fuzz::broken("an encoded frame does not decode to its payload");
    parse_answers(p);
  }
  if (whole.payloads.empty())
    parse_answers(stream);
  return 0;
}
