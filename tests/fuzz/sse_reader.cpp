// baikalctl's event-stream reader: messages cut into reads of any size come out the same as
// from one read, and each message goes through the pull-progress parsing and drawing that
// `baikalctl run` and `session create` show.

#include "tools/baikalctl/sse_reader.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tools/baikalctl/pull_progress.hpp"

BAIKAL_FUZZ_TARGET {
  using namespace baikal;
  fuzz::input in{data, size};
  std::string sizes;
  for (size_t n = in.byte() % 16; n > 0; --n)
    sizes.push_back(static_cast<char>(in.byte()));
  auto stream = in.rest();

  ctl::sse_reader whole_reader;
  auto whole = whole_reader.feed(stream);
  ctl::sse_reader piece_reader;
  std::vector<std::string> pieces;
  for (auto piece : fuzz::chunks_of(stream, sizes))
    for (auto& m : piece_reader.feed(piece))
      pieces.push_back(std::move(m));
  if (whole != pieces)
    fuzz::broken("reads of other sizes give other messages");

  ctl::pull_progress progress;
  std::vector<std::string> images;
  for (auto& message : whole) {
    if (auto update = ctl::parse_pull_event(message)) {
      progress.apply(*update);
      images.push_back(update->image);
    }
  }
  for (auto& view : progress.pulling(images))
    (void)ctl::progress_summary(view);
  return 0;
}
