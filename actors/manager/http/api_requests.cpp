#include "actors/manager/http/api_requests.hpp"

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/numbers.hpp"
#include "runtime/docker/reference_check.hpp"
#include "runtime/json/json_reader.hpp"
#include "runtime/runner/execute_checks.hpp"

namespace baikal {

namespace {

runner::execute_limits execute_limits_of(const api_limits& limits) {
  runner::execute_limits out;
  out.max_code_bytes = limits.max_code_bytes;
  return out;
}

} // namespace

caf::expected<op::execute> parse_execute(const std::string& body, const api_limits& limits) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"mode", "code", "run_id", "opts"});
  op::execute x;
  std::string mode;
  in.required_string("mode", mode);
  in.optional_string("code", x.code);
  in.optional_string("run_id", x.run_id);
  in.optional_string_map("opts", x.opts);
  if (in.error())
    return in.error();
  auto parsed_mode = runner::parse_execution_mode(mode);
  if (!parsed_mode)
    return parsed_mode.error();
  x.mode = *parsed_mode;
  // The agent runs the same checks on what it receives; here they answer before any call.
  if (auto checked = runner::to_runner_request(x, execute_limits_of(limits)); !checked)
    return checked.error();
  return x;
}

caf::expected<op::get_completions> parse_completion(const std::string& body,
                                                    const api_limits& limits) {
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
  if (auto err = checks::check_text("text", x.text, limits.max_code_bytes))
    return err;
  if (auto err = checks::check_string_map("opts", x.opts, limits.environ))
    return err;
  return x;
}

caf::expected<op::start_service> parse_start_service(const std::string& body,
                                                     const api_limits& limits) {
  auto doc = json::parse_object(body);
  if (!doc)
    return doc.error();
  json::object_reader in{*doc};
  in.only({"opts"});
  op::start_service x;
  in.optional_string_map("opts", x.opts);
  if (in.error())
    return in.error();
  if (auto err = checks::check_string_map("opts", x.opts, limits.environ))
    return err;
  return x;
}

caf::expected<op::commit> parse_commit(const std::string& body, const api_limits& limits) {
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
  if (x.canonical)
    if (auto err = docker::check_image_reference(*x.canonical, "canonical"))
      return err;
  if (x.filename)
    if (auto err = checks::check_plain_file_name("filename", *x.filename))
      return err;
  if (auto err = checks::check_string_map("labels", x.extra_labels, limits.environ))
    return err;
  return x;
}

caf::expected<purge_images_req> parse_purge(const std::string& body, const api_limits& limits) {
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
  if (x.images.empty())
    return make_error(errc::invalid_argument, "images must name at least one image");
  if (x.images.size() > limits.max_purge_images)
    return make_error(errc::too_large,
                      "images names " + std::to_string(x.images.size()) + " images; at most " +
                          std::to_string(limits.max_purge_images) + " are accepted in one purge");
  for (size_t i = 0; i < x.images.size(); ++i)
    if (auto err = docker::check_image_reference(x.images[i], "images[" + std::to_string(i) + "]"))
      return err;
  return x;
}

caf::expected<std::string> parse_path_param(const std::map<std::string, std::string>& query,
                                            const std::string& fallback, const api_limits& limits) {
  auto i = query.find("path");
  if (i == query.end() || i->second.empty()) {
    if (fallback.empty())
      return make_error(errc::invalid_argument, "the query parameter \"path\" is required");
    return fallback;
  }
  if (auto err =
          checks::check_text("the query parameter \"path\"", i->second, limits.max_path_bytes))
    return err;
  return i->second;
}

caf::expected<bool> parse_follow(const std::map<std::string, std::string>& query) {
  auto i = query.find("follow");
  if (i == query.end())
    return false;
  if (i->second == "true" || i->second == "1")
    return true;
  if (i->second == "false" || i->second == "0")
    return false;
  return make_error(errc::invalid_argument,
                    "the query parameter \"follow\" must be true, false, 1 or 0, not \"" +
                        checks::shown(i->second) + "\"");
}

caf::expected<session_page> parse_session_page(const std::map<std::string, std::string>& query,
                                               const api_limits& limits) {
  session_page page;
  if (auto i = query.find("status"); i != query.end()) {
    auto status = session_status_from(i->second);
    if (!status)
      return make_error(errc::invalid_argument,
                        "the query parameter \"status\" must be a session status (PENDING, "
                        "RUNNING, TERMINATED, ...), not \"" +
                            checks::shown(i->second) + "\"");
    page.by_status = true;
    page.status = *status;
  }
  if (auto i = query.find("limit"); i != query.end()) {
    auto limit = checks::parse_unsigned(i->second, max_session_page);
    if (!limit || *limit == 0)
      return make_error(errc::invalid_argument,
                        "the query parameter \"limit\" must be a whole number from 1 to " +
                            std::to_string(max_session_page));
    page.limit = static_cast<uint32_t>(*limit);
  }
  if (auto i = query.find("after"); i != query.end()) {
    if (auto err =
            checks::check_name("the query parameter \"after\"", i->second, limits.max_name_length))
      return err;
    page.after = i->second;
  }
  return page;
}

} // namespace baikal
