#include "actors/kernel/kernel_files.hpp"

#include "actors/kernel/file_upload.hpp"
#include "messages/errors.hpp"
#include "runtime/archive/single_file.hpp"
#include "runtime/archive/work_archive.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/list_directory.hpp"

namespace baikal {

caf::expected<ack> accept_file_in(const file_roots& roots, const std::string& user_path,
                                  const std::string& data) {
  if (auto err = write_whole_upload(roots, user_path, data))
    return err;
  return ack{};
}

caf::expected<file_bytes> download_file_from(const file_roots& roots,
                                             const std::string& user_path) {
  auto opened = open_user_path(roots, user_path, path_access::download);
  if (!opened)
    return opened.error();
  auto& dir = opened->dir;
  auto archive = archive_work_path(dir, opened->user_path);
  if (!archive)
    return archive.error();
  return file_bytes{std::move(*archive)};
}

caf::expected<file_bytes> download_single_from(const file_roots& roots,
                                               const std::string& user_path) {
  auto opened = open_user_path(roots, user_path, path_access::download);
  if (!opened)
    return opened.error();
  auto& dir = opened->dir;
  auto file = open_single_file(dir, opened->user_path);
  if (!file)
    return file.error();
  auto data = read_file_chunk(*file, 0, file->size);
  if (!data)
    return data.error();
  return file_bytes{std::move(*data)};
}

caf::expected<file_listing> list_files_in(const file_roots& roots, const std::string& user_path) {
  auto opened = open_user_path(roots, user_path, path_access::list);
  if (!opened)
    return opened.error();
  auto& dir = opened->dir;
  auto listing = list_directory(dir, opened->user_path);
  if (listing)
    listing->abspath = user_path; // the path as the user named it, mount or not
  return listing;
}

} // namespace baikal
