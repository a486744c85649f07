// The frames of the live routes (/stream, /pty): what a client may send, read strictly, and
// what the server writes.

#include <doctest/doctest.h>

#include "actors/manager/live/live_frames.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace baikal::live;

TEST_CASE("live frames: a run frame is the execute body with mode query or batch") {
  auto f =
      parse_stream_frame(R"({"mode":"query","code":"echo hi","opts":{"exec_timeout":"5"}})", {});
  REQUIRE(f);
  auto* run = std::get_if<run_frame>(&*f);
  REQUIRE(run);
  CHECK(run->run.code == "echo hi");
  CHECK(run->run.mode == execution_mode::query);
  CHECK(run->run.opts.at("exec_timeout") == "5");
}

TEST_CASE("live frames: continue, input and terminal modes, run ids and bad options are "
          "refused with the field named") {
  auto cont = parse_stream_frame(R"({"mode":"continue","run_id":"x"})", {});
  REQUIRE_FALSE(cont);
  CHECK(code_of(cont.error()) == errc::invalid_argument);
  CHECK(message_of(cont.error()).find("mode") != std::string::npos);
  auto pty = parse_stream_frame(R"({"mode":"pty","code":""})", {});
  REQUIRE_FALSE(pty);
  CHECK(message_of(pty.error()).find("mode") != std::string::npos);
  auto id = parse_stream_frame(R"({"mode":"query","code":"x","run_id":"r1"})", {});
  REQUIRE_FALSE(id);
  CHECK(message_of(id.error()).find("run_id") != std::string::npos);
  auto opt = parse_stream_frame(R"({"mode":"query","code":"x","opts":{"exec_timeout":"abc"}})", {});
  REQUIRE_FALSE(opt);
  CHECK(message_of(opt.error()).find("opts.exec_timeout") != std::string::npos);
  CHECK_FALSE(parse_stream_frame("not json", {}));
}

TEST_CASE("live frames: an input frame holds one text and nothing else") {
  auto f = parse_stream_frame(R"({"input":"bob"})", {});
  REQUIRE(f);
  REQUIRE(std::get_if<input_frame>(&*f));
  CHECK(std::get<input_frame>(*f).text == "bob");
  CHECK_FALSE(parse_stream_frame(R"({"input":3})", {}));
  CHECK_FALSE(parse_stream_frame(R"({"input":"x","mode":"query"})", {}));
}

TEST_CASE("live frames: a resize frame takes rows and cols from 1 to 1000") {
  auto ok = parse_terminal_frame(R"({"type":"resize","rows":40,"cols":120})");
  REQUIRE(ok);
  CHECK(ok->rows == 40);
  CHECK(ok->cols == 120);
  for (auto bad :
       {R"({"type":"resize","rows":0,"cols":120})", R"({"type":"resize","rows":40,"cols":1001})",
        R"({"type":"resize","rows":"40","cols":120})", R"({"type":"resize","rows":40})",
        R"({"type":"resize","rows":40,"cols":120,"x":1})", R"({"type":"other"})",
        R"({"type":"resize","rows":-3,"cols":120})", R"({"type":"resize","rows":4.5,"cols":1})"}) {
    CAPTURE(bad);
    auto r = parse_terminal_frame(bad);
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == errc::invalid_argument);
  }
}

TEST_CASE("live frames: the terminal's size in the query is optional and checked") {
  auto none = parse_terminal_query("", "");
  REQUIRE(none);
  CHECK(none->rows == 24);
  CHECK(none->cols == 80);
  auto set = parse_terminal_query("50", "200");
  REQUIRE(set);
  CHECK(set->rows == 50);
  CHECK(set->cols == 200);
  auto bad = parse_terminal_query("50x", "");
  REQUIRE_FALSE(bad);
  CHECK(message_of(bad.error()).find("rows") != std::string::npos);
  CHECK_FALSE(parse_terminal_query("", "0"));
}

TEST_CASE("live frames: the server's frames") {
  CHECK(output_frame({"stderr", "oops\n"}) == R"({"type":"stderr","data":"oops\n"})");
  CHECK(output_frame({"stdout", "hi"}) == R"({"type":"stdout","data":"hi"})");
  execution_result res;
  res.status = "finished";
  res.exit_code = 3;
  CHECK(finished_frame(res) == R"({"type":"finished","status":"finished","exit_code":3})");
  CHECK(started_frame("r1") == R"({"type":"started","run_id":"r1"})");
  CHECK(waiting_input_frame() == R"({"type":"waiting-input"})");
  CHECK(exit_frame(0) == R"({"type":"exit","exit_code":0})");
  auto err = error_frame(make_error(errc::conflict, "busy"));
  CHECK(err == R"({"type":"error","error":"conflict","message":"busy"})");
}
