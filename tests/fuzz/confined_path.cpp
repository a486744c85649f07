// Confined path resolution under a real directory tree with planted links (to a sibling
// directory, to /etc, to themselves, back up and sideways inside): whatever the user path and
// whichever strategy resolves it, every descriptor, listing and archive that comes back names
// something inside the work directory, and nothing is created outside it.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "runtime/archive/work_archive.hpp"
#include "runtime/paths/confined_path.hpp"
#include "runtime/paths/list_directory.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

namespace fs = std::filesystem;
using namespace baikal;

constexpr const char* secret = "SECRET-OUTSIDE-THE-WORK-DIRECTORY";

struct tree {
  fs::path base; ///< holds root/ (the work directory) and outside/
  fs::path root;

  tree() {
    // tmpfs when there is one: the tree is remade after every create, a disk makes that slow.
    std::string pattern = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    pattern += "/baikal-fuzz-paths-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      fuzz::broken("mkdtemp failed");
    base = fs::canonical(pattern);
    root = base / "root";
    fs::create_directories(base / "outside");
    std::ofstream(base / "outside" / "secret") << secret;
    plant();
  }
  ~tree() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }

  /// (Re)makes the work directory: files, a FIFO and links that stay in and that lead out.
  void plant() const {
    // The work directory itself stays: the targets keep a descriptor of it.
    std::error_code ec;
    fs::create_directories(root);
    for (auto& e : fs::directory_iterator(root))
      fs::remove_all(e.path(), ec);
    fs::create_directories(root / "sub" / "deeper");
    std::ofstream(root / "file") << "inside";
    std::ofstream(root / "sub" / "file") << "inside too";
    ::mkfifo((root / "fifo").c_str(), 0600);
    fs::create_symlink("../outside", root / "up");
    fs::create_symlink("../outside/secret", root / "up-secret");
    fs::create_symlink("/etc", root / "abs");
    fs::create_symlink("/etc/passwd", root / "abs-file");
    fs::create_symlink("loop", root / "loop");
    fs::create_symlink("sub/file", root / "ok");
    fs::create_symlink("sub", root / "dirlink");
    fs::create_symlink("..", root / "sub" / "back");
    fs::create_symlink("../../outside/secret", root / "sub" / "escape");
    fs::create_symlink("../deeper/../../up", root / "sub" / "deeper" / "chain");
    fs::create_symlink("/proc/self/root", root / "proc");
  }

  /// Nothing but the secret outside the work directory.
  void check_outside_untouched() const {
    size_t n = 0;
    for (auto& e : fs::recursive_directory_iterator(base / "outside")) {
      (void)e;
      ++n;
    }
    if (n != 1)
      fuzz::broken("something was created outside the work directory");
    size_t top = 0;
    for (auto& e : fs::directory_iterator(base)) {
      (void)e;
      ++top;
    }
    if (top != 2)
      fuzz::broken("something was created beside the work directory");
  }

  /// The descriptor names the work directory or something below it.
  void check_inside(int fd) const {
    char buf[4096];
    auto link = "/proc/self/fd/" + std::to_string(fd);
    auto n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    if (n < 0)
      fuzz::broken("readlink of a returned descriptor failed");
    std::string path(buf, static_cast<size_t>(n));
    auto r = root.string();
    if (path != r && path.compare(0, r.size() + 1, r + "/") != 0)
      fuzz::broken("a returned descriptor is outside the work directory");
  }
};

void check_text(const std::string& text) {
  if (text.find(secret) != std::string::npos || text.find("root:x:0:0") != std::string::npos)
    fuzz::broken("content from outside the work directory came back");
}

} // namespace

BAIKAL_FUZZ_TARGET {
  static const tree t;
  fuzz::input in{data, size};
  auto choice = in.byte();
  std::string user_path{in.rest()};
  auto strategy = choice & 1 ? resolve_strategy::walk : resolve_strategy::automatic;
  auto access = static_cast<path_access>((choice >> 1) % 3);
  // Opened once: the descriptor stays valid while plant() remakes what is below it.
  static const auto walk_dir = work_dir::open(t.root.string(), resolve_strategy::walk);
  static const auto auto_dir = work_dir::open(t.root.string(), resolve_strategy::automatic);
  const auto& dir = strategy == resolve_strategy::walk ? walk_dir : auto_dir;
  if (!dir)
    fuzz::broken("the work directory does not open");
  switch ((choice >> 3) % 6) {
  case 0:
    if (auto fd = dir->open_path(user_path, access))
      t.check_inside(fd->get());
    break;
  case 1:
    if (auto fd = dir->open_file(user_path, access)) {
      t.check_inside(fd->get());
      char buf[256];
      auto n = ::read(fd->get(), buf, sizeof buf);
      check_text(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0));
    }
    break;
  case 2:
    if (auto fd = dir->open_directory(user_path, access))
      t.check_inside(fd->get());
    if (auto listing = list_directory(*dir, user_path))
      check_text(listing->files);
    break;
  case 3:
    (void)dir->stat(user_path, access);
    break;
  case 4:
    if (auto archive = archive_work_path(*dir, user_path, 64 * 1024))
      check_text(*archive);
    if (auto single = download_single_file(*dir, user_path, 64 * 1024))
      check_text(*single);
    break;
  default:
    if (auto fd = dir->create_file(user_path, access))
      t.check_inside(fd->get());
    t.check_outside_untouched();
    t.plant();
    break;
  }
  return 0;
}
