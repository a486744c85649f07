#include "runtime/archive/tar_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include <caf/optional.hpp>

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal {

namespace {

bool holds_contents(char type) {
  return type < tar_type::hard_link || type > tar_type::fifo;
}

caf::error malformed(const std::string& why, size_t offset) {
  return make_error(errc::invalid_argument,
                    "malformed archive: " + why + " at byte " + std::to_string(offset));
}

std::string field_text(const char* p, size_t len) {
  return std::string{p, strnlen(p, len)};
}

// Octal (leading spaces, ending in NUL or space) or GNU base-256; nullopt when invalid.
caf::optional<uint64_t> parse_number(const char* p, size_t len) {
  auto first = static_cast<unsigned char>(p[0]);
  if (first & 0x80) {
    if (first != 0x80)
      return caf::none; // negative values mean nothing for sizes, ids and our mtimes
    uint64_t v = 0;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 56)
        return caf::none;
      v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    return v;
  }
  size_t i = 0;
  while (i < len && p[i] == ' ')
    ++i;
  uint64_t v = 0;
  for (; i < len && p[i] != '\0' && p[i] != ' '; ++i) {
    if (p[i] < '0' || p[i] > '7' || (v >> 61))
      return caf::none;
    v = v * 8 + static_cast<uint64_t>(p[i] - '0');
  }
  for (; i < len; ++i)
    if (p[i] != '\0' && p[i] != ' ')
      return caf::none;
  return v;
}

bool checksum_matches(const char* h) {
  auto stored = parse_number(h + 148, 8);
  if (!stored)
    return false;
  uint64_t unsigned_sum = 0;
  int64_t signed_sum = 0; // some historic writers summed signed chars
  for (size_t i = 0; i < tar_block_size; ++i) {
    bool in_field = i >= 148 && i < 156;
    unsigned_sum += in_field ? ' ' : static_cast<unsigned char>(h[i]);
    signed_sum += in_field ? ' ' : static_cast<signed char>(h[i]);
  }
  return *stored == unsigned_sum || static_cast<int64_t>(*stored) == signed_sum;
}

// Pending values from GNU 'L'/'K' and pax 'x' members for the member that follows.
struct overrides {
  caf::optional<std::string> name;
  caf::optional<std::string> linkname;
  caf::optional<uint64_t> size;
  caf::optional<uint64_t> mtime;
  caf::optional<uint64_t> uid;
  caf::optional<uint64_t> gid;
  bool any = false;
};

// pax records are "LEN KEY=VALUE\n" where LEN counts the whole record.
bool parse_pax(std::string_view data, overrides& o) {
  while (!data.empty()) {
    auto space = data.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 20)
      return false;
    uint64_t len = 0;
    for (size_t i = 0; i < space; ++i) {
      if (data[i] < '0' || data[i] > '9')
        return false;
      len = len * 10 + static_cast<uint64_t>(data[i] - '0');
    }
    if (len <= space + 1 || len > data.size() || data[len - 1] != '\n')
      return false;
    auto record = data.substr(space + 1, len - space - 2);
    data.remove_prefix(len);
    auto eq = record.find('=');
    if (eq == std::string_view::npos)
      return false;
    auto key = record.substr(0, eq);
    std::string value{record.substr(eq + 1)};
    auto number = [&]() -> caf::optional<uint64_t> {
      auto digits =
          std::string_view{value}.substr(0, value.find('.')); // mtime may carry a fraction
      auto n = checks::parse_unsigned(digits);
      if (!n)
        return caf::none;
      return *n;
    };
    if (key == "path")
      o.name = value;
    else if (key == "linkpath")
      o.linkname = value;
    else if (key == "size" && !(o.size = number()))
      return false;
    else if (key == "mtime")
      o.mtime = number();
    else if (key == "uid")
      o.uid = number();
    else if (key == "gid")
      o.gid = number();
  }
  return true;
}

