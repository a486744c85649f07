#include "actors/kernel/transfer_table.hpp"

#include <iterator>
#include <string>

#include "messages/errors.hpp"

namespace baikal {

namespace {

caf::error not_open(const char* what, uint64_t id) {
  return make_error(errc::not_found,
                    std::string{what} + " " + std::to_string(id) +
                        " is not open on this kernel (it ended, failed, or the kernel's actor "
                        "was restarted); start it again");
}

caf::error too_many(const char* what, size_t limit) {
  return make_error(errc::unavailable, "this kernel already has " + std::to_string(limit) + " " +
                                           what + " open, the most it keeps; retry later");
}

} // namespace

caf::error transfer_table::room_for_upload() const {
  return uploads_.size() < limits_.max_uploads ? caf::error{}
                                               : too_many("uploads", limits_.max_uploads);
}

caf::error transfer_table::room_for_download() const {
  return downloads_.size() < limits_.max_downloads ? caf::error{}
                                                   : too_many("downloads", limits_.max_downloads);
}

uint64_t transfer_table::add_upload(std::shared_ptr<file_upload> file, caf::actor_addr owner) {
  auto id = next_id_++;
  uploads_[id] = upload{std::move(file), std::move(owner), 0, 0, {}};
  return id;
}

uint64_t transfer_table::add_download(std::shared_ptr<const single_file> file,
                                      caf::actor_addr owner) {
  auto id = next_id_++;
  downloads_[id] = download{std::move(file), std::move(owner)};
  return id;
}

caf::expected<std::shared_ptr<file_upload>>
transfer_table::begin_chunk(uint64_t id, uint64_t offset, uint64_t size) {
  auto i = uploads_.find(id);
  if (i == uploads_.end())
    return not_open("upload", id);
  auto& up = i->second;
  if (up.failure)
    return up.failure;
  if (offset != up.next_offset)
    return make_error(errc::invalid_argument,
                      "offset " + std::to_string(offset) + " of upload " + std::to_string(id) +
                          ": the next chunk begins at " + std::to_string(up.next_offset));
  if (up.writing >= limits_.max_chunks_writing)
    return make_error(errc::unavailable, "upload " + std::to_string(id) + " already has " +
                                             std::to_string(up.writing) +
                                             " chunks being written; send the next when one "
                                             "is answered");
  up.next_offset += size;
  ++up.writing;
  return up.file;
}

void transfer_table::end_chunk(uint64_t id, const caf::error& err) {
  auto i = uploads_.find(id);
  if (i == uploads_.end())
    return;
  --i->second.writing;
  if (err && !i->second.failure)
    i->second.failure = err;
}

caf::expected<std::shared_ptr<file_upload>> transfer_table::take_finished(uint64_t id,
                                                                          uint64_t size) {
  auto i = uploads_.find(id);
  if (i == uploads_.end())
    return not_open("upload", id);
  auto& up = i->second;
  caf::error err = up.failure;
  if (!err && up.writing > 0)
    err = make_error(errc::invalid_argument, "upload " + std::to_string(id) +
                                                 " still has chunks being written; finish it "
                                                 "once every chunk is answered");
  if (!err && up.next_offset != size)
    err =
        make_error(errc::invalid_argument, "upload " + std::to_string(id) + " received " +
                                               std::to_string(up.next_offset) + " bytes, not the " +
                                               std::to_string(size) + " its finish announces");
  auto file = std::move(up.file);
  uploads_.erase(i);
  if (err)
    return err; // the file goes with its last holder, which removes what was written
  return file;
}

std::shared_ptr<file_upload> transfer_table::take_upload(uint64_t id) {
  auto i = uploads_.find(id);
  if (i == uploads_.end())
    return nullptr;
  auto file = std::move(i->second.file);
  uploads_.erase(i);
  return file;
}

caf::expected<std::shared_ptr<const single_file>> transfer_table::find_download(uint64_t id) const {
  auto i = downloads_.find(id);
  if (i == downloads_.end())
    return not_open("download", id);
  return i->second.file;
}

void transfer_table::remove_download(uint64_t id) {
  downloads_.erase(id);
}

bool transfer_table::owns_any(const caf::actor_addr& owner) const {
  for (auto& [id, up] : uploads_)
    if (up.owner == owner)
      return true;
  for (auto& [id, down] : downloads_)
    if (down.owner == owner)
      return true;
  return false;
}

std::vector<std::shared_ptr<file_upload>>
transfer_table::take_all_of(const caf::actor_addr& owner) {
  std::vector<std::shared_ptr<file_upload>> out;
  for (auto i = uploads_.begin(); i != uploads_.end();)
    if (i->second.owner == owner) {
      out.push_back(std::move(i->second.file));
      i = uploads_.erase(i);
    } else {
      ++i;
    }
  for (auto i = downloads_.begin(); i != downloads_.end();)
    i = i->second.owner == owner ? downloads_.erase(i) : std::next(i);
  return out;
}

} // namespace baikal
