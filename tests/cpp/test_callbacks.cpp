// tests/fixtures/callbacks/SPEC.md through the generated C++ API: a `call`-scope callback is any
// callable (lambda with captures, functor, function), passed as a bindery::function_ref without
// allocating; an exception it throws reaches the caller without unwinding through C.
// Kept callbacks (K8-K14, E2): a std::function moved to the heap, freed by the library's
// destroy-notify (notified) or never (forever); a std::weak_ptr to what the callable captures
// proves the release, and live allocations prove nothing else is left behind. An exception from a
// kept callback leaves the wrapper whose C call ran it (docs/adr/cpp-kept-callback-errors.md).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string_view>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "callbacks.hpp"

// Counts every allocation of the program, to prove that a call with a callback makes none, and the
// live ones, to prove that kept callables are freed.
namespace {
std::atomic<long> g_allocations{0};
std::atomic<long> g_live{0};
}  // namespace
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    g_live.fetch_add(1, std::memory_order_relaxed);
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p != nullptr) g_live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace {

std::int32_t square(std::int32_t v) { return v * v; }

struct Stopper {
  std::int32_t stop_at;
  std::int32_t operator()(std::int32_t v) const { return v == stop_at ? 1 : 0; }
};

TEST(Callbacks, K1_VisitsInOrder) {
  std::vector<std::int32_t> seen;
  EXPECT_EQ(callbacks::visit_range(3, 7, [&](std::int32_t v) {
              seen.push_back(v);
              return 0;
            }),
            4);
  EXPECT_EQ(seen, (std::vector<std::int32_t>{3, 4, 5, 6}));
}

TEST(Callbacks, K2_TheResultReachesC) {
  std::vector<std::int32_t> seen;
  EXPECT_EQ(callbacks::visit_range(3, 100, [&](std::int32_t v) {
              seen.push_back(v);
              return v == 5;  // bool converts to the C int: nonzero stops
            }),
            3);
  EXPECT_EQ(seen, (std::vector<std::int32_t>{3, 4, 5}));
  EXPECT_EQ(callbacks::visit_range(0, 100, Stopper{9}), 10) << "a functor";
}

TEST(Callbacks, K3_EmptyRangeNeverCalls) {
  int calls = 0;
  EXPECT_EQ(callbacks::visit_range(5, 5, [&](std::int32_t) { return ++calls; }), 0);
  EXPECT_EQ(calls, 0);
}

TEST(Callbacks, K4_K5_MappedValuesAndCapturedState) {
  EXPECT_EQ(callbacks::sum_mapped(4, [](std::int32_t v) { return v * v; }), 14);
  EXPECT_EQ(callbacks::sum_mapped(4, square), 14) << "a plain function";
  EXPECT_EQ(callbacks::sum_mapped(4, &square), 14) << "a function pointer";
  const std::int32_t offset = 10;
  EXPECT_EQ(callbacks::sum_mapped(3, [offset](std::int32_t v) { return v + offset; }), 33);
}

TEST(Callbacks, NoAllocationPerCall) {
  std::int64_t total = 0;
  std::vector<std::int32_t> big(100, 1);  // state of any size, captured by reference
  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i)
    total += callbacks::sum_mapped(8, [&big, i](std::int32_t v) { return v + big[static_cast<std::size_t>(i % 100)]; });
  EXPECT_EQ(g_allocations.load(), before) << "function_ref and the call scope live on the stack";
  EXPECT_EQ(total, 1000 * (28 + 8));
}

TEST(Callbacks, K6_CallScopeCallablesAreNotKept) {
  // What the callable captures dies with the test's last reference: the binding referred to the
  // callable during the call only (a function_ref on the stack), and kept neither it nor a copy.
  auto state = std::make_shared<std::int32_t>(10);
  std::weak_ptr<std::int32_t> alive = state;
  const long live = g_live.load();
  {
    auto f = [state](std::int32_t v) { return v + *state; };
    EXPECT_EQ(callbacks::sum_mapped(3, f), 33);
    EXPECT_EQ(callbacks::visit_range(0, 2, f), 1) << "a nonzero result stops the visit at once";
  }
  state.reset();
  EXPECT_TRUE(alive.expired());
  // make_shared's single block stays until `alive` goes: the count is unchanged, nothing was added.
  EXPECT_EQ(g_live.load(), live) << "the calls left no allocation behind";
}

