// ClientSession: one MySQL client connected to the proxy. It speaks the server side of the
// protocol (handshake, authentication, commands), routes each statement through the Router,
// borrows a backend connection from the worker's pools per statement (multiplexing) or keeps
// one while the session depends on it (pinning), replays session state (schema, SET) onto
// whatever connection it borrows, and relays result packets to the client untouched.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/byte_buffer.h"
#include "protocol/packet.h"
#include "proxy/statement_plan.h"
#include "proxy/worker.h"
#include "proxy/write_now.h"

namespace gh::proxy {

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(Worker& worker, tcp::socket socket);
  ~ClientSession();
  Task<void> run();

 private:
  struct Prepared {
    std::string sql;
    StatementPlan plan;
    uint16_t num_params = 0;
    uint16_t num_columns = 0;
    std::string param_types;             // 2 bytes per param, from the last bound execute
    std::vector<std::string> long_data;  // COM_STMT_SEND_LONG_DATA payloads until execute
    std::string exec;                    // the execute payload being run
    uint64_t meta_hash = 0;  // the column definitions the client has cached (metadata caching)
  };
  struct Target {
    int node = -1;
    NodePool::ConnPtr conn;
    bool pinned = false;  // conn is the session's pinned connection
    // Or: a connection another session borrowed, this statement pipelined behind its own.
    BackendConnection* pipe = nullptr;
    BackendConnection& backend() { return conn ? *conn : *pipe; }
  };
  // How a statement uses its connection (see proxy/pool.h).
  enum class Pipelining : uint8_t {
    kNone,    // borrowed for itself only
    kHead,    // borrowed; others may pipeline behind it while it reads its response
    kBehind,  // sent behind another session's statement; reads when its turn comes
  };

  // Connection phase.
  Task<bool> handshake();
  const ProxyUser* find_user(std::string_view name) const;
  bool check_password(const ProxyUser& user, std::string_view nonce, std::string_view response);
  // Command phase.
  Task<bool> dispatch(std::string_view payload);
  Task<bool> on_query(std::string_view payload);
  Task<bool> on_init_db(std::string_view payload);
  Task<bool> on_prepare(std::string_view payload);
  // The statement a COM_STMT_EXECUTE names, with its execute payload in ps.exec (parameter
  // types filled in from an earlier execute when this one omits them). run() routes it. nullptr
  // when the packet is malformed or names no statement: reject_execute() answers those.
  Prepared* begin_execute(std::string_view payload);
  Task<bool> reject_execute(std::string_view payload);
  Task<bool> on_forward_to_source(std::string_view payload);
  // Routes a statement (retrying a read once elsewhere if its node fails before answering),
  // relays the answer, counts it and updates session state. `ps` for COM_STMT_EXECUTE.
  Task<bool> run_routed(const StatementPlan& plan, std::string_view payload, Prepared* ps);
  // Points ps.exec at `conn`'s id for the statement when `conn` has it prepared and no long
  // data is pending (the common case: no coroutine). Returns false when adapt_execute must run.
  bool patch_execute(BackendConnection& conn, Prepared& ps);
  // Prepares `ps` on `conn` if needed, sends its long data and points ps.exec at `conn`'s id.
  Task<Status> adapt_execute(BackendConnection& conn, Prepared& ps);
  Task<bool> on_change_user(std::string_view payload);
  void reset_session_state();

