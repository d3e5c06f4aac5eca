// The subcommand registry. Add a subcommand: write src/cli/<name>_cmd.cc with a
// register_<name>(CLI::App&) function, declare it below and call it from register_all.
#include "cli/commands.h"

namespace gh::cli {

namespace {
int g_exit_code = 0;
}  // namespace

int exit_code() { return g_exit_code; }
void set_exit_code(int rc) { g_exit_code = rc; }

void register_all(CLI::App& app) { (void)app; }

}  // namespace gh::cli
