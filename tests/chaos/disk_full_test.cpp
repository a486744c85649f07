// The agents' scratch disk (a small tmpfs) fills up: a new kernel fails with an error that says
// the disk is full, an upload that does not fit answers 413 and leaves no partial file, the
// agents' registry files (on full disks of their own) stay whole, and once there is room
// again kernels start as before.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <rapidjson/document.h>

#include "chaos/session_census.hpp"
#include "messages/errors.hpp"
#include "runtime/config/atomic_file.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* kernel_resources = R"("resources":{"cpu":0.1,"mem":33554432})";

/// A tmpfs of `size` mounted on `at` for one test.
struct small_disk {
  fs::path at;
  small_disk(fs::path where, const std::string& size) : at(std::move(where)) {
    fs::create_directories(at);
    auto cmd = "mount -t tmpfs -o size=" + size + " tmpfs '" + at.string() + "'";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "failed: " << cmd);
  }
  ~small_disk() { std::system(("umount -l '" + at.string() + "'").c_str()); }
  small_disk(const small_disk&) = delete;
  small_disk& operator=(const small_disk&) = delete;
};

/// Writes `file` until the disk refuses another byte.
void fill(const fs::path& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  std::string chunk(1 << 20, 'f');
  for (size_t size : {size_t{1} << 20, size_t{4096}, size_t{1}})
    while (::write(fd, chunk.data(), size) == static_cast<ssize_t>(size)) {
    }
  ::close(fd);
}

std::string session_body(const std::string& name, const std::string& image) {
  return R"({"name":")" + name + R"(","image":")" + image + R"(",)" + kernel_resources + "}";
}

/// Whether `path` holds a whole registry file (one JSON object with its kernels).
bool whole_registry_file(const fs::path& path) {
  auto text = read_whole_file(path.string());
  if (!text)
    return false;
  rapidjson::Document doc;
  doc.Parse(text->c_str());
  return !doc.HasParseError() && doc.IsObject() && doc.HasMember("kernels") &&
         doc["kernels"].IsArray();
}

bool lists(const api_answer& listing, const std::string& prefix) {
  if (!listing.json.IsObject() || !listing.json.HasMember("files"))
    return false;
  for (auto& f : listing.json["files"].GetArray())
    if (std::string{f["filename"].GetString()}.rfind(prefix, 0) == 0)
      return true;
  return false;
}

} // namespace

