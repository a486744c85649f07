#pragma once

/// Streamed file transfers on one kernel: an upload or a download in chunks, so that neither the
/// manager nor the agent ever holds a whole file. The kernel actor answers them
/// (actors/kernel/kernel_transfers.hpp describes the protocol); the agent forwards them like
/// the other kernel operations (kernel_interface.hpp lists them).
///
/// Upload: open_upload answers an upload id; upload_chunk carries the bytes in order (each
/// `offset` is the sum of the chunks before it); finish_upload puts the file in place;
/// abort_upload (or the sender's actor ending) drops it, leaving nothing at the destination.
/// Download: open_download answers the file's size and its first chunk; read_download reads
/// the next ones; close_download (or the sender's actor ending) lets go of the file.

#include <cstdint>
#include <string>

#include "messages/ids.hpp"
#include "messages/inspect.hpp"

namespace baikal {

/// The largest chunk one upload_chunk may carry and one read_download may ask for.
constexpr uint32_t max_transfer_chunk_bytes = 4 * 1024 * 1024;

namespace op {

/// `size`: the bytes that will follow when the sender knows it (0 when not), so that an upload
/// that cannot fit is refused before any byte is sent.
struct open_upload {
  kernel_id kernel;
  std::string filename; ///< path inside the container, under /home/work
  uint64_t size = 0;
};
BAIKAL_INSPECT("op::", open_upload, x.kernel, x.filename, x.size)

struct upload_chunk {
  kernel_id kernel;
  uint64_t upload = 0;
  uint64_t offset = 0;
  std::string data;
};
BAIKAL_INSPECT("op::", upload_chunk, x.kernel, x.upload, x.offset, x.data)

/// `size`: every byte sent, which the kernel checks against what it wrote.
struct finish_upload {
  kernel_id kernel;
  uint64_t upload = 0;
  uint64_t size = 0;
};
BAIKAL_INSPECT("op::", finish_upload, x.kernel, x.upload, x.size)

struct abort_upload {
  kernel_id kernel;
  uint64_t upload = 0;
};
BAIKAL_INSPECT("op::", abort_upload, x.kernel, x.upload)

/// download_single, streamed: the same checks and errors (the spec's 1 MiB archive limit).
struct open_download {
  kernel_id kernel;
  std::string path;
  uint32_t first_chunk = 1024 * 1024; ///< bytes to answer with at once
};
BAIKAL_INSPECT("op::", open_download, x.kernel, x.path, x.first_chunk)

struct read_download {
  kernel_id kernel;
  uint64_t download = 0;
  uint64_t offset = 0;
  uint32_t max_bytes = 1024 * 1024;
};
BAIKAL_INSPECT("op::", read_download, x.kernel, x.download, x.offset, x.max_bytes)

struct close_download {
  kernel_id kernel;
  uint64_t download = 0;
};
BAIKAL_INSPECT("op::", close_download, x.kernel, x.download)

} // namespace op

/// open_upload's answer.
struct upload_ticket {
  uint64_t upload = 0;
};
BAIKAL_INSPECT("", upload_ticket, x.upload)

/// open_download's answer: the file's size and its first bytes. When `first` holds the whole
/// file the download is already closed (`download` is 0) and nothing more is to be asked.
struct download_ticket {
  uint64_t download = 0;
  uint64_t size = 0;
  std::string first;
};
BAIKAL_INSPECT("", download_ticket, x.download, x.size, x.first)

} // namespace baikal
