// MysqlFrontSession: the server side of the MySQL protocol for a *validating* front. One client
// connection, run as a coroutine on one worker thread of the process that accepted it: the
// gatekeeper's MySQL port (its FrontEnv: users from the keys file) or the trusted host (its
// FrontEnv: one user per role, derived from the shared secret). Owner: the gatekeeper role
// (this file and mysql_front*.cc); the FrontEnv implementations belong to their processes.
//
// Life of a session:
//   1. A client whose address env.client_allowed() rejects gets ERR access_denied (7406), and
//      the connection closes.
//   2. Handshake v10 and mysql_native_password against env.find_user() (the connection-phase
//      mechanics are shared with the proxy: proxy/front_handshake.h). CLIENT_LOCAL_FILES is
//      never offered, and there is NO TLS on this front: an SSLRequest is refused. Put it on
//      loopback or a private network (the gatekeeper's HTTP front is the one that speaks TLS).
//      A bad user or password: ERR auth_failed (7405), a counter, an audit line, close.
//   3. After the login, ONE upstream connection is borrowed from env.upstream(role) for the
//      whole session (statement ids, transactions and session variables then need no
//      bookkeeping: the proxy behind multiplexes). The default schema is the handshake's, else
//      the user's. A full pool gives ERR queue_full / queue_timeout at login, never a hang.
//   4. Every statement (COM_QUERY, COM_STMT_PREPARE, COM_INIT_DB as `USE db`) passes
//      check_statement() for the user's role, then the digest allowlist, then the rate limit
//      (COM_STMT_EXECUTE is rate limited too: each execution is a statement). A denial is an
//      ERR naming the rule ("denied by gatekeeper rule <rule>: <message>") and an audit line
//      (digest, never literals); the session stays usable. Allowed statements are relayed and
//      their responses copied back untouched. A LOCAL INFILE request from upstream fails the
//      statement.
//   5. Commands that make no sense through a validating front (COM_CHANGE_USER, KILL,
//      SHUTDOWN, binlog and replication commands, unknown bytes) get ERR unsupported_command.
//   6. Malformed or oversized packets: ERR (when possible) and close. A session idle beyond
//      settings().idle_timeout is closed. A statement running beyond request_timeout gets ERR
//      timeout (7505), its upstream connection is dropped as broken, and since the session's
//      state lived on that connection the client connection is closed too (clients reconnect,
//      as after any lost connection). An upstream lost mid-statement is handled the same way.
//   7. On COM_QUIT (or a client that just goes away between statements) the upstream
//      connection gets COM_RESET_CONNECTION and goes back to its pool; if anything is in doubt
//      (mid-statement, failed reset, a schema possibly dropped) it is closed instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/asio.h"

namespace gh::gatekeeper {
namespace asio = proxy::asio;  // front_env.h names asio:: unqualified
}  // namespace gh::gatekeeper

#include "gatekeeper/front_env.h"
#include "protocol/packet.h"
#include "protocol/response_tracker.h"
#include "proxy/asio.h"
#include "proxy/pool.h"

namespace gh::gatekeeper {

class MysqlFrontSession : public std::enable_shared_from_this<MysqlFrontSession> {
 public:
  MysqlFrontSession(FrontEnv& env, proxy::tcp::socket socket);
  ~MysqlFrontSession();
  MysqlFrontSession(const MysqlFrontSession&) = delete;
  MysqlFrontSession& operator=(const MysqlFrontSession&) = delete;

  // Runs the session to its end (keeps itself alive with shared_from_this()).
  proxy::Task<void> run();
  // For a process shutting down (call on the session's executor): closes the client, cancels
  // whatever the session waits for and drops the upstream connection, so run() ends promptly.
  void stop();

 private:
  // How a relayed command ended.
  enum class Relay {
    kDone,          // the response was relayed completely
    kClientGone,    // the client stopped reading or closed
    kUpstreamLost,  // the upstream failed (I/O or protocol violation)
    kTimedOut,      // request_timeout expired
  };

