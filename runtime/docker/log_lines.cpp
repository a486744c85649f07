#include "runtime/docker/log_lines.hpp"

#include <algorithm>
#include <cstdio>

namespace baikal::docker {

namespace {

/// Days from 1970-01-01 to the civil date (proleptic Gregorian; H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  auto era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  auto doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  auto doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// `n` digits at `pos` as a number; nothing when one is not a digit.
std::optional<int64_t> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size())
    return std::nullopt;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool at(std::string_view s, size_t pos, char c) {
  return pos < s.size() && s[pos] == c;
}

} // namespace

std::optional<log_time> parse_log_time(std::string_view s) {
  auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  auto h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !sec || !at(s, 4, '-') || !at(s, 7, '-') ||
      !(at(s, 10, 'T') || at(s, 10, 't')) || !at(s, 13, ':') || !at(s, 16, ':') || *mo < 1 ||
      *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *sec > 60)
    return std::nullopt;
  size_t pos = 19;
  int64_t nanos = 0;
  if (at(s, pos, '.')) {
    size_t n = 0;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n)
      if (n < 9)
        nanos = nanos * 10 + (s[pos] - '0');
    if (n == 0)
      return std::nullopt;
    for (; n < 9; ++n)
      nanos *= 10;
  }
  int64_t offset = 0;
  if (at(s, pos, 'Z') || at(s, pos, 'z')) {
    ++pos;
  } else if (at(s, pos, '+') || at(s, pos, '-')) {
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || !at(s, pos + 3, ':'))
      return std::nullopt;
    offset = (*oh * 60 + *om) * 60 * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size())
    return std::nullopt;
  auto days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  auto seconds = days * 86400 + *h * 3600 + *mi * 60 + *sec - offset;
  return log_time{seconds, static_cast<int32_t>(nanos)};
}

std::string since_param(const log_time& t) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%lld.%09d", static_cast<long long>(t.seconds), t.nanos);
  return buf;
}

std::vector<stamped_line> parse_stamped_lines(std::string_view text) {
  std::vector<stamped_line> out;
  size_t start = 0;
  while (start < text.size()) {
    auto eol = text.find('\n', start);
    auto line =
        text.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    start = eol == std::string_view::npos ? text.size() : eol + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    auto space = line.find(' ');
    auto stamp = line.substr(0, space);
    auto t = parse_log_time(stamp);
    if (t) {
      auto rest = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
      out.push_back(stamped_line{*t, std::string{stamp}, std::string{rest}});
    } else if (!out.empty()) {
      out.push_back(stamped_line{out.back().at, out.back().stamp, std::string{line}});
    }
  }
  return out;
}

std::string merge_stamped(std::string_view out, std::string_view err) {
  auto a = parse_stamped_lines(out);
  auto b = parse_stamped_lines(err);
  std::vector<stamped_line> all;
  all.reserve(a.size() + b.size());
  std::merge(std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()),
             std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()),
             std::back_inserter(all),
             [](const stamped_line& x, const stamped_line& y) { return x.at < y.at; });
  std::string text;
  for (auto& line : all)
    text.append(line.stamp).append(" ").append(line.text).append("\n");
  return text;
}

std::vector<std::string> log_cursor::take(const std::vector<stamped_line>& batch) {
  std::vector<std::string> out;
  // The texts already taken at the newest time, each matching one line of that time again.
  auto seen = at_last_;
  for (auto& line : batch) {
    if (last_ && line.at < *last_)
      continue;
    if (last_ && line.at == *last_) {
      auto i = std::find(seen.begin(), seen.end(), line.text);
      if (i != seen.end()) {
        seen.erase(i);
        continue;
      }
      at_last_.push_back(line.text);
    } else {
      last_ = line.at;
      at_last_.assign(1, line.text);
      seen.clear();
    }
    out.push_back(line.text);
  }
  return out;
}

std::string log_cursor::since() const {
  return last_ ? since_param(*last_) : std::string{};
}

} // namespace baikal::docker