uint64_t padded(uint64_t n) {
  return (n + tar_block_size - 1) / tar_block_size * tar_block_size;
}

} // namespace

caf::expected<bool> tar_reader::next(tar_entry& out) {
  overrides o;
  while (!done_) {
    size_t left = in_.size() - pos_;
    if (left == 0 && !o.any) {
      done_ = true; // tolerated: an archive cut right after a complete member
      return false;
    }
    if (left < tar_block_size)
      return malformed("truncated header", pos_);
    const char* h = in_.data() + pos_;
    if (std::all_of(h, h + tar_block_size, [](char c) { return c == '\0'; })) {
      if (o.any)
        return malformed("extension header without a member", pos_);
      done_ = true;
      return false;
    }
    if (!checksum_matches(h))
      return malformed("bad header checksum", pos_);
    auto size = parse_number(h + 124, 12);
    auto mode = parse_number(h + 100, 8);
    auto uid = parse_number(h + 108, 8);
    auto gid = parse_number(h + 116, 8);
    auto mtime = parse_number(h + 136, 12);
    if (!size || !mode || !uid || !gid || !mtime)
      return malformed("bad numeric field", pos_);
    char type = h[156] == '\0' ? tar_type::file : h[156];
    uint64_t data_size = (o.size && type != 'x' && type != 'L' && type != 'K') ? *o.size : *size;
    size_t data_at = pos_ + tar_block_size;
    if (data_size > in_.size() - data_at)
      return malformed("member data beyond the end", pos_);
    std::string_view data = in_.substr(data_at, data_size);
    size_t header_at = pos_;
    // Padding after the last member may be missing; never step past the end.
    pos_ =
        data_at + static_cast<size_t>(std::min<uint64_t>(padded(data_size), in_.size() - data_at));
    if (type == 'L' || type == 'K') {
      auto text = std::string{data.substr(0, strnlen(data.data(), data.size()))};
      (type == 'L' ? o.name : o.linkname) = std::move(text);
      o.any = true;
      continue;
    }
    if (type == 'x') {
      if (!parse_pax(data, o))
        return malformed("bad pax record", header_at);
      o.any = true;
      continue;
    }
    if (type == 'g')
      continue; // global pax defaults: nothing we use
    out = tar_entry{};
    out.name = field_text(h, 100);
    bool ustar = std::memcmp(h + 257, "ustar\0", 6) == 0;
    auto prefix = ustar ? field_text(h + 345, 155) : std::string{};
    if (!prefix.empty())
      out.name = prefix + '/' + out.name;
    out.linkname = field_text(h + 157, 100);
    if (o.name)
      out.name = *o.name;
    if (o.linkname)
      out.linkname = *o.linkname;
    if (out.name.empty())
      return malformed("member without a name", header_at);
    out.type = type;
    // Links, directories, devices and FIFOs have no contents (POSIX wants their size zero): the
    // bytes a hostile header announces for one are stepped over, never handed on as its data.
    if (!holds_contents(type))
      data = {};
    out.size = data.size();
    out.mode = static_cast<uint32_t>(*mode & 07777);
    out.uid = static_cast<uint32_t>(o.uid ? *o.uid : *uid);
    out.gid = static_cast<uint32_t>(o.gid ? *o.gid : *gid);
    out.mtime = static_cast<int64_t>(
        std::min<uint64_t>(o.mtime ? *o.mtime : *mtime, std::numeric_limits<int64_t>::max()));
    out.data.assign(data.data(), data.size());
    return true;
  }
  return false;
}

caf::expected<std::vector<tar_entry>> read_tar(std::string_view archive) {
  std::vector<tar_entry> entries;
  tar_reader reader{archive};
  tar_entry entry;
  for (;;) {
    auto more = reader.next(entry);
    if (!more)
      return more.error();
    if (!*more)
      return entries;
    entries.push_back(std::move(entry));
  }
}

} // namespace baikal
