// zlib (the system library) through the generated C++ API only: tests/fixtures/zlib/bindery.yaml
// (one-shot utilities, checksums, and z_stream in its two roles: the pinned Deflater and Inflater).
#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <cstring>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "zlib.hpp"

namespace {

constexpr std::size_t kMiB = 1024 * 1024;

/// 1 MiB of text-like bytes: compressible, but not trivially (words of a small vocabulary in a
/// pseudo-random order, so the stream has many blocks of literals and matches).
std::vector<std::byte> sample_data() {
  static constexpr std::string_view kWords[] = {"alpha ", "beta ", "gamma ", "delta\n", "epsilon ", "zeta ",
                                                "eta ", "theta ", "iota ", "kappa ", "lambda\n", "mu "};
  std::vector<std::byte> out;
  out.reserve(kMiB);
  std::uint32_t state = 12345;
  while (out.size() < kMiB) {
    state = state * 1103515245u + 12345u;
    for (char c : kWords[(state >> 16) % std::size(kWords)])
      if (out.size() < kMiB) out.push_back(static_cast<std::byte>(c));
  }
  return out;
}

std::span<const std::byte> bytes_of(const char* s) { return std::as_bytes(std::span(s, std::strlen(s))); }

/// Compresses `data` through a Deflater: 64 KiB of input and 16 KiB of output space per call.
std::vector<std::byte> deflate_stream(std::span<const std::byte> data, int level) {
  auto d = zlib::Deflater::deflate_init(level);
  std::vector<std::byte> out;
  std::vector<std::byte> chunk(16 * 1024);
  std::size_t fed = 0;
  for (;;) {
    std::span<const std::byte> in = data.subspan(fed, std::min<std::size_t>(64 * 1024, data.size() - fed));
    const bool last = fed + in.size() == data.size();
    auto r = d.deflate(in, chunk, last ? zlib::Flush::Finish : zlib::Flush::NoFlush);
    fed += r.consumed;
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(r.produced));
    if (r.status == Z_STREAM_END) break;
  }
  EXPECT_EQ(fed, data.size());
  d.close();
  return out;
}

/// Decompresses through an Inflater: `in_step` bytes of input and 4 KiB of output space per call.
std::vector<std::byte> inflate_stream(std::span<const std::byte> data, std::size_t in_step) {
  auto inf = zlib::Inflater::inflate_init();
  std::vector<std::byte> out;
  std::vector<std::byte> chunk(4096);
  std::size_t fed = 0;
  for (;;) {
    std::span<const std::byte> in = data.subspan(fed, std::min(in_step, data.size() - fed));
    auto r = inf.inflate(in, chunk, zlib::Flush::NoFlush);
    fed += r.consumed;
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(r.produced));
    if (r.status == Z_STREAM_END) break;
    if (r.status == Z_BUF_ERROR && fed == data.size()) throw std::runtime_error("truncated stream");
  }
  return out;
}

TEST(Zlib, ChecksumsOfKnownInputs) {
  EXPECT_EQ(zlib::crc32(0, bytes_of("123456789")), 0xCBF43926u);
  EXPECT_EQ(zlib::adler32(1, bytes_of("Wikipedia")), 0x11E60398u);
  EXPECT_EQ(zlib::version(), std::string_view(ZLIB_VERSION));
}

TEST(Zlib, OneShotRoundTripOf1MiB) {
  const auto data = sample_data();
  std::vector<std::byte> packed(zlib::compress_bound(data.size()));
  const std::size_t n = zlib::compress2(packed, data, Z_BEST_COMPRESSION);
  ASSERT_GT(n, 0u);
  EXPECT_LT(n, data.size() / 3) << "the sample is compressible";
  packed.resize(n);

  std::vector<std::byte> unpacked(data.size());
  ASSERT_EQ(zlib::uncompress(unpacked, packed), data.size());
  EXPECT_EQ(unpacked, data);
  EXPECT_EQ(zlib::crc32(0, unpacked), zlib::crc32(0, data));
}

