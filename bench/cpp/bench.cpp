// Wrapper vs direct C call, one Google Benchmark run (bench/cpp/README.md has the table).
//
// Each `Direct*` benchmark is what a careful C caller writes for the same result, with the checks
// the wrapper makes too (a closed handle, a NULL or error result); each `Wrapped*` makes the same
// call through the generated header. Both call the same -O2 library code.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>
#include <span>

#include <unistd.h>

#include "double_input.hpp"
#include "sqlite3.hpp"
#include "tarball.hpp"

namespace {

/// The C caller's error path: out of line and cold, as a careful C caller marks it.
[[noreturn, gnu::cold, gnu::noinline]] void c_fail(const char* what, int code) {
  std::fprintf(stderr, "bench: %s failed (%d)\n", what, code);
  std::abort();
}

// ---- double_input --------------------------------------------------------------------------

void DirectDoubleInput(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(::double_input(++i));
}
void WrappedDoubleInput(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(double_input_cpp::double_input(++i));
}
BENCHMARK(DirectDoubleInput);
BENCHMARK(WrappedDoubleInput);

// ---- tarball: an archive of three files made by the system tar ----------------------------

/// Writes a small archive once per process and returns its path.
const std::string& archive_path() {
  static const std::string path = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("bindery_cpp_bench_" + std::to_string(::getpid()));
    fs::create_directories(dir / "files");
    for (const char* name : {"alpha.txt", "beta.bin", "gamma.md"}) {
      std::ofstream(dir / "files" / name) << std::string(1000, name[0]);
    }
    const std::string tar = (dir / "bench.tar").string();
    const std::string cmd = "tar --format=ustar -cf '" + tar + "' -C '" + (dir / "files").string() +
                            "' alpha.txt beta.bin gamma.md";
    if (std::system(cmd.c_str()) != 0) c_fail("tar", 0);
    return tar;
  }();
  return path;
}

void DirectTarballCount(benchmark::State& state) {
  tarball_t* t = tarball_open(archive_path().c_str());
  if (t == nullptr) c_fail("tarball_open", errno);
  tarball_t* const* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", EBADF);
    benchmark::DoNotOptimize(tarball_count(*handle));
  }
  tarball_close(t);
}
void WrappedTarballCount(benchmark::State& state) {
  auto t = tarball_cpp::Tarball::open(archive_path());
  const tarball_cpp::Tarball* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    benchmark::DoNotOptimize(handle->count());
  }
}
BENCHMARK(DirectTarballCount);
BENCHMARK(WrappedTarballCount);

void DirectTarballFileName(benchmark::State& state) {
  tarball_t* t = tarball_open(archive_path().c_str());
  if (t == nullptr) c_fail("tarball_open", errno);
  tarball_t* const* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", EBADF);
    const char* name = tarball_file_name(*handle, 1);
    benchmark::DoNotOptimize(name != nullptr ? std::strlen(name) : SIZE_MAX);
  }
  tarball_close(t);
}
void WrappedTarballFileName(benchmark::State& state) {
  auto t = tarball_cpp::Tarball::open(archive_path());
  const tarball_cpp::Tarball* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    auto name = handle->file_name(1);
    benchmark::DoNotOptimize(name ? name->size() : SIZE_MAX);
  }
}
BENCHMARK(DirectTarballFileName);
BENCHMARK(WrappedTarballFileName);

void DirectTarballFileData(benchmark::State& state) {
  tarball_t* t = tarball_open(archive_path().c_str());
  if (t == nullptr) c_fail("tarball_open", errno);
  tarball_t* const* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", EBADF);
    std::size_t size = 0;
    const char* data = tarball_file_data(*handle, 1, &size);
    benchmark::DoNotOptimize(data != nullptr ? size : SIZE_MAX);
  }
  tarball_close(t);
}
void WrappedTarballFileData(benchmark::State& state) {
  auto t = tarball_cpp::Tarball::open(archive_path());
  tarball_cpp::Tarball* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    auto data = handle->file_data(1);
    benchmark::DoNotOptimize(data ? data->size() : SIZE_MAX);
  }
}
BENCHMARK(DirectTarballFileData);
BENCHMARK(WrappedTarballFileData);

void DirectTarballFind(benchmark::State& state) {
  tarball_t* t = tarball_open(archive_path().c_str());
  if (t == nullptr) c_fail("tarball_open", errno);
  tarball_t* const* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", EBADF);
    const int r = tarball_find(*handle, "gamma.md");
    if (r < -1) c_fail("tarball_find", r);
    benchmark::DoNotOptimize(r);
  }
  tarball_close(t);
}
void WrappedTarballFind(benchmark::State& state) {
  auto t = tarball_cpp::Tarball::open(archive_path());
  const tarball_cpp::Tarball* handle = &t;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    auto r = handle->find("gamma.md");
    benchmark::DoNotOptimize(r ? *r : -1);
  }
}
BENCHMARK(DirectTarballFind);
BENCHMARK(WrappedTarballFind);

