// The subcommand registry. Add a subcommand: write src/cli/<name>_cmd.cc with a
// register_<name>(CLI::App&) function, declare it below and call it from register_all.
#include "cli/commands.h"

namespace gh::cli {

void register_up(CLI::App& app);
void register_down(CLI::App& app);
void register_status(CLI::App& app);
void register_proxy(CLI::App& app);
void register_gatekeeper(CLI::App& app);
void register_trusted_host(CLI::App& app);
void register_key(CLI::App& app);
void register_policy(CLI::App& app);
void register_query(CLI::App& app);
void register_bench(CLI::App& app);

namespace {
int g_exit_code = 0;
}  // namespace

int exit_code() { return g_exit_code; }
void set_exit_code(int rc) { g_exit_code = rc; }

void register_all(CLI::App& app) {
  register_up(app);
  register_down(app);
  register_status(app);
  register_proxy(app);
  register_gatekeeper(app);
  register_trusted_host(app);
  register_key(app);
  register_policy(app);
  register_query(app);
  register_bench(app);
}

}  // namespace gh::cli
