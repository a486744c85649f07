#pragma once

/// Incremental parsers for Docker's streamed bodies: JSON lines (pull, push, events, load) and
/// the 8-byte-header frames of non-TTY logs and exec output. Chunk borders never match line
/// or frame borders, so both keep the unfinished rest between calls.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

/// Splits bytes into lines ending in "\n" (a trailing "\r" is dropped); empty lines are skipped.
class line_splitter {
public:
  void feed(std::string_view chunk, const std::function<void(std::string)>& on_line);

  /// What is left after the last newline (a stream may end without one).
  std::string take_rest();

private:
  std::string rest_;
};

/// Follows a progress stream: Docker answers 200 and reports failures inside the stream, as a
/// line with an "error" field, so a stream is a success only if no line had one.
class progress_stream {
public:
  /// Splits `chunk` and passes on every complete line.
  void feed(std::string_view chunk, const std::function<void(std::string)>& on_line);

  /// The outcome: the first in-stream error (runtime_error, Docker's text), else `reply` with
  /// the last line as its body.
  caf::expected<docker_reply> finish(docker_reply reply,
                                     const std::function<void(std::string)>& on_line);

  const std::optional<std::string>& error() const { return error_; }

private:
  void on_line(std::string line, const std::function<void(std::string)>& next);

  line_splitter lines_;
  std::optional<std::string> error_;
  std::string last_;
};

/// Demultiplexes `[type, 0, 0, 0, len BE32] payload` frames; type 2 is stderr, others stdout.
class frame_demuxer {
public:
  void feed(std::string_view chunk);

  std::string& out() { return out_; }
  std::string& err() { return err_; }

  /// Bytes of a frame that has not fully arrived yet.
  size_t pending() const { return rest_.size(); }

private:
  std::string rest_;
  std::string out_;
  std::string err_;
};

/// stdout and stderr of a whole framed body.
struct demuxed_output {
  std::string out;
  std::string err;
};

demuxed_output demux_frames(std::string_view body);

} // namespace baikal::docker
