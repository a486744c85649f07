#include "actors/kernel/kernel_transfers.hpp"

#include <memory>
#include <utility>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/kernel/file_upload.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "runtime/archive/single_file.hpp"

namespace baikal {

namespace {

/// What the executor hands back to the kernel's thread: open files, never sent to another node.
struct opened_upload {
  std::shared_ptr<file_upload> file;
};

struct opened_download {
  std::shared_ptr<const single_file> file; ///< none when `first` was the whole file
  download_ticket ticket;
};

} // namespace

} // namespace baikal

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::opened_upload)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::opened_download)

namespace baikal {

namespace {

file_roots roots_of(kernel_pointer self) {
  return file_roots{self->state.setup.dirs.work, self->state.setup.info.mounts};
}

/// The actor streaming the current request, watched so that its end drops its transfers.
caf::actor_addr watched_sender(kernel_pointer self) {
  auto& strong = self->current_sender();
  auto sender = caf::actor_cast<caf::actor_addr>(strong);
  if (strong && !self->state.transfers.owns_any(sender))
    self->monitor(strong);
  return sender;
}

/// Lets go of `files` on the executor: dropping an upload removes its temporary file.
template <class Files> void release_on_executor(kernel_pointer self, Files files) {
  run_blocking_then<ack>(
      self,
      [files = std::move(files)]() mutable {
        files = Files{};
        return ack{};
      },
      [](ack&) {}, [](caf::error&) {});
}

caf::expected<opened_download> open_and_read_first(const file_roots& roots, const std::string& path,
                                                   uint32_t first) {
  auto opened = open_user_path(roots, path, path_access::download);
  if (!opened)
    return opened.error();
  auto& dir = opened->dir;
  auto file = open_single_file(dir, opened->user_path);
  if (!file)
    return file.error();
  auto bytes = read_file_chunk(*file, 0, first);
  if (!bytes)
    return bytes.error();
  opened_download out;
  out.ticket.size = file->size;
  out.ticket.first = std::move(*bytes);
  if (out.ticket.first.size() < file->size)
    out.file = std::make_shared<const single_file>(std::move(*file));
  return out;
}

} // namespace

// -- uploads ----------------------------------------------------------------------------------

caf::result<upload_ticket> open_upload(kernel_pointer self, const op::open_upload& x) {
  if (auto err = self->state.transfers.room_for_upload())
    return err;
  auto owner = watched_sender(self);
  auto promise = make_guarded_promise<upload_ticket>(self);
  run_blocking_then<opened_upload>(
      self,
      [roots = roots_of(self), name = x.filename, size = x.size]() -> caf::expected<opened_upload> {
        auto up = file_upload::open(roots, name, size);
        if (!up)
          return up.error();
        return opened_upload{std::shared_ptr<file_upload>{std::move(*up)}};
      },
      [self, promise, owner](opened_upload& up) mutable {
        promise.deliver(upload_ticket{self->state.transfers.add_upload(std::move(up.file), owner)});
      },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

caf::result<ack> upload_chunk(kernel_pointer self, op::upload_chunk& x) {
  auto file = self->state.transfers.begin_chunk(x.upload, x.offset, x.data.size());
  if (!file)
    return std::move(file.error());
  auto id = x.upload;
  auto promise = make_guarded_promise<ack>(self);
  // Shared, not copied, into the task.
  auto data = std::make_shared<const std::string>(std::move(x.data));
  run_blocking_then<ack>(
      self,
      [file = std::move(*file), data, offset = x.offset]() -> caf::expected<ack> {
        if (auto err = file->write_at(offset, *data))
          return err;
        return ack{};
      },
      [self, promise, id](ack&) mutable {
        self->state.transfers.end_chunk(id, {});
        promise.deliver(ack{});
      },
      [self, promise, id](caf::error& err) mutable {
        self->state.transfers.end_chunk(id, err);
        promise.deliver(std::move(err));
      });
  return promise;
}

caf::result<ack> finish_upload(kernel_pointer self, const op::finish_upload& x) {
  auto file = self->state.transfers.take_finished(x.upload, x.size);
  if (!file) {
    return std::move(file.error());
  }
  return run_blocking<ack>(self, [file = std::move(*file)]() -> caf::expected<ack> {
    if (auto err = file->commit())
      return err;
    return ack{};
  });
}

caf::result<ack> abort_upload(kernel_pointer self, const op::abort_upload& x) {
  // Unknown is fine: the upload failed or its owner ended before the abort came.
  if (auto file = self->state.transfers.take_upload(x.upload))
    release_on_executor(self, std::move(file));
  return ack{};
}

// -- downloads --------------------------------------------------------------------------------

caf::result<download_ticket> open_download(kernel_pointer self, const op::open_download& x) {
  if (auto err = self->state.transfers.room_for_download())
    return err;
  auto owner = watched_sender(self);
  auto promise = make_guarded_promise<download_ticket>(self);
  run_blocking_then<opened_download>(
      self,
      [roots = roots_of(self), path = x.path, first = x.first_chunk] {
        return open_and_read_first(roots, path, first);
      },
      [self, promise, owner](opened_download& opened) mutable {
        if (opened.file)
          opened.ticket.download =
              self->state.transfers.add_download(std::move(opened.file), owner);
        promise.deliver(std::move(opened.ticket));
      },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

caf::result<file_bytes> read_download(kernel_pointer self, const op::read_download& x) {
  auto file = self->state.transfers.find_download(x.download);
  if (!file)
    return std::move(file.error());
  return run_blocking<file_bytes>(
      self,
      [file = std::move(*file), offset = x.offset, n = x.max_bytes]() -> caf::expected<file_bytes> {
        auto bytes = read_file_chunk(*file, offset, n);
        if (!bytes)
          return bytes.error();
        return file_bytes{std::move(*bytes)};
      });
}

caf::result<ack> close_download(kernel_pointer self, const op::close_download& x) {
  self->state.transfers.remove_download(x.download);
  return ack{};
}

void drop_transfers_of(kernel_pointer self, const caf::actor_addr& owner) {
  auto files = self->state.transfers.take_all_of(owner);
  if (!files.empty())
    release_on_executor(self, std::move(files));
}

} // namespace baikal
