#include "actors/manager/live/live_frames.hpp"

#include "actors/manager/http/api_requests.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/json/json_reader.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal::live {

namespace {

constexpr uint64_t max_side = 1000;

caf::error bad_side(const std::string& field) {
  return make_error(errc::invalid_argument,
                    field + " must be a whole number from 1 to " + std::to_string(max_side));
}

/// A side from JSON: an integer from 1 to 1000.
caf::expected<int> json_side(const rapidjson::Value& obj, const char* key) {
  if (!obj.HasMember(key))
    return make_error(errc::invalid_argument, std::string{key} + " is missing");
  auto& v = obj[key];
  if (!v.IsUint64() || v.GetUint64() == 0 || v.GetUint64() > max_side)
    return bad_side(key);
  return static_cast<int>(v.GetUint64());
}

std::string typed(const char* type) {
  json::writer w;
  w.begin_object();
  w.field("type", type);
  w.end_object();
  return w.str();
}

} // namespace

caf::expected<stream_frame> parse_stream_frame(const std::string& text, const api_limits& limits) {
  auto doc = json::parse_object(text);
  if (!doc)
    return doc.error();
  if (doc->HasMember("input")) {
    auto& v = (*doc)["input"];
    if (doc->MemberCount() != 1 || !v.IsString())
      return make_error(errc::invalid_argument,
                        "an input frame is {\"input\": TEXT} and nothing else");
    return stream_frame{input_frame{std::string{v.GetString(), v.GetStringLength()}}};
  }
  auto run = parse_execute(text, limits);
  if (!run)
    return run.error();
  if (run->mode != execution_mode::query && run->mode != execution_mode::batch)
    return make_error(errc::invalid_argument,
                      "mode must be \"query\" or \"batch\" on the stream route (the stream "
                      "follows the run itself), not \"" +
                          to_string(run->mode) + "\"");
  if (!run->run_id.empty())
    return make_error(errc::invalid_argument, "run_id is chosen by the runner on this route");
  return stream_frame{run_frame{std::move(*run)}};
}

caf::expected<terminal_size> parse_terminal_frame(const std::string& text) {
  auto doc = json::parse_object(text);
  if (!doc)
    return doc.error();
  auto& d = *doc;
  if (!d.HasMember("type") || !d["type"].IsString() ||
      std::string{d["type"].GetString()} != "resize")
    return make_error(
        errc::invalid_argument,
        "a text frame on the terminal route is {\"type\":\"resize\",\"rows\",\"cols\"}; "
        "the terminal's bytes go in binary frames");
  for (auto& m : d.GetObject()) {
    std::string key{m.name.GetString(), m.name.GetStringLength()};
    if (key != "type" && key != "rows" && key != "cols")
      return make_error(errc::invalid_argument, "\"" + key + "\" is not a field of a resize frame");
  }
  auto rows = json_side(d, "rows");
  if (!rows)
    return rows.error();
  auto cols = json_side(d, "cols");
  if (!cols)
    return cols.error();
  return terminal_size{*rows, *cols};
}

caf::expected<terminal_size> parse_terminal_query(const std::string& rows,
                                                  const std::string& cols) {
  terminal_size out;
  for (auto [name, text, side] :
       {std::tuple{"rows", &rows, &out.rows}, std::tuple{"cols", &cols, &out.cols}}) {
    if (text->empty())
      continue;
    auto n = checks::parse_unsigned(*text, max_side);
    if (!n || *n == 0)
      return bad_side(std::string{"the query parameter "} + name);
    *side = static_cast<int>(*n);
  }
  return out;
}

std::string started_frame(const std::string& run_id) {
  json::writer w;
  w.begin_object();
  w.field("type", "started");
  w.field("run_id", run_id);
  w.end_object();
  return w.str();
}

std::string output_frame(const console_item& item) {
  json::writer w;
  w.begin_object();
  w.field("type", item.stream == "stderr" ? "stderr" : "stdout");
  w.field("data", item.data);
  w.end_object();
  return w.str();
}

std::string waiting_input_frame() {
  return typed("waiting-input");
}

std::string finished_frame(const execution_result& res) {
  json::writer w;
  w.begin_object();
  w.field("type", "finished");
  w.field("status", res.status);
  w.key("exit_code");
  if (res.exit_code)
    w.integer(*res.exit_code);
  else
    w.null();
  w.end_object();
  return w.str();
}

std::string error_frame(const caf::error& err) {
  json::writer w;
  w.begin_object();
  w.field("type", "error");
  w.field("error", to_string(code_of(err)));
  w.field("message", message_of(err));
  w.end_object();
  return w.str();
}

std::string exit_frame(int exit_code) {
  json::writer w;
  w.begin_object();
  w.field("type", "exit");
  w.field("exit_code", static_cast<int64_t>(exit_code));
  w.end_object();
  return w.str();
}

} // namespace baikal::live
