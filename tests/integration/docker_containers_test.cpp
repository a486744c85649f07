// Containers, logs, archives, exec, commit and events through the Docker actor.

#include "integration/docker_fixture.hpp"

#include <ctime>

#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/streams.hpp"
#include "runtime/docker/system.hpp"

using namespace baikal;
using namespace baikal::docker;
using namespace baikal::test;

namespace {

/// A started container running `cmd` (Init, so SIGTERM ends it at once); removed at the end.
struct running_container {
  docker_fixture& fx;
  std::string id;

  running_container(docker_fixture& f, std::vector<std::string> cmd,
                    std::map<std::string, std::string> labels = {})
      : fx(f) {
    container_spec spec;
    spec.name = unique_name("baikal-ct");
    spec.image = fx.image;
    spec.cmd = std::move(cmd);
    spec.labels = std::move(labels);
    spec.init = true;
    auto created = parse_id(fx.ok(container_create(spec)).body);
    REQUIRE(created);
    id = *created;
    fx.ok(container_start(id));
  }

  ~running_container() { fx.call(container_remove(id, true, true)); }
};

} // namespace

TEST_CASE_FIXTURE(docker_fixture, "docker: container create, start, inspect, stop, remove") {
  container_spec spec;
  spec.name = unique_name("baikal-life");
  spec.image = image;
  spec.cmd = {"sleep", "3600"};
  spec.labels = {{"ai.backend.test", "life"}};
  spec.env = {"A=1"};
  spec.init = true;
  spec.memory = 64 << 20;
  spec.nano_cpus = 500000000;
  auto id = parse_id(ok(container_create(spec)).body);
  REQUIRE(id);
  ok(container_start(*id));
  CHECK(ok(container_start(*id)).status == 304); // already running
  auto info = parse_container_info(ok(container_inspect(spec.name)).body);
  REQUIRE(info);
  CHECK(info->running);
  CHECK(info->labels.at("ai.backend.test") == "life");
  CHECK(ok(container_stop(*id, 5)).status == 204);
  info = parse_container_info(ok(container_inspect(*id)).body);
  REQUIRE(info);
  CHECK_FALSE(info->running);
  CHECK(info->exit_code == 143); // tini passed SIGTERM on
  ok(container_remove(*id, false, true));
  auto gone = call(container_inspect(*id));
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: missing container is not_found with Docker's text") {
  auto name = unique_name("baikal-ghost");
  for (auto c :
       {container_inspect(name), container_start(name), container_remove(name, true, true)}) {
    auto r = call(c);
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == errc::not_found);
    CHECK(message_of(r.error()) == "No such container: " + name);
  }
}

