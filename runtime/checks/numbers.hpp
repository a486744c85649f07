#pragma once

/// Numbers written as text by someone else (a request, a file, a command line), read without
/// exceptions: each answers nothing for anything but the plain form it names.

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace baikal::checks {

/// A whole number written in decimal digits only (no sign, no spaces) from 0 to `max`.
std::optional<uint64_t> parse_unsigned(std::string_view text,
                                       uint64_t max = std::numeric_limits<uint64_t>::max());

/// A finite decimal number: an optional '-' (when `allow_negative`), digits with an optional
/// fraction ("2", "2.5", ".5"), an optional exponent ("1e3"). No "inf", "nan", hex or spaces.
std::optional<double> parse_number(std::string_view text, bool allow_negative = false);

/// A yes/no written as "true", "false", "1" or "0"; nothing for anything else.
std::optional<bool> parse_flag(std::string_view text);

} // namespace baikal::checks
