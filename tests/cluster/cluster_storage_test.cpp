// Storage folders against real processes: the manager and both agents share one storage root
// (process_cluster writes [storage] root into every config), kernels run as a non-root user,
// and a folder made through the API is bound into sessions' kernels at /home/work/NAME.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cluster/process_cluster.hpp"

using namespace baikal::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* alice_uuid = "4be1a6e0-3c1d-4b7e-9a51-0c2f3e8d7a10";

std::string session_body(const std::string& image, const std::string& mounts) {
  return R"({"image":")" + image + R"(","resources":{"cpu":1,"mem":134217728},"mounts":)" + mounts +
         "}";
}

void make_folder(process_cluster& cluster, const std::string& name) {
  auto made = cluster.alice.post("/v1/folders", R"({"name":")" + name + R"("})");
  REQUIRE_MESSAGE(made.status == 201, made.body);
  CHECK(made.str("name") == name);
}

fs::path folder_on_host(const process_cluster& cluster, const std::string& name) {
  return cluster.storage_root() / alice_uuid / name;
}

std::string read_file(const fs::path& p) {
  std::ifstream in{p};
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

} // namespace

TEST_CASE("storage: a folder written in one session is read in the next") {
  process_cluster cluster;
  make_folder(cluster, "data");
  auto listed = cluster.alice.get("/v1/folders");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.json["folders"].Size() == 1);
  CHECK(std::string{listed.json["folders"][0]["name"].GetString()} == "data");

  auto a = cluster.create_session(session_body(cluster.image, R"([{"folder":"data"}])"));
  REQUIRE(cluster.wait_session_status(a, "RUNNING") == "RUNNING");
  auto shown = cluster.alice.get("/v1/sessions/" + a);
  REQUIRE(shown.json["mounts"].Size() == 1);
  CHECK(std::string{shown.json["mounts"][0]["folder"].GetString()} == "data");
  CHECK(std::string{shown.json["mounts"][0]["mode"].GetString()} == "rw");
  int exit_code = -1;
  auto out =
      cluster.run(a, "id -u; echo kept > /home/work/data/f && cat /home/work/data/f", &exit_code);
  CHECK_MESSAGE(exit_code == 0, out);
  CHECK(out.find("kept") != std::string::npos);
  CHECK(out.rfind("0\n", 0) != 0); // the kernel's user is not root
  REQUIRE(cluster.alice.del("/v1/sessions/" + a).status == 200);
  REQUIRE(cluster.wait_session_status(a, "TERMINATED") == "TERMINATED");
  CHECK(read_file(folder_on_host(cluster, "data") / "f") == "kept\n");

  auto b = cluster.create_session(session_body(cluster.image, R"([{"folder":"data"}])"));
  REQUIRE(cluster.wait_session_status(b, "RUNNING") == "RUNNING");
  CHECK(cluster.run(b, "cat /home/work/data/f") == "kept\n");
  // A folder the user does not have is refused before anything starts.
  auto unknown =
      cluster.alice.post("/v1/sessions", session_body(cluster.image, R"([{"folder":"nope"}])"));
  CHECK(unknown.status == 400);
  CHECK(unknown.str("message").find("mounts[0].folder") != std::string::npos);
}

TEST_CASE("storage: a read-only mount refuses writes inside the container") {
  process_cluster cluster;
  make_folder(cluster, "refs");
  std::ofstream{folder_on_host(cluster, "refs") / "given.txt"} << "given\n";
  auto id =
      cluster.create_session(session_body(cluster.image, R"([{"folder":"refs","mode":"ro"}])"));
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  CHECK(cluster.run(id, "cat /home/work/refs/given.txt") == "given\n");
  int exit_code = 0;
  auto out = cluster.run(id, "echo no > /home/work/refs/new.txt", &exit_code);
  CHECK_MESSAGE(exit_code != 0, out);
  CHECK_FALSE(fs::exists(folder_on_host(cluster, "refs") / "new.txt"));
  // The work directory beside it stays writable.
  CHECK(cluster.run(id, "echo yes > /home/work/w.txt && cat /home/work/w.txt") == "yes\n");
  auto upload =
      cluster.alice.call("PUT", "/v1/sessions/" + id + "/files?path=%2Fhome%2Fwork%2Frefs%2Fu", "x",
                         "application/octet-stream");
  CHECK(upload.status == 403);
  CHECK(upload.str("error") == "permission_denied");
  CHECK(upload.str("message") == "/home/work/refs is mounted read-only");
}