TEST_CASE("chaos: a full scratch disk fails new kernels and uploads saying so, leaves no "
          "partial file and whole registry files, and kernels start again once there is room") {
  temp_dir base{"bkd"};
  small_disk scratch{base.path, "48m"};
  small_disk state_1{base.path / "1" / "var", "1m"};
  small_disk state_2{base.path / "2" / "var", "1m"};
  cluster_options opts;
  opts.scratch_base = base.path.string();
  process_cluster cluster{opts};
  std::vector<std::string> all;
  auto create = [&](const std::string& name) {
    all.push_back(cluster.create_session(session_body(name, cluster.image)));
    return all.back();
  };
  auto kept = create("chaos-disk-kept");
  auto victim = create("chaos-disk-victim");
  REQUIRE(cluster.wait_session_status(kept, "RUNNING") == "RUNNING");
  REQUIRE(cluster.wait_session_status(victim, "RUNNING") == "RUNNING");
  auto victim_agent = kernel_field(cluster.alice.get("/v1/sessions/" + victim), 0, "agent");
  auto registry_file = [&](const agent_node& a) {
    return base.path / a.id.substr(a.id.rfind('-') + 1) / "var" /
           ("last_registry." + a.id + ".dat");
  };
  REQUIRE(eventually([&] {
    return whole_registry_file(registry_file(cluster.agent_1)) &&
           whole_registry_file(registry_file(cluster.agent_2));
  }));
  auto probe = base.path / "1" / "var" / "atomic-probe";
  REQUIRE_FALSE(write_file_atomically(probe.string(), "the old contents"));

  // Every disk full.
  fill(base.path / "filler");
  fill(base.path / "1" / "var" / "filler");
  fill(base.path / "2" / "var" / "filler");
  auto fault = std::chrono::steady_clock::now();

  // A new kernel fails, saying why.
  auto refused = create("chaos-disk-refused");
  REQUIRE(cluster.wait_session_status(refused, "ERROR") == "ERROR");
  figure("disk-full", "truth_visible_s", seconds_since(fault));
  auto shown = cluster.alice.get("/v1/sessions/" + refused);
  CHECK_MESSAGE(shown.body.find("is full") != std::string::npos, shown.body);

  // An upload that does not fit: 413 (or 507), and no file, partial or temporary.
  auto big = cluster.alice.call("PUT", "/v1/sessions/" + kept + "/files?path=big.bin",
                                std::string(4 << 20, 'b'), "application/octet-stream");
  CHECK_MESSAGE((big.status == 413 || big.status == 507), big.body);
  CHECK_MESSAGE(big.body.find("no space left") != std::string::npos, big.body);
  auto listed = cluster.alice.get("/v1/sessions/" + kept + "/files?path=.");
  REQUIRE_MESSAGE(listed.status == 200, listed.body);
  CHECK_FALSE(lists(listed, "big.bin"));
  CHECK_FALSE(lists(listed, ".baikal-upload"));

  // The registry files stay whole when the agent cannot rewrite them.
  REQUIRE(cluster.alice.del("/v1/sessions/" + victim).status < 300);
  REQUIRE(cluster.wait_session_status(victim, "TERMINATED") == "TERMINATED");
  CHECK(eventually([&] {
    return cluster.agent_process(victim_agent).wrote("could not write the kernel registry file");
  }));
  CHECK(whole_registry_file(registry_file(cluster.agent_1)));
  CHECK(whole_registry_file(registry_file(cluster.agent_2)));
  // The same write on its own: refused with the reason, the old contents untouched, no rest.
  auto err = write_file_atomically(probe.string(), std::string(256 << 10, 'n'));
  REQUIRE(err);
  CHECK_MESSAGE(message_of(err).find("No space left on device") != std::string::npos,
                message_of(err));
  CHECK(read_whole_file(probe.string()) == std::string{"the old contents"});
  for (auto& e : fs::directory_iterator(probe.parent_path()))
    CHECK_MESSAGE(e.path().filename().string().find(".tmp.") == std::string::npos, e.path());

  // Room again: kernels start and uploads land.
  fs::remove(base.path / "filler");
  fs::remove(base.path / "1" / "var" / "filler");
  fs::remove(base.path / "2" / "var" / "filler");
  auto room = std::chrono::steady_clock::now();
  auto again = create("chaos-disk-again");
  REQUIRE(cluster.wait_session_status(again, "RUNNING") == "RUNNING");
  figure("disk-full", "new_sessions_s", seconds_since(room));
  auto small = cluster.alice.call("PUT", "/v1/sessions/" + kept + "/files?path=small.txt", "fits\n",
                                  "application/octet-stream");
  CHECK_MESSAGE(small.status == 200, small.body);
  CHECK(cluster.run(kept, "cat /home/work/small.txt") == "fits\n");

  auto census = settle(cluster, all, 120s);
  auto strays = settle_containers(cluster, all, 60s);
  figure("disk-full", "sessions_lost", static_cast<double>(census.missing.size()));
  figure("disk-full", "sessions_stuck", static_cast<double>(census.between.size()));
  figure("disk-full", "containers_leaked", static_cast<double>(strays.size()));
  CHECK_MESSAGE(census.settled(), census.summary());
  CHECK(strays.empty());
  CHECK(census.running.size() == 2);
  CHECK(silent_sessions(cluster, census.running) == 0);
}
