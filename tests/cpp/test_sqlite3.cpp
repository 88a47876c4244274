// SQLite 3 (the system library) through the generated C++ API only: tests/fixtures/sqlite3/bindery.yaml.
// Every call below goes through sqlite.hpp's classes; the C API appears only for its constants.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <array>
#include <any>
#include <cctype>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <unistd.h>

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

// ---- hooks (scope owner): kept by the Database, replaced when set again, freed when cleared or
// closed; an exception they throw leaves the call that ran them (docs/adr/cpp-kept-callback-errors.md).

TEST(Sqlite3Hooks, CommitHookSeesEachCommitAndCanVeto) {
  auto db = make_db();
  int commits = 0;
  db.commit_hook([&] {
    ++commits;
    return 0;  // let it commit
  });
  db.exec("INSERT INTO t (id) VALUES (1)");
  db.exec("BEGIN; INSERT INTO t (id) VALUES (2); INSERT INTO t (id) VALUES (3); COMMIT");
  EXPECT_EQ(commits, 2) << "one per transaction";

  db.commit_hook([] { return 1; });  // nonzero: SQLite turns the commit into a rollback
  try {
    db.exec("INSERT INTO t (id) VALUES (4)");
    FAIL() << "a vetoed commit is an error";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code() & 0xff, SQLITE_CONSTRAINT);
  }
  db.commit_hook(nullptr);  // cleared: commits go through unobserved
  db.exec("INSERT INTO t (id) VALUES (5)");
  EXPECT_EQ(commits, 2);
  EXPECT_EQ(count_rows(db), 4);
}

TEST(Sqlite3Hooks, UpdateHookReceivesTextAndRowid) {
  auto db = make_db();
  struct Change {
    std::int32_t op;
    std::string db_name, table;
    std::int64_t rowid;
    bool operator==(const Change&) const = default;
  };
  std::vector<Change> changes;
  db.update_hook([&](std::int32_t op, std::string_view db_name, std::string_view table, std::int64_t rowid) {
    changes.push_back({op, std::string(db_name), std::string(table), rowid});
  });
  db.exec("INSERT INTO t (id, name) VALUES (41, 'a'); UPDATE t SET name = 'b' WHERE id = 41; "
          "DELETE FROM t WHERE id = 41");  // with a WHERE: SQLite's truncate optimisation skips the hook
  EXPECT_EQ(changes, (std::vector<Change>{{SQLITE_INSERT, "main", "t", 41},
                                          {SQLITE_UPDATE, "main", "t", 41},
                                          {SQLITE_DELETE, "main", "t", 41}}));
}

TEST(Sqlite3Hooks, ReplacedClearedAndClosedHooksAreFreed) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> first = token, second;
  auto db = make_db();
  db.commit_hook([token] {
    ++*token;
    return 0;
  });
  token.reset();
  ASSERT_FALSE(first.expired()) << "kept by the Database while installed";
  db.exec("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(*first.lock(), 1);

  auto other = std::make_shared<int>(0);
  second = other;
  db.commit_hook([other] { return 0; });  // replaces: the first is freed
  other.reset();
  EXPECT_TRUE(first.expired());
  EXPECT_FALSE(second.expired());
  db.commit_hook(nullptr);  // cleared: freed
  EXPECT_TRUE(second.expired());

  auto third = std::make_shared<int>(0);
  std::weak_ptr<int> third_alive = third;
  db.update_hook([third](std::int32_t, std::string_view, std::string_view, std::int64_t) {});
  third.reset();
  sqlite::Database moved = std::move(db);  // the hook travels with the connection
  EXPECT_FALSE(third_alive.expired());
  moved.exec("INSERT INTO t (id) VALUES (2)");
  moved.close();  // freed with the connection
  EXPECT_TRUE(third_alive.expired());

  auto fourth = std::make_shared<int>(0);
  std::weak_ptr<int> fourth_alive = fourth;
  {
    auto scoped = make_db();
    scoped.busy_handler([fourth](std::int32_t) { return 0; });
    fourth.reset();
    EXPECT_FALSE(fourth_alive.expired());
  }  // the destructor frees it too
  EXPECT_TRUE(fourth_alive.expired());
}

TEST(Sqlite3Hooks, BusyHandlerIsAskedUntilItGivesUp) {
  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_busy_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto writer = sqlite::Database::open(path.string());
    writer.exec("CREATE TABLE t (id INTEGER)");
    auto blocked = sqlite::Database::open(path.string());
    std::vector<std::int32_t> asked;
    blocked.busy_handler([&](std::int32_t count) {
      asked.push_back(count);
      return count < 2 ? 1 : 0;  // retry twice, then give up
    });
    writer.exec("BEGIN EXCLUSIVE");
    try {
      blocked.exec("INSERT INTO t VALUES (1)");
      FAIL() << "the table is locked";
    } catch (const sqlite::Error& e) {
      EXPECT_EQ(e.code() & 0xff, SQLITE_BUSY);
    }
    EXPECT_EQ(asked, (std::vector<std::int32_t>{0, 1, 2}));
    writer.exec("COMMIT");
    blocked.exec("INSERT INTO t VALUES (1)");
  }
  std::filesystem::remove(path);
}

TEST(Sqlite3Hooks, AHookExceptionLeavesTheStepThatRanIt) {
  auto db = make_db();
  db.commit_hook([]() -> std::int32_t { throw std::runtime_error("hook failed"); });
  auto insert = db.prepare_v2("INSERT INTO t (id) VALUES (7)");
  try {
    (void)insert.step();
    FAIL() << "the hook's exception must leave step()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "hook failed");
  }
  // SQLite saw 0 from the hook (no veto): the row is committed; nothing is left pending.
  db.commit_hook(nullptr);
  EXPECT_EQ(count_rows(db), 1);
  EXPECT_NO_THROW(db.exec("INSERT INTO t (id) VALUES (8)"));
}

// ---- a hook that throws while the connection is destroyed, and owned results ------------------
// sqlite3_close_v2 rolls back an open transaction and runs the rollback hook meanwhile. close()
// throws what the hook threw; a destructor cannot, so it hands it to bindery's handler at once
// (it never waits for an unrelated later call). docs/adr/cpp-kept-callback-errors.md.

/// Records what reaches the destructor handler while it is installed; restores the previous one.
class HandlerSpy {
 public:
  HandlerSpy() { previous_ = bindery::set_destructor_callback_error_handler(&record); }
  ~HandlerSpy() {
    bindery::set_destructor_callback_error_handler(previous_);
    seen().clear();
  }
  struct Seen {
    std::string what, class_name;
  };
  static std::vector<Seen>& seen() {
    static std::vector<Seen> s;
    return s;
  }

 private:
  static void record(std::exception_ptr error, const char* class_name) noexcept {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      seen().push_back({e.what(), class_name});
    }
  }
  bindery::destructor_callback_error_handler previous_ = nullptr;
};

/// A connection in a transaction whose rollback hook throws: closing it runs the hook.
sqlite::Database db_whose_close_throws(std::weak_ptr<int>& hook_alive) {
  auto db = make_db();
  auto token = std::make_shared<int>(0);
  hook_alive = token;
  db.rollback_hook([token] { throw std::runtime_error("rollback hook failed"); });
  db.exec("BEGIN; INSERT INTO t (id) VALUES (1)");
  return db;
}

TEST(Sqlite3HookErrors, CloseThrowsWhatAHookThrewWhileClosing) {
  std::weak_ptr<int> hook_alive;
  auto db = db_whose_close_throws(hook_alive);
  try {
    db.close();
    FAIL() << "the rollback hook's exception must leave close()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "rollback hook failed");
  }
  EXPECT_FALSE(db.is_open()) << "closed all the same";
  EXPECT_TRUE(hook_alive.expired()) << "the hook was freed with the connection";
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "reported once, nothing left pending";
}

TEST(Sqlite3HookErrors, ADestructorHandsTheHookExceptionToTheHandlerAtOnce) {
  HandlerSpy spy;
  std::weak_ptr<int> hook_alive;
  {
    auto db = db_whose_close_throws(hook_alive);
  }  // ~Database: close_v2 runs the hook, which throws
  ASSERT_EQ(HandlerSpy::seen().size(), 1u);
  EXPECT_EQ(HandlerSpy::seen()[0].what, "rollback hook failed");
  EXPECT_EQ(HandlerSpy::seen()[0].class_name, "Database");
  EXPECT_TRUE(hook_alive.expired());
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "not parked for a later call";
  auto other = make_db();
  EXPECT_NO_THROW(other.exec("INSERT INTO t (id) VALUES (2)")) << "an unrelated call does not see it";
}

TEST(Sqlite3HookErrors, AMoveAssignmentThatDestroysReportsLikeTheDestructor) {
  HandlerSpy spy;
  std::weak_ptr<int> hook_alive;
  auto db = db_whose_close_throws(hook_alive);
  db = make_db();  // the old connection is destroyed here
  ASSERT_EQ(HandlerSpy::seen().size(), 1u);
  EXPECT_EQ(HandlerSpy::seen()[0].class_name, "Database");
  EXPECT_EQ(count_rows(db), 0);
}

TEST(Sqlite3HookErrors, TheDefaultHandlerPrintsOneLine) {
  std::weak_ptr<int> hook_alive;
  testing::internal::CaptureStderr();
  {
    auto db = db_whose_close_throws(hook_alive);
  }
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_EQ(printed,
            "bindery: exception ignored in ~Database(): a callback threw while the C object was destroyed: "
            "rollback hook failed\n");
}

/// Parks an exception on this thread the way a call outside the binding does: sqlite3_exec on
/// c_ptr() commits, the commit hook throws, no wrapper is there to rethrow it.
void park_commit_hook_error(sqlite::Database& db) {
  db.commit_hook([]() -> std::int32_t { throw std::runtime_error("parked"); });
  ASSERT_EQ(sqlite3_exec(db.c_ptr(), "INSERT INTO t (name) VALUES ('parked')", nullptr, nullptr, nullptr), SQLITE_OK);
  // Unhooked through C too: a wrapper here would rethrow it at once.
  (void)sqlite3_commit_hook(db.c_ptr(), nullptr, nullptr);
}

