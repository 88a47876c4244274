// The Python view of an IR function: which C parameters the host passes, which are hidden
// (lengths, capacities, user data, fixed values), and what the host gets back.
//
// Every emitter (C source, .pyi stub) reads the same plan, so the extension and its stub cannot
// disagree about a signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::python {

/// A parameter the Python caller passes.
struct HostArg {
  const ir::Param* param = nullptr;
  std::string py_name;   ///< keyword name
  bool optional = false; ///< may be omitted (a default, or None for a nullable input)
  bool capacity = false; ///< the capacity of an output buffer (an int the caller chooses)
  /// A buffer passed through fields of a pinned receiver (`param` is that receiver): the input
  /// bytes, or the capacity of the output the call may produce.
  enum class Field { None, Input, OutputCapacity } field = Field::None;
};

/// What the Python caller gets back, in order (one value, or a tuple of several).
struct HostResult {
  /// Consumed / Produced: how much of a field buffer's input the call used (an int), and the
  /// bytes it wrote into the output field buffer.
  enum class Kind { Return, Status, Output, Consumed, Produced } kind = Kind::Return;
  const ir::Param* param = nullptr;  ///< Output (an out-parameter or a caller-allocated buffer)
};

struct FunctionPlan {
  const ir::Function* fn = nullptr;
  std::string py_name;              ///< the Python name: the IR's, without trailing '_' (deflateInit_)
  /// A constructor of a pinned class: it initialises storage the binding allocates (its Self) and
  /// returns a status; the wrapper returns the new object.
  bool pinned_init = false;
  const ir::Param* self = nullptr;  ///< the receiver of a method
  std::vector<HostArg> args;
  std::vector<HostResult> results;
  std::string unsupported;          ///< non-empty: why this function is not bound (yet)
};

/// Names of Output params that only carry a length (of the returned buffer or a Buffer's count):
/// they are hidden from hosts and read by the generated code.
std::vector<std::string> hidden_outputs(const ir::Function& fn);

/// The Python exception a convention raises: the last component of its C++ exception name
/// (`errors::Error` → `Error`), `<Library>Error` when it names none, and "" for OSError (the
/// convention reports errno and names `std::system_error` or nothing).
std::string host_exception(const ir::Module& module, const ir::ErrorConvention* conv);

FunctionPlan plan_function(const ir::Module& module, const ir::Function& fn);

const ir::Param* find_param(const ir::Function& fn, const std::string& name);
const ir::Handle* find_handle(const ir::Module& module, const std::string& name);
const ir::Record* find_record(const ir::Module& module, const std::string& name);
const ir::Enum* find_enum(const ir::Module& module, const std::string& name);
const ir::ErrorConvention* find_convention(const ir::Module& module, const std::string& name);

}  // namespace bindery::backends::python
