// Batch sessions as plain functions: the request's batch fields as the HTTP layer reads them
// (a bad value answers 400 naming the field), how the end of the startup command ends the
// session, how the agent gathers the run's output, and what the store keeps of it.

#include <doctest/doctest.h>

#include "actors/agent/batch_run.hpp"
#include "actors/manager/batch_session.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/session_request.hpp"
#include "messages/errors.hpp"
#include "runtime/store/session_store.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;

namespace {

std::string refusal(const caf::error& err) {
  CHECK(code_of(err) == errc::invalid_argument);
  return message_of(err);
}

} // namespace

TEST_CASE("batch sessions: a session request reads type, startup_command and batch_timeout") {
  auto plain = parse_session_request(R"({"image":"busybox"})");
  REQUIRE_MESSAGE(plain, why(plain));
  CHECK(plain->type == session_type::interactive);
  CHECK(plain->startup_command.empty());
  auto batch = parse_session_request(
      R"({"image":"busybox","type":"batch","startup_command":"echo hi; exit 3","batch_timeout":2.5})");
  REQUIRE_MESSAGE(batch, why(batch));
  CHECK(batch->type == session_type::batch);
  CHECK(batch->startup_command == "echo hi; exit 3");
  CHECK(batch->batch_timeout == 2.5);
  auto untimed =
      parse_session_request(R"({"image":"busybox","type":"batch","startup_command":"true"})");
  REQUIRE_MESSAGE(untimed, why(untimed));
  CHECK(untimed->batch_timeout == 0);
  auto interactive = parse_session_request(R"({"image":"busybox","type":"interactive"})");
  REQUIRE_MESSAGE(interactive, why(interactive));
  CHECK(interactive->type == session_type::interactive);
}

TEST_CASE("batch sessions: bad batch fields are refused naming the field") {
  api_limits limits;
  limits.max_code_bytes = 16;
  struct bad_case {
    const char* body;
    const char* field;
  };
  for (auto c : {
           bad_case{R"({"image":"x","type":"cron"})", "type"},
           bad_case{R"({"image":"x","type":3})", "type"},
           bad_case{R"({"image":"x","type":"batch"})", "startup_command"},
           bad_case{R"({"image":"x","type":"batch","startup_command":""})", "startup_command"},
           bad_case{R"({"image":"x","type":"batch","startup_command":7})", "startup_command"},
           bad_case{R"({"image":"x","startup_command":"true"})", "startup_command"},
           bad_case{R"({"image":"x","batch_timeout":5})", "batch_timeout"},
           bad_case{R"({"image":"x","type":"batch","startup_command":"true","batch_timeout":0})",
                    "batch_timeout"},
           bad_case{R"({"image":"x","type":"batch","startup_command":"true","batch_timeout":-1})",
                    "batch_timeout"},
           bad_case{R"({"image":"x","type":"batch","startup_command":"true","batch_timeout":"9"})",
                    "batch_timeout"},
           bad_case{R"({"image":"x","type":"batch","startup_command":"true","batch_timeout":1e12})",
                    "batch_timeout"},
       }) {
    CAPTURE(c.body);
    auto req = parse_session_request(c.body, limits);
    REQUIRE(!req);
    CHECK(refusal(req.error()).find(c.field) != std::string::npos);
  }
  // Over the size bound: 413, like every size the API bounds.
  auto big = parse_session_request(
      R"({"image":"x","type":"batch","startup_command":"echo 0123456789abcdef"})", limits);
  REQUIRE(!big);
  CHECK(code_of(big.error()) == errc::too_large);
  CHECK(message_of(big.error()).find("startup_command") != std::string::npos);
}

TEST_CASE("batch sessions: validate() refuses a batch request without a command and an "
          "interactive one with one, and make_session carries the batch fields") {
  session_request req;
  req.owner = "alice";
  req.image = "busybox";
  req.type = session_type::batch;
  CHECK(refusal(validate(req)).find("startup_command") != std::string::npos);
  req.startup_command = "make test";
  req.batch_timeout = 30;
  CHECK(!validate(req));
  auto spec = make_session(req, resolve_image("busybox", {}), "default");
  CHECK(spec.type == session_type::batch);
  CHECK(spec.startup_command == "make test");
  CHECK(spec.batch_timeout == 30);
  req.type = session_type::interactive;
  CHECK(refusal(validate(req)).find("startup_command") != std::string::npos);
}

