#include "bindery/backends/python/emit_convert.hpp"

#include "bindery/backends/python/emit_function.hpp"
#include "bindery/backends/python/plan.hpp"
#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

void emit_scalar_to_c(CodeWriter& w, ir::Scalar s, const std::string& src, const std::string& dst,
                      const std::string& ctype, const std::string& msg, const std::string& fail) {
  const auto info = scalar_info(s);
  switch (s) {
    case ir::Scalar::Bool:
      w.line("{ int bnd_v; if (bnd_to_bool(" + src + ", &bnd_v, " + msg + ") < 0) " + fail + " " +
             dst + " = (" + ctype + ")bnd_v; }");
      return;
    case ir::Scalar::Char:
      w.line("{ char bnd_v; if (bnd_to_char(" + src + ", &bnd_v, " + msg + ") < 0) " + fail + " " +
             dst + " = (" + ctype + ")bnd_v; }");
      return;
    case ir::Scalar::F32:
      w.line("{ float bnd_v; if (bnd_to_float(" + src + ", &bnd_v, " + msg + ") < 0) " + fail +
             " " + dst + " = (" + ctype + ")bnd_v; }");
      return;
    case ir::Scalar::F64:
      w.line("{ double bnd_v; if (bnd_to_double(" + src + ", &bnd_v, " + msg + ") < 0) " + fail +
             " " + dst + " = (" + ctype + ")bnd_v; }");
      return;
    default:
      break;
  }
  if (info.is_signed) {
    w.line("{ int64_t bnd_v; if (bnd_to_signed(" + src + ", " + info.min + ", " + info.max +
           ", &bnd_v, " + msg + ", \"" + info.fixed + "\") < 0) " + fail + " " + dst + " = (" +
           ctype + ")bnd_v; }");
  } else {
    w.line("{ uint64_t bnd_v; if (bnd_to_unsigned(" + src + ", " + info.max + ", &bnd_v, " + msg +
           ", \"" + info.fixed + "\") < 0) " + fail + " " + dst + " = (" + ctype + ")bnd_v; }");
  }
}

void emit_enum_to_c(CodeWriter& w, const ir::Enum& e, const std::string& src,
                    const std::string& dst, const std::string& ctype, const std::string& msg,
                    const std::string& fail) {
  const auto info = scalar_info(e.underlying);
  const std::string tmp = info.is_signed ? "int64_t" : "uint64_t";
  w.open("{");
  w.line(tmp + " bnd_v;");
  // A member of another enum is a TypeError even when its value would fit.
  w.line("if (bnd_enum_check(" + src + ", " + enum_object(e.name) + ", " + msg + ") < 0) " + fail);
  if (info.is_signed) {
    w.line(std::string("if (bnd_to_signed(") + src + ", " + info.min + ", " + info.max +
           ", &bnd_v, " + msg + ", \"" + e.name + "\") < 0) " + fail);
  } else {
    w.line(std::string("if (bnd_to_unsigned(") + src + ", " + info.max + ", &bnd_v, " + msg +
           ", \"" + e.name + "\") < 0) " + fail);
  }
  if (!e.flags && !e.values.empty()) {
    // A plain enum accepts only its members: an unknown value would reach C unchecked.
    std::string cond;
    for (const auto& v : e.values) {
      cond += (cond.empty() ? "" : " && ") + std::string("bnd_v != (") + tmp + ")" +
              std::to_string(v.value) + (info.is_signed ? "LL" : "ULL");
    }
    w.open("if (" + cond + ") {");
    w.line("PyErr_Format(PyExc_ValueError, \"%s: %R is not a valid " + e.name + "\", " + msg +
           ", " + src + ");");
    w.line(fail);
    w.close();
  }
  if (e.flags) {
    // A flag set accepts any combination of its bits, and no other bit.
    unsigned long long mask = 0;
    for (const auto& v : e.values) mask |= static_cast<unsigned long long>(v.value);
    w.open("if (((uint64_t)bnd_v & ~(uint64_t)" + std::to_string(mask) + "ULL) != 0) {");
    w.line("PyErr_Format(PyExc_ValueError, \"%s: %R has bits outside " + e.name + "\", " + msg +
           ", " + src + ");");
    w.line(fail);
    w.close();
  }
  w.line(dst + " = (" + ctype + ")bnd_v;");
  w.close();
}

void emit_number_to_c(CodeWriter& w, const ir::Module& m, const ir::Type& t, const std::string& src,
                      const std::string& dst, const std::string& ctype, const std::string& msg,
                      const std::string& fail) {
  if (t.kind == ir::TypeKind::Enum) {
    emit_enum_to_c(w, *find_enum(m, t.name), src, dst, ctype, msg, fail);
  } else {
    emit_scalar_to_c(w, t.scalar, src, dst, ctype, msg, fail);
  }
}

std::string scalar_to_py(ir::Scalar s, const std::string& value) {
  const auto info = scalar_info(s);
  if (s == ir::Scalar::Bool) return "PyBool_FromLong(" + value + " != 0)";
  if (s == ir::Scalar::Char) return "bnd_from_char((char)" + value + ")";
  if (!info.is_integer) return "PyFloat_FromDouble((double)" + value + ")";
  if (info.is_signed) return "PyLong_FromLongLong((long long)" + value + ")";
  return "PyLong_FromUnsignedLongLong((unsigned long long)" + value + ")";
}

}  // namespace bindery::backends::python