TEST(Zlib, OneShotWithAllocatingOverloads) {
  // compress/uncompress without caller buffers: the capacity in, a vector of what was written out.
  const auto data = sample_data();
  const auto packed = zlib::compress(zlib::compress_bound(data.size()), data);
  EXPECT_LT(packed.size(), data.size() / 3);
  EXPECT_EQ(zlib::uncompress(data.size(), packed), data);
  EXPECT_THROW((void)zlib::uncompress(data.size() - 1, packed), zlib::Error) << "too small: Z_BUF_ERROR";
}

TEST(Zlib, StreamingRoundTripOf1MiB) {
  const auto data = sample_data();
  const auto packed = deflate_stream(data, Z_DEFAULT_COMPRESSION);
  EXPECT_LT(packed.size(), data.size() / 3);

  // Input in awkward steps, so the Inflater often stops mid-block and resumes.
  EXPECT_EQ(inflate_stream(packed, 1000), data);
  EXPECT_EQ(inflate_stream(packed, packed.size()), data);

  // The two styles agree: the stream is a plain zlib stream.
  std::vector<std::byte> unpacked(data.size());
  ASSERT_EQ(zlib::uncompress(unpacked, packed), data.size());
  EXPECT_EQ(unpacked, data);
}

TEST(Zlib, CorruptStreamGivesZlibsError) {
  auto packed = deflate_stream(sample_data(), 6);
  packed[0] = std::byte{0x00};  // the header's CMF byte: no longer "deflate, 32K window"
  try {
    (void)inflate_stream(packed, packed.size());
    FAIL() << "a corrupt header must throw";
  } catch (const zlib::Error& e) {
    EXPECT_EQ(e.code(), Z_DATA_ERROR);
    EXPECT_STREQ(e.what(), "incorrect header check") << "the stream's own msg field";
  }

  auto body = deflate_stream(sample_data(), 6);
  body[body.size() - 1] ^= std::byte{0xff};  // the Adler-32 trailer
  EXPECT_THROW((void)inflate_stream(body, 4096), zlib::Error);
  try {
    std::vector<std::byte> out(kMiB);
    (void)zlib::uncompress(out, body);
    FAIL() << "a wrong checksum must throw";
  } catch (const zlib::Error& e) {
    EXPECT_EQ(e.code(), Z_DATA_ERROR);
    EXPECT_STREQ(e.what(), "data error") << "zError's text for the code";
  }
}

TEST(Zlib, TooSmallOutputBufferIsAnError) {
  const auto data = sample_data();
  std::vector<std::byte> tiny(16);
  try {
    (void)zlib::compress(tiny, data);
    FAIL();
  } catch (const zlib::Error& e) {
    EXPECT_EQ(e.code(), Z_BUF_ERROR);
    EXPECT_STREQ(e.what(), "buffer error");
  }
}

TEST(Zlib, BadLevelIsRefusedByInit) {
  try {
    (void)zlib::Deflater::deflate_init(42);
    FAIL();
  } catch (const zlib::Error& e) {
    EXPECT_EQ(e.code(), Z_STREAM_ERROR);
  }
}

TEST(Zlib, PinnedStreamsStayInPlace) {
  // z_stream's internal state points back at the struct: the classes cannot be copied or moved.
  static_assert(!std::is_copy_constructible_v<zlib::Deflater>);
  static_assert(!std::is_move_constructible_v<zlib::Deflater>);
  static_assert(!std::is_move_assignable_v<zlib::Deflater>);
  static_assert(!std::is_move_constructible_v<zlib::Inflater>);
  auto d = zlib::Deflater::deflate_init(1);
  EXPECT_TRUE(d.is_open());
  EXPECT_EQ(d.c_ptr()->total_in, 0u) << "the struct the binding holds, initialised in place";
  // A heap copy for whoever needs to keep one beyond a scope: guaranteed elision, no move.
  auto boxed = std::unique_ptr<zlib::Deflater>(new zlib::Deflater(zlib::Deflater::deflate_init(9)));
  EXPECT_TRUE(boxed->is_open());
  d.close();
  EXPECT_FALSE(d.is_open());
  EXPECT_EQ(d.c_ptr(), nullptr);
  std::vector<std::byte> out(64);
  EXPECT_THROW((void)d.deflate(bytes_of("x"), out, zlib::Flush::Finish), bindery::use_after_close);
  d.close();  // twice: nothing
}

