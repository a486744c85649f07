// files: throughput of files through the agent against a plain file copy on the same disk.
//  - upload: accept_file of one large file (--upload-mib) into a kernel's /home/work; the
//    agent writes and fsyncs it. Baseline: copying a file of that size (already in the page
//    cache, as the upload's bytes are in memory) with read/write and an fsync.
//  - download: download_single and download_file (a tar, limited to 1 MiB by the spec) of
//    --download-files files of --download-bytes each, one call per file. Baseline: copying the
//    same files (in the page cache) to another directory, no fsync (nothing is written on
//    the agent's side either).
//  - streamed upload: open_upload, upload_chunk of 1 MiB with 4 in flight, finish_upload (what
//    the HTTP upload route sends), the bytes read from a file as the route reads its request
//    body; and one of --stream-mib with the growth of this process's resident set meanwhile.
// Every answer is checked: sizes of uploaded files, bytes and archive sizes of downloads.

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "actors/agent/kernel_spec.hpp"
#include "actors/kernel/kernel_files.hpp"
#include "tools/baikal-bench/agent_rig.hpp"
#include "tools/baikal-bench/benchmarks.hpp"
#include "tools/baikal-bench/file_copy.hpp"
#include "tools/baikal-bench/kernel_configs.hpp"
#include "tools/baikal-bench/stats.hpp"
#include "tools/baikal-bench/stream_upload.hpp"
#include "tools/baikal-bench/timing.hpp"

