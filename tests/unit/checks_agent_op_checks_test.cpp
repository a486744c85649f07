// The agent's checks of operations arriving over the network: ids it makes paths of, commit
// subdirectories and image references, environments of kernels it creates, batch timeouts;
// a well-formed operation passes, each malformed field is named.

#include <doctest/doctest.h>

#include <cmath>

#include "messages/errors.hpp"
#include "runtime/checks/agent_op_checks.hpp"
#include "support/refusals.hpp"

using namespace baikal;
using namespace baikal::checks;
using baikal::test::refused;

namespace {

kernel_creation_config config() {
  kernel_creation_config cfg;
  cfg.image.canonical = "127.0.0.1:5000/baikal-test/busybox:1";
  cfg.cluster_hostname = "main1";
  cfg.environ = {{"BACKENDAI_KERNEL_ID", "k1"}};
  cfg.slots = {{"cpu", 1}};
  return cfg;
}

op::create_kernels creation(kernel_creation_config cfg) {
  return op::create_kernels{"s-1", {"k-1"}, {std::move(cfg)}, cluster_info{}, {}};
}

} // namespace

TEST_CASE("agent op checks: a well-formed creation passes, and ids, environ, image and hostname "
          "are checked") {
  op_limits limits;
  CHECK(!check_op(creation(config()), limits));
  auto bad_id = creation(config());
  bad_id.kernel_ids = {"../../etc"};
  CHECK(refused(check_op(bad_id, limits)).find("kernel_ids[0] must be") == 0);
  auto bad_session = creation(config());
  bad_session.session = "a/b";
  CHECK(refused(check_op(bad_session, limits)).find("session must be") == 0);
  auto env = config();
  env.environ["A=B"] = "x";
  CHECK(refused(check_op(creation(env), limits)).find("configs[0].environ") != std::string::npos);
  auto image = config();
  image.image.canonical = "UPPER:1";
  CHECK(refused(check_op(creation(image), limits)).find("configs[0].image.canonical") == 0);
  auto host = config();
  host.cluster_hostname = "main 1";
  CHECK(refused(check_op(creation(host), limits)).find("cluster_hostname") != std::string::npos);
  auto idle = config();
  idle.idle_timeout = NAN;
  CHECK(refused(check_op(creation(idle), limits)).find("idle_timeout") != std::string::npos);
  auto slots = config();
  slots.slots["cpu"] = -1;
  CHECK(refused(check_op(creation(slots), limits)).find("slots.cpu") != std::string::npos);
}

TEST_CASE("agent op checks: commits name a plain subdir, a valid reference and a plain file") {
  op_limits limits;
  op::commit ok{"k1", "alice", std::string{"reg.example.com/x:1"}, std::string{"x.tar.gz"}, {}};
  CHECK(!check_op(ok, limits));
  auto sub = ok;
  sub.subdir = "../..";
  CHECK(refused(check_op(sub, limits)).find("subdir") == 0);
  auto canonical = ok;
  canonical.canonical = std::string{"bad name!!"};
  CHECK(refused(check_op(canonical, limits)).find("canonical must be an image reference") == 0);
  auto file = ok;
  file.filename = std::string{"a/b"};
  CHECK(refused(check_op(file, limits)).find("filename") == 0);
  CHECK(refused(check_op(op::get_commit_status{"k1", "a/../b"}, limits)).find("subdir") == 0);
}

TEST_CASE("agent op checks: services, completions, batch runs and purges") {
  op_limits limits;
  limits.max_code_bytes = 10;
  CHECK(!check_op(op::start_service{"k1", "httpd", {}}, limits));
  CHECK(refused(check_op(op::start_service{"k1", "../x", {}}, limits)).find("service") == 0);
  CHECK(refused(check_op(op::shutdown_service{"k1", ""}, limits)).find("service") == 0);
  CHECK(!check_op(op::get_completions{"k1", std::string(10, 'x'), {}}, limits));
  CHECK(code_of(check_op(op::get_completions{"k1", std::string(11, 'x'), {}}, limits)) ==
        errc::too_large);
  CHECK(!check_op(op::trigger_batch_execution{"s1", "k1", "true", 60}, limits));
  CHECK(refused(check_op(op::trigger_batch_execution{"s1", "k1", "true", -1}, limits))
            .find("timeout") == 0);
  CHECK(refused(check_op(op::trigger_batch_execution{"s1", "k1", "true", NAN}, limits))
            .find("timeout") == 0);
  purge_images_req purge;
  purge.images = {"busybox:1", "Bad Image"};
  CHECK(refused(check_op(op::purge_images{purge}, limits)).find("images[1]") == 0);
  // Operations that carry only ids pass.
  CHECK(!check_op(op::interrupt_kernel{"k1"}, limits));
}

TEST_CASE("agent op checks: a restart is checked with the kernel and session it names") {
  op_limits limits;
  auto cfg = config();
  CHECK(!check_op(op::restart_kernel{"k1", "s1", image_ref{}, cfg}, limits));
  CHECK(refused(check_op(op::restart_kernel{"k/1", "s1", image_ref{}, cfg}, limits))
            .find("updated_config.kernel") == 0);
  cfg.image.canonical.clear();
  image_ref ref;
  ref.name = "busybox";
  ref.tag = "1";
  CHECK(!check_op(op::restart_kernel{"k1", "s1", ref, cfg}, limits));
}
