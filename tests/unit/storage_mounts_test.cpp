// Storage folders on the agent's side: what it takes from the manager as mounts (checked like
// any RPC argument), where a mount's source may lead on the host (strictly inside its storage
// root, links followed), and the file operations' view of a mounted folder (confined to it,
// uploads refused when it is read-only).

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "actors/agent/registry_file.hpp"
#include "actors/kernel/kernel_files.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/agent_op_checks.hpp"
#include "runtime/paths/mounted_path.hpp"
#include "runtime/paths/storage_mounts.hpp"
#include "support/refusals.hpp"
#include "support/temp_dir.hpp"
#include "support/text_search.hpp"
#include "support/why.hpp"

using namespace baikal;
using baikal::test::contains;
using baikal::test::refused;
using baikal::test::temp_dir;
using baikal::test::why;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in{p};
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

/// A storage root with one user's folder holding a file, a kernel's work directory, and a
/// secret outside both that links planted in the folder reach for.
struct storage_fixture {
  temp_dir dir;
  fs::path root = dir.path / "storage";
  fs::path folder = root / "u-1" / "data";
  fs::path work = dir.path / "scratch" / "k-1" / "work";
  fs::path secret = dir.path / "secret.txt";

  storage_fixture() {
    fs::create_directories(folder / "sub");
    fs::create_directories(work);
    std::ofstream{folder / "sub" / "in.txt"} << "in the folder";
    std::ofstream{secret} << "host secret";
    std::ofstream{work / "w.txt"} << "in the work dir";
  }

  file_roots roots(const std::string& mode = "rw") const {
    return file_roots{work.string(), {{folder.string(), "/home/work/data", mode}}};
  }
};

kernel_creation_config config_with(std::vector<mount_spec> mounts) {
  kernel_creation_config cfg;
  cfg.kernel = "k-1";
  cfg.session = "s-1";
  cfg.image.canonical = "127.0.0.1:5000/baikal-test/busybox:1";
  cfg.mounts = std::move(mounts);
  return cfg;
}

} // namespace

TEST_CASE("storage: the agent takes mounts at /home/work/NAME, rw or ro, from absolute "
          "sources only") {
  CHECK(!checks::check_creation_config("c", config_with({{"/s/u/data", "/home/work/data", "ro"}})));
  CHECK(contains(
      refused(checks::check_creation_config("c", config_with({{"/s/u/data", "/etc", "rw"}}))),
      "c.mounts[0].target must be /home/work/NAME"));
  CHECK(contains(refused(checks::check_creation_config(
                     "c", config_with({{"/s/u/data", "/home/work/../../etc", "rw"}}))),
                 "c.mounts[0].target"));
  CHECK(contains(refused(checks::check_creation_config(
                     "c", config_with({{"/s/u/data", "/home/work/data", "rwx"}}))),
                 "c.mounts[0].mode must be \"rw\" or \"ro\""));
  CHECK(contains(refused(checks::check_creation_config(
                     "c", config_with({{"s/u/data", "/home/work/data", "rw"}}))),
                 "c.mounts[0].source must be an absolute path"));
  CHECK(contains(
      refused(checks::check_creation_config(
          "c", config_with({{"/s/a", "/home/work/a", "rw"}, {"/s/b", "/home/work/a", "ro"}}))),
      "c.mounts[1].target /home/work/a is mounted twice"));
}

TEST_CASE("storage: a mount's source must resolve to a directory strictly inside the root") {
  storage_fixture f;
  auto root = f.root.string();
  auto inside = confine_mount_source(root, f.folder.string(), "m.source");
  REQUIRE_MESSAGE(inside, why(inside));
  CHECK(*inside == fs::canonical(f.folder).string());
  // Through a link inside the root to a folder inside it: the folder's real path.
  fs::create_directory_symlink(f.folder, f.root / "u-1" / "alias");
  CHECK(*confine_mount_source(root, (f.root / "u-1" / "alias").string(), "m") == *inside);
  // A link escaping the root, "..", the root itself, a file, nothing: refused.
  fs::create_directory_symlink(f.dir.path, f.root / "u-1" / "escape");
  CHECK(
      contains(refused(confine_mount_source(root, (f.root / "u-1" / "escape").string(), "m.source"),
                       errc::permission_denied),
               "m.source (" + (f.root / "u-1" / "escape").string() +
                   ") is not inside this agent's storage root"));
  CHECK(contains(refused(confine_mount_source(root, root + "/u-1/../../scratch", "m"),
                         errc::permission_denied),
                 "not inside"));
  CHECK(contains(refused(confine_mount_source(root, root, "m"), errc::permission_denied),
                 "not inside"));
  CHECK(contains(refused(confine_mount_source(root, "/etc", "m"), errc::permission_denied),
                 "not inside"));
  CHECK(contains(refused(confine_mount_source(root, (f.folder / "sub" / "in.txt").string(), "m"),
                         errc::invalid_argument),
                 "is not a directory"));
  CHECK(contains(
      refused(confine_mount_source(root, root + "/u-1/missing", "m"), errc::invalid_argument),
      "No such file or directory"));
  // A sibling whose name starts like the root is not inside it.
  fs::create_directories(f.dir.path / "storage-2" / "x");
  CHECK(contains(refused(confine_mount_source(root, (f.dir.path / "storage-2" / "x").string(), "m"),
                         errc::permission_denied),
                 "not inside"));
}