TEST(Sqlite3HookErrors, AnExceptionParkedBeforeADestructorIsNotItsOwn) {
  HandlerSpy spy;
  auto db = make_db();
  {
    auto bystander = make_db();
    park_commit_hook_error(db);
  }  // destroys cleanly: the parked exception is not the destructor's to report
  EXPECT_TRUE(HandlerSpy::seen().empty());
  EXPECT_THROW(bindery::rethrow_pending_callback_error(), std::runtime_error) << "still parked";
}

TEST(Sqlite3HookErrors, OwnedResultsAreFreedWhenAParkedExceptionLeaves) {
  // A wrapper returning an owned value checks after its C call too: it takes the value into its
  // C++ owner first, so the exception leaving frees it (the ASan run checks that nothing leaks).
  auto db = make_db();
  auto stmt = db.prepare_v2("SELECT id FROM t WHERE id = ?");
  stmt.bind_int(1, 5);
  park_commit_hook_error(db);
  EXPECT_THROW((void)stmt.expanded_sql(), std::runtime_error) << "owned text (sqlite3_free)";
  park_commit_hook_error(db);
  EXPECT_THROW((void)db.serialize("main"), std::runtime_error) << "owned bytes";
  park_commit_hook_error(db);
  EXPECT_THROW((void)sqlite::Database::open(":memory:"), std::runtime_error) << "owned handle (out-parameter)";
  park_commit_hook_error(db);
  EXPECT_THROW((void)sqlite::StrBuilder::create(db), std::runtime_error) << "owned handle (returned)";
  EXPECT_EQ(stmt.expanded_sql(), std::optional<std::string>("SELECT id FROM t WHERE id = 5")) << "nothing pending";
}

TEST(Sqlite3Hooks, AuthorizerSeesAbsentNamesAsNullopt) {
  // Each of the authorizer's four names may be NULL: the callable gets std::optional.
  auto db = make_db();
  struct Ask {
    std::int32_t action;
    std::optional<std::string> a, b, c, d;
    bool operator==(const Ask&) const = default;
  };
  auto copy = [](std::optional<std::string_view> v) { return v ? std::optional<std::string>(*v) : std::nullopt; };
  std::vector<Ask> asked;
  db.set_authorizer([&](std::int32_t action, std::optional<std::string_view> a, std::optional<std::string_view> b,
                        std::optional<std::string_view> c, std::optional<std::string_view> d) -> std::int32_t {
    asked.push_back({action, copy(a), copy(b), copy(c), copy(d)});
    return action == SQLITE_INSERT ? SQLITE_DENY : SQLITE_OK;
  });
  (void)db.prepare_v2("SELECT name FROM t");
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.front(), (Ask{SQLITE_SELECT, std::nullopt, std::nullopt, std::nullopt, std::nullopt}))
      << "SELECT passes four NULLs";
  EXPECT_NE(std::find(asked.begin(), asked.end(), Ask{SQLITE_READ, "t", "name", "main", std::nullopt}), asked.end());
  try {
    (void)db.prepare_v2("INSERT INTO t (id) VALUES (1)");
    FAIL() << "the authorizer denied it";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code() & 0xff, SQLITE_AUTH);
  }
  db.set_authorizer(nullptr);
  EXPECT_NO_THROW(db.exec("INSERT INTO t (id) VALUES (1)"));
}

TEST(Sqlite3Hooks, AnAuthorizerExceptionLeavesPrepareAndTheStatementIsFinalized) {
  // The statement prepare_v2 made is adopted before the exception leaves, so it is finalized (the
  // ASan run of this test checks that nothing leaks).
  auto db = make_db();
  db.set_authorizer([](std::int32_t, std::optional<std::string_view>, std::optional<std::string_view>,
                       std::optional<std::string_view>, std::optional<std::string_view>) -> std::int32_t {
    throw std::logic_error("authorizer failed");
  });
  EXPECT_THROW((void)db.prepare_v2("SELECT id FROM t"), std::logic_error);
  db.set_authorizer(nullptr);
  EXPECT_EQ(count_rows(db), 0);
  db.close();  // close_v2 would keep a zombie connection for a statement nobody finalized
}

TEST(Sqlite3Hooks, CollationNeededGetsTheConnectionAsARef) {
  // A handle argument of a callback is the library's own object, borrowed: a non-owning Ref.
  auto db = make_db();
  std::vector<std::string> asked;
  db.collation_needed([&](sqlite::DatabaseRef ref, std::int32_t encoding, std::string_view name) {
    EXPECT_EQ(ref.c_ptr(), db.c_ptr());
    EXPECT_EQ(encoding, SQLITE_UTF8);
    asked.emplace_back(name);
  });
  EXPECT_THROW((void)db.prepare_v2("SELECT 'a' = 'b' COLLATE mine"), sqlite::Error) << "nobody registered it";
  EXPECT_EQ(asked, (std::vector<std::string>{"mine"}));
}

// ---- collations: a comparison gets two strings with their byte lengths (not NUL-terminated), as
// views valid while it runs -------------------------------------------------------------------

/// The text of a collation argument: the comparison of create_collation(_v2) gets UTF-8 text views
/// (the sidecar says `string: utf8`: the binding registers SQLITE_UTF8).
std::string_view text_of(std::string_view s) { return s; }

template <class String>
int compare_strings(const String& a, const String& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

/// The first column of every row `sql` gives.
std::vector<std::string> column_of(sqlite::Database& db, bindery::cstring_view sql) {
  std::vector<std::string> out;
  auto stmt = db.prepare_v2(sql);
  while (stmt.step() == SQLITE_ROW) out.emplace_back(stmt.column_text(0).value_or(""));
  return out;
}

sqlite::Database names_db() {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE n (name TEXT); INSERT INTO n VALUES ('B'), ('a'), ('C'), ('d')");
  return db;
}

TEST(Sqlite3Collations, ReversedCollationOrdersAQuery) {
  auto db = names_db();
  db.create_collation("reversed", [](auto a, auto b) -> std::int32_t {
    std::string x(text_of(a)), y(text_of(b));
    return compare_strings(y, x);  // binary order, backwards
  });
  EXPECT_EQ(column_of(db, "SELECT name FROM n ORDER BY name"), (std::vector<std::string>{"B", "C", "a", "d"}));
  EXPECT_EQ(column_of(db, "SELECT name FROM n ORDER BY name COLLATE reversed"),
            (std::vector<std::string>{"d", "a", "C", "B"}));
}

TEST(Sqlite3Collations, CaseFoldedCollationV2IsFreedWithTheConnection) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  std::vector<std::size_t> lengths;
  {
    auto db = names_db();
    db.exec("INSERT INTO n VALUES ('abc')");
    db.create_collation_v2("folded", [token, &lengths](auto a, auto b) -> std::int32_t {
      auto fold = [](std::string_view v) {
        std::string s(v);
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      };
      lengths.push_back(text_of(a).size());
      lengths.push_back(text_of(b).size());
      return compare_strings(fold(text_of(a)), fold(text_of(b)));
    });
    token.reset();
    EXPECT_FALSE(alive.expired()) << "SQLite holds it until the connection closes";
    EXPECT_EQ(column_of(db, "SELECT name FROM n ORDER BY name COLLATE folded"),
              (std::vector<std::string>{"a", "abc", "B", "C", "d"}));
    EXPECT_NE(std::find(lengths.begin(), lengths.end(), 3u), lengths.end()) << "each string exactly its length";
    EXPECT_EQ(std::find_if(lengths.begin(), lengths.end(), [](std::size_t n) { return n == 0 || n > 3; }),
              lengths.end());
  }  // close_v2 calls the destroy-notify
  EXPECT_TRUE(alive.expired());
}

TEST(Sqlite3Collations, Utf16CollationGetsUtf16Views) {
  auto db = names_db();
  db.exec("INSERT INTO n VALUES ('\u00e9t\u00e9')");
  std::vector<std::u16string> seen;
  db.create_collation16(u"reversed16", [&](std::u16string_view a, std::u16string_view b) -> std::int32_t {
    seen.emplace_back(a);
    seen.emplace_back(b);
    return compare_strings(b, a);
  });
  EXPECT_EQ(column_of(db, "SELECT name FROM n ORDER BY name COLLATE reversed16"),
            (std::vector<std::string>{"\u00e9t\u00e9", "d", "a", "C", "B"}));
  EXPECT_NE(std::find(seen.begin(), seen.end(), u"\u00e9t\u00e9"), seen.end()) << "UTF-16, lengths in bytes";
}

TEST(Sqlite3Collations, CollationNeeded16RegistersOnDemand) {
  auto db = names_db();
  std::vector<std::u16string> asked;
  db.collation_needed16([&](sqlite::DatabaseRef ref, std::int32_t encoding, std::u16string_view name) {
    EXPECT_EQ(ref.c_ptr(), db.c_ptr());
    EXPECT_EQ(encoding, SQLITE_UTF8);
    asked.emplace_back(name);  // NUL-terminated UTF-16
    ref.create_collation16(std::u16string(name), [](std::u16string_view a, std::u16string_view b) -> std::int32_t {
      return compare_strings(b, a);
    });
  });
  EXPECT_EQ(column_of(db, "SELECT name FROM n ORDER BY name COLLATE \"na\u00efve\""),
            (std::vector<std::string>{"d", "a", "C", "B"}));
  EXPECT_EQ(asked, (std::vector<std::u16string>{u"na\u00efve"}));
  (void)column_of(db, "SELECT name FROM n ORDER BY name COLLATE \"na\u00efve\"");
  EXPECT_EQ(asked.size(), 1u) << "registered: not needed again";
}

