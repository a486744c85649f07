#pragma once

/// Where a store test keeps its store: a SQLite file in a fresh directory, or a fresh database
/// on this process's private PostgreSQL server (postgres_server.hpp). BAIKAL_STORE_TEST runs one
/// test body on both, as "store: TITLE" and "store on PostgreSQL: TITLE", so that both stores
/// keep the same promises.

#include <string>

#include <doctest/doctest.h>

#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

namespace baikal::test {

struct sqlite_place {
  temp_dir dir{"baikal-store"};
  std::string location = (dir.path / "manager.db").string();
};

struct postgres_place {
  std::string location = fresh_database();

  static std::string fresh_database() {
    std::string why;
    auto* server = shared_postgres_server(&why);
    REQUIRE_MESSAGE(server, "no private PostgreSQL server: " << why);
    return server->create_database();
  }
};

} // namespace baikal::test

/// Declares `template <class Place> void FN()` and runs it as a test on each store; the body
/// follows the macro and finds its store at `Place{}.location`.
#define BAIKAL_STORE_TEST(FN, TITLE)                                                               \
  template <class Place> void FN();                                                                \
  TEST_CASE("store: " TITLE) {                                                                     \
    FN<baikal::test::sqlite_place>();                                                              \
  }                                                                                                \
  TEST_CASE("store on PostgreSQL: " TITLE) {                                                       \
    FN<baikal::test::postgres_place>();                                                            \
  }                                                                                                \
  template <class Place> void FN()
