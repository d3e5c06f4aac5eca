// The gatekeeper's HTTP request path without sockets: random bytes go through Beast's request
// parser (split at a point the first byte picks, like a slow client), and every request that
// parses is handed to Api::prepare() with a real key store. Invariants: the parser never reads
// past its limits, every reply is a known status with a valid JSON body, and 2xx never comes
// back for a request without a valid key (except /v1/health).
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "../tests/gatekeeper/api_env_fake.h"
#include "fuzz_check.h"

using namespace gh::gatekeeper;
namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FakeApiEnv env(std::filesystem::temp_directory_path() / "gh-http-fuzz");
  static Api api(env);
  if (size == 0) return 0;
  size_t split = data[0] % (size);
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Half the inputs get a valid key spliced in, so the deeper stages are reached.
  std::string bytes(input);
  if (data[0] & 0x80) {
    auto at = bytes.find("\r\n");
    if (at != std::string::npos)
      bytes.insert(at + 2, "Authorization: Bearer " + env.write_token + "\r\n");
  }
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  std::string_view rest = bytes;
  size_t first = std::min(split, rest.size());
  for (std::string_view chunk : {rest.substr(0, first), rest.substr(first)}) {
    while (!chunk.empty() && !ec && !parser.is_done()) {
      size_t used = parser.put(boost::asio::buffer(chunk.data(), chunk.size()), ec);
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (used == 0) break;
      chunk.remove_prefix(used);
    }
    if (ec) break;
  }
  if (ec || !parser.is_done()) return 0;
  auto& req = parser.get();
  std::string method(req.method_string());
  HttpRequestView view;
  view.method = method;
  view.target = std::string_view(req.target().data(), req.target().size());
  auto auth = req[http::field::authorization];
  view.authorization = std::string_view(auth.data(), auth.size());
  view.body = req.body();
  view.client = "127.0.0.1:1";
  auto prepared = api.prepare(view);
  if (auto* reply = std::get_if<HttpReply>(&prepared)) {
    FUZZ_CHECK(reply->status == 200 || (reply->status >= 400 && reply->status <= 504));
    boost::json::value parsed = boost::json::parse(reply->body, ec);
    FUZZ_CHECK(!ec && parsed.is_object());
    if (reply->status == 200) FUZZ_CHECK(view.target.starts_with("/v1/health"));
  } else {
    const Plan& plan = std::get<Plan>(prepared);
    FUZZ_CHECK(plan.principal.size() == 12);
    FUZZ_CHECK(plan.kind == Plan::Kind::kCluster || !plan.statements.empty());
  }
  return 0;
}