// ---- application-defined SQL functions: the callable gets the call's Context and its arguments as
// ValueRefs (sqlite3_value handles lent for the call: never destroyed by the binding) -----------

/// The single integer `sql` gives.
std::int64_t int64_of(sqlite::Database& db, bindery::cstring_view sql) {
  auto stmt = db.prepare_v2(sql);
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return stmt.column_int64(0);
}

/// The single text `sql` gives ("<null>" for NULL).
std::string text_of_query(sqlite::Database& db, bindery::cstring_view sql) {
  auto stmt = db.prepare_v2(sql);
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return std::string(stmt.column_text(0).value_or("<null>"));
}

TEST(Sqlite3Functions, ScalarFunctionV2DoublesItsArgument) {
  auto db = sqlite::Database::open(":memory:");
  std::vector<std::size_t> counts;
  db.create_function_v2("twice", 1, [&](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    static_assert(std::is_same_v<decltype(args[0]), sqlite::ValueRef>, "a non-owning view, never a Value");
    counts.push_back(args.size());
    ctx.result_int64(args[0].int64() * 2);
  });
  EXPECT_EQ(int64_of(db, "SELECT twice(21)"), 42);
  EXPECT_EQ(int64_of(db, "SELECT twice(twice(-5))"), -20);
  EXPECT_EQ(counts, (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_THROW((void)db.prepare_v2("SELECT twice(1, 2)"), sqlite::Error) << "registered for one argument only";
}

TEST(Sqlite3Functions, TextInTextOutAndAnyNumberOfArguments) {
  auto db = sqlite::Database::open(":memory:");
  // n_arg -1: any number; each argument read as text (NULL is std::nullopt), the result a copy.
  db.create_function_v2("joined", -1, [](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    std::string out;
    for (sqlite::ValueRef v : args) {
      if (!out.empty()) out += '+';
      out += v.text().value_or("null");
    }
    ctx.result_text(out);  // SQLITE_TRANSIENT: SQLite copies before `out` goes
  });
  EXPECT_EQ(text_of_query(db, "SELECT joined('Grüße', 12, NULL, x'41')"), "Grüße+12+null+A");
  EXPECT_EQ(text_of_query(db, "SELECT joined()"), "");
  db.create_function_v2("upper_or_null", 1, [](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    const std::optional<std::string_view> in = args[0].text();
    if (!in) return ctx.result_null();
    std::string s(*in);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ctx.result_text(s);
  });
  EXPECT_EQ(text_of_query(db, "SELECT upper_or_null('abc')"), "ABC");
  EXPECT_EQ(text_of_query(db, "SELECT upper_or_null(NULL)"), "<null>");
}

TEST(Sqlite3Functions, TheCallableIsReleasedWhenTheConnectionCloses) {
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> alive = token;
  {
    auto db = sqlite::Database::open(":memory:");
    db.create_function_v2("seven", 0, [token](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef>) {
      ctx.result_int(*token);
    });
    token.reset();
    EXPECT_FALSE(alive.expired()) << "SQLite holds it while the function is registered";
    EXPECT_EQ(int64_of(db, "SELECT seven()"), 7);
  }  // close_v2 calls the destroy-notify
  EXPECT_TRUE(alive.expired());
}

TEST(Sqlite3Functions, ReplacingAFunctionReleasesTheOldCallable) {
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> alive = token;
  auto db = sqlite::Database::open(":memory:");
  db.create_function_v2("one", 0, [token](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef>) {
    ctx.result_int(*token);
  });
  token.reset();
  EXPECT_EQ(int64_of(db, "SELECT one()"), 1);
  db.create_function_v2("one", 0, [](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef>) {
    ctx.result_int(11);
  });
  EXPECT_TRUE(alive.expired()) << "the replaced registration's destroy-notify ran";
  EXPECT_EQ(int64_of(db, "SELECT one()"), 11);
}

TEST(Sqlite3Functions, AnExceptionInsideTheFunctionLeavesStepAndExec) {
  auto db = make_db();
  db.create_function_v2("boom", 1, [](sqlite::Context, bindery::borrowed_handles<sqlite::ValueRef> args) {
    throw std::runtime_error("boom " + std::to_string(args[0].int64()));
  });
  auto stmt = db.prepare_v2("SELECT boom(3)");
  try {
    (void)stmt.step();
    FAIL() << "the function's exception must leave step()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom 3");
  }
  try {
    db.exec("INSERT INTO t (id, n) VALUES (1, boom(4))");
    FAIL() << "the function's exception must leave exec()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom 4");
  }
  // Nothing stays parked: the connection works on.
  EXPECT_NO_THROW(db.exec("INSERT INTO t (id) VALUES (2)"));
  EXPECT_EQ(count_rows(db), 2);  // the throwing call's row went in with a NULL: SQLite never saw an error
}

TEST(Sqlite3Functions, CreateFunctionKeepsTheCallableForever) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  {
    auto db = sqlite::Database::open(":memory:");
    db.create_function("plus", 2, [token](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
      ctx.result_int64(args[0].int64() + args[1].int64() + *token);
    });
    EXPECT_EQ(int64_of(db, "SELECT plus(40, 2)"), 42);
  }
  token.reset();
  EXPECT_FALSE(alive.expired()) << "no destroy-notify: SQLite never says when it drops it (kept forever)";
}

TEST(Sqlite3Functions, CreateFunction16TakesAUtf16Name) {
  auto db = sqlite::Database::open(":memory:");
  db.create_function16(u"d\u00e9j\u00e0", 1, [](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    ctx.result_text16(std::u16string(args[0].text16().value_or(u"")) + u"!");
  });
  EXPECT_EQ(text_of_query(db, "SELECT \"d\u00e9j\u00e0\"('vu')"), "vu!");
}

// ---- Filename: a handle on a pointer typedef (sqlite3_filename is `const char *`), never text --

TEST(Sqlite3Filename, UriParametersOfTheMainDatabase) {
  const auto path =
      std::filesystem::temp_directory_path() / ("bindery_cpp_uri_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  { sqlite::Database::open(path.string()).exec("CREATE TABLE t (id INTEGER)"); }
  {
    auto db = sqlite::Database::open_v2("file:" + path.string() + "?mode=ro&x=1",
                                        sqlite::OpenFlags::Readonly | sqlite::OpenFlags::Uri, std::nullopt);
    std::optional<sqlite::FilenameRef> f = db.db_filename();
    ASSERT_TRUE(f.has_value());
    static_assert(std::is_same_v<decltype(f->c_ptr()), sqlite3_filename>);
    EXPECT_EQ(static_cast<const char*>(f->c_ptr()), sqlite3_db_filename(db.c_ptr(), "main"))
        << "the very pointer SQLite made: the parameters live after its NUL";
    EXPECT_EQ(f->uri_parameter("mode"), std::optional<std::string_view>("ro"));
    EXPECT_EQ(f->uri_parameter("x"), std::optional<std::string_view>("1"));
    EXPECT_EQ(f->uri_parameter("nope"), std::nullopt);
    EXPECT_TRUE(f->uri_boolean("x", false));
    EXPECT_TRUE(f->uri_boolean("nope", true)) << "the default";
    EXPECT_EQ(f->uri_int64("x", 0), 1);
    EXPECT_EQ(f->uri_int64("nope", 42), 42);
    EXPECT_EQ(f->uri_key(0), std::optional<std::string_view>("mode"));
    EXPECT_EQ(f->uri_key(1), std::optional<std::string_view>("x"));
    EXPECT_EQ(f->database(), std::optional<std::string_view>(std::filesystem::canonical(path).string()));
    EXPECT_EQ(f->journal(), std::optional<std::string_view>(std::filesystem::canonical(path).string() + "-journal"));
    EXPECT_EQ(f->wal(), std::optional<std::string_view>(std::filesystem::canonical(path).string() + "-wal"));
    EXPECT_THROW(db.exec("INSERT INTO t VALUES (1)"), sqlite::Error) << "mode=ro reached SQLite";
  }
  std::filesystem::remove(path);
}

TEST(Sqlite3Filename, AnInMemoryDatabaseHasAnEmptyName) {
  auto db = sqlite::Database::open(":memory:");
  std::optional<sqlite::FilenameRef> f = db.db_filename();
  ASSERT_TRUE(f.has_value()) << "SQLite gives an empty name, not NULL";
  EXPECT_EQ(f->database(), std::optional<std::string_view>(""));
  EXPECT_EQ(f->uri_parameter("mode"), std::nullopt);
}

// ---- UTF-16 twins: std::u16string_view in, std::u16string_view out (borrowed) -----------------

TEST(Sqlite3Utf16, OpenPrepareBindAndReadUtf16) {
  auto db = sqlite::Database::open16(u":memory:");
  db.exec("CREATE TABLE t (name TEXT)");
  const std::u16string sample = u"Gr\u00fc\u00dfe, \u4e16\u754c \U0001F600";
  {
    auto insert = db.prepare16_v2(u"INSERT INTO t (name) VALUES (?)");
    insert.bind_text16(1, sample);
    EXPECT_EQ(insert.step(), SQLITE_DONE);
  }
  auto select = db.prepare16_v2(u"SELECT name AS \u540d\u524d FROM t");
  EXPECT_EQ(select.column_name16(0), std::optional<std::u16string_view>(u"\u540d\u524d"));
  ASSERT_EQ(select.step(), SQLITE_ROW);
  EXPECT_EQ(select.column_text16(0), std::optional<std::u16string_view>(sample)) << "length from column_bytes16, in bytes";
  EXPECT_EQ(select.column_text(0), std::optional<std::string_view>("Gr\u00fc\u00dfe, \u4e16\u754c \U0001F600"))
      << "SQLite converted it: the same text in UTF-8";
}

TEST(Sqlite3Utf16, ErrmsgAndComplete16) {
  auto db = sqlite::Database::open16(u":memory:");
  EXPECT_THROW((void)db.prepare16_v2(u"SELEC 1"), sqlite::Error);
  EXPECT_EQ(db.errmsg16(), u"near \"SELEC\": syntax error");
  EXPECT_EQ(sqlite::complete16(u"SELECT 1;"), 1);
  EXPECT_EQ(sqlite::complete16(u"SELECT 1"), 0);
}

// ---- an output with its length (keyword_name: static text, not NUL-terminated) ----------------

TEST(Sqlite3, KeywordNameHasExactlyItsLength) {
  const std::int32_t n = sqlite::keyword_count();
  ASSERT_GT(n, 100);
  std::vector<std::string_view> words;
  for (std::int32_t i = 0; i < n; ++i) words.push_back(sqlite::keyword_name(i));
  // Not NUL-terminated: each view ends where its length says, so none runs into the next keyword.
  EXPECT_NE(std::find(words.begin(), words.end(), "SELECT"), words.end());
  EXPECT_NE(std::find(words.begin(), words.end(), "ABORT"), words.end());
  for (auto w : words) {
    EXPECT_FALSE(w.empty());
    EXPECT_TRUE(sqlite::keyword_check(w)) << w;
  }
  EXPECT_THROW((void)sqlite::keyword_name(n), sqlite::Error);
}

// ---- ownership transfers (session 5): column_value's owned copy, close_strict, deserialize ------

TEST(Sqlite3Transfers, ColumnValueIsAnOwnedCopyThatOutlivesTheRow) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT 42, 'forty-two' UNION ALL SELECT 7, 'seven'");
  ASSERT_EQ(stmt.step(), SQLITE_ROW);
  sqlite::Value number = stmt.column_value(0);  // sqlite3_value_dup of the lent, unprotected value
  sqlite::Value text = stmt.column_value(1);
  ASSERT_EQ(stmt.step(), SQLITE_ROW);  // the lent values now hold the second row
  stmt.close();                        // and are gone
  EXPECT_EQ(number.int64(), 42);
  EXPECT_EQ(text.text(), std::optional<std::string_view>("forty-two"));
  static_assert(std::is_same_v<decltype(stmt.column_value(0)), sqlite::Value>, "an owner, not a ValueRef");
}

