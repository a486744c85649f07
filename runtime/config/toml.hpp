#pragma once

/// toml++ as Baikal includes it (every file that parses TOML includes this, never toml++
/// directly). toml++ 3.3.0 asserts in parser::parse_key that a table header's key starts with a
/// key character or a quote, then handles exactly that case with a parse error a few lines on:
/// a build without NDEBUG (the sanitizer and fuzz builds) aborted on a header such as "[!" or
/// "[\0" where release builds answer the parse error. Its internal checks are off in every
/// build, as release builds have them.

#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#endif

#include <toml++/toml.h>
