// SQLite 3 (the system library) through the generated C++ API only: tests/fixtures/sqlite3/bindery.yaml.
// Every call below goes through sqlite.hpp's classes; the C API appears only for its constants.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sqlite3.hpp"

namespace {

std::vector<std::byte> bytes_of(std::string_view s) {
  std::vector<std::byte> out;
  for (char c : s) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::vector<std::byte> copy_of(std::span<const std::byte> v) { return {v.begin(), v.end()}; }

/// A fresh in-memory database with one table of every kind of column.
sqlite::Database make_db() {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, n INTEGER)");
  return db;
}

std::int64_t count_rows(sqlite::Database& db) {
  auto stmt = db.prepare_v2("SELECT count(*) FROM t");
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return stmt.column_int64(0);
}

TEST(Sqlite3, OpenReportsTheVersion) {
  EXPECT_EQ(sqlite::libversion(), std::string_view(SQLITE_VERSION));
  auto db = sqlite::Database::open(":memory:");
  EXPECT_TRUE(db.is_open());
  EXPECT_TRUE(db.get_autocommit());
}

TEST(Sqlite3, BindEveryKindThenReadColumns) {
  auto db = make_db();
  const std::string blob_text("a\0b\xff", 4);  // a NUL and a non-UTF-8 byte: bytes, not text
  {
    auto insert = db.prepare_v2("INSERT INTO t (id, name, data, n) VALUES (?, ?, ?, ?)");
    EXPECT_EQ(insert.bind_parameter_count(), 4);
    insert.bind_int(1, 1);
    insert.bind_text(2, "Grüße, 世界");
    insert.bind_blob(3, bytes_of(blob_text));
    insert.bind_int64(4, INT64_C(9007199254740993));
    EXPECT_EQ(insert.step(), SQLITE_DONE);
    EXPECT_EQ(db.changes(), 1);
    EXPECT_EQ(db.last_insert_rowid(), 1);

    insert.reset();
    insert.clear_bindings();
    insert.bind_int(1, 2);
    insert.bind_null(2);
    insert.bind_null(3);
    insert.bind_null(4);
    EXPECT_EQ(insert.step(), SQLITE_DONE);

    insert.reset();
    insert.bind_int(1, 3);
    insert.bind_text(2, "");
    insert.bind_blob(3, std::span<const std::byte>());  // a zero-length BLOB, not NULL
    insert.bind_int(4, -1);
    EXPECT_EQ(insert.step(), SQLITE_DONE);
  }
  EXPECT_EQ(count_rows(db), 3);

  auto select = db.prepare_v2("SELECT id, name, data, n FROM t ORDER BY id");
  EXPECT_EQ(select.column_count(), 4);
  EXPECT_EQ(select.column_name(1), std::optional<std::string_view>("name"));

  ASSERT_EQ(select.step(), SQLITE_ROW);
  EXPECT_EQ(select.column_int(0), 1);
  EXPECT_EQ(select.column_type(1), SQLITE_TEXT);
  EXPECT_EQ(select.column_text(1), std::optional<std::string_view>("Grüße, 世界"));
  EXPECT_EQ(select.column_type(2), SQLITE_BLOB);
  EXPECT_EQ(copy_of(select.column_blob(2)), bytes_of(blob_text));
  EXPECT_EQ(select.column_int64(3), INT64_C(9007199254740993));

  ASSERT_EQ(select.step(), SQLITE_ROW);
  EXPECT_EQ(select.column_int(0), 2);
  EXPECT_EQ(select.column_type(1), SQLITE_NULL);
  EXPECT_EQ(select.column_text(1), std::nullopt) << "SQL NULL text is absent";
  EXPECT_TRUE(select.column_blob(2).empty()) << "SQL NULL blob is an empty span (nullable: empty)";
  EXPECT_EQ(select.column_type(3), SQLITE_NULL);

  ASSERT_EQ(select.step(), SQLITE_ROW);
  EXPECT_EQ(select.column_text(1), std::optional<std::string_view>(""));
  EXPECT_EQ(select.column_type(2), SQLITE_BLOB);
  EXPECT_TRUE(select.column_blob(2).empty());
  EXPECT_EQ(select.column_int(3), -1);

  EXPECT_EQ(select.step(), SQLITE_DONE);
}

TEST(Sqlite3, BlobsBorrowUntilTheNextStep) {
  auto db = make_db();
  {
    auto insert = db.prepare_v2("INSERT INTO t (id, data) VALUES (?, ?)");
    for (int i = 0; i < 3; ++i) {
      std::vector<std::byte> blob(65536 + static_cast<std::size_t>(i), static_cast<std::byte>('a' + i));
      insert.bind_int(1, i);
      insert.bind_blob(2, blob);
      EXPECT_EQ(insert.step(), SQLITE_DONE);
      insert.reset();
    }
  }
  auto select = db.prepare_v2("SELECT data FROM t ORDER BY id");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(select.step(), SQLITE_ROW);
    // The view is the statement's own memory: read it before the next step (which ends it).
    std::span<const std::byte> view = select.column_blob(0);
    ASSERT_EQ(view.size(), 65536u + static_cast<std::size_t>(i)) << "length from the sibling column_bytes call";
    EXPECT_TRUE(std::all_of(view.begin(), view.end(), [&](std::byte b) { return b == static_cast<std::byte>('a' + i); }));
    EXPECT_EQ(view.data(), select.column_blob(0).data()) << "no copy: the same SQLite buffer";
  }
  EXPECT_EQ(select.step(), SQLITE_DONE);
}

