// Storage folders on the manager's side: folder names, the `mounts` of a new session as the
// API reads them and the front resolves them, the folder book's conflicts, which live session
// holds a folder, the directories under the storage root, and the [storage] root setting.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "actors/manager/folder_book.hpp"
#include "actors/manager/http/api_folder_requests.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/json/folder_json.hpp"
#include "runtime/paths/storage_folders.hpp"
#include "support/refusals.hpp"
#include "support/temp_dir.hpp"
#include "support/text_search.hpp"
#include "support/why.hpp"
#include "tools/baikal-manager/manager_config.hpp"
#include "tools/baikalctl/ctl_args.hpp"

using namespace baikal;
using baikal::test::contains;
using baikal::test::refused;
using baikal::test::temp_dir;
using baikal::test::why;

namespace {

caf::expected<session_request> session_with(const std::string& mounts) {
  return parse_session_request(R"({"image":"busybox:1","mounts":)" + mounts + "}");
}

} // namespace

TEST_CASE("storage: folder names are file names of letters, digits and -_., not hidden") {
  for (std::string good : {"data", "a", "My-data_2.v1", "x.", "_x", "-x"})
    CHECK_MESSAGE(!checks::check_folder_name("name", good), good);
  CHECK(!checks::check_folder_name("name", std::string(64, 'x')));
  CHECK(contains(refused(checks::check_folder_name("name", std::string(65, 'x'))), "1 to 64"));
  for (std::string bad : {"", ".", "..", ".hidden", "a/b", "a b", "ü", "x\n"})
    CHECK(contains(refused(checks::check_folder_name("name", bad)), "name must be a folder name"));
  CHECK(checks::mount_target_of("data") == "/home/work/data");
  CHECK(*checks::folder_of_mount_target("t", "/home/work/data") == "data");
  for (auto bad :
       {"/home/work", "/home/work/", "/home/work/a/b", "/etc", "/home/work/..", "/home/workx/a"})
    CHECK(contains(refused(checks::folder_of_mount_target("t", bad)), "t must be"));
}

TEST_CASE("storage: POST /v1/folders takes a name, and 400 names the field") {
  CHECK(*parse_folder_request(R"({"name":"data"})") == "data");
  CHECK(contains(refused(parse_folder_request(R"({"name":".x"})")), "name must be a folder name"));
  CHECK(contains(refused(parse_folder_request(R"({})")), "\"name\" is required"));
  CHECK(contains(refused(parse_folder_request(R"({"name":"a","size":1})")), "size"));
}

TEST_CASE("storage: a session's mounts are read with their modes, bad ones name the field") {
  auto req = session_with(R"([{"folder":"data"},{"folder":"refs","mode":"ro"}])");
  REQUIRE_MESSAGE(req, why(req));
  REQUIRE(req->mounts.size() == 2);
  CHECK(req->mounts[0].folder == "data");
  CHECK(req->mounts[0].mode == "rw");
  CHECK(req->mounts[1].mode == "ro");
  CHECK(session_with("[]")->mounts.empty());
  CHECK(contains(refused(session_with(R"([{"folder":"../x"}])")), "mounts[0].folder"));
  CHECK(contains(refused(session_with(R"([{"folder":"a"},{"folder":"b","mode":"rwx"}])")),
                 "mounts[1].mode must be \"rw\" or \"ro\""));
  CHECK(contains(refused(session_with(R"([{"folder":"a"},{"folder":"a","mode":"ro"}])")),
                 "mounts[1].folder names a a second time"));
  CHECK(contains(refused(session_with(R"([{"mode":"ro"}])")), "mounts[0]"));
  CHECK(contains(refused(session_with(R"([{"folder":"a","extra":1}])")), "mounts[0]"));
  CHECK(contains(refused(session_with(R"("data")")), "mounts must be an array"));
  CHECK(contains(refused(session_with(R"(["data"])")), "mounts[0] must be an object"));
  std::string many = "[";
  for (int i = 0; i < 17; ++i)
    many += std::string{i ? "," : ""} + R"({"folder":"f)" + std::to_string(i) + R"("})";
  CHECK(contains(refused(session_with(many + "]")), "at most 16"));
}