TEST(Sqlite3Transfers, CloseStrictIsRefusedWhileAStatementIsOpen) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  auto stmt = db.prepare_v2("SELECT x FROM t");
  try {
    db.close_strict();
    FAIL() << "sqlite3_close returns SQLITE_BUSY while a statement is unfinalized";
  } catch (const sqlite::Error& e) {
    EXPECT_EQ(e.code(), SQLITE_BUSY);
  }
  ASSERT_TRUE(db.is_open()) << "a failed close_strict leaves the connection open";
  db.exec("INSERT INTO t VALUES (2)");
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  stmt.close();
  db.close_strict();
  EXPECT_FALSE(db.is_open());
  EXPECT_THROW(db.exec("SELECT 1"), bindery::use_after_close);
  EXPECT_THROW(db.close_strict(), bindery::use_after_close);
  db.close();  // nothing left to close (and under ASan: nothing closed twice)
}

template <class D>
constexpr bool has_close_strict = requires(D& d) { d.close_strict(); };
TEST(Sqlite3Transfers, ARefCannotCloseStrict) {
  static_assert(has_close_strict<sqlite::Database>);
  static_assert(!has_close_strict<sqlite::DatabaseRef>, "a Ref does not own the connection it would destroy");
}

TEST(Sqlite3Transfers, CloseStrictFreesTheCallablesTheConnectionKept) {
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> alive = token;
  auto db = sqlite::Database::open(":memory:");
  db.commit_hook([token]() -> std::int32_t { return 0; });
  token.reset();
  EXPECT_FALSE(alive.expired());
  db.close_strict();
  EXPECT_TRUE(alive.expired()) << "the hook went with the connection";
}

TEST(Sqlite3Transfers, DeserializeCopiesTheImageIntoSqliteMemory) {
  auto source = sqlite::Database::open(":memory:");
  source.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
  std::optional<std::vector<std::byte>> image = source.serialize("main");
  ASSERT_TRUE(image.has_value());
  auto copy = sqlite::Database::open(":memory:");
  copy.deserialize(std::nullopt, *image);
  std::fill(image->begin(), image->end(), std::byte{0});  // SQLite holds its own copy
  EXPECT_EQ(int64_of(copy, "SELECT sum(x) FROM t"), 6);
  // RESIZEABLE: the image grows in SQLite's own memory; FREEONCLOSE: SQLite frees it (LeakSanitizer
  // in the _asan run would see a leak otherwise).
  copy.exec("INSERT INTO t SELECT x + 3 FROM t; INSERT INTO t SELECT x + 6 FROM t");
  EXPECT_EQ(int64_of(copy, "SELECT count(*) FROM t"), 12);
}

TEST(Sqlite3Transfers, AFailedDeserializeIsFreedBySqlite) {
  auto source = sqlite::Database::open(":memory:");
  source.exec("CREATE TABLE t(x)");
  const std::vector<std::byte> image = source.serialize("main").value();
  auto db = sqlite::Database::open(":memory:");
  // No schema of that name: SQLITE_ERROR, and SQLite frees the copy (FREEONCLOSE), never the binding.
  EXPECT_THROW(db.deserialize("nope", image), sqlite::Error);
  EXPECT_TRUE(db.is_open());
  db.deserialize("main", image);
  EXPECT_EQ(int64_of(db, "SELECT count(*) FROM t"), 0);
}

// ---- host values (session 5): pointer passing and auxiliary data carry std::any -----------------

/// Registers `peek(x)`: the text held by the std::shared_ptr<std::string> that x points to, or
/// 'none' when x carries no value of this binding.
void register_peek(sqlite::Database& db) {
  db.create_function_v2("peek", 1, [](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    const std::optional<std::any> value = args[0].pointer();
    ctx.result_text(value ? *std::any_cast<std::shared_ptr<std::string>>(*value) : std::string("none"));
  });
}

TEST(Sqlite3HostValues, BindPointerReachesValuePointer) {
  auto db = sqlite::Database::open(":memory:");
  register_peek(db);
  auto held = std::make_shared<std::string>("hello");
  std::weak_ptr<std::string> alive = held;
  {
    auto stmt = db.prepare_v2("SELECT peek(?1), peek(42), peek(NULL)");
    stmt.bind_pointer(1, std::move(held));
    ASSERT_EQ(stmt.step(), SQLITE_ROW);
    EXPECT_EQ(stmt.column_text(0), std::optional<std::string_view>("hello"));
    EXPECT_EQ(stmt.column_text(1), std::optional<std::string_view>("none")) << "not a pointer value";
    EXPECT_EQ(stmt.column_text(2), std::optional<std::string_view>("none"));
    EXPECT_FALSE(alive.expired()) << "SQLite holds the box while bound";
    stmt.reset();
    stmt.bind_null(1);  // SQLite releases the box it held
    EXPECT_TRUE(alive.expired());
  }
}

TEST(Sqlite3HostValues, APointerUnderAnotherTagIsNeverUnboxed) {
  auto db = sqlite::Database::open(":memory:");
  register_peek(db);
  auto stmt = db.prepare_v2("SELECT peek(?1)");
  static int foreign = 7;
  ASSERT_EQ(sqlite3_bind_pointer(stmt.c_ptr(), 1, &foreign, "another-binding", nullptr), SQLITE_OK);
  ASSERT_EQ(stmt.step(), SQLITE_ROW);
  EXPECT_EQ(stmt.column_text(0), std::optional<std::string_view>("none"));
}

TEST(Sqlite3HostValues, BindPointerOutOfRangeReleasesTheBoxAtOnce) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT ?1");
  auto held = std::make_shared<int>(1);
  std::weak_ptr<int> alive = held;
  EXPECT_THROW(stmt.bind_pointer(5, std::move(held)), sqlite::OutOfRange);
  EXPECT_TRUE(alive.expired()) << "SQLite called the release function even though the call failed";
  EXPECT_THROW(stmt.bind_pointer(1, std::any{}), std::invalid_argument) << "an empty std::any is no value";
}

TEST(Sqlite3HostValues, ResultPointerFeedsAnotherFunction) {
  auto db = sqlite::Database::open(":memory:");
  register_peek(db);
  std::weak_ptr<std::string> made;
  db.create_function_v2("make", 0, [&made](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef>) {
    auto value = std::make_shared<std::string>("made in C++");
    made = value;
    ctx.result_pointer(std::move(value));
  });
  EXPECT_EQ(text_of_query(db, "SELECT peek(make())"), "made in C++");
  EXPECT_TRUE(made.expired()) << "released once SQLite was done with the result";
}

TEST(Sqlite3HostValues, AuxiliaryDataIsComputedOncePerStatement) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES ('a'), ('bb'), ('ccc')");
  int compiled = 0;
  std::weak_ptr<std::string> kept;
  // prefixed(p, x): p || x, where the "compiled" prefix is kept as auxiliary data on argument 0.
  db.create_function_v2("prefixed", 2, [&](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    std::shared_ptr<std::string> prefix;
    if (std::optional<std::any> aux = ctx.get_auxdata(0)) {
      prefix = std::any_cast<std::shared_ptr<std::string>>(*aux);
    } else {
      ++compiled;
      prefix = std::make_shared<std::string>(std::string(args[0].text().value_or("")) + ":");
      kept = prefix;
      ctx.set_auxdata(0, prefix);
    }
    ctx.result_text(*prefix + std::string(args[1].text().value_or("")));
  });
  {
    auto stmt = db.prepare_v2("SELECT prefixed('p', x) FROM t ORDER BY x");
    std::vector<std::string> rows;
    while (stmt.step() == SQLITE_ROW) rows.emplace_back(stmt.column_text(0).value_or(""));
    EXPECT_EQ(rows, (std::vector<std::string>{"p:a", "p:bb", "p:ccc"}));
    EXPECT_EQ(compiled, 1) << "a constant argument keeps its auxiliary data from row to row";
  }
  EXPECT_TRUE(kept.expired()) << "released when the statement is finalized";
}

