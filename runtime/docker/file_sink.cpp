#include "runtime/docker/file_sink.hpp"

#include <cerrno>
#include <cstring>

#include <zlib.h>

#include "messages/errors.hpp"

namespace baikal::docker {

struct file_sink::gzip_state {
  z_stream zs{};
};

file_sink::file_sink(std::string path, bool gzip) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) {
    fail(std::strerror(errno));
    return;
  }
  if (gzip) {
    gz_ = std::make_unique<gzip_state>();
    // windowBits 15 + 16: a gzip header and CRC, not a bare zlib stream.
    if (deflateInit2(&gz_->zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      gz_.reset();
      fail("cannot start gzip compression");
    }
  }
}

file_sink::~file_sink() {
  finish();
}

void file_sink::fail(const std::string& why) {
  if (!error_)
    error_ = make_error(errc::runtime_error, "cannot write " + path_ + ": " + why);
}

void file_sink::write(std::string_view data) {
  if (error_ || !file_)
    return;
  if (!gz_) {
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
      fail(std::strerror(errno));
    return;
  }
  auto& zs = gz_->zs;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  unsigned char out[64 * 1024];
  do {
    zs.next_out = out;
    zs.avail_out = sizeof out;
    deflate(&zs, Z_NO_FLUSH);
    size_t n = sizeof out - zs.avail_out;
    if (std::fwrite(out, 1, n, file_) != n)
      return fail(std::strerror(errno));
  } while (zs.avail_out == 0);
}

caf::error file_sink::finish() {
  if (!file_)
    return error_;
  if (gz_) {
    auto& zs = gz_->zs;
    unsigned char out[64 * 1024];
    int rc = Z_OK;
    while (!error_ && rc != Z_STREAM_END) {
      zs.next_out = out;
      zs.avail_out = sizeof out;
      rc = deflate(&zs, Z_FINISH);
      size_t n = sizeof out - zs.avail_out;
      if (std::fwrite(out, 1, n, file_) != n)
        fail(std::strerror(errno));
    }
    deflateEnd(&zs);
    gz_.reset();
  }
  if (std::fclose(file_) != 0)
    fail(std::strerror(errno));
  file_ = nullptr;
  return error_;
}

} // namespace baikal::docker
