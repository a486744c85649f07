// The tar reader over hostile archives (as get_archive answers and uploads arrive): it either
// yields members whose data lies within the input or fails with invalid_argument, and what it
// yields, written again by tar_writer, reads back the same.

#include "runtime/archive/tar_reader.hpp"
#include "messages/errors.hpp"
#include "runtime/archive/tar_writer.hpp"
#include "runtime/archive/work_archive.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace baikal;

bool writable(const tar_entry& e) {
  return !e.name.empty() && e.name.find('\0') == std::string::npos &&
         e.linkname.find('\0') == std::string::npos &&
         (e.type == tar_type::file || e.type == tar_type::directory || e.type == tar_type::symlink);
}

/// Writes `entries` again and reads them back: names, types, links and data must survive.
void check_round_trip(const std::vector<tar_entry>& entries) {
  tar_writer w;
  std::vector<const tar_entry*> written;
  for (auto& e : entries) {
    if (!writable(e))
      continue;
    caf::error err;
    if (e.type == tar_type::file)
      err = w.add_file(e, e.data);
    else if (e.type == tar_type::directory)
      err = w.add_directory(e);
    else
      err = w.add_symlink(e);
    if (err)
      return;
    written.push_back(&e);
  }
  auto again = read_tar(w.finish());
  if (!again)
    fuzz::broken("an archive tar_writer wrote does not read back");
  if (again->size() != written.size())
    fuzz::broken("a written archive reads back with another number of members");
  for (size_t i = 0; i < written.size(); ++i) {
    auto& a = *written[i];
    auto& b = (*again)[i];
    auto name = a.type == tar_type::directory && a.name.back() != '/' ? a.name + '/' : a.name;
    if (b.name != name || b.type != a.type || b.data != a.data ||
        (a.type == tar_type::symlink && b.linkname != a.linkname))
      fuzz::broken("a member changed on its way through tar_writer and back");
  }
}

} // namespace

BAIKAL_FUZZ_TARGET {
  std::string_view archive{reinterpret_cast<const char*>(data), size};
  tar_reader reader{archive};
  std::vector<tar_entry> entries;
  uint64_t data_bytes = 0;
  while (true) {
    tar_entry e;
    auto more = reader.next(e);
    if (!more) {
      if (code_of(more.error()) != errc::invalid_argument)
        fuzz::broken("the reader failed with another error than invalid_argument");
      entries.clear();
      break;
    }
    if (!*more)
      break;
    data_bytes += e.data.size();
    if (data_bytes > size)
      fuzz::broken("members hold more data than the archive has bytes");
    entries.push_back(std::move(e));
  }
  if (!entries.empty())
    check_round_trip(entries);
  auto single = extract_single_file(archive, "/home/work/x");
  if (!single && code_of(single.error()) != errc::invalid_argument)
    fuzz::broken("extract_single_file failed with another error than invalid_argument");
  return 0;
}
