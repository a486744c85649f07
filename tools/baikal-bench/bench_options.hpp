#pragma once

/// baikal-bench's command line: one subcommand and its knobs, with the defaults the figures in
/// BENCHMARKS.md were measured with.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace baikal::bench {

struct bench_options {
  std::string command; ///< execute, create, pull, files, launcher, manager
  bool json = false;
  bool help = false;
  // -- where things are ----------------------------------------------------------------------
  std::string docker_socket; ///< --docker-sock; empty: DOCKER_HOST, else /var/run/docker.sock
  std::string image;         ///< --image; empty: $BAIKAL_TEST_IMAGE, else baikal-test/busybox:1
  std::string registry;      ///< --registry host:port; empty: $BAIKAL_TEST_REGISTRY
  std::string runner_path;   ///< --runner; empty: $BAIKAL_KERNEL_RUNNER, else the build's
  std::string scratch_dir;   ///< --scratch; where kernels' scratch roots and copies go
  /// --postgres: a PostgreSQL database the manager benchmark also runs on, emptied before
  /// each round (so never one that holds anything to keep).
  std::string postgres_url;
  // -- how much ------------------------------------------------------------------------------
  size_t calls = 500;                           ///< -n: execute calls per side
  size_t rounds = 0;                            ///< --rounds; 0: the benchmark's own default
  std::vector<size_t> kernels = {10, 50};       ///< --kernels: create batch sizes
  size_t concurrency = 4;                       ///< --concurrency: kernel-creation-concurrency
  size_t pull_mib = 64;                         ///< --pull-mib: payload of the pulled image
  std::vector<size_t> upload_mib = {256, 1024}; ///< --upload-mib
  size_t stream_mib = 4096;    ///< --stream-mib: the streamed upload whose RSS growth is measured
  size_t download_files = 256; ///< --download-files
  size_t download_bytes = 1024 * 1024 - 4096; ///< --download-bytes: each file, under 1 MiB
  size_t sessions = 10000;                    ///< --sessions
  size_t agents = 100;                        ///< --agents
  size_t batch = 0;                           ///< --batch: sessions per start_sessions; 0: all
  bool middleman = false;                     ///< --middleman: agents over loopback too
  /// --keypairs: "once" hands every session one cluster keypair made before the runs; "rsa" or
  /// "ed25519" has the manager's keygen workers make each session's, as in service
  std::string keypairs = "once";
  size_t threads = 2; ///< --threads: CAF scheduler threads
};

/// Parses argv; answers nothing and fills `error` on bad input.
std::optional<bench_options> parse_bench_options(int argc, char** argv, std::string& error);

std::string bench_usage();

/// "10,50" -> {10, 50}; nothing for an empty item, a non-number or a zero.
std::optional<std::vector<size_t>> parse_size_list(const std::string& text);

} // namespace baikal::bench
