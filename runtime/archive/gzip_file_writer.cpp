#include "runtime/archive/gzip_file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>

#include "messages/errors.hpp"
#include "runtime/paths/detail/beneath.hpp"
#include "runtime/paths/unique_fd.hpp"

namespace baikal {

struct gzip_file_writer::state {
  z_stream zs{};
  bool initialised = false;
  bool finished = false;
  unique_fd fd;
  std::string path;
  uint64_t written = 0;
  unsigned char out[64 * 1024];

  ~state() {
    if (initialised)
      deflateEnd(&zs);
  }

  caf::error io_error(const char* what, int err) const {
    return make_error(errc::runtime_error,
                      std::string{"Cannot "} + what + " " + path + ": " + detail::errno_text(err));
  }

  caf::error write_all(const unsigned char* p, size_t n) {
    while (n > 0) {
      auto w = ::write(fd.get(), p, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return io_error("write", errno);
      p += w;
      n -= static_cast<size_t>(w);
      written += static_cast<uint64_t>(w);
    }
    return {};
  }

  // Runs deflate until it has consumed the input (or, with Z_FINISH, ended the stream).
  caf::error pump(int flush) {
    for (;;) {
      zs.next_out = out;
      zs.avail_out = sizeof(out);
      int rc = deflate(&zs, flush);
      if (rc == Z_STREAM_ERROR)
        return make_error(errc::runtime_error, "gzip compression failed for " + path);
      if (auto err = write_all(out, sizeof(out) - zs.avail_out))
        return err;
      if (flush == Z_FINISH ? rc == Z_STREAM_END : zs.avail_out != 0)
        return {};
    }
  }
};

gzip_file_writer::gzip_file_writer(std::unique_ptr<state> s) : state_(std::move(s)) {}
gzip_file_writer::gzip_file_writer(gzip_file_writer&&) noexcept = default;
gzip_file_writer& gzip_file_writer::operator=(gzip_file_writer&&) noexcept = default;
gzip_file_writer::~gzip_file_writer() = default;

caf::expected<gzip_file_writer> gzip_file_writer::create(const std::string& path, int level) {
  auto s = std::make_unique<state>();
  s->path = path;
  s->fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!s->fd)
    return s->io_error("create", errno);
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib wrapper.
  if (deflateInit2(&s->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return make_error(errc::runtime_error, "Cannot start gzip compression for " + path);
  s->initialised = true;
  return gzip_file_writer{std::move(s)};
}

caf::error gzip_file_writer::write(std::string_view chunk) {
  if (!state_ || state_->finished)
    return make_error(errc::runtime_error, "The gzip file is already finished");
  auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
  size_t left = chunk.size();
  // avail_in is 32-bit; feed very large chunks in slices.
  while (left > 0) {
    auto n = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    state_->zs.next_in = const_cast<unsigned char*>(p);
    state_->zs.avail_in = n;
    if (auto err = state_->pump(Z_NO_FLUSH))
      return err;
    p += n;
    left -= n;
  }
  return {};
}

caf::error gzip_file_writer::finish() {
  if (!state_ || state_->finished)
    return make_error(errc::runtime_error, "The gzip file is already finished");
  state_->finished = true;
  state_->zs.next_in = nullptr;
  state_->zs.avail_in = 0;
  if (auto err = state_->pump(Z_FINISH))
    return err;
  // The export is only complete once it is on disk: a crash must not leave a short file
  // that looks finished.
  if (::fsync(state_->fd.get()) != 0)
    return state_->io_error("sync", errno);
  if (::close(state_->fd.release()) != 0)
    return state_->io_error("close", errno);
  return {};
}

uint64_t gzip_file_writer::compressed_size() const noexcept {
  return state_ ? state_->written : 0;
}

} // namespace baikal
