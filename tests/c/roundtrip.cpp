// Round trip (issue 4): the C header generated from a C++ library, read back by bindery's C
// frontend and lowering, must mean the same API: the same functions with the same roles, classes,
// host names, visible parameters and result kinds; the same handles, enums and records.
//
//   c_roundtrip <C++ library bindery.yaml> <scratch dir>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "bindery/backends/c/c_layer.hpp"
#include "bindery/config/config.hpp"
#include "bindery/ir/lower.hpp"

namespace {

using namespace bindery;

const char* kind_name(ir::TypeKind k) {
  static const char* const names[] = {"void", "scalar", "str", "bytes", "slice", "handle", "record", "enum", "callback"};
  return names[static_cast<int>(k)];
}

std::string type_text(const ir::Type& t) {
  std::string s = kind_name(t.kind);
  if (t.kind == ir::TypeKind::Scalar || t.kind == ir::TypeKind::Slice) s += ":" + std::to_string(static_cast<int>(t.scalar));
  if (!t.name.empty()) s += ":" + t.name;
  return s;
}

/// What a host sees of a function: everything hidden (lengths) is left out.
std::string summary(const ir::Function& f) {
  std::ostringstream out;
  out << "role=" << static_cast<int>(f.role) << " class=" << f.class_name << " name=" << f.name
      << " result=" << static_cast<int>(f.result.kind) << " eof=[";
  for (const auto& e : f.result.eof) out << e << " ";
  out << "]" << " returns=" << type_text(f.returns)
      << " own=" << static_cast<int>(f.returns_lifetime.own) << " from=" << f.returns_lifetime.from
      << " null=" << static_cast<int>(f.returns_lifetime.null) << " (";
  for (const auto& p : f.params) {
    if (p.role == ir::ParamRole::Length) continue;
    out << " " << p.name << ":" << static_cast<int>(p.role) << ":" << type_text(p.type);
    // Inputs and outputs of text or elements: the length that goes with them (an output's is
    // the hidden out count, so a host gets it exactly that long).
    bool sized = p.type.kind == ir::TypeKind::Str || p.type.kind == ir::TypeKind::Slice || p.type.kind == ir::TypeKind::Bytes;
    if ((p.role == ir::ParamRole::Input || p.role == ir::ParamRole::Output) && sized) out << ":size=" << p.size;
    // What a borrowed output borrows from (`this`, or a [[clang::lifetimebound]] parameter).
    if (p.role == ir::ParamRole::Output)
      out << ":own=" << static_cast<int>(p.lifetime.own) << ":free=" << p.lifetime.free << ":from=" << p.lifetime.from
          << ":null=" << static_cast<int>(p.lifetime.null);
    if (!p.default_value.empty()) out << ":default=" << p.default_value;
    // An input that may be absent (a handle pointer, or std::optional<T> as `const T *`), and a
    // struct passed by address.
    if (p.nullable) out << ":nullable";
    if (p.by_pointer) out << ":by_pointer";
  }
  out << " )";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: c_roundtrip <bindery.yaml of a C++ library> <scratch dir>\n";
    return 2;
  }
  Diagnostics diags;
  int passed = 0, failed = 0;
  try {
    backends::c::Plan plan = backends::c::plan_from_config(argv[1], diags);
    backends::c::write_c_layer(plan, argv[2], diags);
    config::Config config = config::load_config(std::string(argv[2]) + "/bindery.yaml", diags);
    ir::Module back = ir::load_module(config, diags);
    auto check = [&](const std::string& what, const std::string& want, const std::string& got) {
      if (want == got) {
        ++passed;
        return;
      }
      ++failed;
      std::cerr << "MISMATCH " << what << "\n  from C++: " << want << "\n  read back: " << got << "\n";
    };
    std::map<std::string, const ir::Function*> read;
    for (const auto& f : back.functions) read[f.c_name] = &f;
    for (const auto& f : plan.module.functions) {
      auto it = read.find(f.c_name);
      check(f.c_name, summary(f), it == read.end() ? "(missing)" : summary(*it->second));
      read.erase(f.c_name);
    }
    for (const auto& [name, f] : read) check(name, "(absent)", summary(*f));
    for (const auto& u : back.unbound)
      if (u.kind == ir::Unbound::Kind::NeedsAnnotation || plan.module.find_function(u.c_name))
        check("unbound " + u.c_name, "(bound)", u.reason);
    // "None" is an outcome of the optional-returning functions only (their own eof), never of the
    // convention, which hosts would otherwise apply to every call.
    for (const auto& c : back.conventions) {
      std::string eof;
      for (const auto& e : c.eof) eof += e + " ";
      check("convention " + c.name + " eof", "", eof);
    }
    size_t optional_results = 0, read_eof = 0;
    for (const auto& f : plan.module.functions) optional_results += !f.result.eof.empty();
    for (const auto& f : back.functions) read_eof += !f.result.eof.empty();
    check("functions with eof", std::to_string(optional_results), std::to_string(read_eof));
    for (const auto& h : plan.module.handles) {
      const ir::Handle* b = back.find_handle(h.name);
      // The pointer spelling hosts store and cast with (Handle::pointer_c_type): the C layer's handles
      // are incomplete structs, so the C reader must spell them "shapes_polygon *" as the plan does.
      check("handle " + h.name, h.c_name + " " + h.destroy + " [" + h.pointer_c_type + "]",
            b ? b->c_name + " " + b->destroy + " [" + b->pointer_c_type + "]" : "(missing)");
    }
    for (const auto& e : plan.module.enums) {
      const ir::Enum* b = back.find_enum(e.name);
      std::string want, got;
      // Host names too: the C lowering strips the enumerators' common prefix (SHAPES_COLOR_).
      for (const auto& v : e.values) want += v.c_name + "=" + std::to_string(v.value) + ":" + v.name + " ";
      if (b)
        for (const auto& v : b->values) got += v.c_name + "=" + std::to_string(v.value) + ":" + v.name + " ";
      check("enum " + e.name, want, b ? got : "(missing)");
    }
    for (const auto& r : plan.module.records) {
      const ir::Record* b = back.find_record(r.name);
      std::string want, got;
      for (const auto& f : r.fields) want += f.name + ":" + type_text(f.type) + " ";
      if (b)
        for (const auto& f : b->fields) got += f.name + ":" + type_text(f.type) + " ";
      check("record " + r.name, want, b ? got : "(missing)");
    }
  } catch (const FatalError&) {
    ++failed;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    ++failed;
  }
  diags.print(std::cerr, false);
  if (diags.has_errors()) ++failed;
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}
