// The warm pools' bookkeeping (actors/agent/warm_pool.hpp): which kernels fit a warm container,
// that a container goes to one kernel only, and how the pools refill and wait after failures.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/network_names.hpp"
#include "actors/agent/warm_pool.hpp"

using namespace baikal;

namespace {

const std::string image = "reg/proj/python:3";

agent_settings settings() {
  agent_settings s;
  s.warm_pools = {{image, 2}};
  return s;
}

kernel_creation_config kernel_cfg() {
  kernel_creation_config cfg;
  cfg.kernel = "k-1";
  cfg.session = "s-1";
  cfg.image.canonical = image;
  cfg.image.digest = "sha256:aaa";
  cfg.cluster_hostname = "main1";
  cfg.slots = {{"cpu", 1}, {"mem", 268435456}};
  return cfg;
}

warm_kernel warm(const std::string& label) {
  warm_kernel w;
  w.label = label;
  w.container_id = "c-" + label;
  w.image = image;
  w.image_id = "sha256:aaa";
  auto cfg = kernel_cfg();
  w.runtime = kernel_runtime(cfg.image);
  w.services = service_table_json(cfg.image);
  w.user = kernel_user_of(cfg, settings());
  w.hostname = "main1";
  return w;
}

} // namespace

TEST_CASE("warm pool: a kernel of the pool's image with no mounts fits, its environment too") {
  CHECK_FALSE(warm_misfit(kernel_cfg(), cluster_info{}, settings(), warm("warm-1")));
  auto with_env = kernel_cfg();
  with_env.environ = {{"BACKENDAI_KERNEL_ID", "k-1"}, {"A", "line\nbreak"}};
  CHECK_FALSE(warm_misfit(with_env, cluster_info{}, settings(), warm("warm-1")));
  auto no_digest = kernel_cfg();
  no_digest.image.digest.clear();
  CHECK_FALSE(warm_misfit(no_digest, cluster_info{}, settings(), warm("warm-1")));
}

TEST_CASE("warm pool: each thing a started container cannot take is a misfit that says so") {
  auto w = warm("warm-1");
  auto s = settings();
  auto misfit = [&](auto change, const char* words) {
    auto cfg = kernel_cfg();
    cluster_info cluster;
    change(cfg, cluster);
    auto why = warm_misfit(cfg, cluster, s, w);
    REQUIRE(why);
    CHECK_MESSAGE(why->find(words) != std::string::npos, *why);
  };
  misfit([](auto& c, auto&) { c.image.canonical = "reg/proj/other:1"; }, "its image is");
  misfit([](auto& c, auto&) { c.image.digest = "sha256:bbb"; }, "sha256:bbb");
  misfit([](auto& c, auto&) { c.image.labels["ai.backend.runtime"] = "/usr/bin/python3"; },
         "another runtime");
  misfit(
      [](auto& c, auto&) {
        c.mounts.push_back({"/srv/data", "/home/work/data", "rw"});
      },
      "mounts folders");
  misfit(
      [](auto& c, auto& cl) {
        c.mode = cluster_mode::single_node;
        cl.size = 2;
      },
      "several kernels");
  misfit([](auto&, auto& cl) { cl.network.network_name = "sess-net"; }, "joins network sess-net");
  misfit([](auto& c, auto&) { c.uid = 2000; }, "another user");
  misfit([](auto& c, auto&) { c.cluster_hostname = "sub1"; }, "hostname is sub1");
  w.limits = {1000000000, 268435456};
  misfit([](auto& c, auto&) { c.slots.erase("mem"); }, "no CPU or memory limit");
  CHECK_FALSE(warm_misfit(kernel_cfg(), cluster_info{}, s, w));
  auto other_limits = kernel_cfg();
  other_limits.slots = {{"cpu", 2}, {"mem", 536870912}}; // updated at the hand-over
  CHECK_FALSE(warm_misfit(other_limits, cluster_info{}, s, w));
}

