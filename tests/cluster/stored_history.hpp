#pragma once

/// A session's stored status history, read from the cluster manager's database file beside the
/// running manager (SQLite in WAL mode lets a second reader in).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cluster/process_cluster.hpp"
#include "runtime/store/session_store.hpp"

namespace baikal::test {

inline std::vector<status_change> history_of(const process_cluster& c, const std::string& id) {
  auto db = session_store::open((c.dir.path / "manager.db").string());
  REQUIRE(db);
  auto out = (*db)->status_history(id);
  REQUIRE(out);
  return *out;
}

} // namespace baikal::test
