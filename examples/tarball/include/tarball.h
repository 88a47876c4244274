/* tarball: read the regular files of a POSIX ustar archive.
 *
 * The archive is read into memory once by tarball_open and validated completely there, so every
 * later call is a lookup that cannot fail except by being out of range. Names and file contents
 * are borrowed from the tarball: they stay valid until tarball_close.
 */
#ifndef TARBALL_H
#define TARBALL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open archive: its bytes in memory and the list of its regular files. */
typedef struct tarball tarball_t;

/**
 * Opens and validates the ustar archive at `path`.
 *
 * Returns NULL with errno set on failure: the errors of open(2) and read(2) (ENOENT, EACCES,
 * EISDIR, ...), ENOMEM, or EINVAL when the file is not a well-formed archive (bad header
 * checksum, malformed octal field, an entry extending past the end of the file, a missing
 * end-of-archive block). Only regular files are listed; directories, links and devices are
 * skipped. The result must be released with tarball_close.
 */
tarball_t *tarball_open(const char *path);

/** Releases the archive and everything borrowed from it. Does nothing when `tarball` is NULL. */
void tarball_close(tarball_t *tarball);

/** Returns the number of regular files in the archive. */
unsigned tarball_count(const tarball_t *tarball);

/**
 * Returns the path of file `index` inside the archive (ustar prefix and name joined with '/'),
 * or NULL when `index` is not below tarball_count. The string belongs to the tarball.
 */
const char *tarball_file_name(const tarball_t *tarball, unsigned index);

/**
 * Returns the contents of file `index` and stores their length in `*size`, or returns NULL
 * (and stores 0) when `index` is not below tarball_count. The bytes may contain NULs and are not
 * NUL-terminated; an empty file gives a non-NULL pointer and size 0. They belong to the tarball.
 */
const char *tarball_file_data(tarball_t *tarball, unsigned index, size_t *size);

/**
 * Returns the index of the file whose path is exactly `name`, or -1 when there is none. When an
 * archive holds the same path twice, the last one wins, as when `tar -x` extracts it.
 */
int tarball_find(const tarball_t *tarball, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* TARBALL_H */
