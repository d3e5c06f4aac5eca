// TLS context and self-signed certificates for the HTTP front (see tls.h).
#include "gatekeeper/tls.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>

namespace gh::gatekeeper {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool write_pem(const std::filesystem::path& path, mode_t mode, bool (*writer)(FILE*, void*),
               void* object) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  FILE* f = ::fdopen(fd, "w");
  if (!f) {
    ::close(fd);
    return false;
  }
  bool ok = writer(f, object);
  ok = std::fclose(f) == 0 && ok;
  return ok;
}

}  // namespace

std::expected<void, std::string> write_self_signed(const std::filesystem::path& cert_path,
                                                   const std::filesystem::path& key_path,
                                                   const std::string& host) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
  if (!key) return std::unexpected("cannot generate an RSA key");
  std::unique_ptr<X509, X509Free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("gatehouse"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1";
  if (host != "localhost" && host != "127.0.0.1") {
    bool ip = host.find_first_not_of("0123456789.:") == std::string::npos;
    san += fmt::format(",{}:{}", ip ? "IP" : "DNS", host);
  }
  if (!add_extension(cert.get(), NID_subject_alt_name, san) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"))
    return std::unexpected("cannot build the certificate extensions");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return std::unexpected("cannot sign the certificate");
  auto key_writer = [](FILE* f, void* k) {
    return PEM_write_PrivateKey(f, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                nullptr) == 1;
  };
  auto cert_writer = [](FILE* f, void* c) { return PEM_write_X509(f, static_cast<X509*>(c)) == 1; };
  if (!write_pem(key_path, 0600, key_writer, key.get()))
    return std::unexpected(fmt::format("cannot write {}", key_path.string()));
  if (!write_pem(cert_path, 0644, cert_writer, cert.get()))
    return std::unexpected(fmt::format("cannot write {}", cert_path.string()));
  return {};
}

std::expected<std::unique_ptr<boost::asio::ssl::context>, std::string> make_server_context(
    const std::filesystem::path& cert, const std::filesystem::path& key) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert.string(), ec);
  if (ec)
    return std::unexpected(
        fmt::format("cannot load the TLS certificate {}: {}", cert.string(), ec.message()));
  ctx->use_private_key_file(key.string(), ssl::context::pem, ec);
  if (ec)
    return std::unexpected(
        fmt::format("cannot load the TLS key {}: {}", key.string(), ec.message()));
  return ctx;
}

}  // namespace gh::gatekeeper