  // Connection phase (mysql_front.cc).
  proxy::Task<bool> login();
  proxy::Task<bool> borrow_upstream(uint8_t seq);
  void audit_auth_failure(std::string_view user, std::string_view reason);

  // Command phase (mysql_front_commands.cc).
  proxy::Task<bool> dispatch(std::string_view payload);
  proxy::Task<bool> on_query(std::string_view payload);
  proxy::Task<bool> on_prepare(std::string_view payload);
  proxy::Task<bool> on_init_db(std::string_view payload);
  proxy::Task<bool> on_set_option(std::string_view payload);
  proxy::Task<bool> on_reset_connection(std::string_view payload);
  proxy::Task<bool> on_execute(std::string_view payload);
  proxy::Task<bool> on_unsupported(std::string_view payload);
  // Policy, then the digest allowlist, then the rate limit, for one statement text.
  Verdict evaluate(std::string_view sql, CheckedStatement& checked);
  Verdict rate_limit();
  // Answers a denial: ERR naming the rule, an audit line, the counter. False if the client
  // is gone.
  proxy::Task<bool> deny(const Verdict& verdict, uint64_t digest);
  // Session bookkeeping after a statement ran (schema tracking).
  void after_statement(const sql::StatementInfo& info,
                       const mysql::ResponseTracker::Summary& summary);
  // Relays a command upstream and its response back, then handles the outcome: false when the
  // session must end. `summary_out` receives the tracker's summary when it completed.
  proxy::Task<bool> forward(std::string_view payload,
                            mysql::ResponseTracker::Summary* summary_out = nullptr);
  proxy::Task<Relay> relay(std::string_view payload, mysql::ResponseTracker::Summary& summary,
                           bool& relayed_any);
  // Returns the upstream connection to its pool (after COM_RESET_CONNECTION) or drops it.
  proxy::Task<void> release_upstream();

  // Client I/O (mysql_front.cc). read_client_packet() bounds the wait by `timeout`; on a bad
  // packet it sends the ERR, counts and logs.
  proxy::Task<std::optional<mysql::Packet>> read_client_packet(std::chrono::milliseconds timeout);
  proxy::Task<bool> write_client(std::string_view bytes);
  proxy::Task<bool> send_err(uint8_t seq, uint16_t code, std::string_view state,
                             std::string_view msg);
  proxy::Task<bool> send_gatehouse_err(uint8_t seq, Errc code, std::string_view detail = {});
  void protocol_error(std::string_view what);

  // Timers: a callback that fires only for the wait it was armed for (generation check).
  void arm_idle_timer(std::chrono::milliseconds timeout);
  void arm_statement_timer();
  void disarm_statement_timer();

  FrontEnv& env_;
  const FrontSettings& settings_;
  proxy::tcp::socket socket_;
  std::string peer_;  // "ip:port"
  mysql::PacketReader reader_;
  uint32_t connection_id_ = 0;
  uint32_t client_caps_ = 0;
  uint8_t collation_ = 0;

  std::optional<FrontUser> user_;
  std::string schema_;            // the upstream's current schema, as far as the session knows
  bool schema_in_doubt_ = false;  // a statement may have changed or dropped it

  proxy::NodePool* pool_ = nullptr;
  proxy::NodePool::ConnPtr upstream_;
  bool in_statement_ = false;  // a command is on the upstream and its response not all read

  proxy::asio::steady_timer idle_timer_;
  proxy::asio::steady_timer statement_timer_;
  uint64_t idle_generation_ = 0;
  uint64_t statement_generation_ = 0;
  bool idle_expired_ = false;
  bool statement_expired_ = false;
  bool writing_client_ = false;
  bool client_dirty_ = false;  // a write to the client failed midway: no more ERR can be framed
  bool stopping_ = false;
  uint8_t next_client_seq_ = 1;  // sequence id an ERR would take now, during a relay
};

}  // namespace gh::gatekeeper
