#pragma once

/// Checks an answer of the manager's API against its OpenAPI document (docs/openapi.json, made
/// from docs/openapi.yaml): the operation of the request's method and path, the answer's status
/// among that operation's responses, its media type among the response's, and a JSON body
/// against the schema (RapidJSON's draft-04 validator: the document keeps its schemas to what
/// draft-04 reads). Answers the server gives before routing (x-server-responses) and those for
/// a path or method no operation has (x-unrouted-responses) are documented at the top level.

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

namespace baikal::test {

namespace openapi_detail {

/// "/v1/sessions/x/" as the router splits it: {"v1", "sessions", "x"}.
inline std::vector<std::string> segments(std::string path) {
  if (auto q = path.find('?'); q != std::string::npos)
    path.resize(q);
  if (!path.empty() && path.front() == '/')
    path.erase(0, 1);
  if (!path.empty() && path.back() == '/')
    path.pop_back();
  std::vector<std::string> out;
  if (path.empty())
    return out;
  std::stringstream in{path};
  std::string part;
  while (std::getline(in, part, '/'))
    out.push_back(part);
  if (path.back() == '/')
    out.emplace_back();
  return out;
}

inline bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

inline std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

inline std::string pointer_text(const rapidjson::Pointer& p) {
  rapidjson::StringBuffer buf;
  p.StringifyUriFragment(buf);
  return buf.GetString();
}

} // namespace openapi_detail

class openapi_checker {
public:
  /// Reads the document from its JSON text; error() says why when it cannot.
  static std::shared_ptr<openapi_checker> from_text(const std::string& json) {
    auto out = std::shared_ptr<openapi_checker>(new openapi_checker);
    out->doc_.Parse(json.c_str(), json.size());
    if (out->doc_.HasParseError() || !out->doc_.IsObject() || !out->doc_.HasMember("paths"))
      out->error_ = "not an OpenAPI document in JSON";
    return out;
  }

  /// Reads the document from a file.
  static std::shared_ptr<openapi_checker> from_file(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    std::stringstream text;
    text << in.rdbuf();
    auto out = from_text(text.str());
    if (!in)
      out->error_ = "cannot read " + path;
    else if (!out->error_.empty())
      out->error_ = path + " is " + out->error_;
    return out;
  }

  const std::string& error() const { return error_; }

  /// Empty when the document describes this answer to `method target`; else what does not
  /// fit, naming the request, the status and, for a body, the JSON pointer into it that fails
  /// with the schema's place and keyword.
  std::string check(const std::string& method, const std::string& target, int status,
                    const std::string& content_type, const std::string& body) const {
    if (!error_.empty())
      return error_;
    auto request = method + " " + target.substr(0, target.find('?'));
    auto code = std::to_string(status);
    auto found = find_operation(method, target);
    const rapidjson::Value* response = nullptr;
    std::string where;
    if (found.operation) {
      where = found.name;
      response = member(resolve_member(found.operation, "responses"), code);
      // A proxy's operation answers some statuses itself (JSON) and passes the service's own
      // answers on (its `default`): a status of both kinds is the service's when its type is
      // not the proxy's.
      auto fallback = member(resolve_member(found.operation, "responses"), "default");
      if (response && fallback && !lists_type(*response, content_type))
        response = fallback;
    }
    if (!response) {
      response = member(doc_, "x-server-responses", code);
      if (response)
        where = "x-server-responses";
    }
    if (!response && !found.operation) {
      response = member(doc_, "x-unrouted-responses", code);
      if (response)
        where = "x-unrouted-responses";
    }
    if (!response && found.operation) {
      response = member(resolve_member(found.operation, "responses"), "default");
      where = found.name;
    }
    if (!response)
      return request + " answered " + code + ", which docs/openapi.yaml does not document " +
             (found.operation ? "for " + found.name
                              : std::string{"(no operation has this method and path)"}) +
             ": " + body.substr(0, 300);
    auto resolved = resolve(*response);
    if (!resolved)
      return where + " " + code + " has a $ref that names nothing in the document";
    return check_body(request + " answered " + code + " (" + where + ")", *resolved,
                      where + " " + code, content_type, body);
  }

private:
  struct operation_match {
    const rapidjson::Value* operation = nullptr;
    std::string name; ///< "GET /v1/sessions/{id}"
  };

