#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"
#include "runtime/config/scaling_group.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
namespace fs = std::filesystem;

using baikal::test::temp_dir;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

const std::string original = R"(# Baikal agent on node 7
[etcd]
namespace = "local"

[agent]
# Set the scaling group of this agent.
  scaling-group = "default"   # managed by update_scaling_group
id = "i-node7"

[container]
# where kernels live
scratch-root = "/srv/scratch"
port-range = [30000, 31000]
)";

} // namespace

TEST_CASE("config: update_scaling_group backs up, then changes only that key") {
  temp_dir tmp;
  auto path = tmp.path / "agent.toml";
  std::ofstream{path, std::ios::binary} << original;
  ::chmod(path.c_str(), 0600);
  REQUIRE_FALSE(update_scaling_group(path.string(), "gpu-a100"));
  CHECK(slurp(tmp.path / "agent.toml.bak") == original);
  auto expected = original;
  auto at = expected.find(R"(  scaling-group = "default")");
  expected.replace(at, 27, R"(  scaling-group = "gpu-a100")");
  CHECK(slurp(path) == expected); // comments, order and indentation kept
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600); // the config keeps its permissions
  auto cfg = load_agent_config(path.string());
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "gpu-a100");
  CHECK(cfg->scratch_root == "/srv/scratch");
  CHECK(cfg->id == "i-node7");
  // No temporary file is left beside it.
  CHECK(std::distance(fs::directory_iterator{tmp.path}, {}) == 2);
}

TEST_CASE("config: a missing scaling-group key is added to the [agent] table") {
  auto text = set_scaling_group("# top\n[agent]\nid = \"x\"\n\n[container]\n", "sg2");
  REQUIRE(text);
  CHECK(*text == "# top\n[agent]\nscaling-group = \"sg2\"\nid = \"x\"\n\n[container]\n");
  auto no_table = set_scaling_group("[container]\nscratch-root = \"/s\"\n", "sg3");
  REQUIRE(no_table);
  CHECK(*no_table == "[container]\nscratch-root = \"/s\"\n\n[agent]\nscaling-group = \"sg3\"\n");
}

TEST_CASE("config: scaling-group keys elsewhere are left alone") {
  auto text = set_scaling_group(
      "[agent]\nscaling-group = 'old'\n[other]\nscaling-group = \"keep\"\n", "new");
  REQUIRE(text);
  CHECK(*text == "[agent]\nscaling-group = \"new\"\n[other]\nscaling-group = \"keep\"\n");
  auto dotted = set_scaling_group("agent.scaling-group = \"a\"\nagent.id = \"b\"\n", "c");
  REQUIRE(dotted);
  CHECK(*dotted == "agent.scaling-group = \"c\"\nagent.id = \"b\"\n");
}

TEST_CASE("config: group names are written as valid TOML strings") {
  auto text = set_scaling_group("[agent]\nscaling-group = \"x\"\n", "we\"ird\\name");
  REQUIRE(text);
  CHECK(*text == "[agent]\nscaling-group = \"we\\\"ird\\\\name\"\n");
  auto cfg = parse_agent_config(*text);
  REQUIRE(cfg);
  CHECK(cfg->scaling_group == "we\"ird\\name");
}

TEST_CASE("config: look-alike lines inside multi-line strings are not edited") {
  std::string tricky = "[agent]\nnote = \"\"\"\n[agent]\nscaling-group = \"fake\"\n\"\"\"\n";
  auto text = set_scaling_group(tricky, "real");
  // Either a correct edit or a refusal; never a file whose string changed.
  if (text) {
    auto cfg = parse_agent_config(*text);
    REQUIRE(cfg);
    CHECK(cfg->scaling_group == "real");
    CHECK(text->find("scaling-group = \"fake\"") != std::string::npos);
  } else {
    CHECK(code_of(text.error()) == errc::invalid_argument);
  }
}

TEST_CASE("config: update_scaling_group refuses what it cannot do and writes nothing") {
  temp_dir tmp;
  auto missing = update_scaling_group((tmp.path / "agent.toml").string(), "x");
  REQUIRE(missing);
  CHECK(code_of(missing) == errc::runtime_error);
  CHECK(message_of(missing).find("No such file or directory") != std::string::npos);
  auto bad = tmp.path / "bad.toml";
  std::ofstream{bad} << "[agent\n";
  auto invalid = update_scaling_group(bad.string(), "x");
  REQUIRE(invalid);
  CHECK(code_of(invalid) == errc::invalid_argument);
  auto good = tmp.path / "good.toml";
  std::ofstream{good} << "[agent]\n";
  CHECK(code_of(update_scaling_group(good.string(), "")) == errc::invalid_argument);
  CHECK(std::distance(fs::directory_iterator{tmp.path}, {}) == 2); // no .bak, no temp
}
