#pragma once

/// The store's SQLite connection (the embedded default): one database file, WAL mode.

#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "runtime/store/sql_statement.hpp"

namespace baikal {

/// Opens (creating if needed) the SQLite database at `path` with the store's settings.
caf::expected<std::unique_ptr<sql_connection>> open_sqlite(const std::string& path);

} // namespace baikal
