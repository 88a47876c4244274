#include "bindery/backends/cpp/emit_types.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "bindery/backends/cpp/names.hpp"

namespace bindery::backends::cpp {

void emit_errors(const Context& ctx, Writer& w) {
  w.doc(fmt::format("Thrown when a {} call fails: the library's message, read at the failure, with the "
                    "code it returned (`code()`) and `errno` where the library sets it (`sys_errno()`).",
                    ctx.module.library));
  w.line("class Error : public bindery::error {");
  w.line(" public:");
  w.line("  using bindery::error::error;");
  w.line("};");
  // Error kinds (`kinds:` of a convention): their own subclasses, so a caller can catch a bad
  // argument or an index out of range apart from other failures and still read code() and what().
  // Running out of memory is std::bad_alloc, as everywhere in C++.
  for (const auto& [kind, cls] : {std::pair{ir::ErrorKind::InvalidArgument, "InvalidArgument"},
                                  std::pair{ir::ErrorKind::OutOfRange, "OutOfRange"}}) {
    if (!ctx.uses_error_kind(kind)) continue;
    w.line();
    w.line(fmt::format("class {} : public Error {{", cls));
    w.line(" public:");
    w.line("  using Error::Error;");
    w.line("};");
  }
  for (const auto& cls : ctx.extra_exception_classes()) {
    w.line();
    w.line(fmt::format("class {} : public Error {{", cls));
    w.line(" public:");
    w.line("  using Error::Error;");
    w.line("};");
  }
}

void emit_constants(const Context& ctx, Writer& w) {
  if (ctx.module.constants.empty()) return;
  w.line();
  w.line("// Constants (values taken from the headers when the binding was generated).");
  std::set<std::string> seen;
  for (const auto& c : ctx.module.constants) {
    std::string name = "k" + camel_case(c.name);
    if (!seen.insert(name).second) continue;
    std::string comment = c.c_name.empty() || c.c_name == c.name ? "" : "  // " + c.c_name;
    switch (c.kind) {
      case ir::Constant::Kind::Int:
        w.line(fmt::format("inline constexpr std::int64_t {} = {}{};{}", name,
                           c.int_value == INT64_MIN ? "-9223372036854775807 - " : "",
                           c.int_value == INT64_MIN ? std::string("1") : fmt::format("{}", c.int_value), comment));
        break;
      case ir::Constant::Kind::Float: {
        std::string v;
        if (std::isnan(c.float_value)) v = "std::numeric_limits<double>::quiet_NaN()";
        else if (std::isinf(c.float_value))
          v = std::string(c.float_value < 0 ? "-" : "") + "std::numeric_limits<double>::infinity()";
        else {
          v = fmt::format("{}", c.float_value);
          if (v.find_first_of(".eE") == std::string::npos) v += ".0";
        }
        w.line(fmt::format("inline constexpr double {} = {};{}", name, v, comment));
        break;
      }
      case ir::Constant::Kind::String:
        w.line(fmt::format("inline constexpr std::string_view {} = {};{}", name, string_literal(c.string_value),
                           comment));
        break;
    }
  }
}

namespace {

bool is_unsigned(ir::Scalar s) {
  return s == ir::Scalar::U8 || s == ir::Scalar::U16 || s == ir::Scalar::U32 || s == ir::Scalar::U64;
}

void emit_flag_operators(const ir::Enum& e, Writer& w) {
  const std::string& n = e.name;
  std::string u = fmt::format("std::underlying_type_t<{}>", n);
  for (const char* op : {"|", "&", "^"}) {
    w.line(fmt::format("constexpr {0} operator{1}({0} a, {0} b) noexcept {{", n, op));
    w.line(fmt::format("  using U = {};", u));
    w.line(fmt::format("  return static_cast<{0}>(static_cast<U>(a) {1} static_cast<U>(b));", n, op));
    w.line("}");
    w.line(fmt::format("constexpr {0}& operator{1}=({0}& a, {0} b) noexcept {{ return a = a {1} b; }}", n, op));
  }
  w.line(fmt::format("constexpr {0} operator~({0} a) noexcept {{", n));
  w.line(fmt::format("  return static_cast<{0}>(~static_cast<{1}>(a));", n, u));
  w.line("}");
  w.doc("True when any bit of `f` is set.");
  w.line(fmt::format("constexpr bool any({} f) noexcept {{ return static_cast<{}>(f) != 0; }}", n, u));
}

}  // namespace

void emit_enums(const Context& ctx, Writer& w) {
  for (const auto& e : ctx.module.enums) {
    w.line();
    if (!e.doc.empty()) w.doc(e.doc);
    std::string u = scalar_type(e.underlying);
    w.line(fmt::format("enum class {} : {} {{", e.name, u));
    w.indent();
    std::set<std::string> seen;
    for (const auto& v : e.values) {
      std::string name = camel_case(v.name);
      if (!seen.insert(name).second) name += fmt::format("_{}", seen.size());
      // The C spelling keeps the value in step with the header; unsigned types need the cast
      // because C enumerators and macros are (signed) int.
      std::string value = v.c_name.empty() ? fmt::format("{}", v.value) : v.c_name;
      if (is_unsigned(e.underlying)) value = fmt::format("static_cast<{}>({})", u, value);
      w.line(fmt::format("{} = {},{}", name, value, v.doc.empty() ? "" : "  ///< " + v.doc));
    }
    w.dedent();
    w.line("};");
    if (e.flags) emit_flag_operators(e, w);
  }
}

void emit_records(const Context& ctx, Writer& w) {
  for (const auto& r : ctx.module.records) {
    w.line();
    if (!r.doc.empty()) w.doc(r.doc);
    w.line(fmt::format("struct {} {{", r.name));
    w.indent();
    std::vector<std::string> to_c, from_c;
    for (const auto& f : r.fields) {
      std::string type;
      switch (f.type.kind) {
        case ir::TypeKind::Scalar:
          type = scalar_type(f.type.scalar);
          to_c.push_back(fmt::format("c.{0} = static_cast<decltype(c.{0})>({0});", f.name));
          from_c.push_back(fmt::format("r.{0} = static_cast<{1}>(c.{0});", f.name, type));
          break;
        case ir::TypeKind::Enum:
          type = f.type.name;
          to_c.push_back(fmt::format("c.{0} = static_cast<decltype(c.{0})>({0});", f.name));
          from_c.push_back(fmt::format("r.{0} = static_cast<{1}>(c.{0});", f.name, type));
          break;
        case ir::TypeKind::Record:
          type = f.type.name;
          to_c.push_back(fmt::format("c.{0} = {0}.to_c();", f.name));
          from_c.push_back(fmt::format("r.{0} = {1}::from_c(c.{0});", f.name, type));
          break;
        default:
          ctx.diags.warning(r.location, fmt::format("record {}: field `{}` is not a value; the cpp target leaves it "
                                                    "out of the C++ struct", r.name, f.name));
          continue;
      }
      if (!f.doc.empty()) w.doc(f.doc);
      w.line(fmt::format("{} {}{{}};", type, safe_identifier(f.name)));
    }
    w.line();
    w.doc("This record as the C struct.");
    w.line(fmt::format("{} to_c() const noexcept {{", r.c_name));
    w.line(fmt::format("  {} c{{}};", r.c_name));
    for (const auto& s : to_c) w.line("  " + s);
    w.line("  return c;");
    w.line("}");
    w.doc("The C struct as this record.");
    w.line(fmt::format("static {} from_c(const {}& c) noexcept {{", r.name, r.c_name));
    w.line(fmt::format("  {} r;", r.name));
    for (const auto& s : from_c) w.line("  " + s);
    w.line("  return r;");
    w.line("}");
    w.line(fmt::format("friend bool operator==(const {0}&, const {0}&) = default;", r.name));
    w.dedent();
    w.line("};");
  }
}

}  // namespace bindery::backends::cpp
