#include "runtime/config/toml_reader.hpp"

#include "messages/errors.hpp"
#include "runtime/config/toml_shield.hpp"

namespace baikal {

void toml_reader::text(const char* path, std::string& out) {
  auto node = at(path);
  if (!node)
    return;
  if (auto v = node.value_exact<std::string>())
    out = unshield_toml_string(*v);
  else
    fail(path, "a string");
}

void toml_reader::flag(const char* path, bool& out) {
  auto node = at(path);
  if (!node)
    return;
  if (auto v = node.value_exact<bool>())
    out = *v;
  else
    fail(path, "true or false");
}

void toml_reader::number(const char* path, double& out) {
  auto node = at(path);
  if (!node)
    return;
  if (auto v = node.value<double>(); v && *v > 0)
    out = *v;
  else
    fail(path, "a positive number");
}

void toml_reader::address(const char* path, host_port& out) {
  auto node = at(path);
  if (!node)
    return;
  auto* t = node.as_table();
  auto host = t ? (*t)["host"].value_exact<std::string>() : std::nullopt;
  auto port = t ? (*t)["port"].value_exact<int64_t>() : std::nullopt;
  if (host && port && *port >= 0 && *port <= 65535)
    out = host_port{unshield_toml_string(*host), static_cast<uint16_t>(*port)};
  else
    fail(path, "{ host = \"...\", port = 0..65535 }");
}

void toml_reader::addresses(const char* path, std::vector<host_port>& out) {
  auto node = at(path);
  if (!node)
    return;
  auto* a = node.as_array();
  std::vector<host_port> read;
  for (size_t i = 0; a && i < a->size(); ++i) {
    auto* t = (*a)[i].as_table();
    auto host = t ? (*t)["host"].value_exact<std::string>() : std::nullopt;
    auto port = t ? (*t)["port"].value_exact<int64_t>() : std::nullopt;
    if (!host || !port || *port < 0 || *port > 65535 || t->size() != 2)
      break;
    read.push_back(host_port{unshield_toml_string(*host), static_cast<uint16_t>(*port)});
  }
  if (a && !read.empty() && read.size() == a->size())
    out = std::move(read);
  else
    fail(path, "a list of { host = \"...\", port = 0..65535 }, at least one");
}

void toml_reader::port_range(const char* path, uint16_t& first, uint16_t& last) {
  auto node = at(path);
  if (!node)
    return;
  auto* a = node.as_array();
  auto lo = a && a->size() == 2 ? (*a)[0].value_exact<int64_t>() : std::nullopt;
  auto hi = a && a->size() == 2 ? (*a)[1].value_exact<int64_t>() : std::nullopt;
  if (lo && hi && *lo >= 1 && *lo <= *hi && *hi <= 65535) {
    first = static_cast<uint16_t>(*lo);
    last = static_cast<uint16_t>(*hi);
  } else {
    fail(path, "[first, last] with 1 <= first <= last <= 65535");
  }
}

size_t toml_reader::table_array(const char* path, std::initializer_list<const char*> keys) {
  auto node = at(path);
  if (!node)
    return 0;
  auto* array = node.as_array();
  if (!array || !array->is_array_of_tables()) {
    fail(path, "an array of tables, each written [[" + std::string{path} + "]]");
    return 0;
  }
  for (size_t i = 0; i < array->size(); ++i)
    for (auto& [key, value] : *array->get(i)->as_table()) {
      auto name = unshield_toml_string(key.str());
      bool known = false;
      for (auto* k : keys)
        known = known || name == k;
      if (!known)
        fail(std::string{path} + "[" + std::to_string(i) + "]",
             "a table of " + std::to_string(keys.size()) + " known keys; \"" + name +
                 "\" is not one of them");
    }
  return array->size();
}

void toml_reader::fail(const std::string& path, const std::string& what) {
  if (!error_)
    error_ =
        make_error(errc::invalid_argument, "Invalid " + source_ + ": " + path + " must be " + what);
}

namespace {

void collect_unread(const toml::table& table, const std::string& prefix,
                    const std::set<std::string>& read, std::vector<std::string>& out) {
  for (auto& [key, node] : table) {
    auto path = prefix + unshield_toml_string(key.str());
    if (read.count(path))
      continue; // read as a whole (an address table, say)
    if (auto* sub = node.as_table())
      collect_unread(*sub, path + ".", read, out);
    else
      out.push_back(path);
  }
}

} // namespace

std::vector<std::string> toml_reader::unread_keys() const {
  std::vector<std::string> out;
  if (auto* table = root_.as_table())
    collect_unread(*table, "", read_, out);
  return out;
}

} // namespace baikal