TEST(Callbacks, E3_E4_TheSignatureIsCheckedAtCompileTime) {
  // E3: a non-callable is refused before C is called (at compile time, by function_ref's constraint).
  static_assert(!std::is_invocable_v<decltype(&callbacks::visit_range), std::int32_t, std::int32_t, int>);
  // E4: a callable returning text where C wants an integer does not convert either.
  auto returns_text = [](std::int32_t) { return std::string("stop"); };
  static_assert(!std::is_invocable_v<decltype(&callbacks::visit_range), std::int32_t, std::int32_t,
                                     decltype(returns_text)>);
  // The control: the right signature is accepted, and so is anything convertible to int32_t.
  auto returns_bool = [](std::int32_t v) { return v == 1; };
  static_assert(std::is_invocable_v<decltype(&callbacks::visit_range), std::int32_t, std::int32_t,
                                    decltype(returns_bool)>);
  EXPECT_EQ(callbacks::visit_range(0, 5, returns_bool), 2) << "true stops at 1, as a C nonzero does";
}

TEST(Callbacks, E1_ExceptionReachesTheCallerAndStopsTheCalls) {
  std::vector<std::int32_t> seen;
  try {
    (void)callbacks::visit_range(0, 10, [&](std::int32_t v) -> std::int32_t {
      seen.push_back(v);
      if (seen.size() == 3) throw std::out_of_range("third call");
      return 0;
    });
    FAIL() << "the callable's exception must reach the caller";
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "third call") << "the same exception object's type and message";
  }
  EXPECT_EQ(seen, (std::vector<std::int32_t>{0, 1, 2})) << "no call of the callable after it threw";

  // The C library saw 0 (continue) after the throw and finished its loop without reaching f.
  int calls = 0;
  EXPECT_THROW((void)callbacks::sum_mapped(5, [&](std::int32_t) -> std::int32_t {
                 ++calls;
                 throw 42;
               }),
               int);
  EXPECT_EQ(calls, 1);
}

TEST(Callbacks, K15_NullableArgumentIsNullopt) {
  std::vector<std::pair<std::optional<std::string>, std::int32_t>> seen;
  EXPECT_EQ(callbacks::each_name([&](std::optional<std::string_view> name, std::int32_t position) {
              seen.emplace_back(name ? std::optional<std::string>(*name) : std::nullopt, position);
            }),
            3);
  using Seen = decltype(seen);
  EXPECT_EQ(seen, (Seen{{"first", 0}, {std::nullopt, 1}, {"third", 2}})) << "C's NULL arrives as std::nullopt";
}

// ---- buffer arguments: views with their hidden lengths, valid while the callable runs ----------

std::string text_of(std::span<const std::byte> raw) {
  return std::string(reinterpret_cast<const char*>(raw.data()), raw.size());
}

TEST(Callbacks, K16_PiecesAreExactlyAsLongAsTheirLengths) {
  std::vector<std::pair<std::string, std::string>> seen;  // copies: the views end with the call
  const std::int32_t n = callbacks::split("ab,,cde", [&](std::string_view piece, std::span<const std::byte> raw) {
    seen.emplace_back(std::string(piece), text_of(raw));
  });
  EXPECT_EQ(n, 3);
  // A binding that read to the NUL would see "ab,,cde" for the first piece.
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"ab", "ab"}, {"", ""}, {"cde", "cde"}}));
}

TEST(Callbacks, K16_AnEmptyPieceIsAnEmptyView) {
  std::vector<bool> empty;
  (void)callbacks::split("a,,b", [&](std::string_view piece, std::span<const std::byte> raw) {
    empty.push_back(piece.empty() && raw.empty());
  });
  EXPECT_EQ(empty, (std::vector<bool>{false, true, false})) << "NULL with length 0 arrives as an empty view";
}

TEST(Callbacks, K16_NoAllocationPerPiece) {
  std::size_t total = 0;
  const long before = g_allocations.load();
  (void)callbacks::split("one,two,three", [&](std::string_view piece, std::span<const std::byte> raw) {
    total += piece.size() + raw.size();
  });
  EXPECT_EQ(g_allocations.load(), before) << "views, not copies";
  EXPECT_EQ(total, 2u * 11);
}

TEST(Callbacks, K17_Utf8PiecesKeepTheirBytes) {
  std::vector<std::string> pieces, raws;
  EXPECT_EQ(callbacks::split("Gr\u00fc\u00dfe,\u4e16\u754c", [&](std::string_view piece, std::span<const std::byte> raw) {
              pieces.emplace_back(piece);
              raws.push_back(text_of(raw));
            }),
            2);
  EXPECT_EQ(pieces, (std::vector<std::string>{"Gr\u00fc\u00dfe", "\u4e16\u754c"}));
  EXPECT_EQ(raws, pieces) << "the same UTF-8 bytes";
}

TEST(Callbacks, K18_Utf16PiecesAndTheWholeText) {
  std::vector<std::u16string> pieces, wholes;
  EXPECT_EQ(callbacks::split16(u"a,\u03b2,\U0001F600", [&](std::u16string_view piece, std::u16string_view whole) {
              pieces.emplace_back(piece);
              wholes.emplace_back(whole);
            }),
            3);
  EXPECT_EQ(pieces, (std::vector<std::u16string>{u"a", u"\u03b2", u"\U0001F600"})) << "the byte length counts two per unit";
  EXPECT_EQ(pieces[2].size(), 2u) << "the surrogate pair intact";
  EXPECT_EQ(wholes, (std::vector<std::u16string>(3, u"a,\u03b2,\U0001F600"))) << "NUL-terminated UTF-16";
}

