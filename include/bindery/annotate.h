/* bindery/annotate.h — protocol annotations written in a header you own.
 *
 * Each macro expands to __attribute__((annotate("bindery:<text>"))), which compilers ignore and
 * libclang reports verbatim. <text> is the body of a YAML flow mapping using exactly the keys of
 * bindery.yaml (docs/bindery-yaml.md), so one parser reads both spellings:
 *
 *   const char *tarball_file_data(tarball_t *t, unsigned index, size_t *size BINDERY(dir: out))
 *       BINDERY(role: method, returns: {own: borrow, from: t, nullable: absent,
 *                                       length: {out: size}, string: bytes});
 *
 * On a function the keys are function annotations (role, result, returns, …); on a parameter they
 * are parameter annotations (dir, size, nullable, …); on a typedef or struct, type annotations.
 * Keys in bindery.yaml override the same keys written here.
 */
#ifndef BINDERY_ANNOTATE_H
#define BINDERY_ANNOTATE_H

/* Only clang (and so libclang) keeps `annotate`; GCC would warn that it ignores it. */
#if defined(__clang__)
#define BINDERY(...) __attribute__((annotate("bindery:" #__VA_ARGS__)))
#else
#define BINDERY(...)
#endif

/* Sugar for the common cases. */
#define BINDERY_HANDLE(destroy_fn) BINDERY(kind: handle, destroy: destroy_fn)
#define BINDERY_CTOR(handle_type) BINDERY(role: constructor, of: handle_type)
#define BINDERY_DTOR BINDERY(role: destructor)
#define BINDERY_METHOD BINDERY(role: method)
#define BINDERY_OWNED(free_fn) BINDERY(returns: {own: full, free: free_fn})
#define BINDERY_BORROWED(param) BINDERY(returns: {own: borrow, from: param})
#define BINDERY_STATIC BINDERY(returns: {own: static})
#define BINDERY_NULLABLE BINDERY(nullable: true)
#define BINDERY_OPTIONAL BINDERY(optional: true)
#define BINDERY_OUT BINDERY(dir: out)
#define BINDERY_INOUT BINDERY(dir: inout)
#define BINDERY_SIZE(expr) BINDERY(size: expr)
#define BINDERY_CAPACITY(expr) BINDERY(dir: out, capacity: expr)
#define BINDERY_CONSUMED BINDERY(own: full)
#define BINDERY_CALLBACK(scope_, user_data_) BINDERY(callback: {scope: scope_, user_data: user_data_})
#define BINDERY_RESULT(convention) BINDERY(result: convention)

#endif /* BINDERY_ANNOTATE_H */
