// tests/fixtures/handles/SPEC.md through the generated C++ API: owners are move-only RAII classes,
// borrowed handles are non-owning Refs, a consumed handle is passed with std::move.
#include <gtest/gtest.h>

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

TEST(Handles, E1_E2_E4_TypeSystem) {
  static_assert(!std::is_invocable_v<decltype(&handles::Counter::sum), const handles::Counter&, const handles::Parent&>);
  static_assert(!std::is_copy_constructible_v<handles::Counter>);
  static_assert(!std::is_default_constructible_v<handles::Counter>, "objects come from create()");
  static_assert(!std::is_convertible_v<handles::Counter, handles::Counter&&> ||
                !std::is_invocable_v<decltype(handles::consume), handles::Counter&>,
                "consume needs std::move");
}

}  // namespace
