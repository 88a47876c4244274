/* End-to-end test of the tarball library against archives written by the system's `tar`.
 *
 * Usage: test_tarball WORKDIR
 * Builds a small tree (a nested path, a path long enough to need the ustar prefix field, an empty
 * file, 1 MiB of binary data), archives it with `tar --format=ustar` (and gnu/pax for the long-name
 * extensions), and checks that every name and every byte comes back exactly. Then damages archives
 * (truncation, bad checksum, bad octal, sizes past the end, random mutations) and checks that
 * tarball_open fails cleanly with EINVAL; under ASan/UBSan that also proves no out-of-bounds read.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tarball.h"

static int failures;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static const char *workdir;

static char *path_in(const char *relative) {
  static char buffers[4][4096];
  static int next;
  char *buffer = buffers[next++ % 4];
  snprintf(buffer, sizeof buffers[0], "%s/%s", workdir, relative);
  return buffer;
}

static void write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(2);
  }
}

/* Reads a whole file; the caller frees. */
static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) exit(2);
  fseek(f, 0, SEEK_END);
  long length = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc((size_t)length + 1);
  if (data == NULL || fread(data, 1, (size_t)length, f) != (size_t)length) exit(2);
  fclose(f);
  *size = (size_t)length;
  return data;
}

static void run(const char *command) {
  if (system(command) != 0) {
    fprintf(stderr, "command failed: %s\n", command);
    exit(2);
  }
}

static void make_dir(const char *relative) {
  if (mkdir(path_in(relative), 0755) != 0 && errno != EEXIST) {
    perror(relative);
    exit(2);
  }
}

/* ---- the tree that is archived --------------------------------------------------------------- */

#define BIG_SIZE (1024 * 1024)
static unsigned char big[BIG_SIZE];
static const char hello[] = "Hello, tarball!\n";
static const char nested[] = "nested file\n";
/* "dir/<long_dir>/<long_file>" is 121 characters: more than the 100-byte name field, so ustar
   splits it and stores "dir/<long_dir>" in the prefix field. */
static const char long_dir[] = "a-directory-name-long-enough-that-the-whole-path-exceeds-the-hundred-bytes-of-name";
static const char long_file[] = "and-a-long-file-name-inside-it.txt";
static char long_path[256];

static void make_tree(void) {
  /* Deterministic bytes covering all 256 values, NULs included (xorshift). */
  unsigned state = 2463534242u;
  for (size_t i = 0; i < BIG_SIZE; i++) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    big[i] = (unsigned char)state;
  }
  snprintf(long_path, sizeof long_path, "dir/%s/%s", long_dir, long_file);
  make_dir("src");
  make_dir("src/dir");
  make_dir("src/dir/sub");
  char relative[512];
  snprintf(relative, sizeof relative, "src/dir/%s", long_dir);
  make_dir(relative);
  snprintf(relative, sizeof relative, "src/%s", long_path);
  write_file(path_in(relative), hello, 3);
  write_file(path_in("src/hello.txt"), hello, strlen(hello));
  write_file(path_in("src/dir/sub/nested.txt"), nested, strlen(nested));
  write_file(path_in("src/empty.bin"), "", 0);
  write_file(path_in("src/big.bin"), big, BIG_SIZE);
}

/* ---- reading well-formed archives ------------------------------------------------------------ */

static void expect_file(tarball_t *t, const char *name, const void *data, size_t size) {
  int index = tarball_find(t, name);
  CHECK(index >= 0);
  if (index < 0) {
    fprintf(stderr, "  missing: %s\n", name);
    return;
  }
  CHECK(strcmp(tarball_file_name(t, (unsigned)index), name) == 0);
  size_t got_size = 12345;
  const char *got = tarball_file_data(t, (unsigned)index, &got_size);
  CHECK(got != NULL);
  CHECK(got_size == size);
  if (got != NULL && got_size == size) CHECK(memcmp(got, data, size) == 0);
}