// ---- SQLite: a prepared statement on an in-memory database ----------------------------------

sqlite3* direct_db() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) c_fail("sqlite3_open", 0);
  return db;
}
sqlite3_stmt* direct_prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(db), rc);
  return stmt;
}

void DirectSqliteColumnInt(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT 42");
  if (sqlite3_step(stmt) != SQLITE_ROW) c_fail("sqlite3_step", 0);
  sqlite3_stmt* const* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    benchmark::DoNotOptimize(sqlite3_column_int(*handle, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteColumnInt(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT 42");
  if (stmt.step() != SQLITE_ROW) c_fail("step", 0);
  sqlite::Statement* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    benchmark::DoNotOptimize(handle->column_int(0));
  }
}
BENCHMARK(DirectSqliteColumnInt);
BENCHMARK(WrappedSqliteColumnInt);

void DirectSqliteBindInt(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT ?");
  sqlite3_stmt* const* handle = &stmt;
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    const int rc = sqlite3_bind_int(*handle, 1, ++i);
    if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(db), rc);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteBindInt(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT ?");
  sqlite::Statement* handle = &stmt;
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    handle->bind_int(1, ++i);
  }
}
BENCHMARK(DirectSqliteBindInt);
BENCHMARK(WrappedSqliteBindInt);

// step() of a one-row statement, then reset() for the next round: two calls per iteration.
void DirectSqliteStepReset(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT 1");
  sqlite3_stmt* const* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    int rc = sqlite3_step(*handle);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) c_fail(sqlite3_errmsg(db), rc);
    benchmark::DoNotOptimize(rc);
    rc = sqlite3_reset(*handle);
    if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(db), rc);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteStepReset(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT 1");
  sqlite::Statement* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    benchmark::DoNotOptimize(handle->step());
    handle->reset();
  }
}
BENCHMARK(DirectSqliteStepReset);
BENCHMARK(WrappedSqliteStepReset);

// Open and close an in-memory connection: the wrapper's destructor guards the destroy call for an
// exception a hook might throw meanwhile (two thread-local loads), the rest is SQLite's.
void DirectSqliteOpenClose(benchmark::State& state) {
  for (auto _ : state) {
    sqlite3* db = direct_db();
    benchmark::DoNotOptimize(db);
    sqlite3_close_v2(db);
  }
}
void WrappedSqliteOpenClose(benchmark::State& state) {
  for (auto _ : state) {
    auto db = sqlite::Database::open(":memory:");
    benchmark::DoNotOptimize(db.c_ptr());
  }  // ~Database
}
BENCHMARK(DirectSqliteOpenClose);
BENCHMARK(WrappedSqliteOpenClose);