  openapi_checker() = default;

  /// `value`, or what its `$ref` names in the document.
  const rapidjson::Value* resolve(const rapidjson::Value& value) const {
    const rapidjson::Value* v = &value;
    for (int hops = 0; hops < 8 && v && v->IsObject(); ++hops) {
      auto ref = v->FindMember("$ref");
      if (ref == v->MemberEnd() || !ref->value.IsString())
        break;
      std::string text = ref->value.GetString();
      if (text.rfind('#', 0) != 0)
        return nullptr;
      v = rapidjson::Pointer(text.c_str() + 1).Get(doc_);
    }
    return v;
  }

  const rapidjson::Value* resolve_member(const rapidjson::Value* v, const std::string& key) const {
    auto m = member(v, key);
    return m ? resolve(*m) : nullptr;
  }

  static const rapidjson::Value* member(const rapidjson::Value* v, const std::string& key) {
    if (!v || !v->IsObject())
      return nullptr;
    auto i = v->FindMember(key.c_str());
    return i == v->MemberEnd() ? nullptr : &i->value;
  }

  static const rapidjson::Value* member(const rapidjson::Value& v, const std::string& a,
                                        const std::string& b) {
    return member(member(&v, a), b);
  }

  /// Whether `response` (maybe a $ref) lists `content_type` (or has no content at all).
  bool lists_type(const rapidjson::Value& response, const std::string& content_type) const {
    auto resolved = resolve(response);
    auto content = resolved ? member(resolved, "content") : nullptr;
    if (!content || !content->IsObject() || content->MemberCount() == 0)
      return true;
    auto type = content_type.substr(0, content_type.find(';'));
    for (auto& m : content->GetObject())
      if (type == m.name.GetString() || std::string{"*/*"} == m.name.GetString())
        return true;
    return false;
  }

  /// Whether the path item's parameter `name` may span several segments (x-multi-segment).
  bool multi_segment(const rapidjson::Value& item, const std::string& name) const {
    auto params = member(&item, "parameters");
    if (!params || !params->IsArray())
      return false;
    for (auto& p : params->GetArray()) {
      auto param = resolve(p);
      auto n = member(param, "name");
      auto multi = member(param, "x-multi-segment");
      if (n && n->IsString() && name == n->GetString() && multi && multi->IsTrue())
        return true;
    }
    return false;
  }

  /// How well `templ` matches `path`: -1 when it does not, else its literal segments (a
  /// literal beats a parameter, as the router has it).
  int match_score(const std::string& templ, const std::vector<std::string>& path,
                  const rapidjson::Value& item) const {
    auto parts = openapi_detail::segments(templ);
    int literals = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      // A path's rest (x-multi-segment, last) may be empty: "/apps/httpd/" is the service's root.
      if (openapi_detail::is_param(parts[i]) && i + 1 == parts.size() &&
          multi_segment(item, parts[i].substr(1, parts[i].size() - 2)))
        return literals;
      if (i >= path.size())
        return -1;
      if (openapi_detail::is_param(parts[i])) {
        if (path[i].empty())
          return -1;
        continue;
      }
      if (parts[i] != path[i])
        return -1;
      ++literals;
    }
    return parts.size() == path.size() ? literals : -1;
  }

  operation_match find_operation(const std::string& method, const std::string& target) const {
    auto path = openapi_detail::segments(target);
    auto paths = member(&doc_, "paths");
    const rapidjson::Value* best = nullptr;
    std::string best_name;
    int best_score = -1;
    for (auto& p : paths->GetObject()) {
      auto score = match_score(p.name.GetString(), path, p.value);
      if (score > best_score) {
        best_score = score;
        best = &p.value;
        best_name = p.name.GetString();
      }
    }
    operation_match out;
    if (auto op = member(best, openapi_detail::lower(method)); op && op->IsObject()) {
      out.operation = op;
      out.name = method + " " + best_name;
    }
    return out;
  }