// ---- variants (session 5): db_config and file_control as typed members -------------------------

TEST(Sqlite3Variants, DbConfigEnablesForeignKeys) {
  auto db = sqlite::Database::open(":memory:");
  EXPECT_EQ(db.config_enable_fkey(0), 0) << "the setting comes back through the out-parameter";
  EXPECT_EQ(int64_of(db, "PRAGMA foreign_keys"), 0);
  EXPECT_EQ(db.config_enable_fkey(1), 1);
  EXPECT_EQ(int64_of(db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.config_enable_fkey(-1), 1) << "-1 asks without changing it";
  db.exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p REFERENCES p(id))");
  EXPECT_THROW(db.exec("INSERT INTO c VALUES (99)"), sqlite::Error) << "the constraint is enforced";
  EXPECT_EQ(db.config_defensive(1), 1);
}

TEST(Sqlite3Variants, FileControlOnAFileDatabase) {
  const auto path =
      std::filesystem::temp_directory_path() / ("bindery_cpp_fcntl_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto db = sqlite::Database::open(path.c_str());
    db.exec("CREATE TABLE t(x)");
    EXPECT_EQ(db.file_control_persist_wal(std::nullopt, 1), 1);
    EXPECT_EQ(db.file_control_persist_wal("main", -1), 1) << "-1 asks";
    EXPECT_EQ(db.file_control_has_moved(std::nullopt), 0);
    const std::uint32_t before = db.file_control_data_version(std::nullopt);
    auto other = sqlite::Database::open(path.c_str());
    other.exec("INSERT INTO t VALUES (1)");
    EXPECT_EQ(int64_of(db, "SELECT count(*) FROM t"), 1);  // the pager sees the change at its next read
    EXPECT_NE(db.file_control_data_version(std::nullopt), before) << "another connection changed the file";
    EXPECT_THROW((void)db.file_control_persist_wal("nope", -1), sqlite::Error) << "no such schema";
  }
  std::filesystem::remove(path);
}

// ---- the rest of the bound API, function by function (every function the IR binds is called
// through the generated API somewhere in this file) -------------------------------------------

TEST(Sqlite3Api, LibraryInformationAndStringHelpers) {
  EXPECT_EQ(sqlite::libversion_number(), SQLITE_VERSION_NUMBER);
  EXPECT_EQ(sqlite::sourceid(), std::string_view(SQLITE_SOURCE_ID));
  EXPECT_GE(sqlite::threadsafe(), 0);
  if (std::optional<std::string_view> first = sqlite::compileoption_get(0)) {
    EXPECT_TRUE(sqlite::compileoption_used(std::string(*first).c_str()));
  }
  EXPECT_EQ(sqlite::compileoption_get(100000), std::nullopt);
  EXPECT_EQ(sqlite::complete("SELECT 1;"), 1);
  EXPECT_EQ(sqlite::complete("SELECT 1"), 0);
  EXPECT_EQ(sqlite::errstr(SQLITE_BUSY), "database is locked");
  EXPECT_EQ(sqlite::stricmp("ABC", "abc"), 0);
  EXPECT_EQ(sqlite::strnicmp("ABx", "aby", 2), 0);
  EXPECT_EQ(sqlite::strglob("a*c", "abbc"), 0);
  EXPECT_EQ(sqlite::strlike("a%C", "abbc", 0), 0);
  EXPECT_NE(sqlite::strglob("a*c", "abd"), 0);
  sqlite::initialize();
  sqlite::os_init();
  EXPECT_GE(sqlite::memory_used(), 0);
  EXPECT_GE(sqlite::memory_highwater(0), sqlite::memory_used());
  EXPECT_GE(sqlite::release_memory(1024), 0);
  const std::int64_t soft = sqlite::soft_heap_limit64(-1);  // negative: asks
  EXPECT_EQ(sqlite::soft_heap_limit64(soft), soft);
  EXPECT_GE(sqlite::hard_heap_limit64(-1), 0);
  EXPECT_GE(sqlite::sleep(0), 0);
  std::array<std::byte, 32> random{};
  sqlite::randomness(random);
  EXPECT_TRUE(std::any_of(random.begin(), random.end(), [](std::byte b) { return b != std::byte{0}; }));
  auto status = sqlite::status64(SQLITE_STATUS_MEMORY_USED, 0);
  EXPECT_GE(status.pHighwater, status.pCurrent);
}

TEST(Sqlite3Api, ConnectionCountersLimitsAndErrors) {
  auto db = sqlite::Database::open(":memory:");
  db.extended_result_codes(1);
  db.busy_timeout(10);
  db.exec("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL DEFAULT 'd')");
  db.exec("INSERT INTO t(y) VALUES ('a'), ('b')");
  EXPECT_EQ(db.changes64(), 2);
  EXPECT_EQ(db.total_changes64(), 2);
  db.set_last_insert_rowid(99);
  EXPECT_EQ(int64_of(db, "SELECT last_insert_rowid()"), 99);
  const std::int32_t default_length = db.limit(sqlite::Limit::SqlLength, -1);  // negative: asks
  EXPECT_EQ(db.limit(sqlite::Limit::SqlLength, 100), default_length) << "the old limit comes back";
  EXPECT_EQ(db.limit(sqlite::Limit::SqlLength, -1), 100);
  EXPECT_THROW((void)db.prepare_v2("SELECT '" + std::string(200, 'x') + "'"), sqlite::Error);
  (void)db.limit(sqlite::Limit::SqlLength, default_length);
  EXPECT_THROW(db.exec("INSERT INTO t(y) VALUES (NULL)"), sqlite::Error);
  EXPECT_EQ(db.errcode(), SQLITE_CONSTRAINT_NOTNULL) << "extended_result_codes(1) extends errcode too";
  EXPECT_EQ(db.errcode() & 0xff, SQLITE_CONSTRAINT);
  EXPECT_EQ(db.extended_errcode(), SQLITE_CONSTRAINT_NOTNULL);
  EXPECT_NE(db.errmsg().find("NOT NULL"), std::string_view::npos);
  EXPECT_THROW((void)db.prepare_v2("SELECT nope FROM t"), sqlite::Error);
  EXPECT_GE(db.error_offset(), 0) << "points into the SQL";
  EXPECT_EQ(db.system_errno(), 0);
  EXPECT_EQ(db.db_name(0), std::optional<std::string_view>("main"));
  EXPECT_EQ(db.db_readonly("main"), 0);
  EXPECT_EQ(db.txn_state(std::nullopt), SQLITE_TXN_NONE);
  db.exec("BEGIN; INSERT INTO t(y) VALUES ('c')");
  EXPECT_EQ(db.txn_state("main"), SQLITE_TXN_WRITE);
  db.exec("COMMIT");
  db.db_release_memory();
  db.db_cacheflush();
  auto used = db.db_status(SQLITE_DBSTATUS_CACHE_USED, 0);
  EXPECT_GT(used.current, 0);
  auto meta = db.table_column_metadata(std::nullopt, "t", "y");
  EXPECT_EQ(meta.data_type, "TEXT");
  EXPECT_EQ(meta.not_null, 1);
  EXPECT_EQ(meta.primary_key, 0);
  EXPECT_THROW((void)db.table_column_metadata(std::nullopt, "t", "nope"), sqlite::Error);
  db.interrupt();  // nothing running: the next statement starts afresh
  db.overload_function("later_defined", 1);
  EXPECT_THROW(db.exec("SELECT later_defined(1)"), sqlite::Error) << "the placeholder raises when called";
  db.enable_load_extension(0);
  EXPECT_THROW(db.load_extension("/nonexistent/extension", std::nullopt), sqlite::Error);
  ASSERT_TRUE(db.db_mutex().has_value() || sqlite::threadsafe() == 0);
}