TEST_CASE("warm pool: a ready container goes to one kernel only, and a misfit takes none") {
  warm_pool pool{settings().warm_pools};
  auto s = settings();
  pool.filling(image, "warm-1");
  pool.filled(warm("warm-1"));
  auto other = kernel_cfg();
  other.mounts.push_back({"/srv/data", "/home/work/data", "rw"});
  std::string why;
  CHECK_FALSE(pool.take(other, cluster_info{}, s, &why));
  CHECK(why.find("mounts") != std::string::npos);
  CHECK(pool.ready(image) == 1);
  auto first = pool.take(kernel_cfg(), cluster_info{}, s);
  REQUIRE(first);
  CHECK(first->container_id == "c-warm-1");
  CHECK(pool.ready(image) == 0);
  CHECK_FALSE(pool.take(kernel_cfg(), cluster_info{}, s, &why));
  CHECK(why.find("no warm container") != std::string::npos);
  auto foreign = kernel_cfg();
  foreign.image.canonical = "reg/proj/nopool:1";
  why.clear();
  CHECK_FALSE(pool.take(foreign, cluster_info{}, s, &why));
  CHECK(why.empty()); // no pool for that image: nothing to say
}

TEST_CASE("warm pool: the shortfall counts those being made, and a failed pool waits") {
  warm_pool pool{settings().warm_pools};
  auto now = warm_pool::clock::now();
  CHECK(pool.shortfall(now) == std::vector<std::string>{image, image});
  pool.filling(image, "warm-1");
  CHECK(pool.shortfall(now).size() == 1);
  CHECK(pool.labels() == std::set<std::string>{"warm-1"});
  pool.fill_failed(image, "warm-1", now, std::chrono::seconds(30));
  CHECK(pool.making(image) == 0);
  CHECK(pool.shortfall(now).empty());
  REQUIRE(pool.next_retry());
  CHECK(*pool.next_retry() == now + std::chrono::seconds(30));
  CHECK(pool.shortfall(now + std::chrono::seconds(31)).size() == 2);
  pool.filling(image, "warm-2");
  pool.filled(warm("warm-2"));
  CHECK_FALSE(pool.next_retry()); // a success ends the wait
  CHECK(pool.shortfall(now).size() == 1);
}

TEST_CASE(
    "warm pool: a container that stops in the pool leaves it, and draining empties the pool") {
  warm_pool pool{settings().warm_pools};
  pool.filling(image, "warm-1");
  pool.filled(warm("warm-1"));
  pool.filling(image, "warm-2");
  pool.filled(warm("warm-2"));
  CHECK_FALSE(pool.drop("warm-9"));
  auto gone = pool.drop("warm-1");
  REQUIRE(gone);
  CHECK(gone->container_id == "c-warm-1");
  CHECK(pool.labels() == std::set<std::string>{"warm-2"});
  auto all = pool.drain();
  REQUIRE(all.size() == 1);
  CHECK(all[0].label == "warm-2");
  CHECK(pool.shortfall(warm_pool::clock::now()).empty()); // a drained pool stays empty
}

TEST_CASE("warm pool: limits come from the slots, and the pool remembers the last kernel's") {
  CHECK(limits_of({{"cpu", 1.5}, {"mem", 1048576}}) == container_limits{1500000000, 1048576});
  CHECK(limits_of({}) == container_limits{});
  warm_pool pool{settings().warm_pools};
  CHECK(pool.limits_for(image) == container_limits{});
  pool.remember_limits(image, {1000000000, 2048});
  CHECK(pool.limits_for(image) == container_limits{1000000000, 2048});
  pool.remember_limits("reg/proj/nopool:1", {1, 1});
  CHECK(pool.limits_for("reg/proj/nopool:1") == container_limits{});
}

TEST_CASE("warm pool: labels are the prefix and 24 hex digits, never the same twice") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto l = new_warm_label();
    CHECK(is_warm_label(l));
    CHECK(l.size() == std::string{warm_label_prefix}.size() + 24);
    seen.insert(l);
  }
  CHECK(seen.size() == 1000);
  CHECK_FALSE(is_warm_label("3f2a8c1e-0000-4000-8000-000000000000"));
}