  // Picks a node and borrows a connection for a statement. Sends the ERR itself and returns
  // nullopt when nothing can serve it.
  // `picked`: the node try_borrow_now() chose (kNotPicked: choose one).
  static constexpr int kNotPicked = -2;
  Task<std::optional<Target>> borrow(bool read_only, std::optional<Strategy> hint,
                                     int exclude_node = -1, int picked = kNotPicked);
  // borrow()'s fast path: the pinned connection or an idle pooled one, without waiting or
  // sending anything. nullopt means: call borrow() with the node chosen here (`node`).
  std::optional<Target> try_borrow_now(bool read_only, std::optional<Strategy> hint,
                                       int exclude_node, int& node);
  int pick_node(bool read_only, Strategy strategy, int exclude_node);
  // Whether a statement may share a connection with other sessions' statements: a plain
  // autocommit read that changes no session state, on an unpinned session.
  bool may_pipeline(const StatementPlan& plan, const Prepared* ps) const;
  // A busy connection of `node` that can take this statement behind its own (same shaping
  // capabilities, schema and SET state; the statement prepared there), or nullopt.
  std::optional<Target> try_pipeline(int node, const Prepared* ps);
  Target take_pinned();  // the session's pinned connection (pinned_ must be set)
  // The backend connections that can serve this session: same response-shaping capabilities.
  BackendKey backend_key() const {
    return {client_caps_ & mysql::cap::kResponseShaping, collation_, client_mariadb_caps_};
  }
  void give_back(Target& t);
  // Brings the connection's schema and session variables in line with the session.
  Task<Status> sync_state(BackendConnection& conn);
  bool needs_sync(const BackendConnection& conn) const;
  // Sends `payload` on the target and relays the response to the client. Returns the summary,
  // or an error when the backend failed (relayed_any says whether bytes reached the client).
  // `capture`: collects the column definitions the server sends (metadata caching).
  // kHead: the caller calls NodePool::end_turn() when it returns; kBehind: give_back() does.
  Task<Result<mysql::ResponseTracker::Summary>> execute_and_relay(
      Target& t, std::string_view payload, bool& relayed_any, StatementMeta* capture = nullptr,
      Pipelining pipelining = Pipelining::kNone);
  // An execute whose definitions the server may skip although the client's are stale: the
  // whole response is read, the definitions put back (inject_metadata), then relayed.
  Task<Result<mysql::ResponseTracker::Summary>> execute_with_metadata(Target& t,
                                                                      std::string_view payload,
                                                                      const StatementMeta& meta,
                                                                      bool& relayed_any,
                                                                      bool& injected);
  bool caching_metadata() const {
    return client_mariadb_caps_ & mysql::mariadb_cap::kCacheMetadata;
  }
  // Updates pinning and session state after a statement completed on `t`.
  void after_statement(Target& t, const StatementPlan& plan,
                       const mysql::ResponseTracker::Summary& summary);

  // Client I/O.
  Task<std::optional<mysql::Packet>> read_client_packet();
  // The client sent bytes that are not a packet we accept: count it, tell the client, drop it.
  Task<void> reject_client_input(std::error_code error);
  // Writes deferred answers, then `bytes`.
  Task<bool> write_client(std::string_view bytes);
  // write_client() without a coroutine: true when everything went out now; otherwise `rest`
  // (which points into pending_out_ and `bytes`) is for write_rest(), then clear pending_out_.
  bool start_client_write(std::string_view bytes, Buffers2& rest, boost::system::error_code& ec);
  // A complete answer may wait in pending_out_ when the client already pipelined its next
  // command: both answers then leave in one send (the gatekeeper pipelines
  // SELECT @gatehouse_last_node after each statement).
  bool may_defer(std::string_view response) const;
  static constexpr size_t kMaxDeferredBytes = 64 * 1024;
  Task<bool> send_ok(uint8_t seq, uint64_t affected = 0, uint64_t insert_id = 0);
  Task<bool> send_err(uint8_t seq, uint16_t code, std::string_view state, std::string_view msg);
  Task<bool> send_gatehouse_err(uint8_t seq, Errc code, std::string_view detail = {});
  Task<bool> send_single_value(std::string_view column, std::string_view value);

  Worker& worker_;
  Shared& shared_;
  tcp::socket socket_;
  ByteBuffer in_{16 * 1024};
  mysql::PacketReader reader_;
  std::string out_;
  std::string command_;      // the command being run (a copy of the client's packet)
  std::string pending_out_;  // complete answers not sent yet (see may_defer)
  std::string nonce_;
  uint32_t connection_id_ = 0;
  uint32_t client_caps_ = 0;
  uint32_t client_mariadb_caps_ = 0;  // negotiated MariaDB extended capabilities
  uint8_t collation_ = 0;
  uint16_t status_flags_ = 0x0002;  // autocommit
  uint8_t last_seq_ = 0;

  // Session state.
  const ProxyUser* user_ = nullptr;
  Strategy strategy_ = Strategy::kRandom;
  std::string schema_;
  std::map<std::string, std::string> variables_;  // name -> SET statement
  uint64_t variables_hash_ = 0;
  bool autocommit_ = true;
  bool in_transaction_ = false;
  bool pinned_forever_ = false;
  bool lock_tables_ = false;
  bool pin_next_ = false;
  bool cursor_open_ = false;
  uint64_t last_insert_id_ = 0;
  int last_node_ = -1;      // the node that served the last statement
  std::string sync_error_;  // the ERR frame of a failed schema sync, relayed to the client
  std::optional<Target> pinned_;
  std::unordered_map<uint32_t, Prepared> prepared_;
  asio::steady_timer turn_;  // waits for this session's turn on a pipelined connection
  uint32_t next_statement_id_ = 1;
};

}  // namespace gh::proxy
