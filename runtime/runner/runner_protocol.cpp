#include "runtime/runner/runner_protocol.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "messages/errors.hpp"

namespace baikal::runner {

namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(json_writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <class Body> std::string request(uint64_t id, std::string_view op, Body&& body) {
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  put(w, "op", op);
  w.Key("id");
  w.Uint64(id);
  body(w);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string text_of(const rapidjson::Value& obj, const char* key) {
  if (obj.HasMember(key) && obj[key].IsString())
    return std::string(obj[key].GetString(), obj[key].GetStringLength());
  return {};
}

// Parses an answer; the runner's protocol error {"error": code, "message": text} (no "status";
// a failed service answers {"status":"failed","error":...}, which is a result) becomes a Baikal
// error.
caf::expected<rapidjson::Document> parse_answer(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return make_error(errc::runtime_error, "the kernel runner answered malformed JSON");
  if (doc.HasMember("error") && !doc.HasMember("status")) {
    std::string code = text_of(doc, "error");
    errc ec = code == "not_found"  ? errc::not_found
              : code == "conflict" ? errc::conflict
              : code == "invalid_argument" || code == "invalid_json" || code == "unknown_op" ||
                      code == "frame_too_large"
                  ? errc::invalid_argument
                  : errc::runtime_error;
    return make_error(ec, "kernel runner: " + text_of(doc, "message"));
  }
  return doc;
}

} // namespace

std::string make_execute_request(uint64_t id, const execute_request& req) {
  return request(id, "execute", [&](json_writer& w) {
    put(w, "mode", to_string(req.mode));
    put(w, "code", req.code);
    if (!req.run_id.empty())
      put(w, "run_id", req.run_id);
    w.Key("flush_timeout");
    w.Double(req.flush_timeout);
    if (req.stream) {
      w.Key("stream");
      w.Bool(true);
    }
    w.Key("opts");
    w.StartObject();
    if (req.exec_timeout) {
      w.Key("exec_timeout");
      w.Double(*req.exec_timeout);
    }
    if (!req.build.empty())
      put(w, "build", req.build);
    if (!req.exec.empty())
      put(w, "exec", req.exec);
    for (auto [key, value] : {std::pair{"rows", req.rows}, std::pair{"cols", req.cols}})
      if (value) {
        w.Key(key);
        w.Int(*value);
      }
    if (!req.term.empty())
      put(w, "term", req.term);
    w.EndObject();
  });
}

std::string make_interrupt_request(uint64_t id, std::string_view run_id) {
  return request(id, "interrupt", [&](json_writer& w) {
    if (!run_id.empty())
      put(w, "run_id", run_id);
  });
}

std::string make_complete_request(uint64_t id, std::string_view text) {
  return request(id, "complete", [&](json_writer& w) { put(w, "text", text); });
}

std::string make_start_service_request(uint64_t id, std::string_view name,
                                       std::optional<int> port) {
  return request(id, "start_service", [&](json_writer& w) {
    put(w, "name", name);
    w.Key("opts");
    w.StartObject();
    if (port) {
      w.Key("port");
      w.Int(*port);
    }
    w.EndObject();
  });
}

std::string make_shutdown_service_request(uint64_t id, std::string_view name) {
  return request(id, "shutdown_service", [&](json_writer& w) { put(w, "name", name); });
}

std::string make_simple_request(uint64_t id, std::string_view op) {
  return request(id, op, [](json_writer&) {});
}

std::optional<uint64_t> response_id(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") || !doc["id"].IsUint64())
    return std::nullopt;
  return doc["id"].GetUint64();
}

caf::expected<execution_result> parse_execution_result(std::string_view json) {
  auto doc = parse_answer(json);
  if (!doc)
    return doc.error();
  execution_result out;
  out.run_id = text_of(*doc, "run_id");
  out.status = text_of(*doc, "status");
  if (out.status.empty())
    return make_error(errc::runtime_error, "the kernel runner answered execute without status");
  if (doc->HasMember("console") && (*doc)["console"].IsArray())
    for (const auto& item : (*doc)["console"].GetArray())
      if (item.IsObject())
        out.console.push_back({text_of(item, "stream"), text_of(item, "data")});
  if (doc->HasMember("exit_code") && (*doc)["exit_code"].IsInt())
    out.exit_code = (*doc)["exit_code"].GetInt();
  return out;
}

caf::expected<completion_result> parse_completion_result(std::string_view json) {
  auto doc = parse_answer(json);
  if (!doc)
    return doc.error();
  completion_result out;
  out.status = text_of(*doc, "status");
  if (doc->HasMember("candidates") && (*doc)["candidates"].IsArray())
    for (const auto& c : (*doc)["candidates"].GetArray())
      if (c.IsString())
        out.candidates.emplace_back(c.GetString(), c.GetStringLength());
  return out;
}

caf::expected<service_result> parse_service_result(std::string_view json) {
  auto doc = parse_answer(json);
  if (!doc)
    return doc.error();
  service_result out;
  out.status = text_of(*doc, "status");
  out.error = text_of(*doc, "error");
  for (const char* key : {"pid", "port"})
    if (doc->HasMember(key) && (*doc)[key].IsInt())
      out.info[key] = std::to_string((*doc)[key].GetInt());
  if (auto protocol = text_of(*doc, "protocol"); !protocol.empty())
    out.info["protocol"] = protocol;
  return out;
}

caf::expected<runner_health> parse_health(std::string_view json) {
  auto doc = parse_answer(json);
  if (!doc)
    return doc.error();
  if (text_of(*doc, "status") != "ok")
    return make_error(errc::runtime_error, "the kernel runner is not healthy");
  runner_health out;
  if (doc->HasMember("pid") && (*doc)["pid"].IsInt64())
    out.pid = (*doc)["pid"].GetInt64();
  if (doc->HasMember("uptime") && (*doc)["uptime"].IsNumber())
    out.uptime = (*doc)["uptime"].GetDouble();
  return out;
}

caf::expected<std::string> parse_ok(std::string_view json) {
  auto doc = parse_answer(json);
  if (!doc)
    return doc.error();
  return text_of(*doc, "note");
}

} // namespace baikal::runner