TEST(Callbacks, K19_ASliceOfScalarsArrivesAsASpanOfItsLength) {
  const std::vector<std::int32_t> values{1, 2, 3, 4};
  std::vector<std::vector<std::int32_t>> seen;
  const auto record = [&](std::span<const std::int32_t> window) { seen.emplace_back(window.begin(), window.end()); };
  EXPECT_EQ(callbacks::windows(values, 3, record), 2);
  EXPECT_EQ(seen, (std::vector<std::vector<std::int32_t>>{{1, 2, 3}, {2, 3, 4}})) << "the length argument gives the span's size";
  seen.clear();
  EXPECT_EQ(callbacks::windows(std::span(values).first(1), 0, record), 1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].empty()) << "NULL with length 0 is an empty span";
  seen.clear();
  EXPECT_EQ(callbacks::windows(std::span(values).first(1), 2, record), 0);
  EXPECT_TRUE(seen.empty());
}

TEST(Callbacks, K16_AnExceptionFromABufferCallbackReachesTheCaller) {
  int calls = 0;
  EXPECT_THROW((void)callbacks::split("a,b,c",
                                      [&](std::string_view piece, std::span<const std::byte>) {
                                        ++calls;
                                        if (piece == "b") throw std::runtime_error("b");
                                      }),
               std::runtime_error);
  EXPECT_EQ(calls, 2) << "not called again after it threw";
}

TEST(Callbacks, K7_EmitterWithoutSubscriber) {
  auto e = callbacks::Emitter::create();
  EXPECT_EQ(e.emit(1), 0);
}

// ---- scope notified: the emitter's subscriber ------------------------------------------------

/// A subscriber whose captured token tells whether the library still holds it.
struct Recorder {
  std::shared_ptr<std::vector<std::int32_t>> seen = std::make_shared<std::vector<std::int32_t>>();
  std::function<void(std::int32_t)> callable() const {
    return [seen = seen](std::int32_t event) { seen->push_back(event); };
  }
};

TEST(Callbacks, K8_SubscriberKeptByTheLibrary) {
  auto e = callbacks::Emitter::create();
  std::weak_ptr<std::vector<std::int32_t>> alive;
  {
    Recorder g;
    alive = g.seen;
    e.subscribe(g.callable());
    EXPECT_EQ(e.emit(7), 1);
    EXPECT_EQ(*g.seen, (std::vector<std::int32_t>{7}));
    EXPECT_EQ(callbacks::live_subscriptions(), 1);
  }  // the test's own reference is gone: the library's copy keeps it
  ASSERT_FALSE(alive.expired());
  EXPECT_EQ(e.emit(8), 1);
  EXPECT_EQ(*alive.lock(), (std::vector<std::int32_t>{7, 8}));
}

TEST(Callbacks, K9_K10_ReplacedThenUnsubscribedReleasesEach) {
  auto e = callbacks::Emitter::create();
  std::weak_ptr<std::vector<std::int32_t>> g_alive, h_alive;
  std::shared_ptr<std::vector<std::int32_t>> h_seen;
  {
    Recorder g, h;
    g_alive = g.seen;
    h_alive = h.seen;
    h_seen = h.seen;
    e.subscribe(g.callable());
    e.subscribe(h.callable());  // K9: replaces g; the library's destroy-notify frees g
  }
  EXPECT_TRUE(g_alive.expired()) << "g released by its destroy-notify";
  EXPECT_EQ(e.emit(9), 1);
  EXPECT_EQ(*h_seen, (std::vector<std::int32_t>{9}));
  h_seen.reset();
  EXPECT_FALSE(h_alive.expired());
  e.unsubscribe();  // K10
  EXPECT_TRUE(h_alive.expired());
  EXPECT_EQ(e.emit(10), 0);
  EXPECT_EQ(callbacks::live_subscriptions(), 0);
}

TEST(Callbacks, K11_ClosingTheEmitterReleasesTheSubscriber) {
  std::weak_ptr<std::vector<std::int32_t>> alive;
  auto e = callbacks::Emitter::create();
  e.subscribe(Recorder{}.callable());
  EXPECT_EQ(callbacks::live_subscriptions(), 1);
  e.close();
  EXPECT_EQ(callbacks::live_subscriptions(), 0);
  {
    auto dropped = callbacks::Emitter::create();
    Recorder g;
    alive = g.seen;
    dropped.subscribe(g.callable());
  }  // the destructor, not close()
  EXPECT_TRUE(alive.expired());
  EXPECT_EQ(callbacks::live_subscriptions(), 0);
}

