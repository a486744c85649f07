#include "runtime/paths/list_directory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "messages/errors.hpp"

namespace baikal {

namespace {

const char* type_of(mode_t mode) {
  if (S_ISREG(mode))
    return "file";
  if (S_ISDIR(mode))
    return "dir";
  if (S_ISLNK(mode))
    return "symlink";
  return "other";
}

char type_char(mode_t mode) {
  if (S_ISDIR(mode))
    return 'd';
  if (S_ISLNK(mode))
    return 'l';
  if (S_ISCHR(mode))
    return 'c';
  if (S_ISBLK(mode))
    return 'b';
  if (S_ISFIFO(mode))
    return 'p';
  if (S_ISSOCK(mode))
    return 's';
  return '-';
}

// Filenames are whatever bytes the container's user chose; JSON needs UTF-8, so invalid
// sequences become U+FFFD instead of producing text no client can parse.
std::string valid_utf8(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    auto c = static_cast<unsigned char>(in[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

} // namespace

std::string file_mode_text(mode_t mode) {
  std::string text(10, '-');
  text[0] = type_char(mode);
  const char rwx[] = "rwx";
  for (int i = 0; i < 9; ++i)
    if (mode & (1u << (8 - i)))
      text[1 + i] = rwx[i % 3];
  // The special bits share the execute column: lower case when execute is also set.
  if (mode & S_ISUID)
    text[3] = (mode & S_IXUSR) ? 's' : 'S';
  if (mode & S_ISGID)
    text[6] = (mode & S_IXGRP) ? 's' : 'S';
  if (mode & S_ISVTX)
    text[9] = (mode & S_IXOTH) ? 't' : 'T';
  return text;
}

std::vector<file_entry> read_directory_entries(int fd) {
  std::vector<file_entry> entries;
  // fdopendir takes the descriptor it is given, so hand it a duplicate.
  int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0)
    return entries;
  DIR* dir = ::fdopendir(own);
  if (!dir) {
    ::close(own);
    return entries;
  }
  ::rewinddir(dir); // a duplicate shares the offset: start at the beginning regardless
  while (auto* ent = ::readdir(dir)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..")
      continue;
    struct stat st {};
    if (::fstatat(::dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue; // removed while we were reading: it is no longer there to list
    file_entry e;
    e.filename = std::move(name);
    e.type = type_of(st.st_mode);
    e.size = static_cast<uint64_t>(st.st_size);
    e.mode = file_mode_text(st.st_mode);
    e.mtime = std::to_string(static_cast<long long>(st.st_mtime));
    entries.push_back(std::move(e));
  }
  ::closedir(dir);
  std::sort(entries.begin(), entries.end(),
            [](const file_entry& a, const file_entry& b) { return a.filename < b.filename; });
  return entries;
}

std::string to_files_json(const std::vector<file_entry>& entries) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartArray();
  for (auto& e : entries) {
    auto name = valid_utf8(e.filename);
    w.StartObject();
    w.Key("filename");
    w.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("type");
    w.String(e.type.c_str());
    w.Key("size");
    w.Uint64(e.size);
    w.Key("mode");
    w.String(e.mode.c_str());
    w.Key("mtime");
    w.String(e.mtime.c_str());
    w.EndObject();
  }
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

caf::expected<file_listing> list_directory(const work_dir& dir, const std::string& user_path) {
  file_listing out;
  out.abspath = user_path;
  auto fd = dir.open_directory(user_path, path_access::list);
  if (!fd) {
    if (code_of(fd.error()) == errc::permission_denied)
      return fd.error();
    out.errors = message_of(fd.error());
    return out;
  }
  out.files = to_files_json(read_directory_entries(fd->get()));
  return out;
}

} // namespace baikal