TEST_CASE("storage: file routes see a mounted folder and refuse a symlink out of it") {
  process_cluster cluster;
  make_folder(cluster, "data");
  auto id = cluster.create_session(session_body(cluster.image, R"([{"folder":"data"}])"));
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto files = "/v1/sessions/" + id;
  auto up = cluster.alice.call("PUT", files + "/files?path=%2Fhome%2Fwork%2Fdata%2Fup.txt",
                               "uploaded\n", "application/octet-stream");
  REQUIRE_MESSAGE(up.status == 200, up.body);
  CHECK(read_file(folder_on_host(cluster, "data") / "up.txt") == "uploaded\n");
  CHECK(cluster.run(id, "cat /home/work/data/up.txt") == "uploaded\n");

  auto listed = cluster.alice.get(files + "/files?path=%2Fhome%2Fwork%2Fdata");
  REQUIRE_MESSAGE(listed.status == 200, listed.body);
  CHECK(listed.str("abspath") == "/home/work/data");
  bool seen = false;
  for (auto& f : listed.json["files"].GetArray())
    seen = seen || std::string{f["filename"].GetString()} == "up.txt";
  CHECK(seen);
  auto single = cluster.alice.get(files + "/download-single?path=%2Fhome%2Fwork%2Fdata%2Fup.txt");
  CHECK(single.status == 200);
  CHECK(single.body == "uploaded\n");

  // A link the kernel plants in its folder leads nowhere outside it.
  int exit_code = -1;
  cluster.run(id, "ln -s /etc/passwd /home/work/data/pw", &exit_code);
  REQUIRE(exit_code == 0);
  auto escaped = cluster.alice.get(files + "/download-single?path=%2Fhome%2Fwork%2Fdata%2Fpw");
  CHECK(escaped.status >= 400);
  CHECK(escaped.status < 500);
  CHECK(escaped.body.find("root:") == std::string::npos);
}

TEST_CASE("storage: a folder in use cannot be deleted (409), another user's folder is 404") {
  cluster_options opts;
  opts.manager_toml = "\n[[users]]\nname = \"bob\"\n"
                      "uuid = \"9d2c4f1a-7b3e-4c5d-8e6f-1a2b3c4d5e6f\"\n"
                      "token = \"cluster-token-bob-0001\"\n";
  process_cluster cluster{opts};
  api_client bob{cluster.alice.port, "cluster-token-bob-0001", cluster.alice.host};
  make_folder(cluster, "data");
  auto again = cluster.alice.post("/v1/folders", R"({"name":"data"})");
  CHECK(again.status == 409);
  CHECK(again.str("error") == "conflict");
  auto bad = cluster.alice.post("/v1/folders", R"({"name":".hidden"})");
  CHECK(bad.status == 400);
  CHECK(bad.str("message").find("name must be a folder name") != std::string::npos);

  // Bob neither sees nor deletes Alice's folder, and mounts none of hers.
  CHECK(bob.get("/v1/folders").json["folders"].Size() == 0);
  CHECK(bob.del("/v1/folders/data").status == 404);
  auto bobs = bob.post("/v1/sessions", session_body(cluster.image, R"([{"folder":"data"}])"));
  CHECK(bobs.status == 400);

  auto id = cluster.create_session(session_body(cluster.image, R"([{"folder":"data"}])"));
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  auto busy = cluster.alice.del("/v1/folders/data");
  CHECK(busy.status == 409);
  CHECK(busy.str("error") == "conflict");
  CHECK(busy.str("message").find(id) != std::string::npos);
  CHECK(fs::is_directory(folder_on_host(cluster, "data")));

  REQUIRE(cluster.alice.del("/v1/sessions/" + id).status == 200);
  REQUIRE(cluster.wait_session_status(id, "TERMINATED") == "TERMINATED");
  auto gone = cluster.alice.del("/v1/folders/data");
  CHECK_MESSAGE(gone.status == 200, gone.body);
  CHECK_FALSE(fs::exists(folder_on_host(cluster, "data")));
  CHECK(cluster.alice.get("/v1/folders").json["folders"].Size() == 0);
  CHECK(cluster.alice.del("/v1/folders/data").status == 404);
}
