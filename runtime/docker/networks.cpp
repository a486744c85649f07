#include "runtime/docker/networks.hpp"

#include "messages/errors.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/docker/json.hpp"

namespace baikal::docker {

namespace {

network_info network_of(const rapidjson::Value& obj) {
  network_info out;
  out.id = json::string_of(obj, "Id");
  out.name = json::string_of(obj, "Name");
  out.driver = json::string_of(obj, "Driver");
  out.attachable = json::bool_of(obj, "Attachable");
  out.labels = json::string_map_of(obj, "Labels");
  if (!obj.IsObject())
    return out;
  if (auto cs = obj.FindMember("Containers"); cs != obj.MemberEnd() && cs->value.IsObject())
    for (auto& c : cs->value.GetObject())
      out.containers.emplace_back(c.name.GetString(), c.name.GetStringLength());
  return out;
}

} // namespace

std::string network_create_body(const network_spec& spec) {
  json::writer w;
  auto& raw = w.raw();
  raw.StartObject();
  w.field("Name", spec.name);
  w.field("Driver", spec.driver.empty() ? std::string{"bridge"} : spec.driver);
  w.key("CheckDuplicate");
  raw.Bool(true);
  w.key("Attachable");
  raw.Bool(spec.attachable);
  w.key("Internal");
  raw.Bool(spec.internal);
  w.field("Labels", spec.labels);
  raw.EndObject();
  return w.str();
}

docker_call network_create(const network_spec& spec) {
  docker_call c;
  c.method = "POST";
  c.target = "/networks/create";
  c.body = network_create_body(spec);
  c.content_type = "application/json";
  return c;
}

docker_call network_inspect(const std::string& name) {
  docker_call c;
  c.target = "/networks/" + url_encode(name);
  return c;
}

docker_call network_delete(const std::string& name) {
  docker_call c;
  c.method = "DELETE";
  c.target = "/networks/" + url_encode(name);
  return c;
}

docker_call network_list(const std::map<std::string, std::vector<std::string>>& filters) {
  docker_call c;
  c.target = "/networks";
  if (!filters.empty())
    add_query(c.target, "filters", filters_json(filters));
  return c;
}

caf::expected<network_info> parse_network_info(std::string_view body) {
  auto doc = json::parse_object(body, "network description");
  if (!doc)
    return doc.error();
  return network_of(*doc);
}

caf::expected<std::vector<network_info>> parse_network_list(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray())
    return make_error(errc::runtime_error, "the Docker engine sent an unreadable network list");
  std::vector<network_info> out;
  for (auto& n : doc.GetArray())
    if (n.IsObject()) // RapidJSON's FindMember on anything else reads out of bounds
      out.push_back(network_of(n));
  return out;
}

} // namespace baikal::docker