TEST(Sqlite3Api, ProgressHandlerAndWalFunctions) {
  auto db = sqlite::Database::open(":memory:");
  int progress = 0;
  db.progress_handler(1, [&progress]() -> std::int32_t {
    ++progress;
    return 0;
  });
  EXPECT_EQ(int64_of(db, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100) SELECT sum(n) FROM c"),
            5050);
  EXPECT_GT(progress, 0);
  db.progress_handler(1, [] { return 1; });  // nonzero interrupts
  EXPECT_THROW((void)int64_of(db, "SELECT 1"), sqlite::Error);
  db.progress_handler(0, nullptr);

  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_wal_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto file = sqlite::Database::open(path.c_str());
    EXPECT_EQ(text_of_query(file, "PRAGMA journal_mode=WAL"), "wal");
    int hooked = 0;
    file.wal_hook([&hooked](sqlite::DatabaseRef, std::string_view schema, std::int32_t pages) -> std::int32_t {
      EXPECT_EQ(schema, "main");
      EXPECT_GT(pages, 0);
      ++hooked;
      return SQLITE_OK;
    });
    file.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    EXPECT_GT(hooked, 0);
    file.wal_autocheckpoint(0);
    file.wal_checkpoint(std::nullopt);
    auto frames = file.wal_checkpoint_v2("main", sqlite::CheckpointMode::Passive);
    EXPECT_GE(frames.log_frames, frames.checkpointed_frames);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST(Sqlite3Api, StatementMetadataAndEveryBind) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE t(a INTEGER, b REAL, c TEXT, d BLOB)");
  auto insert = db.prepare_v3("INSERT INTO t VALUES (:a, :b, :c, :d)", sqlite::PrepareFlags::Persistent);
  EXPECT_FALSE(insert.readonly());
  EXPECT_EQ(insert.isexplain(), 0);
  EXPECT_EQ(insert.bind_parameter_count(), 4);
  EXPECT_EQ(insert.bind_parameter_name(2), std::optional<std::string_view>(":b"));
  EXPECT_EQ(insert.bind_parameter_index(":c"), 3);
  EXPECT_EQ(insert.sql(), std::optional<std::string_view>("INSERT INTO t VALUES (:a, :b, :c, :d)"));
  const std::array<std::byte, 3> blob{std::byte{1}, std::byte{2}, std::byte{3}};
  insert.bind_int(1, 1);
  insert.bind_double(2, 2.5);
  insert.bind_text64(3, "text64");
  insert.bind_blob64(4, blob);
  EXPECT_EQ(insert.expanded_sql(), std::optional<std::string>("INSERT INTO t VALUES (1, 2.5, 'text64', x'010203')"));
  EXPECT_EQ(insert.step(), SQLITE_DONE);
  insert.reset();
  insert.bind_zeroblob(4, 4);
  EXPECT_EQ(insert.step(), SQLITE_DONE);
  insert.reset();
  insert.bind_zeroblob64(4, 2);
  EXPECT_EQ(insert.step(), SQLITE_DONE);
  EXPECT_GE(insert.status(SQLITE_STMTSTATUS_VM_STEP, 0), 1);

  auto query = db.prepare("SELECT a, b, c, length(d), d FROM t ORDER BY rowid");
  EXPECT_TRUE(query.readonly());
  EXPECT_FALSE(query.busy());
  ASSERT_EQ(query.step(), SQLITE_ROW);
  EXPECT_TRUE(query.busy());
  EXPECT_EQ(query.data_count(), 5);
  EXPECT_EQ(query.column_double(1), 2.5);
  EXPECT_EQ(query.column_bytes(2), 6);
  EXPECT_EQ(query.column_bytes16(2), 12);
  EXPECT_EQ(query.column_database_name(0), std::optional<std::string_view>("main"));
  EXPECT_EQ(query.column_database_name16(0), std::optional<std::u16string_view>(u"main"));
  EXPECT_EQ(query.column_table_name(1), std::optional<std::string_view>("t"));
  EXPECT_EQ(query.column_table_name16(1), std::optional<std::u16string_view>(u"t"));
  EXPECT_EQ(query.column_origin_name(2), std::optional<std::string_view>("c"));
  EXPECT_EQ(query.column_origin_name16(2), std::optional<std::u16string_view>(u"c"));
  EXPECT_EQ(query.column_decltype(1), std::optional<std::string_view>("REAL"));
  EXPECT_EQ(query.column_decltype16(2), std::optional<std::u16string_view>(u"TEXT"));
  EXPECT_EQ(query.column_decltype(3), std::nullopt) << "an expression has no declared type";
  EXPECT_EQ(query.db_handle().c_ptr(), db.c_ptr());
  ASSERT_EQ(query.step(), SQLITE_ROW);
  EXPECT_EQ(query.column_int64(3), 4) << "zeroblob(4)";
  ASSERT_EQ(query.step(), SQLITE_ROW);
  EXPECT_EQ(query.column_int64(3), 2);

  // bind_value: a Value copied out of one statement bound into another.
  auto source = db.prepare_v2("SELECT c FROM t");
  ASSERT_EQ(source.step(), SQLITE_ROW);
  sqlite::Value text = source.column_value(0);
  auto echo = db.prepare16(u"SELECT ?1");
  echo.bind_value(1, text);
  ASSERT_EQ(echo.step(), SQLITE_ROW);
  EXPECT_EQ(echo.column_text(0), std::optional<std::string_view>("text64"));
  auto echo3 = db.prepare16_v3(u"SELECT 3", sqlite::PrepareFlags::NoVtab);
  ASSERT_EQ(echo3.step(), SQLITE_ROW);
  EXPECT_EQ(echo3.column_int64(0), 3);
}

TEST(Sqlite3Api, ValueGetters) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT 2.5, 7, 'héllo', NULL");
  ASSERT_EQ(stmt.step(), SQLITE_ROW);
  sqlite::Value real = stmt.column_value(0);
  sqlite::Value integer = stmt.column_value(1);
  sqlite::Value text = stmt.column_value(2);
  sqlite::Value null = stmt.column_value(3);
  EXPECT_EQ(real.double_(), 2.5);
  EXPECT_EQ(real.type(), SQLITE_FLOAT);
  EXPECT_EQ(integer.int_(), 7);
  EXPECT_EQ(integer.type(), SQLITE_INTEGER);
  EXPECT_EQ(text.numeric_type(), SQLITE_TEXT);
  EXPECT_EQ(text.bytes(), 6);
  EXPECT_EQ(text.bytes16(), 10);
  const std::optional<std::span<const std::byte>> le = text.text16le();
  ASSERT_TRUE(le.has_value());
  EXPECT_EQ(le->size(), 10u);
  EXPECT_EQ(static_cast<char>((*le)[0]), 'h');
  const std::optional<std::span<const std::byte>> be = text.text16be();
  ASSERT_TRUE(be.has_value());
  EXPECT_EQ(static_cast<char>((*be)[1]), 'h');
  EXPECT_EQ(null.type(), SQLITE_NULL);
  EXPECT_EQ(integer.nochange(), 0);
  EXPECT_EQ(integer.frombind(), 0);
  EXPECT_EQ(integer.subtype(), 0u);
  EXPECT_GT(text.encoding(), 0);
  std::optional<sqlite::Value> again = integer.dup();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->int64(), 7);
}

TEST(Sqlite3Api, EveryContextResult) {
  auto db = sqlite::Database::open(":memory:");
  db.create_function_v2("r", 1, [&db](sqlite::Context ctx, bindery::borrowed_handles<sqlite::ValueRef> args) {
    EXPECT_EQ(ctx.db_handle().c_ptr(), db.c_ptr());
    const std::string kind(args[0].text().value_or(""));
    const std::array<std::byte, 2> two{std::byte{0xab}, std::byte{0xcd}};
    const std::u16string hi = u"hi";
    const std::span<const std::byte> hi_bytes = std::as_bytes(std::span(hi));
    if (kind == "blob") ctx.result_blob(two);
    else if (kind == "blob64") ctx.result_blob64(two);
    else if (kind == "double") ctx.result_double(0.25);
    else if (kind == "text64") ctx.result_text64("t64");
    else if (kind == "text16le" && std::endian::native == std::endian::little) ctx.result_text16le(hi_bytes);
    else if (kind == "text16le") ctx.result_text("hi");
    else if (kind == "text16be" && std::endian::native == std::endian::big) ctx.result_text16be(hi_bytes);
    else if (kind == "text16be") ctx.result_text("hi");
    else if (kind == "value") ctx.result_value(args[0]);
    else if (kind == "zeroblob") ctx.result_zeroblob(3);
    else if (kind == "zeroblob64") ctx.result_zeroblob64(5);
    else if (kind == "subtype") {
      ctx.result_int64(1);
      ctx.result_subtype(0);
    } else if (kind == "error") ctx.result_error("my error");
    else if (kind == "error16") ctx.result_error16(u"my error16");
    else if (kind == "toobig") ctx.result_error_toobig();
    else if (kind == "nomem") ctx.result_error_nomem();
    else ctx.result_error_code(SQLITE_PERM);
  });
  EXPECT_EQ(text_of_query(db, "SELECT hex(r('blob'))"), "ABCD");
  EXPECT_EQ(text_of_query(db, "SELECT hex(r('blob64'))"), "ABCD");
  EXPECT_EQ(text_of_query(db, "SELECT r('double')"), "0.25");
  EXPECT_EQ(text_of_query(db, "SELECT r('text64')"), "t64");
  EXPECT_EQ(text_of_query(db, "SELECT r('text16le')"), "hi");
  EXPECT_EQ(text_of_query(db, "SELECT r('text16be')"), "hi");
  EXPECT_EQ(text_of_query(db, "SELECT r('value')"), "value");
  EXPECT_EQ(int64_of(db, "SELECT length(r('zeroblob'))"), 3);
  EXPECT_EQ(int64_of(db, "SELECT length(r('zeroblob64'))"), 5);
  EXPECT_EQ(int64_of(db, "SELECT r('subtype')"), 1);
  auto message_of = [&db](const char* sql) {
    try {
      (void)text_of_query(db, sql);
    } catch (const sqlite::Error& e) {
      return std::string(e.what());
    } catch (const std::bad_alloc&) {
      return std::string("bad_alloc");
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of("SELECT r('error')"), "my error");
  EXPECT_EQ(message_of("SELECT r('error16')"), "my error16");
  EXPECT_EQ(message_of("SELECT r('toobig')"), "string or blob too big");
  EXPECT_EQ(message_of("SELECT r('nomem')"), "bad_alloc") << "SQLITE_NOMEM is std::bad_alloc";
  EXPECT_EQ(message_of("SELECT r('code')"), "access permission denied");
}

TEST(Sqlite3Api, IncrementalBlobIo) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE t(b BLOB); INSERT INTO t VALUES (zeroblob(4)), (x'0102')");
  sqlite::Blob blob = db.blob_open("main", "t", "b", 1, 1);
  EXPECT_EQ(blob.bytes(), 4);
  const std::array<std::byte, 2> data{std::byte{7}, std::byte{8}};
  blob.write(data, 1);
  std::array<std::byte, 4> back{};
  blob.read(back, 0);
  EXPECT_EQ(back, (std::array<std::byte, 4>{std::byte{0}, std::byte{7}, std::byte{8}, std::byte{0}}));
  EXPECT_THROW(blob.write(data, 3), sqlite::Error) << "past the end";
  blob.reopen(2);
  EXPECT_EQ(blob.bytes(), 2);
  blob.close();
  EXPECT_EQ(text_of_query(db, "SELECT hex(b) FROM t WHERE rowid = 1"), "00070800");
}

