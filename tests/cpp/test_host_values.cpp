// tests/fixtures/host_values/SPEC.md through the generated C++ API: a host value is a std::any,
// moved into a heap box whose address the library carries and which the library frees through
// the binding's release function; what the library hands back is a copy of the box's value
// (std::optional<std::any>: absent for NULL or another binding's tag). Identity is shared by
// storing a std::shared_ptr, whose copies point at one object (docs/adr/cpp-transfers-and-host-values.md).
#include <gtest/gtest.h>

#include <any>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "host_values.hpp"

namespace {

using Object = std::shared_ptr<std::string>;

Object object(const char* text) { return std::make_shared<std::string>(text); }

/// The object a returned value holds, or nullptr.
Object held(const std::optional<std::any>& value) {
  if (!value) return nullptr;
  return std::any_cast<Object>(*value);
}

TEST(HostValues, H1_H2_H3_PutGetReplace) {
  const int live = host_values::live();
  const int releases = host_values::releases();
  auto s = host_values::Store::create();
  Object o = object("o");
  s.put(0, o);
  EXPECT_EQ(held(s.get(0)), o) << "H1: the very same object";
  EXPECT_EQ(host_values::live(), live + 1);

  std::weak_ptr<std::string> weak_o = o;
  o.reset();
  EXPECT_FALSE(weak_o.expired()) << "H2: the store keeps it alive";
  EXPECT_EQ(held(s.get(0)), weak_o.lock());

  Object p = object("p");
  s.put(0, p);
  EXPECT_EQ(host_values::releases(), releases + 1) << "H3: o released";
  EXPECT_TRUE(weak_o.expired());
  EXPECT_EQ(held(s.get(0)), p);
}

TEST(HostValues, H4_OutOfRangeReleasesTheValueAtOnce) {
  const int live = host_values::live();
  const int releases = host_values::releases();
  auto s = host_values::Store::create();
  Object q = object("q");
  std::weak_ptr<std::string> weak_q = q;
  EXPECT_THROW(s.put(9, std::move(q)), host_values::OutOfRange);  // the kind's class, a host_values::Error
  EXPECT_EQ(host_values::releases(), releases + 1);
  EXPECT_TRUE(weak_q.expired()) << "the library released the box, which freed the value";
  EXPECT_EQ(host_values::live(), live);
}

TEST(HostValues, H5_EmptyAndForeignSlotsAreAbsent) {
  auto s = host_values::Store::create();
  EXPECT_EQ(s.get(5), std::nullopt);
  s.put_foreign(1, "foreign");
  EXPECT_EQ(s.get(1), std::nullopt) << "another tag: never unboxed";
}

TEST(HostValues, H6_H7_UntaggedSlots) {
  const int releases = host_values::releases();
  auto s = host_values::Store::create();
  Object r = object("r");
  s.set(2, r);
  EXPECT_EQ(held(s.lookup(2)), r);
  EXPECT_EQ(s.lookup(3), std::nullopt);
  EXPECT_TRUE(s.remove(2));
  EXPECT_EQ(host_values::releases(), releases + 1);
  EXPECT_EQ(r.use_count(), 1) << "the box's copy is gone";
}

TEST(HostValues, H8_ClosingReleasesEveryValue) {
  const int live = host_values::live();
  Object p = object("p"), r2 = object("r2");
  std::weak_ptr<std::string> weak_p = p, weak_r2 = r2;
  {
    auto s = host_values::Store::create();
    s.put(0, std::move(p));
    s.set(2, std::move(r2));
    s.put_foreign(1, "foreign");
    EXPECT_FALSE(weak_p.expired());
    s.close();
    EXPECT_EQ(host_values::live(), live);
  }
  EXPECT_TRUE(weak_p.expired());
  EXPECT_TRUE(weak_r2.expired());
}

TEST(HostValues, H9_ReplacedValuesAreReleased) {
  const int live = host_values::live();
  const int releases = host_values::releases();
  auto probe = object("first");
  std::weak_ptr<std::string> weak_first = probe;
  {
    auto s = host_values::Store::create();
    s.put(0, std::move(probe));
    for (int i = 0; i < 10000; ++i) s.put(0, std::vector<int>{i});
    EXPECT_EQ(std::any_cast<std::vector<int>>(*s.get(0)), std::vector<int>{9999});
  }
  EXPECT_EQ(host_values::live(), live);
  EXPECT_EQ(host_values::releases(), releases + 10001);
  EXPECT_TRUE(weak_first.expired());
}

TEST(HostValues, AnyCopyableValueTravels) {
  auto s = host_values::Store::create();
  s.put(3, 42);
  s.put(4, std::string("text"));
  EXPECT_EQ(std::any_cast<int>(*s.get(3)), 42);
  EXPECT_EQ(std::any_cast<std::string>(*s.get(4)), "text");
  // What comes back is a copy: changing it leaves the stored value alone.
  std::optional<std::any> copy = s.get(4);
  std::any_cast<std::string&>(*copy) = "changed";
  EXPECT_EQ(std::any_cast<std::string>(*s.get(4)), "text");
}

TEST(HostValues, E1_AnEmptyAnyIsRefusedBeforeC) {
  const int live = host_values::live();
  const int releases = host_values::releases();
  auto s = host_values::Store::create();
  EXPECT_THROW(s.put(0, std::any{}), std::invalid_argument);
  EXPECT_THROW(s.set(0, std::any{}), std::invalid_argument);
  EXPECT_EQ(host_values::live(), live);
  EXPECT_EQ(host_values::releases(), releases) << "C was not called";
}

TEST(HostValues, E2_GetAfterClose) {
  auto s = host_values::Store::create();
  s.close();
  EXPECT_THROW((void)s.get(0), bindery::use_after_close);
}

TEST(HostValues, E3_TheKeyIsAnInteger) {
  using Store = host_values::Store;
  static_assert(!std::is_invocable_v<decltype(&Store::put), Store&, const char*, std::any>);
  static_assert(std::is_invocable_v<decltype(&Store::put), Store&, int, std::any>);
}

}  // namespace