static void test_ustar(void) {
  char command[8192];
  snprintf(command, sizeof command,
           "tar --format=ustar -cf '%s' -C '%s' hello.txt dir empty.bin big.bin",
           path_in("ustar.tar"), path_in("src"));
  run(command);
  tarball_t *t = tarball_open(path_in("ustar.tar"));
  CHECK(t != NULL);
  if (t == NULL) return;
  /* Directories (dir/, dir/sub/, the long directory) are not listed. */
  CHECK(tarball_count(t) == 5);
  expect_file(t, "hello.txt", hello, strlen(hello));
  expect_file(t, "dir/sub/nested.txt", nested, strlen(nested));
  expect_file(t, long_path, hello, 3);
  expect_file(t, "empty.bin", "", 0);
  expect_file(t, "big.bin", big, BIG_SIZE);

  /* The empty file: a real pointer, size 0. */
  int empty = tarball_find(t, "empty.bin");
  size_t size = 99;
  CHECK(empty >= 0 && tarball_file_data(t, (unsigned)empty, &size) != NULL && size == 0);

  /* Out of range and absent. */
  size = 99;
  CHECK(tarball_file_name(t, 5) == NULL);
  CHECK(tarball_file_data(t, 5, &size) == NULL && size == 0);
  CHECK(tarball_file_data(t, (unsigned)-1, &size) == NULL);
  CHECK(tarball_find(t, "missing") == -1);
  CHECK(tarball_find(t, "dir/") == -1);
  CHECK(tarball_find(t, "dir/sub") == -1);
  CHECK(tarball_find(t, "") == -1);

  /* Every index's name round-trips through find. */
  for (unsigned i = 0; i < tarball_count(t); i++) {
    CHECK(tarball_find(t, tarball_file_name(t, i)) == (int)i);
  }
  tarball_close(t);
}

/* A path appended twice: the last copy wins, as for `tar -x`. */
static void test_duplicates(void) {
  char command[8192];
  write_file(path_in("src/twice.txt"), "first", 5);
  snprintf(command, sizeof command, "tar --format=ustar -cf '%s' -C '%s' twice.txt hello.txt",
           path_in("twice.tar"), path_in("src"));
  run(command);
  write_file(path_in("src/twice.txt"), "second!", 7);
  snprintf(command, sizeof command, "tar --format=ustar -rf '%s' -C '%s' twice.txt",
           path_in("twice.tar"), path_in("src"));
  run(command);
  tarball_t *t = tarball_open(path_in("twice.tar"));
  CHECK(t != NULL);
  if (t == NULL) return;
  CHECK(tarball_count(t) == 3);
  CHECK(tarball_find(t, "twice.txt") == 2);
  expect_file(t, "twice.txt", "second!", 7);
  tarball_close(t);
}

/* GNU ('L' entries) and pax ('x' entries) spell names longer than ustar allows. */
static void test_long_name_extensions(void) {
  char name[200], relative[256], command[8192];
  memset(name, 'n', 150);
  memcpy(name + 150, ".txt", 5); /* 154 characters, no '/': ustar cannot store it at all */
  snprintf(relative, sizeof relative, "src/%s", name);
  write_file(path_in(relative), nested, strlen(nested));
  const char *formats[] = {"gnu", "pax"};
  for (int i = 0; i < 2; i++) {
    char archive[32];
    snprintf(archive, sizeof archive, "%s.tar", formats[i]);
    snprintf(command, sizeof command, "tar --format=%s -cf '%s' -C '%s' '%s' hello.txt",
             formats[i], path_in(archive), path_in("src"), name);
    run(command);
    tarball_t *t = tarball_open(path_in(archive));
    CHECK(t != NULL);
    if (t == NULL) continue;
    CHECK(tarball_count(t) == 2);
    expect_file(t, name, nested, strlen(nested));
    expect_file(t, "hello.txt", hello, strlen(hello));
    tarball_close(t);
  }
}

/* ---- malformed archives ---------------------------------------------------------------------- */

static void expect_einval(const char *what, const unsigned char *data, size_t size) {
  write_file(path_in("bad.tar"), data, size);
  errno = 0;
  tarball_t *t = tarball_open(path_in("bad.tar"));
  if (t != NULL || errno != EINVAL) {
    fprintf(stderr, "  %s: expected NULL/EINVAL, got %p/%d\n", what, (void *)t, errno);
    failures++;
  }
  tarball_close(t);
}

/* Rewrites a header's checksum so that only the damage under test is wrong. */
static void fix_checksum(unsigned char *header) {
  memset(header + 148, ' ', 8);
  unsigned sum = 0;
  for (int i = 0; i < 512; i++) sum += header[i];
  snprintf((char *)header + 148, 8, "%06o", sum);
  header[155] = ' ';
}