TEST_CASE("storage: prepare_mounts resolves every source and refuses all without a root") {
  storage_fixture f;
  std::vector<mount_spec> mounts{
      {(f.root / "u-1" / "." / "data").string(), "/home/work/data", "rw"}};
  auto ready = prepare_mounts(f.root.string(), mounts, mount_owner{::getuid(), ::getgid()});
  REQUIRE_MESSAGE(ready, why(ready));
  CHECK(ready->at(0).source == fs::canonical(f.folder).string());
  CHECK(ready->at(0).target == "/home/work/data");
  CHECK(prepare_mounts("", {}, {})->empty());
  CHECK(contains(refused(prepare_mounts("", mounts, {}), errc::invalid_argument),
                 "no [storage] root"));
  CHECK(contains(refused(prepare_mounts(f.root.string(), {{"/etc", "/home/work/etc", "ro"}}, {}),
                         errc::permission_denied),
                 "mounts[0].source"));
}

TEST_CASE("storage: /home/work/NAME/... routes into the mounted folder, the rest to the work "
          "dir") {
  storage_fixture f;
  auto roots = f.roots("ro");
  auto into = route_user_path(roots, "/home/work/data/sub/in.txt", path_access::download);
  REQUIRE_MESSAGE(into, why(into));
  CHECK(into->host_root == f.folder.string());
  CHECK(into->user_path == "/home/work/sub/in.txt");
  auto top = route_user_path(roots, "data", path_access::list);
  CHECK(top->host_root == f.folder.string());
  CHECK(top->user_path == "/home/work");
  auto work = route_user_path(roots, "/home/work/database/x", path_access::download);
  CHECK(work->host_root == f.work.string());
  CHECK(work->user_path == "/home/work/database/x");
  // ".." is resolved lexically first: out of the folder is the work dir, not above the folder.
  auto back = route_user_path(roots, "/home/work/data/../w.txt", path_access::download);
  CHECK(back->host_root == f.work.string());
  CHECK(refused(route_user_path(roots, "/home/work/data/new.txt", path_access::upload),
                errc::permission_denied) == "/home/work/data is mounted read-only");
  CHECK(contains(refused(route_user_path(roots, "/etc/passwd", path_access::download),
                         errc::permission_denied),
                 "outside /home/work"));
  CHECK(route_user_path(f.roots("rw"), "/home/work/data/new.txt", path_access::upload));
}

TEST_CASE("storage: file operations inside a mounted folder stay inside it") {
  storage_fixture f;
  auto roots = f.roots("rw");
  REQUIRE(accept_file_in(roots, "/home/work/data/up/new.txt", "uploaded"));
  CHECK(read(f.folder / "up" / "new.txt") == "uploaded");
  CHECK_FALSE(fs::exists(f.work / "data"));
  auto single = download_single_from(roots, "/home/work/data/sub/in.txt");
  REQUIRE_MESSAGE(single, why(single));
  CHECK(single->data == "in the folder");
  auto listing = list_files_in(roots, "/home/work/data/sub");
  REQUIRE_MESSAGE(listing, why(listing));
  CHECK(listing->abspath == "/home/work/data/sub");
  CHECK(contains(listing->files, "in.txt"));
  CHECK(download_file_from(roots, "/home/work/data"));
  CHECK(download_single_from(roots, "/home/work/w.txt")->data == "in the work dir");
  // Links the kernel plants in its folder lead nowhere outside it.
  fs::create_symlink(f.secret, f.folder / "abs-link");
  fs::create_symlink("../../../secret.txt", f.folder / "rel-link");
  fs::create_directory_symlink(f.dir.path, f.folder / "dir-link");
  for (auto link : {"/home/work/data/abs-link", "/home/work/data/rel-link"})
    CHECK(refused(download_single_from(roots, link), errc::permission_denied) ==
          "You cannot download files outside /home/work");
  CHECK(refused(accept_file_in(roots, "/home/work/data/dir-link/secret.txt", "overwritten"),
                errc::permission_denied) == "You cannot upload files outside /home/work");
  CHECK(code_of(list_files_in(roots, "/home/work/data/dir-link").error()) ==
        errc::permission_denied);
  CHECK(read(f.secret) == "host secret");
  CHECK(refused(accept_file_in(f.roots("ro"), "/home/work/data/x", "no"),
                errc::permission_denied) == "/home/work/data is mounted read-only");
}

TEST_CASE("storage: the registry file keeps each kernel's mounts") {
  kernel_info k;
  k.id = "k-1";
  k.session = "s-1";
  k.mounts = {{"/s/u/data", "/home/work/data", "ro"}};
  auto back = decode_registry_file(encode_registry_file("agent-1", {k}));
  REQUIRE_MESSAGE(back, why(back));
  auto& mounts = back->at("k-1").mounts;
  REQUIRE(mounts.size() == 1);
  CHECK(mounts[0].source == "/s/u/data");
  CHECK(mounts[0].target == "/home/work/data");
  CHECK(mounts[0].mode == "ro");
}