template <class T>
concept CanDeflate = requires(T& t, std::span<const std::byte> in, std::span<std::byte> out) {
  t.deflate(in, out, zlib::Flush::Finish);
};
template <class T>
concept CanInflate = requires(T& t, std::span<const std::byte> in, std::span<std::byte> out) {
  t.inflate(in, out, zlib::Flush::Finish);
};

TEST(Zlib, OneStructTwoRoles) {
  // z_stream backs two classes (roles): each gets only its own protocol's functions.
  static_assert(std::is_same_v<zlib::Deflater::c_type, zlib::Inflater::c_type>);
  static_assert(!std::is_same_v<zlib::Deflater, zlib::Inflater>);
  static_assert(CanDeflate<zlib::Deflater> && !CanInflate<zlib::Deflater>);
  static_assert(CanInflate<zlib::Inflater> && !CanDeflate<zlib::Inflater>);
  auto d = zlib::Deflater::deflate_init(6);
  auto i = zlib::Inflater::inflate_init();
  EXPECT_NE(d.c_ptr(), i.c_ptr());
  EXPECT_TRUE(d.is_open() && i.is_open());
}

TEST(Zlib, Z3_GzFileWriteReadGetcEof) {
  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_gz_" + std::to_string(::getpid()) + ".gz");
  {
    auto out = zlib::GzFile::open(path.string(), "wb");
    EXPECT_EQ(out.write(bytes_of("hello, gzip")), 11);
    out.close();
  }
  auto in = zlib::GzFile::open(path.string(), "rb");
  std::vector<std::byte> buf(5);
  EXPECT_EQ(in.read(buf), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), 5), "hello");
  EXPECT_EQ(in.getc(), ',') << "through zlib's gzgetc macro fast path";
  auto rest = in.read(100);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(rest.data()), rest.size()), " gzip");
  EXPECT_EQ(in.getc(), -1);
  EXPECT_TRUE(in.eof());
  in.close();
  EXPECT_THROW((void)in.getc(), bindery::use_after_close);
  in.close();  // E4: a second close does nothing
  std::filesystem::remove(path);
}

TEST(Zlib, Z6_InflaterCopyMidStream) {
  const auto data = sample_data();
  const auto packed = deflate_stream(data, 6);
  auto a = zlib::Inflater::inflate_init();
  std::vector<std::byte> first(1000);
  auto r = a.inflate(std::span(packed).first(packed.size() / 2), first, zlib::Flush::NoFlush);
  ASSERT_EQ(r.produced, first.size());
  auto b = zlib::Inflater::inflate_copy(a);  // the whole state, in a struct of its own
  auto finish = [&](zlib::Inflater& inf, std::size_t consumed) {
    std::vector<std::byte> out, chunk(64 * 1024);
    for (;;) {
      auto step = inf.inflate(std::span(packed).subspan(consumed), chunk, zlib::Flush::NoFlush);
      consumed += step.consumed;
      out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(step.produced));
      if (step.status == Z_STREAM_END) return out;
    }
  };
  const auto rest_a = finish(a, r.consumed);
  const auto rest_b = finish(b, r.consumed);
  EXPECT_EQ(rest_a, rest_b);
  EXPECT_EQ(first.size() + rest_a.size(), data.size());
}

TEST(Zlib, Z7_GzFileDopenOwnsTheDescriptor) {
  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_gzfd_" + std::to_string(::getpid()) + ".gz");
  {
    auto out = zlib::GzFile::open(path.string(), "wb");
    (void)out.write(bytes_of("via a descriptor"));
  }
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  {
    auto in = zlib::GzFile::dopen(fd, "rb");
    auto all = in.read(100);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(all.data()), all.size()), "via a descriptor");
  }  // the GzFile owned the descriptor: closed with it
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
  std::filesystem::remove(path);
}

