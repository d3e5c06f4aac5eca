// Registration of every subcommand with the CLI11 app, and the process exit code they set.
#pragma once

#include <CLI/CLI.hpp>

namespace gh::cli {

// Adds all subcommands; each one's callback runs the command and records its exit code.
void register_all(CLI::App& app);
int exit_code();
void set_exit_code(int rc);

}  // namespace gh::cli
