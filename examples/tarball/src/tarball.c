/* A reader for POSIX ustar archives (IEEE Std 1003.1, "pax" interchange format, ustar headers).
 *
 * tarball_open reads the whole file and walks its 512-byte header blocks once, checking every
 * field it relies on against the file's real size, so no later access can go out of bounds.
 * Extensions handled, because common writers emit them even in "ustar" mode by default:
 * GNU long names ('L' entries) and the pax `path` keyword ('x' entries). Other extension entries
 * ('g', 'K', vendor types) are skipped over by their size.
 */
#define _POSIX_C_SOURCE 200809L /* open, fstat, read, strnlen, O_CLOEXEC under -std=c11 */

#include "tarball.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BLOCK = 512 };

/* Offsets and widths of the ustar header fields we read. */
enum {
  NAME_OFF = 0, NAME_LEN = 100,
  SIZE_OFF = 124, SIZE_LEN = 12,
  CHKSUM_OFF = 148, CHKSUM_LEN = 8,
  TYPE_OFF = 156,
  MAGIC_OFF = 257,
  PREFIX_OFF = 345, PREFIX_LEN = 155,
};

struct entry {
  char *name;    /* owned, NUL-terminated */
  size_t offset; /* of the data in tarball->bytes */
  size_t size;
};

struct tarball {
  unsigned char *bytes; /* the whole archive */
  size_t length;
  struct entry *entries;
  unsigned count;
  unsigned capacity;
};

/* Returned for empty files: a valid pointer even when the data offset is the end of the buffer. */
static const char empty_data[1];

/* ---- reading the file ------------------------------------------------------------------------ */

/* Reads all of `fd` into a fresh buffer. Returns 0, or an errno value. */
static int read_all(int fd, unsigned char **out, size_t *out_length) {
  struct stat st;
  if (fstat(fd, &st) != 0) return errno;
  if (S_ISDIR(st.st_mode)) return EISDIR;
  if (!S_ISREG(st.st_mode) || st.st_size <= 0) return EINVAL; /* no end-of-archive block */
  if ((uintmax_t)st.st_size > SIZE_MAX) return ENOMEM;
  size_t length = (size_t)st.st_size;
  unsigned char *bytes = malloc(length);
  if (bytes == NULL) return ENOMEM;
  size_t done = 0;
  while (done < length) {
    ssize_t n = read(fd, bytes + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = n < 0 ? errno : EINVAL; /* the file shrank under us: treat as truncated */
      free(bytes);
      return error;
    }
    done += (size_t)n;
  }
  *out = bytes;
  *out_length = length;
  return 0;
}

/* ---- header fields --------------------------------------------------------------------------- */

/* Parses a numeric header field: optional leading spaces, octal digits, then NUL/space padding to
   the end of the field. GNU's base-256 form (high bit of the first byte set) is accepted for sizes
   too large for octal. Returns 0 and sets *value, or EINVAL. */
static int parse_number(const unsigned char *field, size_t width, uint64_t *value) {
  uint64_t v = 0;
  if (field[0] & 0x80) {
    if (field[0] != 0x80) return EINVAL; /* negative, or more than 64 bits */
    for (size_t i = 1; i < width; i++) {
      if (v > (UINT64_MAX >> 8)) return EINVAL;
      v = (v << 8) | field[i];
    }
    *value = v;
    return 0;
  }
  size_t i = 0;
  while (i < width && field[i] == ' ') i++;
  size_t digits = 0;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; i++, digits++) {
    if (v > (UINT64_MAX >> 3)) return EINVAL;
    v = (v << 3) | (uint64_t)(field[i] - '0');
  }
  if (digits == 0) return EINVAL;
  for (; i < width; i++) {
    if (field[i] != ' ' && field[i] != '\0') return EINVAL;
  }
  *value = v;
  return 0;
}

/* The stored checksum is the sum of the header's bytes with the checksum field read as spaces.
   Historic writers summed signed chars, so both sums are accepted (as GNU tar does). */
static int checksum_ok(const unsigned char *header) {
  uint64_t stored;
  if (parse_number(header + CHKSUM_OFF, CHKSUM_LEN, &stored) != 0) return 0;
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (size_t i = 0; i < BLOCK; i++) {
    int in_field = i >= CHKSUM_OFF && i < CHKSUM_OFF + CHKSUM_LEN;
    unsigned char byte = in_field ? ' ' : header[i];
    unsigned_sum += byte;
    signed_sum += (signed char)byte;
  }
  return stored == (uint64_t)unsigned_sum || (signed_sum >= 0 && stored == (uint64_t)signed_sum);
}