// ---- the rest of the bound API, function by function --------------------------------------------

std::vector<std::byte> deflate_all(zlib::Deflater& d, std::span<const std::byte> data) {
  std::vector<std::byte> out(zlib::Deflater::deflate_init().deflate_bound(data.size()) + 64);
  auto r = d.deflate(data, out, zlib::Flush::Finish);
  EXPECT_EQ(r.status, Z_STREAM_END);
  out.resize(r.produced);
  return out;
}

TEST(ZlibApi, DeflaterTuningDictionaryCopyAndReset) {
  const std::vector<std::byte> data = sample_data();
  const std::span<const std::byte> small = std::span(data).first(4096);
  const std::span<const std::byte> dictionary = bytes_of("alpha beta gamma delta epsilon zeta eta theta");
  auto d = zlib::Deflater::deflate_init2(9, 15, 8, zlib::Strategy::DefaultStrategy);
  EXPECT_GE(d.deflate_bound(small.size()), small.size());
  d.deflate_tune(32, 128, 258, 1024);
  EXPECT_EQ(d.deflate_params(6, zlib::Strategy::Filtered), Z_OK);
  d.deflate_set_dictionary(dictionary);
  auto pending = d.deflate_pending();
  EXPECT_EQ(pending.pending, 0u);
  EXPECT_EQ(pending.bits, 0);
  auto copy = zlib::Deflater::deflate_copy(d);  // a second stream in the same state
  const std::vector<std::byte> with_dict = deflate_all(d, small);
  EXPECT_EQ(deflate_all(copy, small), with_dict) << "the copy continues exactly as the original";
  std::vector<std::byte> window(32768);
  const std::size_t n = d.deflate_get_dictionary(window);
  EXPECT_GT(n, 0u);
  EXPECT_TRUE(std::equal(small.end() - 16, small.end(), window.begin() + static_cast<std::ptrdiff_t>(n) - 16))
      << "the sliding window ends with the last input";

  // Inflating it asks for the dictionary (Z_NEED_DICT), then finishes.
  auto inf = zlib::Inflater::inflate_init();
  std::vector<std::byte> out(small.size());
  auto r = inf.inflate(with_dict, out, zlib::Flush::NoFlush);
  EXPECT_EQ(r.status, Z_NEED_DICT);
  std::vector<std::byte> back(32768);
  EXPECT_EQ(inf.inflate_get_dictionary(back), 0u);
  inf.inflate_set_dictionary(dictionary);
  auto rest = inf.inflate(std::span(with_dict).subspan(r.consumed), out, zlib::Flush::NoFlush);
  EXPECT_EQ(rest.status, Z_STREAM_END);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), small.begin(), small.end()));
  EXPECT_GT(inf.inflate_get_dictionary(back), 0u);
  EXPECT_GT(inf.inflate_codes_used(), 0u);

  d.deflate_reset();
  d.deflate_prime(3, 5);  // three bits before the stream: the output starts differently
  d.deflate_reset_keep();
  EXPECT_THROW(d.deflate_prime(40, 0), zlib::Error) << "more bits than fit";
}

