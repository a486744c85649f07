#include "runtime/checks/numbers.hpp"

#include <charconv>
#include <cmath>

namespace baikal::checks {

namespace {

size_t digits_at(std::string_view t, size_t& i) {
  size_t n = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9')
    ++i, ++n;
  return n;
}

/// digits ["." digits] [("e"|"E") ["+"|"-"] digits], at least one digit before the exponent.
bool decimal_syntax(std::string_view t) {
  size_t i = 0;
  size_t mantissa = digits_at(t, i);
  if (i < t.size() && t[i] == '.') {
    ++i;
    mantissa += digits_at(t, i);
  }
  if (mantissa == 0)
    return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-'))
      ++i;
    if (digits_at(t, i) == 0)
      return false;
  }
  return i == t.size();
}

} // namespace

std::optional<uint64_t> parse_unsigned(std::string_view text, uint64_t max) {
  if (text.empty() || text.size() > 20)
    return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9')
      return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text, bool allow_negative) {
  if (text.size() > 64)
    return std::nullopt;
  auto body = text;
  if (allow_negative && !body.empty() && body.front() == '-')
    body.remove_prefix(1);
  if (!decimal_syntax(body))
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<bool> parse_flag(std::string_view text) {
  if (text == "true" || text == "1")
    return true;
  if (text == "false" || text == "0")
    return false;
  return std::nullopt;
}

} // namespace baikal::checks
