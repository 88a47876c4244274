// `bindery`: init | check | ir | generate. Every command reads ./bindery.yaml unless -c says otherwise.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "bindery/backends/backend.hpp"
#include "bindery/cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace bindery::cli;
  CLI::App app{"bindery: safe, zero-cost bindings of one native library for C++, C, Python, Ruby and Node"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "bindery 0.1.0");
  Options options;
  options.colour = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;

  auto add_config = [&](CLI::App* cmd) {
    cmd->add_option("-c,--config", options.config, "the bindery.yaml to read")->capture_default_str();
  };

  CLI::App* init = app.add_subcommand("init", "write a starting bindery.yaml from headers, every guess marked for review");
  init->add_option("headers", options.headers, "C headers to read")->required()->check(CLI::ExistingFile);
  init->add_option("-o,--output", options.output, "where to write (default: ./bindery.yaml; - for stdout)");
  init->add_option("-l,--library", options.library, "library name (default: the first header's name)");
  init->add_option("-I,--include-dir", options.include_dirs, "include directories");
  init->add_flag("--force", options.force, "overwrite an existing file");

  CLI::App* check = app.add_subcommand("check", "report what is bound, skipped and needs annotation");
  add_config(check);
  check->add_flag("--strict", options.strict, "also fail when a function needs annotation");
  check->add_flag("-q,--quiet", options.quiet, "print only the totals and the problems");

  CLI::App* ir = app.add_subcommand("ir", "print the lowered IR as JSON (docs/ir.md)");
  add_config(ir);
  ir->add_option("-o,--output", options.output, "write to a file instead of stdout");

  CLI::App* generate = app.add_subcommand("generate", "generate a binding for one target");
  add_config(generate);
  std::vector<std::string> target_names;
  for (const auto& t : bindery::backends::targets()) target_names.emplace_back(t.name);
  generate->add_option("-t,--target", options.target, "the target")->required()->check(CLI::IsMember(target_names));
  generate->add_option("-o,--out", options.output, "output directory")->required();
  generate->add_option("--option", options.backend_options, "backend option key=value (repeatable)");
  generate->add_flag("--strict", options.strict, "fail when a function needs annotation");
  std::string target_help = "targets:\n";
  for (const auto& t : bindery::backends::targets()) target_help += fmt::format("  {:8} {}\n", t.name, t.description);
  generate->footer(target_help);

  CLI11_PARSE(app, argc, argv);

  if (init->parsed()) return run_init(options);
  if (check->parsed()) return run_check(options);
  if (ir->parsed()) return run_ir(options);
  if (generate->parsed()) return run_generate(options);
  return 2;
}
