// `gatehouse query "SQL" [--strategy S] [--param V ...]`: a small client of the gatekeeper's
// HTTP API (POST /v1/query) with readable table output — the quickest way to see the whole
// chain work. Endpoint and key come from the cluster (DIR's config and credentials.toml, the
// demo key of --role) unless --url / --key (or GATEHOUSE_API_KEY) say otherwise.
// Parameters: integers and decimals are sent as JSON numbers, the word NULL as null, anything
// else as a string (--string-params sends every value as a string).
// Exit codes: 0 success, 1 the API answered with an error (printed), 2 bad usage / no endpoint.
#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cluster/credentials.h"
#include "common/json_text.h"
#include "config/config.h"

namespace gh::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace json = boost::json;

struct QueryFlags {
  std::string sql, strategy, database, url, key, role = "admin", dir, config_file;
  std::vector<std::string> params;
  bool json_out = false, string_params = false, insecure = false;
  CLI::Option* dir_opt = nullptr;
};

std::string param_json(const std::string& v, bool as_string) {
  std::string out;
  if (!as_string) {
    if (v == "NULL") return "null";
    int64_t i;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), i);
    if (ec == std::errc() && p == v.data() + v.size() && !v.empty()) return v;
    double d;
    auto [p2, ec2] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec2 == std::errc() && p2 == v.data() + v.size() && !v.empty() &&
        v.find_first_not_of("0123456789.-eE+") == std::string::npos && v[0] != '.' && v[0] != '+')
      return v;
  }
  append_json_string(out, v);
  return out;
}

std::string cell_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "NULL";
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::double_:
      return fmt::format("{}", v.get_double());
    default:
      return json::serialize(v);
  }
}

// Prints {"columns":[...],"rows":[...]} as an aligned table plus a summary line.
void print_table(const json::object& o) {
  const json::array* cols = o.if_contains("columns") ? o.at("columns").if_array() : nullptr;
  const json::array* rows = o.if_contains("rows") ? o.at("rows").if_array() : nullptr;
  if (cols && !cols->empty() && rows) {
    std::vector<std::string> header;
    for (const auto& c : *cols) header.push_back(cell_text(c.as_object().at("name")));
    std::vector<size_t> width(header.size());
    for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
    std::vector<std::vector<std::string>> cells;
    for (const auto& r : *rows) {
      std::vector<std::string> line;
      for (const auto& v : r.as_array()) line.push_back(cell_text(v));
      for (size_t i = 0; i < line.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], std::min<size_t>(line[i].size(), 60));
      cells.push_back(std::move(line));
    }
    auto rule = [&] {
      std::string s = "+";
      for (size_t w : width) s += std::string(w + 2, '-') + "+";
      fmt::print("{}\n", s);
    };
    auto line = [&](const std::vector<std::string>& l) {
      std::string s = "|";
      for (size_t i = 0; i < width.size(); ++i) {
        std::string v = i < l.size() ? l[i] : "";
        if (v.size() > 60) v = v.substr(0, 57) + "...";
        s += " " + v + std::string(width[i] - std::min(width[i], v.size()), ' ') + " |";
      }
      fmt::print("{}\n", s);
    };
    rule();
    line(header);
    rule();
    for (const auto& l : cells) line(l);
    rule();
    fmt::print("{} row{}", rows->size(), rows->size() == 1 ? "" : "s");
  } else {
    fmt::print("OK, {} row{} affected", cell_text(o.at("affected_rows")),
               cell_text(o.at("affected_rows")) == "1" ? "" : "s");
    if (o.contains("last_insert_id") && cell_text(o.at("last_insert_id")) != "0")
      fmt::print(", last insert id {}", cell_text(o.at("last_insert_id")));
  }
  auto field = [&](const char* k) { return o.contains(k) ? cell_text(o.at(k)) : "?"; };
  fmt::print(" (served by {}, strategy {}, {} ms{})\n", field("served_by"), field("strategy"),
             field("elapsed_ms"),
             o.contains("truncated") && o.at("truncated").is_bool() && o.at("truncated").get_bool()
                 ? ", TRUNCATED"
                 : "");
}

template <class Stream>
std::expected<http::response<http::string_body>, std::string> round_trip(
    Stream& stream, http::request<http::string_body>& req) {
  boost::system::error_code ec;
  http::write(stream, req, ec);
  if (ec) return std::unexpected(fmt::format("cannot send the request: {}", ec.message()));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return std::unexpected(fmt::format("cannot read the answer: {}", ec.message()));
  return res;
}

