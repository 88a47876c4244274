#include "bindery/infer/init.hpp"
namespace bindery::infer {
std::string write_starting_config(const std::vector<std::string>&, const std::vector<std::string>&,
                                  const std::string&, const std::filesystem::path&, Diagnostics& diags) {
  diags.error({}, "init: in progress");
  return {};
}
}  // namespace bindery::infer