// A query ordered by an application collation: 256 rows, about 2,000 comparisons a run. The C
// comparator gets (length, pointer) pairs; the wrapped one gets views of the same bytes through a
// trampoline and a std::function. Both compare byte-wise, backwards.
int reversed_bytes(const void* a, std::size_t na, const void* b, std::size_t nb) {
  const int c = std::memcmp(b, a, std::min(na, nb));
  return c != 0 ? c : (na < nb ? 1 : (na > nb ? -1 : 0));
}
int direct_reversed(void*, int na, const void* a, int nb, const void* b) {
  return reversed_bytes(a, static_cast<std::size_t>(na), b, static_cast<std::size_t>(nb));
}
void fill_names(sqlite3* db) {
  std::string sql = "CREATE TABLE n (name TEXT); INSERT INTO n VALUES ";
  for (int i = 0; i < 256; ++i) sql += (i ? ",('" : "('") + std::to_string((i * 7919) % 1009) + "-name')";
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) c_fail(sqlite3_errmsg(db), 0);
}
void run_sorted(benchmark::State& state, sqlite3_stmt* stmt) {
  for (auto _ : state) {
    int rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
    if (rows != 256 || sqlite3_reset(stmt) != SQLITE_OK) c_fail("sorted query", rows);
  }
}
void DirectSqliteCollationSort(benchmark::State& state) {
  sqlite3* db = direct_db();
  fill_names(db);
  if (sqlite3_create_collation(db, "rev", SQLITE_UTF8, nullptr, direct_reversed) != SQLITE_OK) c_fail("collation", 0);
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT name FROM n ORDER BY name COLLATE rev");
  run_sorted(state, stmt);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteCollationSort(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  fill_names(db.c_ptr());
  db.create_collation("rev", [](auto a, auto b) -> std::int32_t {
    return reversed_bytes(a.data(), a.size(), b.data(), b.size());  // views: valid during the call
  });
  auto stmt = db.prepare_v2("SELECT name FROM n ORDER BY name COLLATE rev");
  run_sorted(state, stmt.c_ptr());  // the same stepping on both sides: the comparisons differ
}
BENCHMARK(DirectSqliteCollationSort);
BENCHMARK(WrappedSqliteCollationSort);

// A URI parameter of the main database: sqlite3_filename is a pointer typedef handle, handed back
// as the very pointer (no copy); the parameter is a view of SQLite's block.
constexpr const char* uri_db = "file:bench?mode=memory&x=1";
constexpr int uri_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
void DirectSqliteUriParameter(benchmark::State& state) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(uri_db, &db, uri_flags, nullptr) != SQLITE_OK) c_fail("open", 0);
  sqlite3* const* handle = &db;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    sqlite3_filename f = sqlite3_db_filename(*handle, "main");
    if (f == nullptr) c_fail("no filename", 0);
    const char* x = sqlite3_uri_parameter(f, "x");
    benchmark::DoNotOptimize(x != nullptr ? std::strlen(x) : 0);
  }
  sqlite3_close(db);
}
void WrappedSqliteUriParameter(benchmark::State& state) {
  auto db = sqlite::Database::open_v2(uri_db, static_cast<sqlite::OpenFlags>(uri_flags), std::nullopt);
  sqlite::Database* handle = &db;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    auto f = handle->db_filename();
    if (!f) c_fail("no filename", 0);
    benchmark::DoNotOptimize(f->uri_parameter("x"));
  }
}
BENCHMARK(DirectSqliteUriParameter);
BENCHMARK(WrappedSqliteUriParameter);

// ---- session 5: a lent value copied at once, host values, allocator transfers, variants ---------

// column_value: SQLite lends an unprotected value; both sides copy it with value_dup, read it, free it.
void DirectSqliteColumnValue(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT 42");
  if (sqlite3_step(stmt) != SQLITE_ROW) c_fail("sqlite3_step", 0);
  sqlite3_stmt* const* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    sqlite3_value* v = sqlite3_value_dup(sqlite3_column_value(*handle, 0));
    if (v == nullptr) c_fail("sqlite3_value_dup", SQLITE_NOMEM);
    benchmark::DoNotOptimize(sqlite3_value_int64(v));
    sqlite3_value_free(v);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteColumnValue(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT 42");
  if (stmt.step() != SQLITE_ROW) c_fail("step", 0);
  sqlite::Statement* handle = &stmt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    benchmark::DoNotOptimize(handle->column_value(0).int64());
  }
}
BENCHMARK(DirectSqliteColumnValue);
BENCHMARK(WrappedSqliteColumnValue);

// bind_pointer: the C caller boxes its value in a heap object with a deleter as well.
void delete_int(void* p) { delete static_cast<int*>(p); }
void DirectSqliteBindPointer(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3_stmt* stmt = direct_prepare(db, "SELECT ?1");
  int i = 0;
  for (auto _ : state) {
    const int rc = sqlite3_bind_pointer(stmt, 1, new int(++i), "bench", delete_int);
    if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(db), rc);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteBindPointer(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  auto stmt = db.prepare_v2("SELECT ?1");
  int i = 0;
  for (auto _ : state) stmt.bind_pointer(1, ++i);  // a std::any box: one allocation, as above
}
BENCHMARK(DirectSqliteBindPointer);
BENCHMARK(WrappedSqliteBindPointer);

// deserialize: copying a 3-page image into sqlite3_malloc64 memory, then SQLite reopens it.
std::vector<unsigned char> small_image() {
  sqlite3* db = direct_db();
  if (sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr) != SQLITE_OK)
    c_fail("image", 0);
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db, "main", &size, 0);
  std::vector<unsigned char> image(data, data + size);
  sqlite3_free(data);
  sqlite3_close(db);
  return image;
}
void DirectSqliteDeserialize(benchmark::State& state) {
  const std::vector<unsigned char> image = small_image();
  sqlite3* db = direct_db();
  for (auto _ : state) {
    auto* block = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
    if (block == nullptr) c_fail("sqlite3_malloc64", SQLITE_NOMEM);
    std::memcpy(block, image.data(), image.size());
    const auto n = static_cast<sqlite3_int64>(image.size());
    const int rc = sqlite3_deserialize(db, nullptr, block, n, n,
                                       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(db), rc);
  }
  sqlite3_close(db);
}
void WrappedSqliteDeserialize(benchmark::State& state) {
  const std::vector<unsigned char> image = small_image();
  auto db = sqlite::Database::open(":memory:");
  for (auto _ : state) db.deserialize(std::nullopt, std::as_bytes(std::span(image)));
}
BENCHMARK(DirectSqliteDeserialize);
BENCHMARK(WrappedSqliteDeserialize);

