#include "runtime/docker/streams.hpp"

#include "runtime/docker/errors.hpp"

namespace baikal::docker {

void line_splitter::feed(std::string_view chunk, const std::function<void(std::string)>& on_line) {
  rest_.append(chunk);
  size_t start = 0;
  for (auto nl = rest_.find('\n', start); nl != std::string::npos; nl = rest_.find('\n', start)) {
    auto end = nl;
    if (end > start && rest_[end - 1] == '\r')
      --end;
    if (end > start)
      on_line(rest_.substr(start, end - start));
    start = nl + 1;
  }
  rest_.erase(0, start);
}

std::string line_splitter::take_rest() {
  std::string out;
  out.swap(rest_);
  while (!out.empty() && (out.back() == '\r' || out.back() == '\n'))
    out.pop_back();
  return out;
}

void progress_stream::on_line(std::string line, const std::function<void(std::string)>& next) {
  if (!error_)
    error_ = stream_line_error(line);
  last_ = line;
  if (next)
    next(std::move(line));
}

void progress_stream::feed(std::string_view chunk,
                           const std::function<void(std::string)>& on_line) {
  lines_.feed(chunk, [&](std::string line) { this->on_line(std::move(line), on_line); });
}

caf::expected<docker_reply>
progress_stream::finish(docker_reply reply, const std::function<void(std::string)>& on_line) {
  if (auto rest = lines_.take_rest(); !rest.empty())
    this->on_line(std::move(rest), on_line);
  if (error_)
    return make_error(errc::runtime_error, *error_);
  if (is_success(reply.status))
    reply.body = last_;
  return reply;
}

void frame_demuxer::feed(std::string_view chunk) {
  rest_.append(chunk);
  size_t pos = 0;
  while (rest_.size() - pos >= 8) {
    auto byte = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<uint8_t>(rest_[pos + i]));
    };
    uint32_t n = byte(4) << 24 | byte(5) << 16 | byte(6) << 8 | byte(7);
    if (rest_.size() - pos < 8 + size_t{n})
      break;
    (rest_[pos] == 2 ? err_ : out_).append(rest_, pos + 8, n);
    pos += 8 + size_t{n};
  }
  rest_.erase(0, pos);
}

demuxed_output demux_frames(std::string_view body) {
  frame_demuxer d;
  d.feed(body);
  return {std::move(d.out()), std::move(d.err())};
}

} // namespace baikal::docker
