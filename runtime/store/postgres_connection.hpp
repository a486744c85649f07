#pragma once

/// The store's PostgreSQL connection (libpq), for managers that share one database. The store's
/// SQL is SQLite's with `?` placeholders; it is rewritten once per statement into PostgreSQL's
/// `$n`. Values travel in binary both ways, so blobs need no escaping and integers no parsing.

#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "runtime/store/sql_statement.hpp"

namespace baikal {

/// Connects to the PostgreSQL database at `url` (a libpq URL, `postgresql://...`).
caf::expected<std::unique_ptr<sql_connection>> open_postgres(const std::string& url);

/// `sql` with SQLite's placeholders written as PostgreSQL's: `?NNN` as `$NNN` and each bare `?`
/// as the number after the largest one so far (SQLite's own numbering); quoted text is left
/// alone.
std::string postgres_placeholders(const std::string& sql);

/// `url` without its password, for logs and errors.
std::string redacted_url(const std::string& url);

} // namespace baikal
