// Docker's streamed bodies as the Docker actor reads them, in chunks that never line up with
// their records: JSON lines (pull and push progress, events, load) and the 8-byte-header
// frames of logs and exec output. Chunked reading must give what one read gives.

#include "runtime/docker/streams.hpp"
#include "runtime/docker/system.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace baikal;
using namespace baikal::docker;

std::vector<std::string> lines_of(const std::vector<std::string_view>& pieces, std::string& rest) {
  line_splitter lines;
  std::vector<std::string> out;
  for (auto piece : pieces)
    lines.feed(piece, [&](std::string line) { out.push_back(std::move(line)); });
  rest = lines.take_rest();
  return out;
}

} // namespace

BAIKAL_FUZZ_TARGET {
  fuzz::input in{data, size};
  auto which = in.byte();
  std::string sizes;
  for (size_t n = in.byte() % 16; n > 0; --n)
    sizes.push_back(static_cast<char>(in.byte()));
  auto stream = in.rest();
  auto pieces = fuzz::chunks_of(stream, sizes);

  switch (which % 3) {
  case 0: {
    std::string whole_rest;
    std::string pieces_rest;
    auto whole = lines_of({stream}, whole_rest);
    if (whole != lines_of(pieces, pieces_rest) || whole_rest != pieces_rest)
      fuzz::broken("reads of other sizes split other lines");
    for (auto& line : whole)
      (void)parse_event(line);
    break;
  }
  case 1: {
    progress_stream progress;
    size_t seen = 0;
    auto count = [&](std::string) { ++seen; };
    for (auto piece : pieces)
      progress.feed(piece, count);
    auto outcome = progress.finish(docker_reply{}, count);
    if (outcome && progress.error())
      fuzz::broken("a stream with an error line finished as a success");
    break;
  }
  default: {
    frame_demuxer demux;
    for (auto piece : pieces)
      demux.feed(piece);
    auto whole = demux_frames(stream);
    if (demux.out() != whole.out || demux.err() != whole.err)
      fuzz::broken("reads of other sizes demultiplex other output");
    if (demux.out().size() + demux.err().size() > stream.size())
      fuzz::broken("more output than the stream has bytes");
    break;
  }
  }
  return 0;
}
