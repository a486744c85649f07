#include "actors/agent/registry_file.hpp"

#include <filesystem>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"

namespace baikal {

std::string registry_file_path(const agent_settings& settings) {
  return (std::filesystem::path{settings.var_base_path} / ("last_registry." + settings.id + ".dat"))
      .string();
}

std::string encode_registry_file(const agent_id& agent, const std::vector<kernel_info>& kernels) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("agent");
  w.String(agent.c_str());
  w.Key("kernels");
  w.StartArray();
  for (auto& k : kernels) {
    w.StartObject();
    w.Key("kernel");
    w.String(k.id.c_str());
    w.Key("session");
    w.String(k.session.c_str());
    w.Key("container");
    w.String(k.container_id.c_str());
    w.Key("slots");
    w.StartObject();
    for (auto& [name, amount] : k.slots) {
      w.Key(name.c_str());
      w.Double(amount);
    }
    w.EndObject();
    w.Key("service_ports");
    w.String(encode_service_ports(k.service_ports).c_str());
    w.Key("mounts");
    w.StartArray();
    for (auto& m : k.mounts) {
      w.StartArray();
      for (auto* part : {&m.source, &m.target, &m.mode})
        w.String(part->c_str());
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string{buf.GetString(), buf.GetSize()} + "\n";
}

caf::expected<std::map<kernel_id, kernel_info>> decode_registry_file(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("kernels") ||
      !doc["kernels"].IsArray())
    return make_error(errc::invalid_argument,
                      "not a kernel registry file (expected {\"agent\", \"kernels\": [...]})");
  auto str = [](const rapidjson::Value& obj, const char* key) -> std::string {
    return obj.HasMember(key) && obj[key].IsString() ? obj[key].GetString() : "";
  };
  std::map<kernel_id, kernel_info> out;
  for (auto& entry : doc["kernels"].GetArray()) {
    if (!entry.IsObject() || str(entry, "kernel").empty())
      return make_error(errc::invalid_argument, "a kernel registry entry has no kernel id");
    kernel_info info;
    info.id = str(entry, "kernel");
    info.session = str(entry, "session");
    info.container_id = str(entry, "container");
    if (entry.HasMember("slots") && entry["slots"].IsObject())
      for (auto& [name, amount] : entry["slots"].GetObject())
        if (amount.IsNumber())
          info.slots[name.GetString()] = amount.GetDouble();
    info.service_ports = decode_service_ports(str(entry, "service_ports"));
    // [source, target, mode] each; files written before mounts existed have none.
    if (entry.HasMember("mounts") && entry["mounts"].IsArray())
      for (auto& m : entry["mounts"].GetArray())
        if (m.IsArray() && m.Size() == 3 && m[0].IsString() && m[1].IsString() && m[2].IsString())
          info.mounts.push_back({m[0].GetString(), m[1].GetString(), m[2].GetString()});
    out[info.id] = std::move(info);
  }
  return out;
}

} // namespace baikal
