#include "tools/baikal-bench/stream_upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include <caf/event_based_actor.hpp>

#include "messages/errors.hpp"
#include "runtime/paths/unique_fd.hpp"
#include "tools/baikal-bench/file_copy.hpp"

namespace baikal::bench {

namespace {

struct uploader {
  stream_upload_request req;
  unique_fd source;
  uint64_t upload = 0;
  uint64_t sent = 0;
  uint32_t in_flight = 0;
  bool ended = false;
  std::promise<caf::error> done;
};

void pump(caf::event_based_actor* self, const std::shared_ptr<uploader>& up);

void finish(caf::event_based_actor* self, const std::shared_ptr<uploader>& up, caf::error err) {
  if (err && up->upload != 0)
    self->send(up->req.agent, op::abort_upload{up->req.kernel, up->upload});
  up->ended = true;
  up->done.set_value(std::move(err));
  self->quit();
}

void pump(caf::event_based_actor* self, const std::shared_ptr<uploader>& up) {
  auto limit = std::chrono::seconds(120);
  while (!up->ended && up->in_flight < up->req.window) {
    std::string chunk(up->req.chunk_bytes, '\0');
    auto n = ::read(up->source.get(), chunk.data(), chunk.size());
    if (n < 0)
      return finish(self, up, make_error(errc::runtime_error, "cannot read the source"));
    if (n == 0) {
      if (up->in_flight > 0)
        return;
      up->ended = true;
      self->request(up->req.agent, limit, op::finish_upload{up->req.kernel, up->upload, up->sent})
          .then([=](ack&) { finish(self, up, {}); },
                [=](caf::error& err) {
                  up->upload = 0;
                  finish(self, up, std::move(err));
                });
      return;
    }
    chunk.resize(static_cast<size_t>(n));
    auto offset = up->sent;
    up->sent += chunk.size();
    ++up->in_flight;
    self->request(up->req.agent, limit,
                  op::upload_chunk{up->req.kernel, up->upload, offset, std::move(chunk)})
        .then(
            [=](ack&) {
              --up->in_flight;
              pump(self, up);
            },
            [=](caf::error& err) { finish(self, up, std::move(err)); });
  }
}

} // namespace

caf::error stream_upload(caf::actor_system& sys, const stream_upload_request& req) {
  auto up = std::make_shared<uploader>();
  up->req = req;
  up->source.reset(::open(req.source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!up->source)
    return make_error(errc::runtime_error, "cannot open " + req.source);
  auto result = up->done.get_future();
  sys.spawn([up](caf::event_based_actor* self) {
    self->request(up->req.agent, std::chrono::seconds(120),
                  op::open_upload{up->req.kernel, up->req.destination, 0})
        .then(
            [=](upload_ticket& t) {
              up->upload = t.upload;
              pump(self, up);
            },
            [=](caf::error& err) { finish(self, up, std::move(err)); });
  });
  return result.get();
}

namespace {

uint64_t rss_bytes() {
  std::ifstream in{"/proc/self/statm"};
  uint64_t pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace

uint64_t peak_rss_growth(const std::function<void()>& work) {
  auto start = rss_bytes();
  std::atomic<bool> running{true};
  std::atomic<uint64_t> peak{start};
  std::thread sampler{[&] {
    while (running) {
      auto now = rss_bytes();
      if (now > peak)
        peak = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }};
  try {
    work();
  } catch (...) {
    running = false;
    sampler.join();
    throw;
  }
  running = false;
  sampler.join();
  return peak > start ? peak - start : 0;
}

void write_random_file(const std::string& path, uint64_t size) {
  auto block = random_bytes(64 * 1024 * 1024);
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  for (uint64_t left = size; left > 0;) {
    auto n = std::min<uint64_t>(left, block.size());
    out.write(block.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

} // namespace baikal::bench
