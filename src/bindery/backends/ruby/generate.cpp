// Placeholder until the ruby backend lands: refuses clearly instead of writing nothing.
#include "bindery/backends/backend.hpp"

namespace bindery::backends {

void generate_ruby(const ir::Module& module, const GenerateOptions&, Diagnostics& diags) {
  diags.error({module.library, 0, 0}, "the 'ruby' target is not implemented yet",
              "see the project's open issues for its status");
}

}  // namespace bindery::backends
