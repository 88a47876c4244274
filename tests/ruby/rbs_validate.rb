# frozen_string_literal: true

# Validates generated RBS signatures with the bundled rbs gem: `ruby rbs_validate.rb SIG_DIR`.
# (Debian ships the gem without an `rbs` executable on PATH, so its CLI is driven from here.)
require "rbs"
require "rbs/cli"

sig_dir = ARGV.fetch(0)
begin
  RBS::CLI.new(stdout: StringIO.new, stderr: $stderr).run(["-I", sig_dir, "validate", "--silent"])
rescue StandardError => e
  warn "rbs: #{sig_dir}: #{e.class}: #{e.message.lines.first}"
  exit 1
end
puts "rbs: #{Dir[File.join(sig_dir, '*.rbs')].map { |f| File.basename(f) }.join(', ')} valid"