TEST_CASE("storage: the folder book keeps each user's folders apart and refuses conflicts") {
  folder_book book;
  book.add("alice", "data");
  CHECK(book.has("alice", "data"));
  CHECK_FALSE(book.has("bob", "data"));
  CHECK(refused(book.reserve("alice", "data"), errc::conflict) == "folder data already exists");
  REQUIRE(!book.reserve("bob", "data"));
  CHECK_FALSE(book.has("bob", "data")); // not mountable before its directory is made
  CHECK(refused(book.reserve("bob", "data"), errc::conflict) == "folder data already exists");
  book.made("bob", "data");
  CHECK(book.has("bob", "data"));
  REQUIRE(!book.reserve("alice", "zeta"));
  book.unreserve("alice", "zeta");
  CHECK(book.folders_of("alice").size() == 1);
  CHECK(book.folders_of("alice")[0].name == "data");
  CHECK(book.folders_of("carol").empty());

  // Another user's folder is unknown; a pinned one waits for its session.
  CHECK(refused(book.begin_removal("carol", "data"), errc::not_found) == "no folder data");
  book.pin("alice", {{"data", "ro"}});
  CHECK(contains(refused(book.begin_removal("alice", "data"), errc::conflict), "being created"));
  book.unpin("alice", {{"data", "ro"}});
  REQUIRE(!book.begin_removal("alice", "data"));
  CHECK_FALSE(book.has("alice", "data"));
  CHECK(contains(refused(book.reserve("alice", "data"), errc::conflict), "being removed"));
  book.removal_failed("alice", "data");
  CHECK(book.has("alice", "data"));
  REQUIRE(!book.begin_removal("alice", "data"));
  book.removed("alice", "data");
  CHECK(book.folders_of("alice").empty());
  CHECK(json::folders_json(book.folders_of("bob")) == R"({"folders":[{"name":"data"}]})");
}

TEST_CASE("storage: a session's mounts resolve to its owner's folders under the root") {
  folder_book book;
  book.add("u-1", "data");
  book.add("u-1", "refs");
  book.add("u-2", "other");
  auto mounts = resolve_mounts({{"data", "rw"}, {"refs", "ro"}}, book, "/srv/storage", "u-1");
  REQUIRE_MESSAGE(mounts, why(mounts));
  REQUIRE(mounts->size() == 2);
  CHECK((*mounts)[0].source == "/srv/storage/u-1/data");
  CHECK((*mounts)[0].target == "/home/work/data");
  CHECK((*mounts)[0].mode == "rw");
  CHECK((*mounts)[1].target == "/home/work/refs");
  CHECK((*mounts)[1].mode == "ro");
  CHECK(resolve_mounts({}, book, "", "u-1")->empty());
  CHECK(contains(refused(resolve_mounts({{"data", "rw"}, {"other", "rw"}}, book, "/s", "u-1")),
                 "mounts[1].folder: you have no folder other"));
  CHECK(contains(refused(resolve_mounts({{"data", "rw"}}, book, "", "u-1")), "no [storage] root"));
  CHECK(contains(refused(resolve_mounts({{"data", "rw"}, {"data", "ro"}}, book, "/s", "u-1")),
                 "mounts[1].folder"));
  CHECK(contains(refused(resolve_mounts({{"data", "x"}}, book, "/s", "u-1")), "mounts[0].mode"));
}

