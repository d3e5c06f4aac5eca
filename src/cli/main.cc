// gatehouse: one binary, one subcommand per role or operator task.
// Each subcommand lives in its own file (src/cli/<name>_cmd.cc) and registers itself here.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Build spdlog's registry now, before any role starts a thread. It is a function-local static
  // inside libspdlog; ThreadSanitizer cannot see that library's initialization guard, and it
  // reported the first log call from a health-monitor thread as a race with the construction.
  spdlog::default_logger_raw();
  CLI::App app{"gatehouse: the front door of a replicated MySQL/MariaDB cluster"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gatehouse 0.1.0");
  gh::cli::register_all(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // One line, like every gatehouse usage error, and exit code 2.
    std::fprintf(stderr, "gatehouse: %s (see: gatehouse --help)\n", e.what());
    return 2;
  }
  return gh::cli::exit_code();
}
