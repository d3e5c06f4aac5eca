// An in-memory ApiEnv for tests and fuzzing of the pure stage (Api::prepare): a real KeyStore,
// allowlist (in a temp dir), rate limiter and audit log; upstream() must not be called.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gatekeeper/api.h"

namespace gh::gatekeeper {

class FakeApiEnv final : public ApiEnv {
 public:
  explicit FakeApiEnv(std::filesystem::path dir)
      : allowlist_(dir / "allowlist"), dir_(std::move(dir)) {
    settings_.rate_per_s = 0;
    auto store = std::make_shared<KeyStore>();
    read_token = store->create_key(Role::kRead, "r", "sakila");
    write_token = store->create_key(Role::kWrite, "w");
    admin_token = store->create_key(Role::kAdmin, "a");
    store_ = store;
    std::filesystem::create_directories(dir_);
    (void)audit_.open(dir_ / "audit.log");
  }
  const ApiSettings& settings() const override { return settings_; }
  std::shared_ptr<const KeyStore> keys() const override { return store_; }
  DigestAllowlist& allowlist() override { return allowlist_; }
  RateLimiter& rate_limiter() override { return limiter_; }
  AuditLog& audit() override { return audit_; }
  ApiCounters& counters() override { return counters_; }
  proxy::NodePool& upstream(Role) override { std::abort(); }

  ApiSettings settings_;
  std::string read_token, write_token, admin_token;
  std::shared_ptr<const KeyStore> store_;

 private:
  DigestAllowlist allowlist_;
  RateLimiter limiter_;
  AuditLog audit_;
  ApiCounters counters_;
  std::filesystem::path dir_;
};

}  // namespace gh::gatekeeper
