#include "runtime/archive/tar_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "messages/errors.hpp"

namespace baikal {

namespace {

constexpr uint64_t end_of_archive_size = 2 * tar_block_size;
constexpr size_t name_field = 100;
constexpr size_t prefix_field = 155;

uint64_t padded(uint64_t n) {
  return (n + tar_block_size - 1) / tar_block_size * tar_block_size;
}

// Zero-padded octal ending in NUL; GNU base-256 (high bit set) when octal cannot hold it,
// e.g. files of 8 GiB or more in the 12-byte size field.
void put_number(char* field, size_t len, uint64_t value) {
  size_t digits = len - 1;
  bool fits = digits * 3 >= 64 || value < (uint64_t{1} << (3 * digits));
  if (fits) {
    field[len - 1] = '\0';
    for (size_t i = digits; i-- > 0; value >>= 3)
      field[i] = static_cast<char>('0' + (value & 7));
    return;
  }
  std::memset(field, 0, len);
  for (size_t i = len; i-- > 1; value >>= 8)
    field[i] = static_cast<char>(value & 0xff);
  field[0] = static_cast<char>(0x80);
}

void put_string(char* field, size_t len, const std::string& s) {
  std::memcpy(field, s.data(), std::min(len, s.size()));
}

// Finds a '/' that splits `name` into a prefix of at most 155 bytes and a non-empty rest of
// at most 100 bytes, the ustar way of storing names up to 256 bytes.
bool split_ustar(const std::string& name, std::string& prefix, std::string& rest) {
  if (name.size() <= name_field || name.size() > prefix_field + 1 + name_field)
    return false;
  for (size_t pos = std::min(prefix_field, name.size() - 2); pos > 0; --pos) {
    if (name[pos] != '/')
      continue;
    if (name.size() - pos - 1 > name_field)
      return false; // further left only makes the rest longer
    prefix = name.substr(0, pos);
    rest = name.substr(pos + 1);
    return true;
  }
  return false;
}

std::string header_block(const tar_entry& e, const std::string& name, const std::string& prefix,
                         char type, uint64_t size, bool gnu) {
  std::string h(tar_block_size, '\0');
  put_string(&h[0], name_field, name);
  put_number(&h[100], 8, e.mode & 07777);
  put_number(&h[108], 8, e.uid);
  put_number(&h[116], 8, e.gid);
  put_number(&h[124], 12, size);
  put_number(&h[136], 12, e.mtime < 0 ? 0 : static_cast<uint64_t>(e.mtime));
  std::memset(&h[148], ' ', 8); // the checksum is computed with its own field as spaces
  h[156] = type;
  put_string(&h[157], name_field, e.linkname);
  // GNU magic where GNU extensions follow, so readers that check formats accept them.
  std::memcpy(&h[257],
              gnu ? "ustar  \0"
                  : "ustar\0"
                    "00",
              8);
  put_string(&h[345], prefix_field, prefix);
  unsigned sum = 0;
  for (unsigned char c : h)
    sum += c;
  std::snprintf(&h[148], 8, "%06o", sum & 0777777);
  h[155] = ' ';
  return h;
}

// A GNU 'L' or 'K' member carrying a name or link target too long for its field.
std::string gnu_long_member(char type, const std::string& text) {
  tar_entry meta;
  meta.mode = 0;
  auto out = header_block(meta, "././@LongLink", "", type, text.size() + 1, true);
  out += text;
  out.append(padded(text.size() + 1) - text.size(), '\0');
  return out;
}

} // namespace

std::string size_limit_text(uint64_t bytes) {
  constexpr uint64_t mib = 1024 * 1024;
  if (bytes >= mib && bytes % mib == 0)
    return std::to_string(bytes / mib) + " MiB";
  return std::to_string(bytes) + " bytes";
}

caf::error tar_writer::reserve(uint64_t bytes) const {
  if (bytes > limit_ || out_.size() > limit_ - bytes)
    return make_error(errc::too_large,
                      "Too large archive file exceeding " + size_limit_text(limit_));
  return {};
}

caf::error tar_writer::write_header(tar_entry entry, uint64_t data_size) {
  end_file();
  std::string extra; // GNU long name/link members that precede the header
  std::string name = entry.name;
  std::string prefix;
  bool gnu = false;
  if (name.size() > name_field && !split_ustar(entry.name, prefix, name)) {
    extra += gnu_long_member('L', entry.name);
    name = entry.name.substr(0, name_field);
    gnu = true;
  }
  if (entry.linkname.size() > name_field) {
    extra += gnu_long_member('K', entry.linkname);
    entry.linkname.resize(name_field);
    gnu = true;
  }
  if (gnu)
    prefix.clear(); // GNU headers keep other fields where ustar keeps the prefix
  uint64_t needed = extra.size() + tar_block_size + padded(data_size) + end_of_archive_size;
  if (auto err = reserve(needed))
    return err;
  out_ += extra;
  out_ += header_block(entry, name, prefix, entry.type, data_size, gnu);
  return {};
}

caf::error tar_writer::add_file(tar_entry entry, std::string_view data) {
  entry.type = tar_type::file;
  entry.size = data.size();
  if (auto err = begin_file(entry))
    return err;
  append_data(data);
  end_file();
  return {};
}

caf::error tar_writer::add_directory(tar_entry entry) {
  entry.type = tar_type::directory;
  if (entry.name.empty() || entry.name.back() != '/')
    entry.name += '/';
  return write_header(std::move(entry), 0);
}

caf::error tar_writer::add_symlink(tar_entry entry) {
  entry.type = tar_type::symlink;
  return write_header(std::move(entry), 0);
}

caf::error tar_writer::begin_file(const tar_entry& entry) {
  if (auto err = write_header(entry, entry.size))
    return err;
  pending_ = entry.size;
  padding_ = padded(entry.size) - entry.size;
  return {};
}

void tar_writer::append_data(std::string_view chunk) {
  auto n = std::min<uint64_t>(chunk.size(), pending_);
  out_.append(chunk.data(), n);
  pending_ -= n;
}

void tar_writer::end_file() {
  out_.append(pending_ + padding_, '\0');
  pending_ = padding_ = 0;
}

std::string tar_writer::finish() {
  end_file();
  out_.append(end_of_archive_size, '\0');
  return std::move(out_);
}

} // namespace baikal