TEST(Sqlite3Api, StrBuilderBackupMutexAndVfs) {
  auto builder = sqlite::StrBuilder::create(std::nullopt);
  builder.append("ab");
  builder.appendall("cd");
  builder.appendchar(3, 'x');
  EXPECT_EQ(builder.errcode(), SQLITE_OK);
  EXPECT_EQ(builder.length(), 7);
  EXPECT_EQ(builder.value(), "abcdxxx");
  builder.reset();
  EXPECT_EQ(builder.length(), 0);

  auto source = sqlite::Database::open(":memory:");
  source.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
  auto dest = sqlite::Database::open(":memory:");
  {
    sqlite::Backup backup = dest.backup_init("main", source, "main");
    EXPECT_EQ(backup.step(1), SQLITE_OK);
    EXPECT_GT(backup.pagecount(), 0);
    EXPECT_GE(backup.remaining(), 0);
    while (backup.step(-1) == SQLITE_OK) {
    }
  }
  EXPECT_EQ(int64_of(dest, "SELECT sum(x) FROM t"), 3);

  if (std::optional<sqlite::Mutex> mutex = sqlite::Mutex::alloc(SQLITE_MUTEX_RECURSIVE)) {
    mutex->enter();
    EXPECT_TRUE(mutex->try_()) << "recursive: the owner may enter again";
    mutex->leave();
    mutex->leave();
  }
  std::optional<sqlite::Vfs> vfs = sqlite::vfs_find(std::nullopt);
  ASSERT_TRUE(vfs.has_value());
  vfs->register_(1);  // already registered: re-registering as default is allowed
  EXPECT_EQ(sqlite::vfs_find(std::nullopt)->c_ptr(), vfs->c_ptr());
}

TEST(Sqlite3Api, EveryDbConfigAndFileControlVariant) {
  auto db = sqlite::Database::open(":memory:");
  // -1 asks: each option's current setting comes back, 0 or 1.
  for (auto option : {&sqlite::Database::config_enable_fkey, &sqlite::Database::config_enable_trigger,
                      &sqlite::Database::config_enable_view, &sqlite::Database::config_enable_qpsg,
                      &sqlite::Database::config_trigger_eqp, &sqlite::Database::config_no_ckpt_on_close,
                      &sqlite::Database::config_reset_database, &sqlite::Database::config_defensive,
                      &sqlite::Database::config_legacy_alter_table, &sqlite::Database::config_dqs_dml,
                      &sqlite::Database::config_dqs_ddl, &sqlite::Database::config_legacy_file_format,
                      &sqlite::Database::config_trusted_schema}) {
    const std::int32_t current = (db.*option)(-1);
    EXPECT_TRUE(current == 0 || current == 1);
    EXPECT_EQ((db.*option)(current), current) << "setting it to what it is changes nothing";
  }
  EXPECT_EQ(db.config_enable_view(0), 0);
  db.exec("CREATE VIEW v AS SELECT 1");
  EXPECT_THROW(db.exec("SELECT * FROM v"), sqlite::Error) << "views disabled";
  EXPECT_EQ(db.config_enable_view(1), 1);

  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_fcntl2_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto file = sqlite::Database::open(path.c_str());
    file.exec("CREATE TABLE t(x)");
    const std::int32_t psow = file.file_control_powersafe_overwrite(std::nullopt, -1);
    EXPECT_TRUE(psow == 0 || psow == 1);
    EXPECT_EQ(file.file_control_powersafe_overwrite(std::nullopt, 0), 0);
    EXPECT_GE(file.file_control_reserve_bytes(std::nullopt, -1), 0);
  }
  std::filesystem::remove(path);
}

TEST(Sqlite3Api, AutovacuumPagesAndProcessWideSwitches) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("PRAGMA auto_vacuum = FULL; CREATE TABLE t(x)");
  int asked = 0;
  db.autovacuum_pages([&asked](std::string_view schema, std::uint32_t pages, std::uint32_t free_pages,
                               std::uint32_t page_size) -> std::uint32_t {
    EXPECT_EQ(schema, "main");
    EXPECT_GE(pages, free_pages);
    EXPECT_GT(page_size, 0u);
    ++asked;
    return free_pages;  // remove every free page
  });
  db.exec("INSERT INTO t SELECT randomblob(4000) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)");
  db.exec("DELETE FROM t");
  EXPECT_GT(asked, 0);
  sqlite::enable_shared_cache(0);
  sqlite::reset_auto_extension();
  // The deprecated ones still work (and say so at compile time).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  // One at a time: sqlite3_profile clears the legacy trace flag.
  std::vector<std::string> traced;
  db.trace([&traced](std::string_view sql) { traced.emplace_back(sql); });
  db.exec("SELECT 1");
  EXPECT_EQ(traced, (std::vector<std::string>{"SELECT 1"}));
  db.trace(nullptr);
  int profiled = 0;
  db.profile([&profiled](std::string_view, std::uint64_t) { ++profiled; });
  db.exec("SELECT 2");
  EXPECT_EQ(profiled, 1);
  db.profile(nullptr);
  auto from = db.prepare_v2("SELECT ?1");
  auto to = db.prepare_v2("SELECT ?1");
  from.bind_int(1, 5);
  from.transfer_bindings(to);
  ASSERT_EQ(to.step(), SQLITE_ROW);
  EXPECT_EQ(to.column_int64(0), 5);
  // Not called: Context::aggregate_count reads an aggregate's state, and a scalar function (the only
  // kind the sqlite3 yaml binds) has none: SQLite dereferences NULL (reported to the lead).
  EXPECT_EQ(sqlite::global_recover(), SQLITE_OK);
  sqlite::thread_cleanup();
  const std::int64_t soft = sqlite::soft_heap_limit64(-1);
  sqlite::soft_heap_limit(0);
  EXPECT_EQ(sqlite::soft_heap_limit64(soft), 0);
#pragma GCC diagnostic pop
}

TEST(Sqlite3Api, VfsUnregisterAndShutdown) {
  std::optional<sqlite::Vfs> vfs = sqlite::vfs_find(std::nullopt);
  ASSERT_TRUE(vfs.has_value());
  vfs->unregister();
  EXPECT_NE(sqlite::vfs_find(std::nullopt)->c_ptr(), vfs->c_ptr()) << "another VFS is the default now";
  vfs->register_(1);
  EXPECT_EQ(sqlite::vfs_find(std::nullopt)->c_ptr(), vfs->c_ptr());
  // Last: shutdown and initialize again (no connection is open in this process's test).
  sqlite::os_end();
  sqlite::os_init();
  sqlite::shutdown();
  sqlite::initialize();
  auto db = sqlite::Database::open(":memory:");
  EXPECT_EQ(int64_of(db, "SELECT 6 * 7"), 42);
}

}  // namespace

// ---- virtual tables (interfaces: sqlite3_module) -------------------------------------------------
// `series(lo, hi)`: the integers lo … hi in one column `value`, implemented in C++ by deriving from
// sqlite::Module / Table / Cursor (docs/adr/cpp-interfaces.md). best_index hands a `value >= N`
// constraint to filter, which then starts at N.
namespace vtab {

struct Log {
  std::vector<std::string> args;      // what connect received
  std::int64_t filter_start = 0;      // the constraint value filter got (0: none)
  int tables_alive = 0, cursors_alive = 0, disconnects = 0, connects = 0;
  bool column_throws = false, connect_throws = false, disconnect_throws = false;
};

class SeriesCursor : public sqlite::Cursor {
 public:
  SeriesCursor(std::int64_t lo, std::int64_t hi, Log& log) : lo_(lo), hi_(hi), log_(log) { ++log_.cursors_alive; }
  ~SeriesCursor() override { --log_.cursors_alive; }
  void filter(std::int32_t idx_num, std::optional<std::string_view>,
              bindery::borrowed_handles<sqlite::ValueRef> args) override {
    row_ = lo_;
    log_.filter_start = 0;
    if (idx_num == 1 && args.size() == 1) {
      log_.filter_start = args[0].int64();
      row_ = std::max(row_, log_.filter_start);
    }
  }
  void next() override { ++row_; }
  bool eof() override { return row_ > hi_; }
  void column(sqlite::Context context, std::int32_t) override {
    if (log_.column_throws) throw std::range_error("series: no value here");
    context.result_int64(row_);
  }
  std::int64_t rowid() override { return row_; }

 private:
  std::int64_t lo_, hi_, row_ = 0;
  Log& log_;
};

class SeriesTable : public sqlite::Table {
 public:
  SeriesTable(std::int64_t lo, std::int64_t hi, Log& log) : lo_(lo), hi_(hi), log_(log) { ++log_.tables_alive; }
  ~SeriesTable() override { --log_.tables_alive; }
  void best_index(sqlite::IndexInfo info) override {
    for (std::int32_t i = 0; i < info.constraint_count(); ++i) {
      if (info.constraint_usable(i) && info.constraint_column(i) == 0 &&
          info.constraint_op(i) == SQLITE_INDEX_CONSTRAINT_GE) {
        info.use_constraint(i, 1, true);  // filter's first argument; SQLite need not check it again
        info.set_idx_num(1);
        info.set_estimated_cost(10);
        return;
      }
    }
    info.set_estimated_cost(1000);
  }
  std::unique_ptr<sqlite::Cursor> open() override { return std::make_unique<SeriesCursor>(lo_, hi_, log_); }
  void disconnect() override {
    ++log_.disconnects;
    if (log_.disconnect_throws) throw std::runtime_error("series: disconnect failed");
  }

 private:
  std::int64_t lo_, hi_;
  Log& log_;
};

class Series : public sqlite::Module {
 public:
  explicit Series(Log& log) : log_(log) {}
  std::unique_ptr<sqlite::Table> create(sqlite::DatabaseRef db, bindery::borrowed_strings args) override {
    return connect(db, args);  // no storage of its own: creating is connecting
  }
  std::unique_ptr<sqlite::Table> connect(sqlite::DatabaseRef db, bindery::borrowed_strings args) override {
    ++log_.connects;
    log_.args.clear();
    for (std::string_view a : args) log_.args.emplace_back(a);  // module, database, table, then USING's
    if (log_.connect_throws) throw std::invalid_argument("series: bad arguments");
    if (args.size() != 5) throw std::invalid_argument("series(lo, hi) takes two arguments");
    db.declare_vtab("CREATE TABLE x(value INTEGER)");
    return std::make_unique<SeriesTable>(std::stoll(std::string(args[3])), std::stoll(std::string(args[4])), log_);
  }