namespace baikal::bench {

namespace {

constexpr size_t default_rounds = 3;
constexpr double mib = 1024.0 * 1024.0;

struct kernel_place {
  kernel_info kernel;
  std::string work; ///< the kernel's /home/work on this host
};

/// `row` with the target: ours at least `ratio` of the baseline.
figure_row at_least(figure_row row, double ratio) {
  char text[40];
  std::snprintf(text, sizeof text, "ours/base >= %.2f", ratio);
  row.target = text;
  row.met = row.base > 0 && row.ours / row.base >= ratio;
  return row;
}

double throughput(size_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / mib / seconds : 0;
}

struct upload_figures {
  double streamed = 0; ///< open_upload, upload_chunk..., finish_upload through the agent, MiB/s
  double agent = 0;    ///< accept_file through the agent, MiB/s
  double direct = 0;   ///< accept_file_in called directly: the agent's write path, no actors
  double copy = 0;     ///< the plain copy
};

/// Median MiB/s of `rounds` uploads of `size_mib` through the agent, its write path alone, and
/// plain copies.
upload_figures measure_upload(agent_rig& rig, const kernel_place& k, const std::string& copy_dir,
                              size_t size_mib, size_t rounds) {
  auto bytes = size_mib * 1024 * 1024;
  auto name = "upload-" + std::to_string(size_mib) + ".bin";
  std::vector<double> streamed, ours, direct, base;
  auto data = random_bytes(bytes);
  write_file(copy_dir + "/" + name, data); // the copy's source, same bytes
  auto check_size = [&](const char* what) {
    if (file_size_of(k.work + "/" + name) != bytes)
      throw std::runtime_error(std::string{what} + " wrote " + name + " with the wrong size");
  };
  // Each round runs every side once, each after a sync: what one side left to write back does
  // not slow down the next, and a disk whose speed drifts during the run treats all alike.
  for (size_t round = 0; round < rounds; ++round) {
    ::sync();
    auto start = bench_clock::now();
    auto sent = stream_upload(
        rig.system(), {rig.agent(), k.kernel.id, copy_dir + "/" + name, name, 1024 * 1024, 4});
    auto took = seconds_since(start);
    if (sent)
      throw std::runtime_error("streamed upload failed: " + message_of(sent));
    check_size("the streamed upload");
    streamed.push_back(throughput(bytes, took));
    ::sync();
    start = bench_clock::now();
    copy_file_plain(copy_dir + "/" + name, copy_dir + "/" + name + ".copy", true);
    base.push_back(throughput(bytes, seconds_since(start)));
    op::accept_file req{k.kernel.id, name, data}; // the copy is made before the clock starts
    ::sync();
    start = bench_clock::now();
    auto done = rig.ask<ack>(std::move(req));
    took = seconds_since(start);
    if (!done)
      throw std::runtime_error("accept_file failed: " + message_of(done.error()));
    check_size("accept_file");
    ours.push_back(throughput(bytes, took));
    ::sync();
    start = bench_clock::now();
    auto wrote = accept_file_in(k.work, name, data);
    took = seconds_since(start);
    if (!wrote)
      throw std::runtime_error("accept_file_in failed: " + message_of(wrote.error()));
    direct.push_back(throughput(bytes, took));
  }
  std::filesystem::remove(k.work + "/" + name);
  std::filesystem::remove(copy_dir + "/" + name);
  std::filesystem::remove(copy_dir + "/" + name + ".copy");
  return {summarize(streamed).median, summarize(ours).median, summarize(direct).median,
          summarize(base).median};
}

struct large_upload_figures {
  double streamed = 0, copy = 0; ///< MiB/s
  uint64_t rss_growth = 0;       ///< bytes, this process (the agent and its kernel)
};

/// One streamed upload of `size_mib` from a file on disk, with the growth of this process's
/// resident set while it runs, and one plain copy of the file.
large_upload_figures measure_large_upload(agent_rig& rig, const kernel_place& k,
                                          const std::string& copy_dir, size_t size_mib) {
  auto bytes = uint64_t{size_mib} * 1024 * 1024;
  auto name = "stream-" + std::to_string(size_mib) + ".bin";
  auto source = copy_dir + "/" + name;
  write_random_file(source, bytes);
  // A plain copy before and after the upload, each after a sync; their mean is the baseline.
  auto copy_once = [&] {
    ::sync();
    auto start = bench_clock::now();
    copy_file_plain(source, source + ".copy", true);
    auto took = seconds_since(start);
    std::filesystem::remove(source + ".copy");
    return took;
  };
  auto copy_before = copy_once();
  large_upload_figures out;
  double took = 0;
  ::sync();
  out.rss_growth = peak_rss_growth([&] {
    auto start = bench_clock::now();
    auto sent =
        stream_upload(rig.system(), {rig.agent(), k.kernel.id, source, name, 1024 * 1024, 4});
    took = seconds_since(start);
    if (sent)
      throw std::runtime_error("streamed upload failed: " + message_of(sent));
  });
  if (file_size_of(k.work + "/" + name) != bytes)
    throw std::runtime_error("the streamed upload wrote " + name + " with the wrong size");
  out.streamed = throughput(bytes, took);
  std::filesystem::remove(k.work + "/" + name);
  out.copy = throughput(bytes, (copy_before + copy_once()) / 2);
  std::filesystem::remove(source);
  return out;
}

struct download_figures {
  double streamed_mibs = 0, single_mibs = 0, archive_mibs = 0, copy_mibs = 0;
  summary streamed_call, single_call, archive_call, copy_call; ///< seconds per file
};

download_figures measure_download(agent_rig& rig, const kernel_place& k,
                                  const std::string& copy_dir, size_t files, size_t bytes) {
  namespace fs = std::filesystem;
  fs::create_directories(k.work + "/dl");
  fs::create_directories(copy_dir + "/dl-src");
  fs::create_directories(copy_dir + "/dl-dst");
  auto data = random_bytes(bytes);
  auto name = [](size_t i) { return "dl/file-" + std::to_string(i) + ".bin"; };
  for (size_t i = 0; i < files; ++i) {
    write_file(k.work + "/" + name(i), data);
    write_file(copy_dir + "/dl-src/" + std::to_string(i), data);
  }
  download_figures out;
  auto total = files * bytes;
  auto opened = time_each(files, [&, i = size_t{0}]() mutable {
    auto got = rig.ask<download_ticket>(op::open_download{k.kernel.id, name(i++)});
    if (!got)
      return "open_download failed: " + message_of(got.error());
    return got->first == data && got->download == 0 ? std::string{}
                                                    : "open_download answered other bytes";
  });
  auto single = time_each(files, [&, i = size_t{0}]() mutable {
    auto got = rig.ask<file_bytes>(op::download_single{k.kernel.id, name(i++)});
    if (!got)
      return "download_single failed: " + message_of(got.error());
    return got->data == data ? std::string{} : "download_single answered other bytes";
  });
  auto archive = time_each(files, [&, i = size_t{0}]() mutable {
    auto got = rig.ask<file_bytes>(op::download_file{k.kernel.id, name(i++)});
    if (!got)
      return "download_file failed: " + message_of(got.error());
    // one member: a 512-byte header, the data padded to 512, two zero blocks (or more)
    return got->data.size() >= bytes + 1536 ? std::string{}
                                            : "download_file answered a short archive";
  });
  auto copy = time_each(files, [&, i = size_t{0}]() mutable {
    auto n = std::to_string(i++);
    copy_file_plain(copy_dir + "/dl-src/" + n, copy_dir + "/dl-dst/" + n, false);
    return std::string{};
  });
  auto sum = [](const std::vector<double>& v) {
    double s = 0;
    for (auto x : v)
      s += x;
    return s;
  };
  out.streamed_mibs = throughput(total, sum(opened));
  out.streamed_call = summarize(opened);
  out.single_mibs = throughput(total, sum(single));
  out.archive_mibs = throughput(total, sum(archive));
  out.copy_mibs = throughput(total, sum(copy));
  out.single_call = summarize(single);
  out.archive_call = summarize(archive);
  out.copy_call = summarize(copy);
  fs::remove_all(k.work + "/dl");
  return out;
}

} // namespace

report run_files(const bench_options& opts, const bench_env& env) {
  report r;
  r.benchmark = "files";
  auto rounds = opts.rounds ? opts.rounds : default_rounds;
  std::string sizes;
  for (auto s : opts.upload_mib)
    sizes += (sizes.empty() ? "" : ",") + std::to_string(s);
  r.parameters = {{"rounds", std::to_string(rounds)},
                  {"upload_mib", sizes},
                  {"stream_mib", std::to_string(opts.stream_mib)},
                  {"download_files", std::to_string(opts.download_files)},
                  {"download_bytes", std::to_string(opts.download_bytes)},
                  {"scratch", env.scratch_dir}};
  agent_rig rig{env, {opts.threads, 4}};
  auto created = rig.ask<created_kernels>(bench_create_request(env.image, "bench-files", 1));
  if (!created)
    throw std::runtime_error("cannot create the kernel: " + message_of(created.error()));
  if (created->kernels.empty())
    throw std::runtime_error("create_kernels answered no kernel");
  kernel_place k{created->kernels.front(),
                 scratch_dirs_of(rig.settings().scratch_root, created->kernels.front().id).work};
  auto copy_dir = make_temp_dir(env.scratch_dir, "baikal-bench-copy");
  try {
    for (auto size : opts.upload_mib) {
      auto u = measure_upload(rig, k, copy_dir, size, rounds);
      auto what = "upload " + std::to_string(size) + " MiB, median of " + std::to_string(rounds);
      r.rows.push_back(at_least({what, "MiB/s", "streamed (1 MiB chunks, 4 in flight, fsync)",
                                 u.streamed, "read/write copy + fsync", u.copy, "", std::nullopt},
                                0.8));
      r.rows.push_back({what, "MiB/s", "accept_file (fsync)", u.agent, "read/write copy + fsync",
                        u.copy, "", std::nullopt});
      r.rows.push_back({what, "MiB/s", "accept_file_in alone (no actors)", u.direct,
                        "read/write copy + fsync", u.copy, "", std::nullopt});
    }
    if (opts.stream_mib > 0) {
      auto l = measure_large_upload(rig, k, copy_dir, opts.stream_mib);
      auto what = "upload " + std::to_string(opts.stream_mib) + " MiB streamed, one round";
      r.rows.push_back(at_least({what, "MiB/s", "streamed (1 MiB chunks, 4 in flight, fsync)",
                                 l.streamed, "read/write copy + fsync", l.copy, "", std::nullopt},
                                0.8));
      auto growth = static_cast<double>(l.rss_growth) / mib;
      r.rows.push_back({what, "MiB", "RSS growth of the agent's process", growth, "", 0, "< 64 MiB",
                        growth < 64});
    }
    auto d = measure_download(rig, k, copy_dir, opts.download_files, opts.download_bytes);
    auto what = "download " + std::to_string(opts.download_files) + " x " +
                std::to_string(opts.download_bytes) + " B";
    r.rows.push_back(at_least({what, "MiB/s", "open_download (the streamed route's call)",
                               d.streamed_mibs, "read/write copy", d.copy_mibs, "", std::nullopt},
                              0.8));
    r.rows.push_back({what, "MiB/s", "download_single", d.single_mibs, "read/write copy",
                      d.copy_mibs, "", std::nullopt});
    r.rows.push_back({what, "MiB/s", "download_file (tar)", d.archive_mibs, "read/write copy",
                      d.copy_mibs, "", std::nullopt});
    r.rows.push_back({"download, per file median", "ms", "open_download",
                      d.streamed_call.median * 1e3, "read/write copy", d.copy_call.median * 1e3, "",
                      std::nullopt});
    r.rows.push_back({"download, per file median", "ms", "download_single",
                      d.single_call.median * 1e3, "read/write copy", d.copy_call.median * 1e3, "",
                      std::nullopt});
    r.rows.push_back({"download, per file median", "ms", "download_file (tar)",
                      d.archive_call.median * 1e3, "read/write copy", d.copy_call.median * 1e3, "",
                      std::nullopt});
  } catch (...) {
    remove_tree(copy_dir);
    rig.ask<ack>(
        op::destroy_kernel{k.kernel.id, k.kernel.session, lifecycle_reason::user_requested, true});
    throw;
  }
  remove_tree(copy_dir);
  rig.ask<ack>(
      op::destroy_kernel{k.kernel.id, k.kernel.session, lifecycle_reason::user_requested, true});
  r.machine = describe_machine();
  r.notes.push_back("ratio < 1 means the agent is slower than the plain copy; the issue's "
                    "targets are for the streamed paths: >= 0.8 of the copy, < 64 MiB of RSS "
                    "growth for a 4 GiB upload");
  r.notes.push_back("download_file answers a tar, whose 1 MiB limit (the spec's) bounds each "
                    "file to just under 1 MiB: many small calls, so per-call cost dominates");
  return r;
}

} // namespace baikal::bench
