#include "actors/manager/http/api_requests.hpp"

#include <random>

#include "messages/errors.hpp"
#include "runtime/json/json_reader.hpp"

namespace baikal {

namespace {

std::string generated_session_name() {
  static constexpr char digits[] = "0123456789abcdef";
  std::random_device rd;
  std::string out = "session-";
  for (int i = 0; i < 8; ++i)
    out.push_back(digits[rd() % 16]);
  return out;
}

caf::expected<cluster_mode> cluster_mode_of(const std::string& text) {
  if (text == "single-node")
    return cluster_mode::single_node;
  if (text == "multi-node")
    return cluster_mode::multi_node;
  return make_error(errc::invalid_argument, "cluster_mode must be \"single-node\" or "
                                            "\"multi-node\", not \"" +
                                                text + "\"");
}

caf::expected<network_type> network_type_of(const std::string& text) {
  if (text == "volatile")
    return network_type::volatile_;
  if (text == "persistent")
    return network_type::persistent;
  if (text == "host")
    return network_type::host;
  return make_error(errc::invalid_argument, "network_type must be \"volatile\", \"persistent\" "
                                            "or \"host\", not \"" +
                                                text + "\"");
}

caf::error check_resources(const resource_slots& slots) {
  for (auto& [name, value] : slots)
    if (!(value >= 0))
      return make_error(errc::invalid_argument, "resources." + name + " must not be negative");
  auto mem = slots.find("mem");
  if (mem != slots.end() && mem->second > 0 && mem->second < 4 * 1024 * 1024)
    return make_error(errc::invalid_argument,
                      "resources.mem is in bytes and must be at least 4 MiB (4194304)");
  return {};
}

} // namespace

bool valid_session_name(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

caf::expected<session_request> parse_session_request(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"name", "image", "cluster_mode", "cluster_size", "resources", "environ", "network_type",
           "network_id", "scaling_group"});
  session_request req;
  std::string mode = "single-node";
  std::string network = "volatile";
  int64_t size = 1;
  in.optional_string("name", req.name);
  in.required_string("image", req.image);
  in.optional_string("cluster_mode", mode);
  in.optional_integer("cluster_size", size, 1, 64);
  in.optional_number_map("resources", req.resources);
  in.optional_string_map("environ", req.environ);
  in.optional_string("network_type", network);
  in.optional_string("network_id", req.network_id);
  in.optional_string("scaling_group", req.scaling_group);
  if (in.error())
    return in.error();
  if (req.image.empty())
    return make_error(errc::invalid_argument, "the field \"image\" must not be empty");
  if (!in.has("name"))
    req.name = generated_session_name();
  if (!valid_session_name(req.name))
    return make_error(errc::invalid_argument,
                      "the session name must be 1 to 64 letters, digits, '-', '_' or '.'");
  auto m = cluster_mode_of(mode);
  if (!m)
    return m.error();
  auto n = network_type_of(network);
  if (!n)
    return n.error();
  req.mode = *m;
  req.network = *n;
  req.cluster_size = static_cast<uint32_t>(size);
  if (req.network == network_type::persistent && req.network_id.empty())
    return make_error(errc::invalid_argument,
                      "network_type \"persistent\" needs the network_id of that network");
  if (auto err = check_resources(req.resources))
    return err;
  return req;
}

caf::expected<op::execute> parse_execute(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"mode", "code", "run_id", "opts"});
  op::execute x;
  in.required_string("mode", x.mode);
  in.optional_string("code", x.code);
  in.optional_string("run_id", x.run_id);
  in.optional_string_map("opts", x.opts);
  if (in.error())
    return in.error();
  if (x.mode != "query" && x.mode != "batch" && x.mode != "continue" && x.mode != "input")
    return make_error(errc::invalid_argument, "mode must be \"query\", \"batch\", \"continue\" "
                                              "or \"input\", not \"" +
                                                  x.mode + "\"");
  return x;
}

caf::expected<op::get_completions> parse_completion(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"text", "opts"});
  op::get_completions x;
  in.required_string("text", x.text);
  in.optional_string_map("opts", x.opts);
  if (in.error())
    return in.error();
  return x;
}

caf::expected<op::start_service> parse_start_service(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"opts"});
  op::start_service x;
  in.optional_string_map("opts", x.opts);
  if (in.error())
    return in.error();
  return x;
}

caf::expected<op::commit> parse_commit(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"canonical", "filename", "labels"});
  op::commit x;
  in.optional_string("canonical", x.canonical);
  in.optional_string("filename", x.filename);
  in.optional_string_map("labels", x.extra_labels);
  if (in.error())
    return in.error();
  if (x.filename && (x.filename->empty() || x.filename->find('/') != std::string::npos ||
                     *x.filename == "." || *x.filename == ".."))
    return make_error(errc::invalid_argument, "filename must be a plain file name");
  return x;
}

caf::expected<purge_images_req> parse_purge(const std::string& body) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"images", "force", "noprune"});
  purge_images_req x;
  if (!in.has("images"))
    in.fail("the field \"images\" is required");
  in.optional_string_list("images", x.images);
  in.optional_bool("force", x.force);
  in.optional_bool("noprune", x.noprune);
  if (in.error())
    return in.error();
  return x;
}

caf::expected<kernel_creation_config>
restart_config_of(const session_record& rec, const kernel_id& kernel,
                  const std::map<std::string, image_config>& images) {
  auto& s = rec.spec;
  const kernel_binding* binding = nullptr;
  for (auto& k : s.kernels)
    if (k.id == kernel)
      binding = &k;
  if (!binding)
    return make_error(errc::not_found, "kernel " + kernel + " is not part of session " + s.id);
  kernel_creation_config cfg;
  auto img = images.find(binding->image);
  if (img != images.end()) {
    cfg.image = img->second;
  } else {
    cfg.image.canonical = binding->image;
    cfg.image.architecture = binding->architecture;
  }
  cfg.kernel = binding->id;
  cfg.session = s.id;
  cfg.owner_user_id = s.user_uuid;
  cfg.owner_project_id = s.project_id;
  cfg.network_id = rec.network_id;
  cfg.type = s.type;
  cfg.mode = s.mode;
  cfg.cluster_role = binding->cluster_role;
  cfg.cluster_idx = binding->cluster_idx;
  cfg.local_rank = binding->local_rank;
  cfg.cluster_hostname = binding->cluster_hostname;
  cfg.uid = binding->uid;
  cfg.main_gid = binding->main_gid;
  cfg.slots = binding->slots;
  cfg.environ = s.environ;
  cfg.mounts = s.mounts;
  cfg.idle_timeout = s.idle_timeout;
  cfg.preopen_ports = s.preopen_ports;
  cfg.agent_addr = binding->agent_addr;
  cfg.scaling_group = s.scaling_group;
  return cfg;
}

} // namespace baikal