TEST_CASE("storage: a folder is held by the live sessions that mount it, not the ended ones") {
  auto record = [](const std::string& id, session_status status) {
    session_record rec;
    rec.spec.id = id;
    rec.spec.user_uuid = "u-1";
    rec.spec.mounts = {{"/s/u-1/data", "/home/work/data", "ro"}};
    rec.status = status;
    return rec;
  };
  session_table table;
  auto ended = record("s-ended", session_status::terminated);
  table.add(ended);
  CHECK_FALSE(live_session_mounting(table, "/s/u-1/data"));
  auto live = record("s-live", session_status::terminating);
  table.add(live);
  CHECK(live_session_mounting(table, "/s/u-1/data") == session_id{"s-live"});
  CHECK_FALSE(live_session_mounting(table, "/s/u-1/other"));
  CHECK(refused(folder_in_use("data", "s-live"), errc::conflict) ==
        "folder data is mounted by session s-live, which is still live; terminate it first");
}

TEST_CASE("storage: folders are directories under the root, read back at start") {
  temp_dir dir;
  auto root = (dir.path / "storage").string();
  auto none = scan_storage_root(root);
  REQUIRE_MESSAGE(none, why(none));
  CHECK(none->empty());
  CHECK(std::filesystem::is_directory(root));
  REQUIRE(make_folder_dir(root, "u-1", "data"));
  REQUIRE(make_folder_dir(root, "u-1", "data")); // already there: taken as it is
  REQUIRE(make_folder_dir(root, "u-2", "refs"));
  std::ofstream{root + "/u-1/data/f"} << "x";
  std::ofstream{root + "/u-1/stray-file"} << "not a folder";
  std::filesystem::create_directories(root + "/u-1/.hidden");
  std::filesystem::create_directory_symlink("/etc", root + "/u-1/link");
  auto found = scan_storage_root(root);
  REQUIRE_MESSAGE(found, why(found));
  REQUIRE(found->size() == 2);
  std::map<std::string, std::string> by_owner;
  for (auto& f : *found)
    by_owner[f.owner] = f.name;
  CHECK(by_owner["u-1"] == "data");
  CHECK(by_owner["u-2"] == "refs");
  CHECK(contains(refused(make_folder_dir(root, "../x", "data"), errc::runtime_error), "uuid"));
  REQUIRE(remove_folder_dir(root, "u-1", "data"));
  CHECK_FALSE(std::filesystem::exists(root + "/u-1/data"));
  CHECK(std::filesystem::exists("/etc/passwd")); // the link was removed, not followed
  REQUIRE(remove_folder_dir(root, "u-1", "link"));
  CHECK(std::filesystem::exists("/etc/passwd"));
}

TEST_CASE("storage: [storage] root defaults beside the store, absolute, \"\" turns it off") {
  auto cfg = *parse_manager_config("[manager]\nstore-path = \"/srv/baikal/manager.db\"\n", "m");
  settle_storage_root(cfg);
  CHECK(cfg.manager.storage_root == "/srv/baikal/storage");
  auto relative = default_manager_config();
  settle_storage_root(relative);
  CHECK(relative.manager.storage_root ==
        (std::filesystem::current_path() / "var/storage").lexically_normal().string());
  auto given = *parse_manager_config("[storage]\nroot = \"/mnt/shared/\"\n", "m");
  settle_storage_root(given);
  CHECK(given.manager.storage_root == "/mnt/shared");
  auto off = *parse_manager_config("[storage]\nroot = \"\"\n", "m");
  settle_storage_root(off);
  CHECK(off.manager.storage_root.empty());
  auto bad = parse_manager_config("[storage]\nroots = \"/x\"\n", "m");
  CHECK(contains(refused(bad), "unknown key storage.roots"));
}

TEST_CASE("storage: baikalctl --mount takes NAME, NAME:rw or NAME:ro") {
  std::string error;
  auto plain = ctl::parse_mount_option("data", error);
  REQUIRE(plain);
  CHECK(plain->folder == "data");
  CHECK(plain->mode == "rw");
  auto ro = ctl::parse_mount_option("data:ro", error);
  REQUIRE(ro);
  CHECK(ro->mode == "ro");
  CHECK_FALSE(ctl::parse_mount_option("data:rx", error));
  CHECK(contains(error, "--mount needs NAME"));
  CHECK_FALSE(ctl::parse_mount_option(":ro", error));
}