  std::string check_body(const std::string& what, const rapidjson::Value& response,
                         const std::string& key, const std::string& content_type,
                         const std::string& body) const {
    auto content = member(&response, "content");
    if (!content || !content->IsObject() || content->MemberCount() == 0)
      return body.empty()
                 ? std::string{}
                 : what + " with a body, and the document names no content: " + body.substr(0, 300);
    auto media = openapi_detail::lower(content_type.substr(0, content_type.find(';')));
    while (!media.empty() && media.back() == ' ')
      media.pop_back();
    auto slash = media.find('/');
    const rapidjson::Value* entry = member(content, media);
    if (!entry && slash != std::string::npos)
      entry = member(content, media.substr(0, slash) + "/*");
    if (!entry)
      entry = member(content, "*/*");
    if (!entry) {
      std::string listed;
      for (auto& m : content->GetObject())
        listed += (listed.empty() ? "" : ", ") + std::string{m.name.GetString()};
      return what + " as \"" + content_type + "\", not one the document lists (" + listed + ")";
    }
    auto schema = member(resolve(*entry), "schema");
    if (media != "application/json" || !schema)
      return {};
    rapidjson::Document answer;
    answer.Parse(body.c_str(), body.size());
    if (answer.HasParseError())
      return what + " with a body that is not JSON: " + body.substr(0, 300);
    auto& compiled = schema_for(key + " " + media, *schema);
    rapidjson::SchemaValidator validator{compiled};
    if (answer.Accept(validator))
      return {};
    return what + ": the body at \"" +
           openapi_detail::pointer_text(validator.GetInvalidDocumentPointer()) + "\" fails \"" +
           validator.GetInvalidSchemaKeyword() + "\" of the schema at \"" +
           openapi_detail::pointer_text(validator.GetInvalidSchemaPointer()) +
           "\"; the body: " + body.substr(0, 600);
  }

  /// The compiled schema of one response, made once: the schema with the document's
  /// components beside its keywords, so that its `#/components/schemas/...` references
  /// resolve (a schema that is only a `$ref` ignores the member; draft-04 ignores it in others).
  const rapidjson::SchemaDocument& schema_for(const std::string& key,
                                              const rapidjson::Value& schema) const {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& slot = compiled_[key];
    if (!slot) {
      slot = std::make_unique<compiled_schema>();
      auto& root = slot->source;
      auto& a = root.GetAllocator();
      if (schema.IsObject())
        root.CopyFrom(schema, a);
      else
        root.SetObject();
      rapidjson::Value components{rapidjson::kObjectType};
      if (auto schemas = member(doc_, "components", "schemas"))
        components.AddMember("schemas", rapidjson::Value{*schemas, a}, a);
      root.RemoveMember("components");
      root.AddMember("components", components, a);
      slot->schema = std::make_unique<rapidjson::SchemaDocument>(root);
    }
    return *slot->schema;
  }

  struct compiled_schema {
    rapidjson::Document source;
    std::unique_ptr<rapidjson::SchemaDocument> schema;
  };

  rapidjson::Document doc_;
  std::string error_;
  mutable std::mutex mtx_;
  mutable std::map<std::string, std::unique_ptr<compiled_schema>> compiled_;
};

/// The checker of the source tree's docs/openapi.json, read once.
inline const openapi_checker& baikal_openapi() {
#ifndef BAIKAL_SOURCE_DIR
#error "tests/CMakeLists.txt defines BAIKAL_SOURCE_DIR for every test that checks API answers"
#endif
  static const auto checker = openapi_checker::from_file(BAIKAL_SOURCE_DIR "/docs/openapi.json");
  return *checker;
}

} // namespace baikal::test
