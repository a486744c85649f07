#include "runtime/paths/disk_space.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace baikal {

namespace {

std::optional<uint64_t> available(const struct statvfs& st) {
  return static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
}

} // namespace

std::optional<uint64_t> free_bytes_at(int fd) {
  struct statvfs st {};
  if (::fstatvfs(fd, &st) != 0)
    return std::nullopt;
  return available(st);
}

std::optional<uint64_t> free_bytes_of(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0)
    return std::nullopt;
  return available(st);
}

bool is_disk_full(int err) {
  return err == ENOSPC || err == EDQUOT;
}

std::string disk_full_text(const std::string& where, int err) {
  return "the disk holding " + where + " is full (" + std::strerror(err) + ")";
}

std::string byte_count_text(uint64_t bytes) {
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  char out[32];
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof units / sizeof units[0]) {
    value /= 1024;
    ++unit;
  }
  std::snprintf(out, sizeof out, "%.1f %s", value, units[unit]);
  return out;
}

} // namespace baikal