TEST(ZlibApi, InflaterResetsRawStreamsSyncAndMark) {
  const std::span<const std::byte> text = bytes_of("raw deflate, no header, no checksum; raw deflate again");
  auto raw = zlib::Deflater::deflate_init2(6, -15, 8, zlib::Strategy::DefaultStrategy);
  const std::vector<std::byte> packed = deflate_all(raw, text);
  auto inf = zlib::Inflater::inflate_init2(-15);
  inf.inflate_validate(0);
  // Only a zlib built with INFLATE_ALLOW_INVALID_DISTANCE_TOOFAR_ARRR supports it; Debian's is not.
  EXPECT_THROW(inf.inflate_undermine(0), zlib::Error);
  std::vector<std::byte> out(text.size());
  auto r = inf.inflate(packed, out, zlib::Flush::NoFlush);
  EXPECT_EQ(r.status, Z_STREAM_END);
  EXPECT_EQ(r.produced, text.size());
  EXPECT_EQ(inf.inflate_mark(), -65536) << "between blocks: zlib's `back` is -1, shifted by 16";
  inf.inflate_reset();
  r = inf.inflate(packed, out, zlib::Flush::NoFlush);
  EXPECT_EQ(r.status, Z_STREAM_END) << "reset: the same stream again";
  inf.inflate_reset_keep();
  inf.inflate_reset2(15);  // now a zlib stream
  EXPECT_FALSE(inf.inflate_sync_point());
  inf.inflate_prime(0, 0);
  auto lost = zlib::Inflater::inflate_init();
  EXPECT_THROW(lost.inflate_sync(), zlib::Error) << "no input to search: Z_BUF_ERROR";
}

TEST(ZlibApi, GzFileEveryCall) {
  const auto path = std::filesystem::temp_directory_path() / ("bindery_cpp_gz2_" + std::to_string(::getpid()) + ".gz");
  {
    auto out = zlib::GzFile::open(path.string(), "wb");
    out.buffer(16384);
    out.setparams(9, zlib::Strategy::DefaultStrategy);
    EXPECT_EQ(out.puts("line one\n"), 9);
    EXPECT_EQ(out.putc('x'), 'x');
    EXPECT_EQ(zlib::fwrite(bytes_of("yz"), out), 2u);
    out.flush(zlib::Flush::SyncFlush);
    EXPECT_GT(out.offset(), 0);
    EXPECT_EQ(out.tell(), 12);
    auto err = out.error();
    EXPECT_EQ(err.errnum, Z_OK);
    out.close_w();
    EXPECT_FALSE(out.is_open());
  }
  auto in = zlib::GzFile::open(path.string(), "rb");
  EXPECT_FALSE(in.direct());
  std::vector<std::byte> four(4);
  EXPECT_EQ(zlib::fread(four, in), 4u);
  EXPECT_EQ(zlib::ungetc('L', in), 'L');
  EXPECT_EQ(in.getc_compat(), 'L');
  EXPECT_EQ(in.seek(9, SEEK_SET), 9);
  EXPECT_EQ(in.getc(), 'x');
  in.rewind();
  EXPECT_EQ(in.getc(), 'l');
  in.clearerr();
  in.close_r();
  std::filesystem::remove(path);
}

TEST(ZlibApi, ChecksumCombinationsAndTables) {
  const std::span<const std::byte> a = bytes_of("hello, "), b = bytes_of("world");
  const std::span<const std::byte> ab = bytes_of("hello, world");
  const auto len_b = static_cast<std::int64_t>(b.size());
  EXPECT_EQ(zlib::crc32_z(0, ab), zlib::crc32(0, ab));
  EXPECT_EQ(zlib::adler32_z(1, ab), zlib::adler32(1, ab));
  EXPECT_EQ(zlib::crc32_combine(zlib::crc32(0, a), zlib::crc32(0, b), len_b), zlib::crc32(0, ab));
  EXPECT_EQ(zlib::adler32_combine(zlib::adler32(1, a), zlib::adler32(1, b), len_b), zlib::adler32(1, ab));
  EXPECT_EQ(zlib::crc32_combine_op(zlib::crc32(0, a), zlib::crc32(0, b), zlib::crc32_combine_gen(len_b)),
            zlib::crc32(0, ab));
  const std::span<const std::uint32_t> table = zlib::get_crc_table();
  ASSERT_EQ(table.size(), 256u);
  EXPECT_EQ(table[1], 0x77073096u);
  EXPECT_EQ(zlib::z_error(Z_DATA_ERROR), "data error");
  EXPECT_NE(zlib::zlib_compile_flags(), 0xffffffffu);
}

}  // namespace