static int all_zero(const unsigned char *block) {
  for (size_t i = 0; i < BLOCK; i++) {
    if (block[i] != 0) return 0;
  }
  return 1;
}

/* "ustar\0" + "00" is POSIX; "ustar  \0" is the old GNU format, whose prefix area means something
   else (access and change times), so only POSIX headers contribute a prefix. */
static int is_posix_ustar(const unsigned char *header) {
  return memcmp(header + MAGIC_OFF, "ustar\0" "00", 8) == 0;
}

static int is_gnu_ustar(const unsigned char *header) {
  return memcmp(header + MAGIC_OFF, "ustar  \0", 8) == 0;
}

/* Copies a possibly unterminated field of at most `width` bytes into a new string. */
static char *field_string(const unsigned char *field, size_t width) {
  size_t length = strnlen((const char *)field, width);
  char *s = malloc(length + 1);
  if (s != NULL) {
    memcpy(s, field, length);
    s[length] = '\0';
  }
  return s;
}

/* The entry's path: "prefix/name" for POSIX headers with a prefix, else just "name". */
static char *header_path(const unsigned char *header) {
  size_t name_length = strnlen((const char *)header + NAME_OFF, NAME_LEN);
  size_t prefix_length =
      is_posix_ustar(header) ? strnlen((const char *)header + PREFIX_OFF, PREFIX_LEN) : 0;
  if (prefix_length == 0) return field_string(header + NAME_OFF, NAME_LEN);
  char *s = malloc(prefix_length + 1 + name_length + 1);
  if (s != NULL) {
    memcpy(s, header + PREFIX_OFF, prefix_length);
    s[prefix_length] = '/';
    memcpy(s + prefix_length + 1, header + NAME_OFF, name_length);
    s[prefix_length + 1 + name_length] = '\0';
  }
  return s;
}

/* ---- extension entries ----------------------------------------------------------------------- */

/* Finds the `path` keyword in pax extended-header records ("<len> <key>=<value>\n"...).
   Returns 0 with *path set (NULL when absent), or EINVAL/ENOMEM. */
static int pax_path(const unsigned char *data, size_t size, char **path) {
  *path = NULL;
  size_t at = 0;
  while (at < size) {
    size_t length = 0, i = at;
    while (i < size && data[i] >= '0' && data[i] <= '9') {
      if (length > (SIZE_MAX - 9) / 10) return EINVAL;
      length = length * 10 + (size_t)(data[i] - '0');
      i++;
    }
    /* The length counts the whole record, digits and trailing newline included. */
    if (i == at || i >= size || data[i] != ' ' || length > size - at || length < i - at + 2 ||
        data[at + length - 1] != '\n') {
      return EINVAL;
    }
    const unsigned char *key = data + i + 1;
    size_t rest = at + length - 1 - (i + 1); /* "key=value" without the newline */
    if (rest >= 5 && memcmp(key, "path=", 5) == 0) {
      free(*path);
      *path = field_string(key + 5, rest - 5);
      if (*path == NULL) return ENOMEM;
      if (strlen(*path) != rest - 5) { /* an embedded NUL: not a path we can return */
        free(*path);
        *path = NULL;
        return EINVAL;
      }
    }
    at += length;
  }
  return 0;
}

/* ---- building the index ---------------------------------------------------------------------- */

static int add_entry(tarball_t *t, char *name, size_t offset, size_t size) {
  if (t->count == t->capacity) {
    unsigned capacity = t->capacity ? t->capacity * 2 : 16;
    size_t bytes;
    if (capacity < t->capacity || __builtin_mul_overflow(capacity, sizeof *t->entries, &bytes)) {
      return ENOMEM;
    }
    struct entry *grown = realloc(t->entries, bytes);
    if (grown == NULL) return ENOMEM;
    t->entries = grown;
    t->capacity = capacity;
  }
  t->entries[t->count++] = (struct entry){name, offset, size};
  return 0;
}

static int is_regular(unsigned char type) { return type == '0' || type == '\0' || type == '7'; }

/* Entry types that never have data blocks after their header, whatever their size field says. */
static int has_no_data(unsigned char type) { return type >= '1' && type <= '6'; }

