#pragma once

/// One member of a tar archive, as the writer takes it and the reader yields it.

#include <cstdint>
#include <string>

namespace baikal {

/// The typeflag values Baikal writes or understands.
namespace tar_type {
constexpr char file = '0';
constexpr char hard_link = '1';
constexpr char symlink = '2';
constexpr char char_device = '3';
constexpr char block_device = '4';
constexpr char directory = '5';
constexpr char fifo = '6';
} // namespace tar_type

/// The size of a tar block; headers and data padding come in these.
constexpr uint64_t tar_block_size = 512;

/// A member's metadata and, when read, its data.
struct tar_entry {
  std::string name; ///< full path inside the archive; directories end with '/'
  char type = tar_type::file;
  uint64_t size = 0;    ///< bytes of data (regular files only)
  uint32_t mode = 0644; ///< permission bits
  int64_t mtime = 0;    ///< seconds since the epoch
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string linkname; ///< target of a symbolic or hard link
  std::string data;     ///< the content, filled by the reader
};

} // namespace baikal