TEST(Sqlite3, TransactionsCommitAndRollBack) {
  auto db = make_db();
  auto insert = db.prepare_v2("INSERT INTO t (name) VALUES (?)");
  auto add = [&](std::string_view name) {
    insert.bind_text(1, name);
    EXPECT_EQ(insert.step(), SQLITE_DONE);
    insert.reset();
  };

  db.exec("BEGIN");
  EXPECT_FALSE(db.get_autocommit());
  add("kept 1");
  add("kept 2");
  db.exec("COMMIT");
  EXPECT_TRUE(db.get_autocommit());
  EXPECT_EQ(count_rows(db), 2);

  db.exec("BEGIN");
  add("dropped");
  EXPECT_EQ(count_rows(db), 3) << "visible inside the transaction";
  db.exec("ROLLBACK");
  EXPECT_EQ(count_rows(db), 2);

  db.exec("SAVEPOINT sp");
  add("inner");
  db.exec("ROLLBACK TO sp");
  db.exec("RELEASE sp");
  EXPECT_EQ(count_rows(db), 2);
  EXPECT_EQ(db.total_changes(), 4) << "every completed INSERT counts, rolled back or not";
}

TEST(Sqlite3, ErrorsCarrySqlitesMessageAndCode) {
  auto db = make_db();
  try {
    (void)db.prepare_v2("SELEC 1");
    FAIL() << "prepare of bad SQL must throw";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_STREQ(e.what(), "near \"SELEC\": syntax error");
  }

  db.exec("INSERT INTO t (id, name) VALUES (1, 'one')");
  auto insert = db.prepare_v2("INSERT INTO t (id, name) VALUES (1, 'again')");
  try {
    (void)insert.step();
    FAIL() << "a duplicate primary key must throw";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_PRIMARYKEY) << "the extended code, read at the failure";
    EXPECT_STREQ(e.what(), "UNIQUE constraint failed: t.id");
  }

  try {
    db.exec("DROP TABLE nowhere");
    FAIL();
  } catch (const sqlite::Error& e) {
    EXPECT_STREQ(e.what(), "no such table: nowhere");
  }
  // The connection is still usable after an error.
  EXPECT_EQ(count_rows(db), 1);
}

TEST(Sqlite3, ABindIndexOutOfRangeIsTheOutOfRangeKind) {
  // stmt_rc's kinds: SQLITE_RANGE is OutOfRange, still a sqlite::Error with SQLite's code and message.
  auto db = make_db();
  auto stmt = db.prepare_v2("SELECT ?1");
  try {
    stmt.bind_int(5, 1);
    FAIL() << "binding parameter 5 of 1 must throw";
  } catch (const sqlite::OutOfRange& e) {
    EXPECT_EQ(e.code(), SQLITE_RANGE);
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    const sqlite::Error& base = e;
    EXPECT_EQ(base.code(), SQLITE_RANGE);
  }
  stmt.bind_int(1, 1);  // the statement is still usable
}

TEST(Sqlite3, OpenFailureClosesTheHalfOpenConnection) {
  try {
    (void)sqlite::Database::open_v2("/nonexistent-dir/x.db", sqlite::OpenFlags::Readonly, std::nullopt);
    FAIL() << "opening a missing file read-only must throw";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code(), SQLITE_CANTOPEN);
    EXPECT_STREQ(e.what(), "unable to open database file");
  }
}

TEST(Sqlite3, ClosedHandlesAreRefusedNotUndefined) {
  auto db = make_db();
  auto stmt = db.prepare_v2("SELECT 1");
  stmt.close();
  EXPECT_THROW((void)stmt.step(), bindery::use_after_close);
  auto moved = std::move(db);
  EXPECT_FALSE(db.is_open());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_THROW(db.exec("SELECT 1"), bindery::use_after_close);
  EXPECT_EQ(count_rows(moved), 0);
  moved.close();
  EXPECT_FALSE(moved.is_open());
}

}  // namespace
