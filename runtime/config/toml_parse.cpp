#include "runtime/config/toml_parse.hpp"

namespace baikal {

toml_parse_result parse_toml(std::string_view text, const std::string& source) {
  toml_parse_result out;
  auto shielded = shield_toml_text(text);
  if (shielded.problem) {
    out.problem = std::move(*shielded.problem);
    return out;
  }
  try {
    out.table = toml::parse(shielded.text, source);
  } catch (const toml::parse_error& e) {
    auto& at = e.source().begin;
    out.problem = {at.line, at.column, unshield_toml_string(e.description())};
  }
  return out;
}

} // namespace baikal
