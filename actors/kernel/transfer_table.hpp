#pragma once

/// The streamed transfers one kernel has open (messages/file_transfer.hpp), by id: which actor
/// streams each, so that its end drops them, and for an upload the order of its chunks and the
/// writes still running. Plain bookkeeping: the kernel actor does the file work on its
/// blocking executor and tells the table what happened.

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace baikal {

class file_upload;
struct single_file;

/// Bounds on what one kernel keeps open for its transfers.
struct transfer_limits {
  size_t max_uploads = 64;
  size_t max_downloads = 64;
  uint32_t max_chunks_writing = 8; ///< per upload
};

class transfer_table {
public:
  struct upload {
    std::shared_ptr<file_upload> file;
    caf::actor_addr owner;
    uint64_t next_offset = 0; ///< where the next chunk must begin
    uint32_t writing = 0;     ///< chunks handed to the executor and not written yet
    caf::error failure;       ///< the first write that failed; the upload is lost
  };

  struct download {
    std::shared_ptr<const single_file> file;
    caf::actor_addr owner;
  };

  explicit transfer_table(transfer_limits limits = {}) : limits_(limits) {}

  /// too_many (unavailable) when the kernel holds the most uploads it may.
  caf::error room_for_upload() const;
  caf::error room_for_download() const;

  uint64_t add_upload(std::shared_ptr<file_upload> file, caf::actor_addr owner);
  uint64_t add_download(std::shared_ptr<const single_file> file, caf::actor_addr owner);

  /// Takes the chunk of `size` bytes at `offset` of upload `id`: it must begin where the one
  /// before ended. Answers the file to write it to.
  caf::expected<std::shared_ptr<file_upload>> begin_chunk(uint64_t id, uint64_t offset,
                                                          uint64_t size);
  /// A chunk's write ended (failed when `err`).
  void end_chunk(uint64_t id, const caf::error& err);

  /// Removes upload `id` to commit it: every chunk written, `size` bytes in all.
  caf::expected<std::shared_ptr<file_upload>> take_finished(uint64_t id, uint64_t size);

  /// Removes upload `id`; none when it is not open.
  std::shared_ptr<file_upload> take_upload(uint64_t id);

  /// The open file of download `id`.
  caf::expected<std::shared_ptr<const single_file>> find_download(uint64_t id) const;
  void remove_download(uint64_t id);

  /// Whether `owner` streams a transfer here.
  bool owns_any(const caf::actor_addr& owner) const;

  /// Removes every transfer `owner` streams; answers the uploads' files to drop.
  std::vector<std::shared_ptr<file_upload>> take_all_of(const caf::actor_addr& owner);

  size_t uploads() const noexcept { return uploads_.size(); }
  size_t downloads() const noexcept { return downloads_.size(); }

private:
  transfer_limits limits_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, upload> uploads_;
  std::map<uint64_t, download> downloads_;
};

} // namespace baikal
