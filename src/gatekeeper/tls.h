// TLS material for the gatekeeper's HTTP front: the server context (TLS 1.2+, the configured
// certificate chain and key) and, for local clusters, a self-signed certificate generated on
// first start when the configured files do not exist yet.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>

namespace gh::gatekeeper {

// Writes a fresh self-signed certificate (RSA 2048, SHA-256, 10 years, CN and SAN = `host`,
// plus localhost and 127.0.0.1) and its key (mode 0600).
std::expected<void, std::string> write_self_signed(const std::filesystem::path& cert,
                                                   const std::filesystem::path& key,
                                                   const std::string& host);

std::expected<std::unique_ptr<boost::asio::ssl::context>, std::string> make_server_context(
    const std::filesystem::path& cert, const std::filesystem::path& key);

}  // namespace gh::gatekeeper