/* Walks the headers of t->bytes and fills t->entries. Returns 0 or an errno value. */
static int index_archive(tarball_t *t) {
  size_t at = 0;
  char *long_name = NULL; /* from a preceding 'L' or pax 'x' entry: names the next entry */
  int error = 0;
  for (;;) {
    if (t->length - at < BLOCK) { error = EINVAL; break; } /* no end-of-archive block */
    const unsigned char *header = t->bytes + at;
    if (all_zero(header)) break;                           /* end of archive */
    uint64_t size;
    if (!checksum_ok(header) || !(is_posix_ustar(header) || is_gnu_ustar(header)) ||
        parse_number(header + SIZE_OFF, SIZE_LEN, &size) != 0) {
      error = EINVAL;
      break;
    }
    unsigned char type = header[TYPE_OFF];
    if (has_no_data(type)) size = 0;
    at += BLOCK;
    /* The data, padded to whole blocks, must lie inside the file. */
    size_t available = t->length - at;
    if (size > available || (size + BLOCK - 1) / BLOCK > available / BLOCK) {
      error = EINVAL;
      break;
    }
    size_t padded = (size_t)(size + BLOCK - 1) / BLOCK * BLOCK;
    if (type == 'L' || type == 'x') {
      free(long_name);
      long_name = NULL;
      if (type == 'L') {
        long_name = field_string(t->bytes + at, (size_t)size);
        error = long_name == NULL ? ENOMEM : 0;
      } else {
        error = pax_path(t->bytes + at, (size_t)size, &long_name);
      }
      if (error != 0) break;
    } else {
      if (is_regular(type)) {
        char *name = long_name != NULL ? long_name : header_path(header);
        long_name = NULL;
        if (name == NULL) { error = ENOMEM; break; }
        size_t name_length = strlen(name);
        if (name_length == 0) { /* a file needs a name */
          free(name);
          error = EINVAL;
          break;
        }
        if (name[name_length - 1] == '/') { /* pre-POSIX writers mark directories this way */
          free(name);
          at += padded;
          continue;
        }
        if (t->count == UINT_MAX || (error = add_entry(t, name, at, (size_t)size)) != 0) {
          free(name);
          if (error == 0) error = EINVAL;
          break;
        }
      } else {
        free(long_name); /* it named a directory, link or extension entry */
        long_name = NULL;
      }
    }
    at += padded;
  }
  free(long_name);
  return error;
}

/* ---- public API ------------------------------------------------------------------------------ */

tarball_t *tarball_open(const char *path) {
  if (path == NULL) {
    errno = EINVAL;
    return NULL;
  }
  tarball_t *t = calloc(1, sizeof *t);
  if (t == NULL) {
    errno = ENOMEM;
    return NULL;
  }
  int fd;
  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  int error = fd < 0 ? errno : read_all(fd, &t->bytes, &t->length);
  if (fd >= 0) close(fd);
  if (error == 0) error = index_archive(t);
  if (error != 0) {
    tarball_close(t);
    errno = error; /* set last: free and close may clobber it */
    return NULL;
  }
  return t;
}

void tarball_close(tarball_t *tarball) {
  if (tarball == NULL) return;
  for (unsigned i = 0; i < tarball->count; i++) free(tarball->entries[i].name);
  free(tarball->entries);
  free(tarball->bytes);
  free(tarball);
}

unsigned tarball_count(const tarball_t *tarball) { return tarball != NULL ? tarball->count : 0; }

const char *tarball_file_name(const tarball_t *tarball, unsigned index) {
  if (tarball == NULL || index >= tarball->count) return NULL;
  return tarball->entries[index].name;
}

const char *tarball_file_data(tarball_t *tarball, unsigned index, size_t *size) {
  if (tarball == NULL || index >= tarball->count) {
    if (size != NULL) *size = 0;
    return NULL;
  }
  const struct entry *e = &tarball->entries[index];
  if (size != NULL) *size = e->size;
  if (e->size == 0) return empty_data;
  return (const char *)tarball->bytes + e->offset;
}

int tarball_find(const tarball_t *tarball, const char *name) {
  if (tarball == NULL || name == NULL) return -1;
  /* From the end: the last copy of a path is the one `tar -x` leaves on disk. */
  for (unsigned i = tarball->count; i-- > 0;) {
    if (strcmp(tarball->entries[i].name, name) == 0) return i <= INT_MAX ? (int)i : -1;
  }
  return -1;
}
