#pragma once

/// The kernel actor's side of streamed transfers (messages/file_transfer.hpp).
///
/// Upload: open_upload confines the path and creates a temporary file beside the destination
/// (file_upload.hpp) on the blocking executor, and answers an id. Each upload_chunk must begin
/// where the one before ended (CAF keeps one sender's messages in order, through the agent's
/// delegation too); it is written at its offset by one executor task, and answered once
/// written, so the sender's window of unanswered chunks is what the kernel holds in memory (at
/// most transfer_limits::max_chunks_writing). finish_upload, once every chunk is answered,
/// flushes and renames the file into place; abort_upload drops it and its temporary file.
///
/// Download: open_download opens the file (single_file.hpp) and answers its size with the
/// first chunk, closing it at once when that was all; read_download reads the next ones.
///
/// The kernel monitors the actor that opened a transfer: when it ends (the manager's call is
/// over, or its node went away), whatever it left open is dropped, temporary files included.

#include <caf/actor_addr.hpp>
#include <caf/result.hpp>

#include "actors/kernel/kernel_state.hpp"
#include "messages/file_transfer.hpp"

namespace baikal {

caf::result<upload_ticket> open_upload(kernel_pointer self, const op::open_upload& x);
caf::result<ack> upload_chunk(kernel_pointer self, op::upload_chunk& x);
caf::result<ack> finish_upload(kernel_pointer self, const op::finish_upload& x);
caf::result<ack> abort_upload(kernel_pointer self, const op::abort_upload& x);

caf::result<download_ticket> open_download(kernel_pointer self, const op::open_download& x);
caf::result<file_bytes> read_download(kernel_pointer self, const op::read_download& x);
caf::result<ack> close_download(kernel_pointer self, const op::close_download& x);

/// Drops the transfers `owner` left open (it ended).
void drop_transfers_of(kernel_pointer self, const caf::actor_addr& owner);

} // namespace baikal