 private:
  Log& log_;
};

std::int64_t single_int(sqlite::Database& db, std::string_view sql) {
  auto stmt = db.prepare_v2(sql);
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return stmt.column_int64(0);
}

}  // namespace vtab

TEST(Sqlite3VirtualTables, ASeriesImplementedInCxx) {
  vtab::Log log;
  auto db = sqlite::Database::open(":memory:");
  db.create_module("series", std::make_shared<vtab::Series>(log));
  db.exec("CREATE VIRTUAL TABLE s USING series(1, 10)");
  EXPECT_EQ(log.args, (std::vector<std::string>{"series", "main", "s", "1", "10"}));
  EXPECT_EQ(vtab::single_int(db, "SELECT sum(value) FROM s"), 55);
  EXPECT_EQ(log.filter_start, 0);
  EXPECT_EQ(vtab::single_int(db, "SELECT sum(value) FROM s WHERE value >= 5"), 45);
  EXPECT_EQ(log.filter_start, 5) << "best_index passed the constraint to filter";
  EXPECT_EQ(vtab::single_int(db, "SELECT count(*) FROM s WHERE rowid > 8"), 2);
  EXPECT_EQ(log.cursors_alive, 0) << "each statement's cursor was closed and deleted";
}

TEST(Sqlite3VirtualTables, AnExceptionInAMethodLeavesTheStatementsStep) {
  vtab::Log log;
  auto db = sqlite::Database::open(":memory:");
  db.create_module("series", std::make_shared<vtab::Series>(log));
  db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)");
  log.column_throws = true;
  auto stmt = db.prepare_v2("SELECT value FROM s");
  try {
    (void)stmt.step();
    FAIL() << "column's exception must leave step()";
  } catch (const std::range_error& e) {  // the method's own exception, not sqlite::Error
    EXPECT_STREQ(e.what(), "series: no value here");
  }
  EXPECT_EQ(db.errmsg(), "series: no value here") << "the message reached SQLite through zErrMsg";
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "nothing left pending";
  EXPECT_THROW(stmt.close(), sqlite::Error) << "finalize reports the failed step, as SQLite documents";
  log.column_throws = false;
  EXPECT_EQ(vtab::single_int(db, "SELECT sum(value) FROM s"), 6) << "the table works again";
}

TEST(Sqlite3VirtualTables, AFailingConnectFailsTheStatement) {
  vtab::Log log;
  log.connect_throws = true;
  auto db = sqlite::Database::open(":memory:");
  db.create_module("series", std::make_shared<vtab::Series>(log));
  EXPECT_THROW(db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)"), std::invalid_argument);
  EXPECT_NE(std::string(db.errmsg()).find("series: bad arguments"), std::string::npos) << db.errmsg();
  EXPECT_EQ(log.tables_alive, 0);
  EXPECT_THROW(db.exec("SELECT * FROM s"), sqlite::Error) << "no table was made";
}

TEST(Sqlite3VirtualTables, ClosingTheDatabaseReleasesTheModuleAndItsTables) {
  vtab::Log log;
  auto db = sqlite::Database::open(":memory:");
  auto module = std::make_shared<vtab::Series>(log);
  std::weak_ptr<vtab::Series> weak_module = module;
  db.create_module("series", std::move(module));
  db.exec("CREATE VIRTUAL TABLE a USING series(1, 2); CREATE VIRTUAL TABLE b USING series(3, 4)");
  EXPECT_EQ(vtab::single_int(db, "SELECT (SELECT sum(value) FROM a) + (SELECT sum(value) FROM b)"), 10);
  EXPECT_EQ(log.tables_alive, 2);
  EXPECT_FALSE(weak_module.expired()) << "SQLite holds the module";
  db.close();
  EXPECT_EQ(log.disconnects, 2);
  EXPECT_EQ(log.tables_alive, 0) << "disconnect released both tables";
  EXPECT_TRUE(weak_module.expired()) << "closing released the module";
}

TEST(Sqlite3VirtualTables, ReplacingOrDroppingTheModuleReleasesIt) {
  vtab::Log log;
  auto db = sqlite::Database::open(":memory:");
  auto first = std::make_shared<vtab::Series>(log);
  std::weak_ptr<vtab::Series> weak_first = first;
  db.create_module("series", std::move(first));
  EXPECT_THROW(db.create_module("series", nullptr), std::invalid_argument) << "refused before C";
  EXPECT_FALSE(weak_first.expired());
  auto second = std::make_shared<vtab::Series>(log);
  std::weak_ptr<vtab::Series> weak_second = second;
  db.create_module("other", std::move(second));
  db.drop_modules();
  EXPECT_TRUE(weak_first.expired());
  EXPECT_TRUE(weak_second.expired());
}

TEST(Sqlite3VirtualTables, AnExceptionInDisconnectLeavesCloseAfterClosing) {
  vtab::Log log;
  log.disconnect_throws = true;
  auto db = sqlite::Database::open(":memory:");
  auto module = std::make_shared<vtab::Series>(log);
  std::weak_ptr<vtab::Series> weak_module = module;
  db.create_module("series", std::move(module));
  db.exec("CREATE VIRTUAL TABLE s USING series(1, 2)");
  EXPECT_THROW(db.close(), std::runtime_error);
  EXPECT_FALSE(db.is_open()) << "closed all the same";
  EXPECT_EQ(log.tables_alive, 0) << "the table was deleted although its disconnect threw";
  EXPECT_TRUE(weak_module.expired());
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error());
}

// ---- aggregate and window functions (interfaces: window, create_window_function) -----------------
// One sqlite::WindowFunction object per group, made by the registered factory on the group's first
// call and deleted after its final. The fixture still skips create_window_function until every
// target implements it (and then the header has no WindowFunction class): these tests name the
// class only through Database::create_window_function's signature, compile either way and skip
// until then (they pass against a copy of the yaml with the skip removed).
namespace window {

struct Log {
  int alive = 0, made = 0;
  bool step_throws = false;
};

/// `W` is sqlite::WindowFunction (a template only so that this compiles while the class is absent).
template <class W>
class Sum : public W {
 public:
  explicit Sum(Log& log) : log_(log) { ++log_.alive; }
  ~Sum() override { --log_.alive; }
  void step(sqlite::Context, bindery::borrowed_handles<sqlite::ValueRef> values) override {
    if (log_.step_throws) throw std::overflow_error("sum: too big");
    total_ += values[0].int64();
  }
  void inverse(sqlite::Context, bindery::borrowed_handles<sqlite::ValueRef> values) override {
    total_ -= values[0].int64();
  }
  void value(sqlite::Context context) override { context.result_int64(total_); }
  void final(sqlite::Context context) override { context.result_int64(total_); }

 private:
  Log& log_;
  std::int64_t total_ = 0;
};

template <class Db>
constexpr bool registers_window_functions = requires { &Db::create_window_function; };

/// The interface class, read off create_window_function(name, n_arg, object_factory<W>).
template <class F>
struct factory_parameter;
template <class C, class R, class... A>
struct factory_parameter<R (C::*)(A...)> {
  using factory = std::tuple_element_t<2, std::tuple<A...>>;
  using object = typename factory::result_type::element_type;
};

std::vector<std::int64_t> column_of(sqlite::Database& db, std::string_view sql) {
  std::vector<std::int64_t> out;
  auto stmt = db.prepare_v2(sql);
  while (stmt.step() == SQLITE_ROW) out.push_back(stmt.column_int64(0));
  return out;
}

template <class Db = sqlite::Database>
void aggregate_and_window_sums() {
  if constexpr (!registers_window_functions<Db>) {
    static_assert(registers_window_functions<Db>, "tests/fixtures/sqlite3/bindery.yaml binds sqlite3_create_window_function");
  } else {
    using W = typename factory_parameter<decltype(&Db::create_window_function)>::object;
    Log log;
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> factory_alive = token;
    Db db = Db::open(":memory:");
    db.create_window_function("mysum", 1, [&log, token]() -> std::unique_ptr<W> {
      ++log.made;
      return std::make_unique<Sum<W>>(log);
    });
    token.reset();
    db.exec("CREATE TABLE t(g, x); INSERT INTO t VALUES ('a', 1), ('b', 5), ('a', 2), ('b', 7)");
    EXPECT_EQ(column_of(db, "SELECT mysum(x) FROM t GROUP BY g ORDER BY g"), (std::vector<std::int64_t>{3, 12}));
    EXPECT_EQ(log.made, 2) << "one object per group";
    EXPECT_EQ(column_of(db, "SELECT mysum(x) FROM t WHERE 0"), (std::vector<std::int64_t>{0})) << "an empty group";
    EXPECT_EQ(column_of(db, "SELECT mysum(x) OVER (ORDER BY rowid ROWS 1 PRECEDING) FROM t"),
              column_of(db, "SELECT sum(x) OVER (ORDER BY rowid ROWS 1 PRECEDING) FROM t"))
        << "value and inverse slide the window";
    EXPECT_EQ(log.alive, 0) << "every group's object deleted after its final";

    log.step_throws = true;
    auto stmt = db.prepare_v2("SELECT mysum(x) FROM t");
    EXPECT_THROW((void)stmt.step(), std::overflow_error);
    EXPECT_EQ(db.errmsg(), "sum: too big") << "through sqlite3_result_error";
    EXPECT_THROW(stmt.close(), sqlite::Error);
    EXPECT_EQ(log.alive, 0);

    EXPECT_FALSE(factory_alive.expired()) << "SQLite keeps the factory";
    db.close();
    EXPECT_TRUE(factory_alive.expired()) << "closing released it";
  }
}

}  // namespace window

TEST(Sqlite3WindowFunctions, AggregateAndWindowSumsOneObjectPerGroup) { window::aggregate_and_window_sums(); }
