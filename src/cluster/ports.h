// TCP port checks before anything starts: is a port free, and if not, who holds it.
//
// Owner: the cluster control plane (Foundation issue).
#pragma once

#include <cstdint>
#include <string>

namespace gh::cluster {

// True when a listening socket can be bound to host:port right now (SO_REUSEADDR, like mariadbd).
bool port_free(const std::string& host, uint16_t port);
// "python3 (pid 812)" for the process listening on `port` (any address), or "" when unknown
// (e.g. another user's process without permission to read its /proc entries).
std::string port_owner(uint16_t port);

}  // namespace gh::cluster