// db_config: the variadic call, and the variant's typed shim.
void DirectSqliteDbConfig(benchmark::State& state) {
  sqlite3* db = direct_db();
  sqlite3* const* handle = &db;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    if (*handle == nullptr) c_fail("closed", 0);
    int current = 0;
    const int rc = sqlite3_db_config(*handle, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &current);
    if (rc != SQLITE_OK) c_fail(sqlite3_errmsg(*handle), rc);
    benchmark::DoNotOptimize(current);
  }
  sqlite3_close(db);
}
void WrappedSqliteDbConfig(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  sqlite::Database* handle = &db;
  for (auto _ : state) {
    benchmark::DoNotOptimize(handle);
    benchmark::DoNotOptimize(handle->config_enable_fkey(1));
  }
}
BENCHMARK(DirectSqliteDbConfig);
BENCHMARK(WrappedSqliteDbConfig);

// A virtual table: `series(0, 200000)` summed by SQLite (`SELECT sum(value) FROM s`), its module
// written directly in C (the careful C module: calloc'd objects, SQLITE_OK everywhere) against
// the same module as C++ classes through the binding's trampolines. Per query: 200 000 rows, each
// xNext + xEof + xColumn; the C++ side adds a virtual call and an exception frame per method.
constexpr std::int64_t kSeriesRows = 200000;

struct CSeriesTable {
  sqlite3_vtab base;
  std::int64_t hi;
};
struct CSeriesCursor {
  sqlite3_vtab_cursor base;
  std::int64_t row, hi;
};
int c_series_connect(sqlite3* db, void*, int, const char* const* argv, sqlite3_vtab** out, char**) {
  if (sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER)") != SQLITE_OK) return SQLITE_ERROR;
  auto* t = static_cast<CSeriesTable*>(sqlite3_malloc(sizeof(CSeriesTable)));
  if (t == nullptr) return SQLITE_NOMEM;
  std::memset(t, 0, sizeof *t);
  t->hi = std::atoll(argv[4]);
  *out = &t->base;
  return SQLITE_OK;
}
int c_series_best_index(sqlite3_vtab*, sqlite3_index_info* info) {
  info->estimatedCost = 1000;
  return SQLITE_OK;
}
int c_series_disconnect(sqlite3_vtab* t) {
  sqlite3_free(t);
  return SQLITE_OK;
}
int c_series_open(sqlite3_vtab* t, sqlite3_vtab_cursor** out) {
  auto* c = static_cast<CSeriesCursor*>(sqlite3_malloc(sizeof(CSeriesCursor)));
  if (c == nullptr) return SQLITE_NOMEM;
  std::memset(c, 0, sizeof *c);
  c->hi = reinterpret_cast<CSeriesTable*>(t)->hi;
  *out = &c->base;
  return SQLITE_OK;
}
int c_series_close(sqlite3_vtab_cursor* c) {
  sqlite3_free(c);
  return SQLITE_OK;
}
int c_series_filter(sqlite3_vtab_cursor* c, int, const char*, int, sqlite3_value**) {
  reinterpret_cast<CSeriesCursor*>(c)->row = 0;
  return SQLITE_OK;
}
int c_series_next(sqlite3_vtab_cursor* c) {
  ++reinterpret_cast<CSeriesCursor*>(c)->row;
  return SQLITE_OK;
}
int c_series_eof(sqlite3_vtab_cursor* c) {
  auto* s = reinterpret_cast<CSeriesCursor*>(c);
  return s->row >= s->hi;
}
int c_series_column(sqlite3_vtab_cursor* c, sqlite3_context* ctx, int) {
  sqlite3_result_int64(ctx, reinterpret_cast<CSeriesCursor*>(c)->row);
  return SQLITE_OK;
}
int c_series_rowid(sqlite3_vtab_cursor* c, sqlite3_int64* rowid) {
  *rowid = reinterpret_cast<CSeriesCursor*>(c)->row;
  return SQLITE_OK;
}
sqlite3_module c_series_module() {
  sqlite3_module m{};
  m.iVersion = 2;
  m.xCreate = c_series_connect;
  m.xConnect = c_series_connect;
  m.xBestIndex = c_series_best_index;
  m.xDisconnect = c_series_disconnect;
  m.xDestroy = c_series_disconnect;
  m.xOpen = c_series_open;
  m.xClose = c_series_close;
  m.xFilter = c_series_filter;
  m.xNext = c_series_next;
  m.xEof = c_series_eof;
  m.xColumn = c_series_column;
  m.xRowid = c_series_rowid;
  return m;
}