TEST_CASE_FIXTURE(docker_fixture, "docker: duplicate container name is a conflict") {
  running_container ct{*this, {"sleep", "3600"}};
  auto name = parse_container_info(ok(container_inspect(ct.id)).body)->name;
  container_spec spec;
  spec.name = name;
  spec.image = image;
  auto r = call(container_create(spec));
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == errc::conflict);
  CHECK(message_of(r.error()).find("is already in use") != std::string::npos);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: wait gives the exit code and logs are demultiplexed") {
  container_spec spec;
  spec.image = image;
  spec.cmd = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  auto id = parse_id(ok(container_create(spec)).body);
  REQUIRE(id);
  // Ask before start: "next-exit" waits, "not-running" would answer 0 at once.
  auto waiter = self->request(docker, std::chrono::seconds{60}, container_wait(*id, "next-exit"));
  ok(container_start(*id));
  waiter.receive([](docker_reply& r) { CHECK(*parse_wait(r.body) == 3); },
                 [](caf::error& e) { FAIL(message_of(e)); });
  auto logs = demux_frames(ok(container_logs(*id, {})).body);
  CHECK(logs.out == "out\n");
  CHECK(logs.err == "err\n");
  ok(container_remove(*id, true, true));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: kill ends a container and a second kill conflicts") {
  running_container ct{*this, {"sleep", "3600"}};
  ok(container_kill(ct.id, "SIGKILL"));
  auto code = parse_wait(ok(container_wait(ct.id, "not-running")).body);
  CHECK(*code == 137);
  auto again = call(container_kill(ct.id, "SIGKILL"));
  REQUIRE_FALSE(again);
  CHECK(code_of(again.error()) == errc::conflict);
  CHECK(message_of(again.error()).find("is not running") != std::string::npos);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: archive put then get round-trips a file") {
  running_container ct{*this, {"sleep", "3600"}};
  ok(archive_put(ct.id, "/home/work", single_file_tar("hello.txt", "hi there\n")));
  auto st = ok(archive_stat(ct.id, "/home/work/hello.txt"));
  auto stat = decode_path_stat(st.headers.at("x-docker-container-path-stat"));
  REQUIRE(stat);
  CHECK(stat->name == "hello.txt");
  CHECK(stat->size == 9);
  CHECK_FALSE(stat->is_dir());
  auto tar = ok(archive_get(ct.id, "/home/work/hello.txt")).body;
  CHECK(tar_entry(tar, "hello.txt") == std::optional<std::string>{"hi there\n"});
  auto missing = call(archive_get(ct.id, "/home/work/nope"));
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::not_found);
  CHECK(message_of(missing.error()).find("Could not find the file /home/work/nope") == 0);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: exec runs a command and reports its exit code") {
  running_container ct{*this, {"sleep", "3600"}};
  exec_spec spec;
  spec.cmd = {"sh", "-c", "echo hello; echo bad >&2; exit 7"};
  auto exec_id = parse_id(ok(exec_create(ct.id, spec)).body);
  REQUIRE(exec_id);
  auto out = demux_frames(ok(exec_start(*exec_id, false)).body);
  CHECK(out.out == "hello\n");
  CHECK(out.err == "bad\n");
  auto info = parse_exec_info(ok(exec_inspect(*exec_id)).body);
  REQUIRE(info);
  CHECK_FALSE(info->running);
  CHECK(info->exit_code == 7);
}

TEST_CASE_FIXTURE(docker_fixture, "docker: commit keeps the labels it was given") {
  running_container ct{*this, {"sleep", "3600"}};
  commit_spec spec;
  spec.container = ct.id;
  spec.ref = unique_name("baikal-test/commit") + ":v1";
  spec.comment = "from a test";
  spec.author = "baikal";
  spec.labels = {{"ai.backend.committed", "yes"}};
  auto image_id = parse_id(ok(container_commit(spec)).body);
  REQUIRE(image_id);
  auto info = parse_image_info(ok(image_inspect(spec.ref)).body);
  REQUIRE(info);
  CHECK(info->id == *image_id);
  CHECK(info->labels.at("ai.backend.committed") == "yes");
  ok(image_delete(spec.ref, true, false));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: the events stream sees a container die") {
  auto label = unique_name("ev");
  caf::scoped_actor listener{sys};
  docker_stream_call req{
      events({{"type", {"container"}}, {"event", {"die"}}, {"label", {"baikal.test=" + label}}},
             // Replays from just before now: no race with subscribing.
             std::to_string(std::time(nullptr) - 1)),
      docker_stream_mode::lines, 42, caf::actor_cast<docker_listener_actor>(listener)};
  auto stream = listener->request(docker, std::chrono::seconds{60}, std::move(req));
  running_container ct{*this, {"sh", "-c", "exit 4"}, {{"baikal.test", label}}};
  bool seen = false;
  listener->receive(
      [&](docker_stream_event& ev) {
        auto e = parse_event(ev.data);
        REQUIRE(e);
        CHECK(ev.tag == 42);
        CHECK(e->action == "die");
        CHECK(e->id == ct.id);
        CHECK(e->attributes.at("exitCode") == "4");
        seen = true;
      },
      caf::after(std::chrono::seconds{20}) >> [] {});
  CHECK(seen);
  caf::anon_send(docker,
                 docker_cancel_stream{caf::actor_cast<docker_listener_actor>(listener), 42});
  stream.receive([](docker_reply& r) { CHECK(r.status == 200); },
                 [](caf::error& e) { FAIL(message_of(e)); });
}
