// Errors of the cluster control plane: a gh::Errc plus the one line the operator reads.
//
// Owner: the cluster control plane (Foundation issue). Messages say what is wrong and how to fix
// it ("port 3307 (source) is in use by python3 (pid 812); stop it or pick another --base-port").
#pragma once

#include <expected>
#include <string>
#include <system_error>
#include <utility>

#include "common/error.h"

namespace gh::cluster {

struct Error {
  std::error_code code;
  std::string message;
};

template <class T>
using Outcome = std::expected<T, Error>;
using Done = Outcome<void>;

inline std::unexpected<Error> failure(Errc code, std::string message) {
  return std::unexpected(Error{make_error_code(code), std::move(message)});
}

}  // namespace gh::cluster