static void test_malformed(void) {
  char command[8192];
  snprintf(command, sizeof command, "tar --format=ustar -cf '%s' -C '%s' empty.bin",
           path_in("one-empty.tar"), path_in("src"));
  run(command);
  size_t size;
  unsigned char *good = read_file(path_in("ustar.tar"), &size);
  unsigned char *copy = malloc(size);
  if (copy == NULL) exit(2);

  expect_einval("empty file", good, 0);
  expect_einval("half a header", good, 300);
  expect_einval("header only", good, 512);
  expect_einval("cut inside data", good, 512 + 5);
  /* hello.txt's header + one data block, then end: no end-of-archive block. */
  expect_einval("no end block", good, 1024);
  /* Cut in the middle of big.bin's megabyte. */
  expect_einval("cut inside big data", good, size / 2);

  memcpy(copy, good, size);
  copy[0] ^= 0x20; /* a name byte: the checksum no longer matches */
  expect_einval("bad checksum", copy, size);

  memcpy(copy, good, size);
  memcpy(copy + 148, "12345x7", 7); /* not octal */
  expect_einval("bad checksum field", copy, size);

  memcpy(copy, good, size);
  copy[124 + 3] = '9'; /* size field: not octal */
  fix_checksum(copy);
  expect_einval("bad size field", copy, size);

  memcpy(copy, good, size);
  memcpy(copy + 124, "77777777777", 11); /* 8 GiB: past the end of the file */
  fix_checksum(copy);
  expect_einval("size past end", copy, size);

  memcpy(copy, good, size);
  memcpy(copy + 257, "nostar", 6); /* not a ustar header */
  fix_checksum(copy);
  expect_einval("bad magic", copy, size);

  memset(copy, 0x5a, size);
  expect_einval("garbage", copy, size);

  /* Numeric fields of an archive holding one empty file, where a lax parser reading the damaged
     size as 0 would still see a valid archive: so only the field check can reject these. */
  size_t one_size;
  unsigned char *one = read_file(path_in("one-empty.tar"), &one_size);
  const char *bad_sizes[] = {"          \0", "0000000000x", "00000 00000", "-0000000000"};
  for (int i = 0; i < 4; i++) {
    memcpy(one + 124, bad_sizes[i], 12);
    fix_checksum(one);
    expect_einval("malformed octal size", one, one_size);
  }
  memcpy(one + 124, "00000000000 ", 12); /* space-terminated is valid */
  fix_checksum(one);
  write_file(path_in("ok.tar"), one, one_size);
  tarball_t *t = tarball_open(path_in("ok.tar"));
  CHECK(t != NULL && tarball_count(t) == 1);
  tarball_close(t);
  free(one);

  /* Random damage to the first headers: open must either succeed with in-bounds data or fail
     with EINVAL. ASan proves the "in bounds"; half the mutations re-sign the header so that the
     field checks, not only the checksum, are exercised. */
  free(copy);
  free(good);
  /* A small archive (headers are what is fuzzed, the megabyte would only slow each round). */
  snprintf(command, sizeof command,
           "tar --format=ustar -cf '%s' -C '%s' hello.txt dir empty.bin",
           path_in("small.tar"), path_in("src"));
  run(command);
  good = read_file(path_in("small.tar"), &size);
  copy = malloc(size);
  if (copy == NULL) exit(2);
  unsigned state = 12345;
  for (int round = 0; round < 400; round++) {
    memcpy(copy, good, size);
    for (int k = 0; k < 3; k++) {
      state = state * 1103515245u + 12345u;
      size_t at = (state >> 8) % 1536;
      state = state * 1103515245u + 12345u;
      copy[at] = (unsigned char)(state >> 16);
    }
    if (round % 2 == 0) {
      fix_checksum(copy);
      fix_checksum(copy + 1024);
    }
    write_file(path_in("fuzz.tar"), copy, size);
    errno = 0;
    tarball_t *t = tarball_open(path_in("fuzz.tar"));
    if (t == NULL) {
      CHECK(errno == EINVAL);
      continue;
    }
    unsigned long touched = 0;
    for (unsigned i = 0; i < tarball_count(t); i++) {
      size_t n = 0;
      const char *data = tarball_file_data(t, i, &n);
      CHECK(data != NULL && tarball_file_name(t, i) != NULL);
      for (size_t j = 0; data != NULL && j < n; j++) touched += (unsigned char)data[j];
    }
    (void)touched;
    tarball_close(t);
  }
  free(copy);
  free(good);
}

static void test_system_errors(void) {
  errno = 0;
  CHECK(tarball_open(path_in("does-not-exist.tar")) == NULL && errno == ENOENT);
  errno = 0;
  CHECK(tarball_open(path_in("src")) == NULL && errno == EISDIR);
  errno = 0;
  CHECK(tarball_open(NULL) == NULL && errno == EINVAL);
  tarball_close(NULL); /* a no-op */
  CHECK(tarball_count(NULL) == 0);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s WORKDIR\n", argv[0]);
    return 2;
  }
  workdir = argv[1];
  if (mkdir(workdir, 0755) != 0 && errno != EEXIST) {
    perror(workdir);
    return 2;
  }
  make_tree();
  test_ustar();
  test_duplicates();
  test_long_name_extensions();
  test_malformed();
  test_system_errors();
  if (failures != 0) {
    fprintf(stderr, "tarball: %d check(s) failed\n", failures);
    return 1;
  }
  printf("tarball: all checks passed\n");
  return 0;
}
