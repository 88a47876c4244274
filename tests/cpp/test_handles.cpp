// tests/fixtures/handles/SPEC.md through the generated C++ API: owners are move-only RAII classes,
// borrowed handles are non-owning Refs, a consumed handle is passed with std::move.
#include <gtest/gtest.h>

#include <optional>
#include <string_view>
#include <type_traits>

#include "handles.hpp"

namespace {

TEST(Handles, H1_H2_H3_CounterLifecycle) {
  const int live = handles::live_objects();
  auto c = handles::Counter::create(10);
  c.add(5);
  c.add(-20);
  EXPECT_EQ(c.get(), -5);
  EXPECT_EQ(handles::live_objects(), live + 1);
  c.close();
  EXPECT_EQ(handles::live_objects(), live);
  c.close();  // a no-op
  EXPECT_EQ(handles::violations(), 0);
  EXPECT_EQ(c.c_ptr(), nullptr);
  EXPECT_THROW(c.get(), bindery::use_after_close);
}

TEST(Handles, H4_DestructorDestroys) {
  const int live = handles::live_objects();
  { auto c = handles::Counter::create(1); }
  EXPECT_EQ(handles::live_objects(), live);
}

TEST(Handles, H5_H6_CloneAndSum) {
  auto c = handles::Counter::create(7);
  auto d = c.clone();
  d.add(100);
  EXPECT_EQ(c.get(), 7);
  EXPECT_EQ(d.get(), 107);
  EXPECT_EQ(c.sum(d), 114);
  EXPECT_EQ(c.sum(c), 14) << "the same object twice: borrowed for the call";
}

TEST(Handles, H7_E3_ConsumeEmptiesTheOwner) {
  const int live = handles::live_objects();
  auto d = handles::Counter::create(42);
  EXPECT_EQ(handles::consume(std::move(d)), 42);
  EXPECT_EQ(handles::live_objects(), live);
  EXPECT_FALSE(d.is_open());  // NOLINT(bugprone-use-after-move): consumed is specified as emptied
  EXPECT_THROW(d.get(), bindery::use_after_close);
  d.close();
  EXPECT_THROW(handles::consume(std::move(d)), bindery::use_after_close) << "C is not called";
  EXPECT_EQ(handles::violations(), 0);
}

TEST(Handles, H8_to_H12_ParentsChildrenAndBorrowedRefs) {
  const int live = handles::live_objects();
  {
    auto p = handles::Parent::create("root");
    EXPECT_EQ(p.name(), "root");
    EXPECT_EQ(p.child_count(), 0);
    auto a = p.new_child(1);
    auto b = p.new_child(2);
    EXPECT_EQ(a.id(), 1);
    EXPECT_EQ(p.child_count(), 2);
    EXPECT_EQ(handles::live_objects(), live + 3);
    handles::ParentRef ref = a.parent();
    EXPECT_EQ(ref.c_ptr(), p.c_ptr()) << "the same C object";
    EXPECT_EQ(ref.name(), "root");
    { handles::ParentRef copy = ref; (void)copy; }
    EXPECT_EQ(handles::live_objects(), live + 3) << "a Ref destroys nothing";
    static_assert(!std::is_destructible_v<handles::ParentRef> || std::is_trivially_destructible_v<handles::ParentRef>);
    // Children are declared after the parent, so they are destroyed first (H12).
  }
  EXPECT_EQ(handles::live_objects(), live);
  EXPECT_EQ(handles::violations(), 0);
}

TEST(Handles, H14_ManyTemporaries) {
  const int live = handles::live_objects();
  for (int i = 0; i < 10000; ++i) (void)handles::Counter::create(i).clone();
  EXPECT_EQ(handles::live_objects(), live);
}

// ---- a handle declared on a pointer typedef (`typedef const char *handles_path`): an opaque
// handle, never text. The wrapper stores and hands back the very pointer the library made; the
// fixture counts a violation for any other pointer (a copy of the string would be one).

TEST(Handles, H15_PathOwnedFromAPointerTypedef) {
  const int live = handles::live_objects();
  auto q = handles::Path::create("a.db", "mode", "ro");
  static_assert(std::is_same_v<decltype(q.c_ptr()), handles_path>, "the typedef itself, not handles_path*");
  EXPECT_EQ(q.name(), "a.db");
  EXPECT_EQ(q.param("mode"), std::optional<std::string_view>("ro")) << "read past the name's NUL";
  EXPECT_EQ(q.param("cache"), std::nullopt);
  EXPECT_EQ(handles::live_objects(), live + 1);
  const handles_path raw = q.c_ptr();
  EXPECT_EQ(q.name().data(), raw) << "the name is the block itself: no copy anywhere";
  q.close();
  EXPECT_EQ(handles::live_objects(), live);
  EXPECT_EQ(handles::violations(), 0);
  { auto scoped = handles::Path::create("b.db", "k", "v"); }  // the destructor destroys it too
  EXPECT_EQ(handles::live_objects(), live);
  auto moved_from = handles::Path::create("c.db", "k", "v");
  handles::Path moved = std::move(moved_from);
  EXPECT_EQ(moved.name(), "c.db");
  EXPECT_EQ(handles::violations(), 0);
}

TEST(Handles, H16_H17_PathBorrowedFromAParent) {
  const int live = handles::live_objects();
  {
    auto p = handles::Parent::create("root");
    handles::PathRef r = p.path();
    EXPECT_EQ(r.name(), "root");
    EXPECT_EQ(r.param("kind"), std::optional<std::string_view>("parent"));
    EXPECT_EQ(handles::live_objects(), live + 1) << "the Parent only: the Path is the Parent's";
    { handles::PathRef copy = r; EXPECT_EQ(copy.c_ptr(), r.c_ptr()); }
    EXPECT_EQ(handles::live_objects(), live + 1) << "a Ref destroys nothing";
    static_assert(std::is_trivially_destructible_v<handles::PathRef>);
    // H17: in C++ a Ref must not outlive its owner (as for ParentRef); nothing keeps `p` alive.
  }
  EXPECT_EQ(handles::live_objects(), live);
  EXPECT_EQ(handles::violations(), 0);
}

TEST(Handles, E5_PathIsNoTextAndNoCounter) {
  auto q = handles::Path::create("a.db", "k", "v");
  q.close();
  EXPECT_THROW((void)q.name(), bindery::use_after_close) << "C is not called";
  static_assert(!std::is_invocable_v<decltype(&handles::Counter::sum), const handles::Counter&, const handles::Path&>,
                "a Path where a Counter is expected does not compile");
  static_assert(!std::is_convertible_v<const handles::Path&, std::string_view> &&
                    !std::is_convertible_v<handles::PathRef, bindery::cstring_view>,
                "a Path is not text");
  static_assert(!std::is_invocable_v<decltype(&handles::Path::create), std::nullptr_t, const char*, const char*>,
                "no NULL name");
  EXPECT_EQ(handles::violations(), 0);
}

TEST(Handles, E1_E2_E4_TypeSystem) {
  static_assert(!std::is_invocable_v<decltype(&handles::Counter::sum), const handles::Counter&, const handles::Parent&>);
  static_assert(!std::is_copy_constructible_v<handles::Counter>);
  static_assert(!std::is_default_constructible_v<handles::Counter>, "objects come from create()");
  static_assert(!std::is_convertible_v<handles::Counter, handles::Counter&&> ||
                !std::is_invocable_v<decltype(handles::consume), handles::Counter&>,
                "consume needs std::move");
}

}  // namespace
