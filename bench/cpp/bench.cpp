// Wrapper vs direct C call, one Google Benchmark run (bench/cpp/README.md has the table).
//
// Each `Direct*` benchmark is what a careful C caller writes for the same result, with the checks
// the wrapper makes too (a closed handle, a NULL or error result); each `Wrapped*` makes the same
// call through the generated header. Both call the same -O2 library code.
#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace

BENCHMARK_MAIN();