TEST_CASE("batch sessions: the end of the startup command decides how the session ends") {
  batch_result_event e;
  e.outcome = batch_outcome::finished;
  e.exit_code = 3;
  auto finished = decide_batch_end(e, 0);
  CHECK(!finished.error);
  CHECK(finished.reason == "batch command exited with code 3");
  e.outcome = batch_outcome::timeout;
  e.exit_code = caf::none;
  auto timeout = decide_batch_end(e, 30);
  CHECK(timeout.error);
  CHECK(timeout.reason == "batch-timeout: the startup command ran longer than 30 s");
  CHECK(decide_batch_end(e, 2.5).reason.find("longer than 2.5 s") != std::string::npos);
  e.outcome = batch_outcome::failed;
  e.header.reason = "kernel k1 is gone";
  auto failed = decide_batch_end(e, 30);
  CHECK(failed.error);
  CHECK(failed.reason == "batch command failed: kernel k1 is gone");
}

TEST_CASE("batch sessions: the agent keeps the run's output in order, bounded to its tail, "
          "and reads how each round ends") {
  std::string out;
  append_batch_output(out, {{"stdout", "one "}, {"stderr", "two "}}, 16);
  append_batch_output(out, {{"stdout", "three"}}, 16);
  CHECK(out == "one two three");
  append_batch_output(out, {{"stdout", "-four-five"}}, 16);
  CHECK(out.size() == 16);
  CHECK(out == " three-four-five");
  CHECK(batch_outcome_of("finished") == batch_outcome::finished);
  CHECK(batch_outcome_of("exec-timeout") == batch_outcome::timeout);
  CHECK(!batch_outcome_of("continued"));
  CHECK(!batch_outcome_of("waiting-input"));
  CHECK(batch_outcome_of("cancelled") == batch_outcome::failed);
}

TEST_CASE("batch sessions: the manager keeps at most the tail of the output an agent reports") {
  CHECK(bounded_batch_output("short") == "short");
  std::string big(max_batch_output_bytes + 10, 'a');
  big.replace(big.size() - 3, 3, "end");
  auto kept = bounded_batch_output(big);
  CHECK(kept.size() == max_batch_output_bytes);
  CHECK(kept.substr(kept.size() - 3) == "end");
}

TEST_CASE("batch sessions: the store keeps a batch session's command, limit, exit code and "
          "output in a table of their own") {
  test::temp_dir dir{"baikal-batch-store"};
  auto path = (dir.path / "store.db").string();
  scheduled_session spec;
  spec.id = "s1";
  spec.name = "job";
  spec.user_uuid = "alice";
  spec.type = session_type::batch;
  spec.startup_command = "echo hi; exit 3";
  spec.batch_timeout = 2.5;
  scheduled_session plain;
  plain.id = "s2";
  plain.name = "shell";
  plain.user_uuid = "alice";
  {
    auto db = session_store::open(path);
    REQUIRE_MESSAGE(db, why(db));
    REQUIRE(!(*db)->insert_session(spec, session_status::pending, "new"));
    REQUIRE(!(*db)->insert_session(plain, session_status::pending, "new"));
    auto before = (*db)->get_session("s1");
    REQUIRE_MESSAGE(before, why(before));
    CHECK(!before->batch_exit_code);
    CHECK(code_of((*db)->batch_output("s1").error()) == errc::not_found);
    REQUIRE(!(*db)->set_batch_result("s1", int32_t{3}, "hi\n"));
    // A command that printed nothing and timed out: no exit code, an empty output.
    auto silent = spec;
    silent.id = "s3";
    REQUIRE(!(*db)->insert_session(silent, session_status::pending, "new"));
    auto stored = (*db)->set_batch_result("s3", caf::none, "");
    REQUIRE_MESSAGE(!stored, message_of(stored));
    auto none_out = (*db)->batch_output("s3");
    REQUIRE_MESSAGE(none_out, why(none_out));
    CHECK(none_out->empty());
    auto silent_rec = (*db)->get_session("s3");
    REQUIRE_MESSAGE(silent_rec, why(silent_rec));
    CHECK(!silent_rec->batch_exit_code);
    CHECK(code_of((*db)->set_batch_result("s2", int32_t{0}, "")) == errc::not_found);
  }
  auto db = session_store::open(path); // as after a manager restart
  REQUIRE_MESSAGE(db, why(db));
  auto rec = (*db)->get_session("s1");
  REQUIRE_MESSAGE(rec, why(rec));
  CHECK(rec->spec.type == session_type::batch);
  CHECK(rec->spec.startup_command == "echo hi; exit 3");
  CHECK(rec->spec.batch_timeout == 2.5);
  REQUIRE(rec->batch_exit_code);
  CHECK(*rec->batch_exit_code == 3);
  auto out = (*db)->batch_output("s1");
  REQUIRE_MESSAGE(out, why(out));
  CHECK(*out == "hi\n");
  auto other = (*db)->get_session("s2");
  REQUIRE_MESSAGE(other, why(other));
  CHECK(other->spec.type == session_type::interactive);
  CHECK(!other->batch_exit_code);
  CHECK(code_of((*db)->batch_output("s2").error()) == errc::not_found);
}