int run_query(QueryFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) {
    fmt::print(stderr, "gatehouse query: {}\n", config.error().message);
    return 2;
  }
  std::string url = f.url;
  bool tls = false;
  if (url.empty()) {
    const auto& g = config->gatekeeper;
    tls = g.tls == "required";
    url = fmt::format("{}://{}:{}", tls ? "https" : "http", config->cluster.host,
                      g.effective_http_port(config->cluster.base_port));
  }
  if (url.starts_with("https://")) {
    tls = true;
    url = url.substr(8);
  } else if (url.starts_with("http://")) {
    url = url.substr(7);
  }
  auto colon = url.rfind(':');
  if (colon == std::string::npos) {
    fmt::print(stderr, "gatehouse query: --url: expected http[s]://HOST:PORT\n");
    return 2;
  }
  std::string host = url.substr(0, colon), port = url.substr(colon + 1);
  while (!port.empty() && port.back() == '/') port.pop_back();

  std::string key = f.key;
  if (key.empty())
    if (const char* env = std::getenv("GATEHOUSE_API_KEY")) key = env;
  if (key.empty()) {
    auto creds = cluster::load_credentials(config->cluster.dir / "credentials.toml");
    if (!creds) {
      fmt::print(stderr, "gatehouse query: no --key given and {}\n", creds.error().message);
      return 2;
    }
    int idx = f.role == "read" ? 0 : f.role == "write" ? 1 : 2;
    key = creds->api_keys[idx].password;
    if (key.empty()) {
      fmt::print(stderr,
                 "gatehouse query: {} has no demo API key; pass --key (or run `gatehouse up`)\n",
                 (config->cluster.dir / "credentials.toml").string());
      return 2;
    }
  }

  std::string body = "{\"sql\":";
  append_json_string(body, f.sql);
  if (!f.params.empty()) {
    body += ",\"params\":[";
    for (size_t i = 0; i < f.params.size(); ++i) {
      if (i) body += ',';
      body += param_json(f.params[i], f.string_params);
    }
    body += ']';
  }
  if (!f.strategy.empty()) {
    body += ",\"strategy\":";
    append_json_string(body, f.strategy);
  }
  if (!f.database.empty()) {
    body += ",\"database\":";
    append_json_string(body, f.database);
  }
  body += '}';

  http::request<http::string_body> req{http::verb::post, "/v1/query", 11};
  req.set(http::field::host, host);
  req.set(http::field::authorization, "Bearer " + key);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "gatehouse-query");
  req.body() = body;
  req.prepare_payload();

  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) {
    fmt::print(stderr, "gatehouse query: cannot resolve {}: {}\n", host, ec.message());
    return 2;
  }
  std::expected<http::response<http::string_body>, std::string> res;
  if (!tls) {
    beast::tcp_stream stream(ioc);
    stream.connect(endpoints, ec);
    if (ec) {
      fmt::print(stderr, "gatehouse query: cannot connect to {}:{}: {} (is the gatekeeper up?)\n",
                 host, port, ec.message());
      return 2;
    }
    res = round_trip(stream, req);
  } else {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    if (f.insecure) {
      ctx.set_verify_mode(asio::ssl::verify_none);
    } else {
      ctx.set_verify_mode(asio::ssl::verify_peer);
      auto cert = config->gatekeeper.tls_cert.empty()
                      ? config->cluster.dir / "gatekeeper-cert.pem"
                      : std::filesystem::path(config->gatekeeper.tls_cert);
      ctx.load_verify_file(cert.string(), ec);
      if (ec) ctx.set_default_verify_paths();
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    beast::get_lowest_layer(stream).connect(endpoints, ec);
    if (!ec) stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) {
      fmt::print(stderr, "gatehouse query: TLS connection to {}:{} failed: {}\n", host, port,
                 ec.message());
      return 2;
    }
    res = round_trip(stream, req);
  }
  if (!res) {
    fmt::print(stderr, "gatehouse query: {}\n", res.error());
    return 2;
  }
  if (f.json_out) {
    fmt::print("{}\n", res->body());
    return res->result_int() == 200 ? 0 : 1;
  }
  json::value v = json::parse(res->body(), ec);
  if (ec || !v.is_object()) {
    fmt::print(stderr, "gatehouse query: HTTP {}: {}\n", res->result_int(), res->body());
    return 1;
  }
  const json::object& o = v.get_object();
  if (res->result_int() != 200) {
    const json::object* e = o.if_contains("error") ? o.at("error").if_object() : nullptr;
    if (!e) {
      fmt::print(stderr, "gatehouse query: HTTP {}: {}\n", res->result_int(), res->body());
      return 1;
    }
    std::string extra;
    if (e->contains("mysql_errno"))
      extra += fmt::format(" [MySQL {}]", cell_text(e->at("mysql_errno")));
    fmt::print(stderr, "error {} {}: {}{}\n", res->result_int(), cell_text(e->at("code")),
               cell_text(e->at("message")), extra);
    return 1;
  }
  print_table(o);
  return 0;
}

}  // namespace

void register_query(CLI::App& app) {
  auto f = std::make_shared<QueryFlags>();
  auto* cmd =
      app.add_subcommand("query", "Run one SQL statement through the gatekeeper's HTTP API");
  cmd->add_option("sql", f->sql, "the statement")->required();
  cmd->add_option("--param,-p", f->params, "a parameter for a ? placeholder (repeatable)");
  cmd->add_option("--strategy", f->strategy, "read strategy: direct | random | customized")
      ->check(CLI::IsMember({"direct", "random", "customized"}));
  cmd->add_option("--database", f->database, "default schema for the statement");
  cmd->add_option("--url", f->url, "gatekeeper URL (default: from the cluster's config)");
  cmd->add_option("--key", f->key, "API key (default: $GATEHOUSE_API_KEY, else the demo key)");
  cmd->add_option("--role", f->role, "which demo key to use: read | write | admin (default admin)")
      ->check(CLI::IsMember({"read", "write", "admin"}));
  cmd->add_flag("--json", f->json_out, "print the API's JSON answer as is");
  cmd->add_flag("--string-params", f->string_params, "send every --param as a JSON string");
  cmd->add_flag("--insecure", f->insecure, "do not verify the gatekeeper's TLS certificate");
  f->dir_opt = cmd->add_option("--dir", f->dir, "cluster directory (default ./run)");
  cmd->add_option("--config", f->config_file, "config file");
  cmd->callback([f] { set_exit_code(run_query(*f)); });
}

}  // namespace gh::cli
