#include "actors/manager/error_info.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace baikal::launch {

namespace {

using rapidjson::Value;

std::string repr(const std::string& name, const std::string& message) {
  // Python's repr picks double quotes when the text holds a single quote.
  auto quote = message.find('\'') == std::string::npos ? '\'' : '"';
  return name + "(" + quote + message + quote + ")";
}

Value str(const std::string& s, rapidjson::Document::AllocatorType& alloc) {
  return Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

Value error_object(const launch_failure& f, rapidjson::Document::AllocatorType& alloc) {
  auto name = python_name_of(code_of(f.error));
  Value obj(rapidjson::kObjectType);
  obj.AddMember("src", str(f.agent.empty() ? "other" : "agent", alloc), alloc);
  obj.AddMember("name", str(name, alloc), alloc);
  obj.AddMember("repr", str(repr(name, message_of(f.error)), alloc), alloc);
  if (!f.agent.empty())
    obj.AddMember("agent_id", str(f.agent, alloc), alloc);
  return obj;
}

} // namespace

std::string python_name_of(errc code) {
  switch (code) {
  case errc::permission_denied:
    return "PermissionError";
  case errc::not_found:
    return "KeyError";
  case errc::invalid_argument:
  case errc::too_large:
    return "ValueError";
  case errc::agent_error:
    return "AgentError";
  case errc::timeout:
    return "TimeoutError";
  case errc::conflict:
    return "FileExistsError";
  case errc::runtime_error:
  case errc::unavailable:
    return "RuntimeError";
  }
  return "RuntimeError";
}

namespace {

Value error_value(const std::vector<launch_failure>& failures,
                  rapidjson::Document::AllocatorType& alloc) {
  Value error;
  if (failures.size() == 1) {
    error = error_object(failures.front(), alloc);
  } else {
    error.SetObject();
    Value collection(rapidjson::kArrayType);
    for (auto& f : failures)
      collection.PushBack(error_object(f, alloc), alloc);
    error.AddMember("src", "agent", alloc);
    error.AddMember("name", "MultiAgentError", alloc);
    error.AddMember("repr", str("MultiAgentError(" + std::to_string(failures.size()) + ")", alloc),
                    alloc);
    error.AddMember("collection", collection, alloc);
  }
  return error;
}

std::string text_of(const rapidjson::Document& doc) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  doc.Accept(writer);
  return {buf.GetString(), buf.GetSize()};
}

std::vector<launch_failure> launch_failures_of(const std::vector<start_failure>& failures) {
  std::vector<launch_failure> out;
  for (auto& f : failures)
    out.push_back({f.agent, make_error(f.code, f.message)});
  return out;
}

} // namespace

std::string make_error_info(const std::vector<launch_failure>& failures) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  doc.AddMember("error", error_value(failures, alloc), alloc);
  return text_of(doc);
}

std::string make_attempts_info(const std::vector<std::vector<start_failure>>& attempts,
                               bool ended) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  if (ended && !attempts.empty() && !attempts.back().empty())
    doc.AddMember("error", error_value(launch_failures_of(attempts.back()), alloc), alloc);
  Value list(rapidjson::kArrayType);
  for (size_t i = 0; i < attempts.size(); ++i)
    for (auto& f : launch_failures_of(attempts[i])) {
      auto obj = error_object(f, alloc);
      obj.AddMember("attempt", static_cast<uint64_t>(i + 1), alloc);
      list.PushBack(obj, alloc);
    }
  doc.AddMember("attempts", list, alloc);
  return text_of(doc);
}

caf::error summarize(const std::vector<launch_failure>& failures) {
  if (failures.size() == 1)
    return failures.front().error;
  std::string text = std::to_string(failures.size()) + " agents failed:";
  for (auto& f : failures)
    text += " [" + (f.agent.empty() ? std::string{"manager"} : f.agent) + "] " +
            message_of(f.error) + ";";
  text.pop_back();
  return make_error(errc::agent_error, std::move(text));
}

} // namespace baikal::launch
