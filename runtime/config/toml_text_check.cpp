#include "runtime/config/toml_text_check.hpp"

namespace baikal {

namespace {

enum class lexeme { bare, comment, basic, literal, multi_basic, multi_literal };

bool non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

bool continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool starts_with(std::string_view text, size_t i, std::string_view what) {
  return text.compare(i, what.size(), what) == 0;
}

/// Walks the text byte by byte, keeping the line and the column (UTF-8 continuation bytes do
/// not count as columns).
struct cursor {
  std::string_view text;
  size_t i = 0;
  size_t line = 1;
  size_t column = 1;

  bool done() const { return i >= text.size(); }
  char at() const { return text[i]; }
  void step() {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if (!continuation(text[i])) {
      ++column;
    }
    ++i;
  }
  void step(size_t n) {
    while (n-- > 0 && !done())
      step();
  }
  toml_text_problem problem(std::string what) const { return {line, column, std::move(what)}; }
};

/// Whether a quote after `before` (the last character outside strings that is not a space or a
/// tab; '\n' at a line's start) opens a string for toml++. After any other character toml++
/// reads the quote as part of a bare value (`1b'''x` is one unterminated value to it) and asks
/// about the characters that follow, so they must not be taken for a string's.
bool quote_opens_string(char before) {
  switch (before) {
  case '\n': // a key at a line's start
  case '=':  // a value
  case '[':  // a table header's key or an array's first element
  case '{':  // an inline table's first key
  case ',':  // the next element or key
  case '.':  // the next part of a dotted key
    return true;
  default:
    return false;
  }
}

} // namespace

std::optional<toml_text_problem> unsafe_toml_text(std::string_view text) {
  cursor c{text};
  auto state = lexeme::bare;
  char before = '\n';
  while (!c.done()) {
    char ch = c.at();
    switch (state) {
    case lexeme::bare:
      if (non_ascii(ch))
        return c.problem("a non-ASCII character outside a string or a comment (TOML allows them "
                         "only in quoted strings and comments)");
      if ((ch == '"' || ch == '\'') && !quote_opens_string(before)) {
        before = ch; // not a string to toml++: what follows stays outside strings
        break;
      }
      if (ch != ' ' && ch != '\t')
        before = ch;
      if (ch == '#')
        state = lexeme::comment;
      else if (starts_with(text, c.i, "\"\"\"")) {
        state = lexeme::multi_basic;
        c.step(2);
      } else if (ch == '"')
        state = lexeme::basic;
      else if (starts_with(text, c.i, "'''")) {
        state = lexeme::multi_literal;
        c.step(2);
      } else if (ch == '\'')
        state = lexeme::literal;
      break;
    case lexeme::comment:
      if (ch == '\n') {
        state = lexeme::bare;
        before = '\n';
      }
      break;
    case lexeme::basic:
      if (ch == '\\') {
        c.step(); // the escaped character, whatever it is: toml++ refuses a wrong escape
        if (c.done())
          return std::nullopt;
      } else if (ch == '"' || ch == '\n') {
        state = lexeme::bare;
        before = ch;
      }
      break;
    case lexeme::literal:
      if (ch == '\'' || ch == '\n') {
        state = lexeme::bare;
        before = ch;
      }
      break;
    case lexeme::multi_basic:
      if (ch == '\\') {
        c.step();
        if (c.done())
          return std::nullopt;
        // toml++ asks whether the escaped character is whitespace, and after a line-ending
        // backslash (which trims the whitespace and line breaks after it) whether the first
        // character past them is.
        if (non_ascii(c.at()))
          return c.problem("a backslash before a non-ASCII character in a multi-line string");
        if (!blank(c.at()))
          break; // an escape; the step below passes its character
        while (!c.done() && blank(c.at()))
          c.step();
        if (!c.done() && non_ascii(c.at()))
          return c.problem("a non-ASCII character right after a line-ending backslash (escape "
                           "it as \\uXXXX)");
        continue;
      }
      if (starts_with(text, c.i, "\"\"\"")) {
        state = lexeme::bare;
        before = '"';
        c.step(2);
      }
      break;
    case lexeme::multi_literal:
      if (starts_with(text, c.i, "'''")) {
        state = lexeme::bare;
        before = '\'';
        c.step(2);
      }
      break;
    }
    c.step();
  }
  return std::nullopt;
}

} // namespace baikal