class CxxSeriesCursor : public sqlite::Cursor {
 public:
  explicit CxxSeriesCursor(std::int64_t hi) : hi_(hi) {}
  void filter(std::int32_t, std::optional<std::string_view>, bindery::borrowed_handles<sqlite::ValueRef>) override { row_ = 0; }
  void next() override { ++row_; }
  bool eof() override { return row_ >= hi_; }
  void column(sqlite::Context context, std::int32_t) override { context.result_int64(row_); }
  std::int64_t rowid() override { return row_; }

 private:
  std::int64_t row_ = 0, hi_;
};
class CxxSeriesTable : public sqlite::Table {
 public:
  explicit CxxSeriesTable(std::int64_t hi) : hi_(hi) {}
  void best_index(sqlite::IndexInfo info) override { info.set_estimated_cost(1000); }
  std::unique_ptr<sqlite::Cursor> open() override { return std::make_unique<CxxSeriesCursor>(hi_); }

 private:
  std::int64_t hi_;
};
class CxxSeries : public sqlite::Module {
 public:
  std::unique_ptr<sqlite::Table> create(sqlite::DatabaseRef db, bindery::borrowed_strings args) override {
    return connect(db, args);
  }
  std::unique_ptr<sqlite::Table> connect(sqlite::DatabaseRef db, bindery::borrowed_strings args) override {
    db.declare_vtab("CREATE TABLE x(value INTEGER)");
    return std::make_unique<CxxSeriesTable>(std::stoll(std::string(args[4])));
  }
};

const std::string kSeriesSql = "CREATE VIRTUAL TABLE s USING series(0, " + std::to_string(kSeriesRows) + ")";

void DirectSqliteVirtualTableSum(benchmark::State& state) {
  static const sqlite3_module module = c_series_module();
  sqlite3* db = direct_db();
  if (sqlite3_create_module_v2(db, "series", &module, nullptr, nullptr) != SQLITE_OK) c_fail(sqlite3_errmsg(db), 1);
  if (sqlite3_exec(db, kSeriesSql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) c_fail(sqlite3_errmsg(db), 1);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT sum(value) FROM s", -1, &stmt, nullptr) != SQLITE_OK) c_fail(sqlite3_errmsg(db), 1);
  for (auto _ : state) {
    if (sqlite3_step(stmt) != SQLITE_ROW) c_fail(sqlite3_errmsg(db), 1);
    benchmark::DoNotOptimize(sqlite3_column_int64(stmt, 0));
    sqlite3_reset(stmt);
  }
  state.SetItemsProcessed(state.iterations() * kSeriesRows);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
void WrappedSqliteVirtualTableSum(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  db.create_module("series", std::make_shared<CxxSeries>());
  db.exec(kSeriesSql);
  auto stmt = db.prepare_v2("SELECT sum(value) FROM s");
  for (auto _ : state) {
    if (stmt.step() != SQLITE_ROW) std::abort();
    benchmark::DoNotOptimize(stmt.column_int64(0));
    stmt.reset();
  }
  state.SetItemsProcessed(state.iterations() * kSeriesRows);
}
// The same sum over a real table of the same rows: what a virtual table is compared with.
void SqliteRealTableSum(benchmark::State& state) {
  auto db = sqlite::Database::open(":memory:");
  db.exec("CREATE TABLE s(value INTEGER); WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < " +
          std::to_string(kSeriesRows) + ") INSERT INTO s SELECT x FROM c");
  auto stmt = db.prepare_v2("SELECT sum(value) FROM s");
  for (auto _ : state) {
    if (stmt.step() != SQLITE_ROW) std::abort();
    benchmark::DoNotOptimize(stmt.column_int64(0));
    stmt.reset();
  }
  state.SetItemsProcessed(state.iterations() * kSeriesRows);
}
BENCHMARK(DirectSqliteVirtualTableSum)->Unit(benchmark::kMillisecond);
BENCHMARK(WrappedSqliteVirtualTableSum)->Unit(benchmark::kMillisecond);
BENCHMARK(SqliteRealTableSum)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