TEST(Callbacks, K11_MovedEmitterKeepsItsSubscriber) {
  Recorder g;
  auto e = callbacks::Emitter::create();
  e.subscribe(g.callable());
  callbacks::Emitter moved = std::move(e);
  EXPECT_EQ(moved.emit(3), 1);
  EXPECT_EQ(*g.seen, (std::vector<std::int32_t>{3}));
  EXPECT_THROW((void)e.emit(4), bindery::use_after_close);  // NOLINT(bugprone-use-after-move): checked
}

TEST(Callbacks, NotifiedAllocationsBalance) {
  const long before = g_live.load();
  {
    auto e = callbacks::Emitter::create();
    std::vector<std::int32_t> big(64, 1);
    for (int i = 0; i < 100; ++i)
      e.subscribe([big, i](std::int32_t) { (void)big[static_cast<std::size_t>(i % 64)]; });
    EXPECT_EQ(e.emit(1), 1);
    e.unsubscribe();
    e.subscribe([big](std::int32_t) {});
  }
  EXPECT_EQ(g_live.load(), before) << "every kept callable was freed";
  EXPECT_EQ(callbacks::live_subscriptions(), 0);
}

TEST(Callbacks, EmptyCallableRefusedBeforeC) {
  auto e = callbacks::Emitter::create();
  EXPECT_THROW(e.subscribe(std::function<void(std::int32_t)>()), std::invalid_argument);
  EXPECT_EQ(callbacks::live_subscriptions(), 0);
}

TEST(Callbacks, E2_SubscriberExceptionLeavesEmit) {
  auto e = callbacks::Emitter::create();
  int calls = 0;
  e.subscribe([&](std::int32_t event) {
    ++calls;
    if (event == 1) throw std::runtime_error("subscriber failed on 1");
  });
  try {
    (void)e.emit(1);
    FAIL() << "the subscriber's exception must leave emit()";
  } catch (const std::runtime_error& err) {
    EXPECT_STREQ(err.what(), "subscriber failed on 1");
  }
  EXPECT_EQ(calls, 1);
  // Reported once: the next call runs normally and reaches the subscriber again.
  EXPECT_NO_THROW(EXPECT_EQ(e.emit(2), 1));
  EXPECT_EQ(calls, 2);
  bindery::rethrow_pending_callback_error();  // nothing pending: does nothing
}

TEST(Callbacks, E2_PendingExceptionStopsFurtherKeptCalls) {
  // Two emitters: the first one's subscriber throws; C then calls no kept callable on this thread
  // until the exception has left a wrapper. Here it leaves the very emit() that ran it.
  auto a = callbacks::Emitter::create();
  auto b = callbacks::Emitter::create();
  int b_calls = 0;
  a.subscribe([](std::int32_t) { throw 7; });
  b.subscribe([&](std::int32_t) { ++b_calls; });
  EXPECT_THROW((void)a.emit(1), int);
  EXPECT_EQ(b.emit(1), 1);
  EXPECT_EQ(b_calls, 1);
}

// ---- scope forever: the process-wide logger -------------------------------------------------

TEST(Callbacks, K12_NoLogger) { EXPECT_EQ(callbacks::log("x"), 0); }

TEST(Callbacks, K13_K14_LoggerKeptForever) {
  const std::string sample = "Grüße, 世界 ✓";
  auto seen = std::make_shared<std::vector<std::string>>();
  std::weak_ptr<std::vector<std::string>> alive = seen;
  const std::size_t parked = bindery::forever_callback_count();
  callbacks::set_logger([seen](std::string_view m) { seen->emplace_back(m); });
  EXPECT_EQ(bindery::forever_callback_count(), parked + 1);
  EXPECT_EQ(callbacks::log("hello"), 1);
  EXPECT_EQ(callbacks::log(sample), 1);
  EXPECT_EQ(*seen, (std::vector<std::string>{"hello", sample}));

  callbacks::set_logger(nullptr);  // K14: absent removes the logger
  EXPECT_EQ(callbacks::log("gone"), 0);
  EXPECT_EQ(seen->size(), 2u) << "m not called";
  EXPECT_EQ(bindery::forever_callback_count(), parked + 1) << "absent parks nothing";
  seen.reset();
  EXPECT_FALSE(alive.expired()) << "forever: the binding keeps m for the process's lifetime (documented)";
}

TEST(Callbacks, ForeverLoggerExceptionLeavesLog) {
  callbacks::set_logger([](std::string_view m) {
    if (m == "bad") throw std::invalid_argument("logger refused");
  });
  EXPECT_THROW((void)callbacks::log("bad"), std::invalid_argument);
  EXPECT_EQ(callbacks::log("fine"), 1);
  callbacks::set_logger(nullptr);
}

}  // namespace
