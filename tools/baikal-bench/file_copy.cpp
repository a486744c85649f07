#include "tools/baikal-bench/file_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include "runtime/paths/unique_fd.hpp"

namespace baikal::bench {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    auto n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail("cannot write", path);
    done += static_cast<size_t>(n);
  }
}

} // namespace

void copy_file_plain(const std::string& from, const std::string& to, bool sync) {
  unique_fd in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
  if (!in)
    fail("cannot open", from);
  unique_fd out{::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
  if (!out)
    fail("cannot create", to);
  std::vector<char> buf(1024 * 1024);
  for (;;) {
    auto n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail("cannot read", from);
    if (n == 0)
      break;
    write_all(out.get(), buf.data(), static_cast<size_t>(n), to);
  }
  if (sync && ::fsync(out.get()) != 0)
    fail("cannot flush", to);
}

void write_file(const std::string& path, const std::string& data) {
  unique_fd out{::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
  if (!out)
    fail("cannot create", path);
  write_all(out.get(), data.data(), data.size(), path);
  if (::fsync(out.get()) != 0)
    fail("cannot flush", path);
}

size_t file_size_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    fail("cannot stat", path);
  return static_cast<size_t>(st.st_size);
}

std::string random_bytes(size_t n) {
  std::mt19937_64 gen{42};
  std::string out(n, '\0');
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    auto v = gen();
    std::memcpy(out.data() + i, &v, 8);
  }
  for (; i < n; ++i)
    out[i] = static_cast<char>(gen());
  return out;
}

} // namespace baikal::bench
