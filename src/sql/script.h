// SQL script splitting: turns a dump or migration script into the statements a client sends.
//
// split_script() follows the rules of the `mariadb`/`mysql` command-line client: `DELIMITER xx`
// lines change the statement terminator (Sakila's triggers and routines use `;;`, `//`, `$$`),
// quotes ('..', "..", `..`) with backslash escapes and doubled quotes are opaque, `-- `, `#` and
// `/* */` comments are stripped, while versioned comments (`/*!40101 ... */`, `/*M!...*/`) and
// optimizer hints (`/*+ ... */`) stay in the statement text because the server executes them.
// Statements come back trimmed, without their delimiter; empty ones are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gh::sql {

std::vector<std::string> split_script(std::string_view text);

}  // namespace gh::sql
