// Placeholder until the python backend lands: refuses clearly instead of writing nothing.
#include "bindery/backends/backend.hpp"

namespace bindery::backends {

void generate_python(const ir::Module& module, const GenerateOptions&, Diagnostics& diags) {
  diags.error({module.library, 0, 0}, "the 'python' target is not implemented yet",
              "see the project's open issues for its status");
}

}  // namespace bindery::backends
