// ClientSession: the statement path — route, borrow, sync state, relay, pin (see session.h).
#include <spdlog/spdlog.h>

#include <chrono>

#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/response.h"
#include "proxy/session.h"
#include "proxy/write_now.h"
#include "sql/digest.h"

namespace gh::proxy {

using namespace gh::mysql;
using Clock = std::chrono::steady_clock;

namespace {

uint32_t read_u32(std::string_view p, size_t at) {
  return uint32_t(uint8_t(p[at])) | uint32_t(uint8_t(p[at + 1])) << 8 |
         uint32_t(uint8_t(p[at + 2])) << 16 | uint32_t(uint8_t(p[at + 3])) << 24;
}

void write_u32(std::string& p, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[at + size_t(i)] = char((v >> (8 * i)) & 0xFF);
}

// A pipelined read joins a connection only while the statement it would wait behind has been
// running for less than this: a slow statement does not collect followers.
constexpr auto kPipelineWindow = std::chrono::microseconds(1000);

Errc pool_error_to_errc(std::error_code ec) {
  if (ec == Errc::kQueueFull) return Errc::kQueueFull;
  if (ec == Errc::kQueueTimeout) return Errc::kQueueTimeout;
  if (ec == Errc::kAuthFailed) return Errc::kBackendError;
  return Errc::kNodeDown;
}

}  // namespace

int ClientSession::pick_node(bool read_only, Strategy strategy, int exclude_node) {
  Router& router = worker_.router();
  int node = read_only ? router.pick_read(strategy) : router.pick_write();
  if (node >= 0 && node == exclude_node && read_only) {
    // Prefer anything else; fall back to the source.
    int other = router.pick_read(strategy);
    node = other != exclude_node ? other : router.pick_write();
  }
  return node;
}

ClientSession::Target ClientSession::take_pinned() {
  Target t{pinned_->node, std::move(pinned_->conn), true};
  pinned_.reset();
  return t;
}

bool ClientSession::may_pipeline(const StatementPlan& plan, const Prepared* ps) const {
  if (shared_.options.pipeline_depth < 2 || !plan.read_only) return false;
  if (plan.pin_session || plan.pin_next || plan.lock_tables || plan.use_schema ||
      !plan.session_sets.empty() || plan.multi_statement || plan.starts_transaction ||
      plan.intercept != Intercept::kNone)
    return false;
  if (pinned_ || !autocommit_ || in_transaction_ || pinned_forever_ || lock_tables_ ||
      cursor_open_ || pin_next_)
    return false;
  // An execute: no long data to send first, and no cursor (its fetches need the connection).
  if (ps && (!ps->long_data.empty() || ps->exec.size() < 10 || ps->exec[5] != 0)) return false;
  return true;
}

std::optional<ClientSession::Target> ClientSession::try_pipeline(int node, const Prepared* ps) {
  NodePool& pool = worker_.pool(node);
  // With statements queued for a connection, let the pipes drain: a busy connection is only
  // given to the queue once nothing is pipelined behind it.
  if (pool.pipes().empty() || pool.queue_length() > 0) return std::nullopt;
  BackendKey key = backend_key();
  int depth = shared_.options.pipeline_depth;
  auto now = Clock::now();
  BackendConnection* best = nullptr;
  for (BackendConnection* c : pool.pipes()) {
    if (c->broken() || c->pipe_writing || c->pipelined + 1 >= depth) continue;
    if (now - c->turn_started > kPipelineWindow) continue;
    if (best && c->pipelined >= best->pipelined) continue;
    if (!(c->key() == key) || needs_sync(*c) || (schema_.empty() && !c->schema.empty())) continue;
    if (ps) {  // prepared there already, with the definitions the client has
      auto found = c->prepared.find(ps->sql);
      if (found == c->prepared.end()) continue;
      if (caching_metadata()) {
        auto meta = c->prepared_meta.find(found->second);
        if (meta == c->prepared_meta.end() || meta->second.hash != ps->meta_hash) continue;
      }
    }
    best = c;
  }
  if (!best) return std::nullopt;
  return Target{node, nullptr, false, best};
}

std::optional<ClientSession::Target> ClientSession::try_borrow_now(bool read_only,
                                                                   std::optional<Strategy> hint,
                                                                   int exclude_node, int& node) {
  if (pinned_) return take_pinned();
  if (node == kNotPicked) node = pick_node(read_only, hint.value_or(strategy_), exclude_node);
  if (node < 0) return std::nullopt;
  NodePool& pool = worker_.pool(node);
  BackendKey key = backend_key();
  auto conn = pool.try_acquire(key, schema_);
  if (!conn) return std::nullopt;
  if (schema_.empty() && !conn->schema.empty()) {  // borrow() deals with this case
    pool.release(std::move(conn));
    return std::nullopt;
  }
  return Target{node, std::move(conn), false};
}

Task<std::optional<ClientSession::Target>> ClientSession::borrow(bool read_only,
                                                                 std::optional<Strategy> hint,
                                                                 int exclude_node, int picked) {
  if (pinned_) co_return take_pinned();
  Strategy strategy = hint.value_or(strategy_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    // The node try_borrow_now() picked, if any: picking again would skew the strategy (an
    // exploration read of `customized` would nearly always land back on the fastest node).
    int node = attempt == 0 && picked != kNotPicked ? picked
                                                    : pick_node(read_only, strategy, exclude_node);
    if (node < 0) {
      shared_.counters.no_healthy_node.fetch_add(1, std::memory_order_relaxed);
      co_await send_gatehouse_err(1, Errc::kNoHealthyNode,
                                  read_only ? "no healthy node can serve this read"
                                            : "the source is down; writes cannot be served");
      co_return std::nullopt;
    }
    NodePool& pool = worker_.pool(node);
    BackendKey key = backend_key();
    auto queued_before = pool.counters().queued;
    auto conn = co_await pool.acquire(key, schema_);
    // A session without a schema must not inherit one from a pooled connection. COM_INIT_DB
    // cannot deselect a schema and COM_RESET_CONNECTION keeps it: use another connection.
    for (int tries = 0; conn && schema_.empty() && !(*conn)->schema.empty() && tries < 64;
         ++tries) {
      (*conn)->mark_broken();
      pool.release(std::move(*conn));
      conn = co_await pool.acquire(key, schema_);
    }
    if (pool.counters().queued != queued_before) {
      worker_.node_counters(node).queue_waits.fetch_add(1, std::memory_order_relaxed);
      worker_.strategy_counters(strategy).queue_waits.fetch_add(1, std::memory_order_relaxed);
    }
    if (conn) co_return Target{node, std::move(*conn), false};
    Errc e = pool_error_to_errc(conn.error());
    if (e == Errc::kQueueFull) shared_.counters.queue_full.fetch_add(1, std::memory_order_relaxed);
    if (e == Errc::kQueueTimeout)
      shared_.counters.queue_timeouts.fetch_add(1, std::memory_order_relaxed);
    // A node we could not connect to: try once more elsewhere for reads.
    if (e == Errc::kNodeDown && read_only && attempt == 0) {
      exclude_node = node;
      continue;
    }
    worker_.node_counters(node).errors.fetch_add(1, std::memory_order_relaxed);
    // Named locals, not temporaries, in co_await arguments: g++ 12 mishandles the latter.
    std::string detail;
    if (e == Errc::kNodeDown) detail = "cannot connect to " + worker_.pool(node).node().name();
    co_await send_gatehouse_err(1, e, detail);
    co_return std::nullopt;
  }
  co_return std::nullopt;
}

void ClientSession::give_back(Target& t) {
  if (t.conn) worker_.pool(t.node).release(std::move(t.conn));
  if (BackendConnection* c = std::exchange(t.pipe, nullptr)) {
    --c->pipelined;
    worker_.pool(t.node).end_turn(*c);  // may return the connection to the pool
  }
}

bool ClientSession::needs_sync(const BackendConnection& conn) const {
  return conn.variables_hash != variables_hash_ || (!schema_.empty() && conn.schema != schema_);
}

Task<Status> ClientSession::sync_state(BackendConnection& conn) {
  sync_error_.clear();
  if (conn.variables_hash != variables_hash_) {
    if (conn.variables_dirty) {
      std::string reset(1, char(Command::kResetConnection));
      auto r = co_await conn.run(reset);
      if (!r || r->error) co_return fail(Errc::kBackendError);
      conn.schema.clear();
      conn.prepared.clear();
      conn.prepared_meta.clear();
    }
    for (const auto& [name, stmt] : variables_) {
      std::string q(1, char(Command::kQuery));
      q += stmt;
      auto r = co_await conn.run(q);
      if (!r) co_return fail(r.error());
      if (r->error) spdlog::warn("replaying '{}' on {} failed", stmt, conn.node().name());
    }
    conn.variables_hash = variables_hash_;
    conn.variables_dirty = !variables_.empty();
  }
  if (!schema_.empty() && conn.schema != schema_) {
    std::string init(1, char(Command::kInitDb));
    init += schema_;
    auto r = co_await conn.run(init, &sync_error_);
    if (!r) co_return fail(r.error());
    if (r->error) co_return fail(Errc::kBackendError);  // sync_error_ holds the server's ERR
    conn.schema = schema_;
  }
  co_return Status{};
}

Task<Result<ResponseTracker::Summary>> ClientSession::execute_and_relay(Target& t,
                                                                        std::string_view payload,
                                                                        bool& relayed_any,
                                                                        StatementMeta* capture,
                                                                        Pipelining pipelining) {
  relayed_any = false;
  BackendConnection& conn = t.backend();
  Command command = static_cast<Command>(payload[0]);
  if (pipelining == Pipelining::kBehind) {
    // Sent now; read once every statement ahead of it on the connection has been read.
    ++conn.pipelined;
    Buffers2 rest;
    auto sent = conn.start_send(payload, 0, rest);
    if (sent == BackendConnection::SendState::kPending) {
      conn.pipe_writing = true;  // nobody else may write until this is out
      (void)co_await conn.finish_send(rest);
      conn.pipe_writing = false;
    }
    if (conn.turn_free) {
      conn.turn_free = false;
    } else {
      conn.turns.push_back(&turn_);
      turn_.expires_at(asio::steady_timer::time_point::max());
      (void)co_await turn_.async_wait(kNoThrow);
    }
    conn.turn_started = Clock::now();
    if (conn.broken()) co_return fail(Errc::kBackendLost);
    // give_back() ends this turn: the connection may be gone after it.
  } else {
    Buffers2 rest;
    auto sent = conn.start_send(payload, 0, rest);
    if (sent == BackendConnection::SendState::kFailed) co_return fail(Errc::kBackendLost);
    if (sent == BackendConnection::SendState::kPending) {
      if (auto s = co_await conn.finish_send(rest); !s) co_return fail(s.error());
    }
    if (pipelining == Pipelining::kHead) {  // the caller ends this turn once we return
      conn.turn_started = Clock::now();
      worker_.pool(t.node).open_pipe(conn);  // others may send reads behind this one now
    }
  }
  ResponseTracker tracker;
  tracker.start(command, conn.capabilities(), conn.mariadb_capabilities());
  if (tracker.done()) co_return tracker.summary();
  ByteBuffer& rb = conn.read_buffer();
  for (;;) {
    std::string_view buf = rb.view();
    size_t pos = 0;
    bool done = false;
    bool infile = false;
    while (pos < buf.size()) {
      auto frame = parse_frame(buf.substr(pos));
      if (!frame) break;
      if (capture && tracker.in_column_definitions()) capture->columns.emplace_back(frame->payload);
      auto step = tracker.on_frame(frame->payload);
      if (!step) {
        conn.mark_broken();
        co_return fail(step.error());
      }
      pos += frame->wire_size;
      last_seq_ = frame->seq;
      if (*step == ResponseTracker::Step::kDone) {
        done = true;
        break;
      }
      if (*step == ResponseTracker::Step::kLocalInfile) {
        infile = true;
        break;
      }
    }
    if (pos > 0) {
      std::string_view chunk = buf.substr(0, pos);
      boost::system::error_code ec;
      if (done && may_defer(chunk)) {
        pending_out_.append(chunk);  // goes out with the answer to the pipelined command
      } else {
        Buffers2 left;
        if (!start_client_write(chunk, left, ec) && !ec) ec = co_await write_rest(socket_, left);
        pending_out_.clear();
      }
      if (ec) {
        conn.mark_broken();  // the rest of the response would be left unread
        co_return fail(Errc::kIo);
      }
      relayed_any = true;
      rb.consume(pos);
    }
    if (done) co_return tracker.summary();
    if (infile) {
      // The client now streams the file as packets, ending with an empty one.
      for (;;) {
        auto packet = co_await read_client_packet();
        if (!packet) {
          conn.mark_broken();
          co_return fail(Errc::kIo);
        }
        if (auto s = co_await conn.send_packet(packet->payload, packet->seq); !s)
          co_return fail(s.error());
        if (packet->payload.empty()) break;
      }
      tracker.resume_after_infile();
      continue;
    }
    auto [ec, n] = co_await conn.read_some();
    if (auto s = conn.commit_read(ec, n); !s) co_return fail(s.error());
  }
}

Task<Result<ResponseTracker::Summary>> ClientSession::execute_with_metadata(
    Target& t, std::string_view payload, const StatementMeta& meta, bool& relayed_any,
    bool& injected) {
  relayed_any = false;
  injected = false;
  BackendConnection& conn = *t.conn;
  if (auto s = co_await conn.send_command(payload); !s) co_return fail(s.error());
  std::string frames;
  auto summary = co_await conn.read_response(Command::kStmtExecute, &frames);
  if (!summary) co_return fail(summary.error());
  auto out = inject_metadata(frames, meta, injected);
  if (!out) {
    conn.mark_broken();
    co_return fail(out.error());
  }
  if (injected) shared_.counters.metadata_injections.fetch_add(1, std::memory_order_relaxed);
  if (!co_await write_client(*out)) {
    conn.mark_broken();
    co_return fail(Errc::kIo);
  }
  relayed_any = true;
  co_return *summary;
}

void ClientSession::after_statement(Target& t, const StatementPlan& plan,
                                    const ResponseTracker::Summary& summary) {
  last_node_ = t.node;
  if (!summary.error) {
    if (summary.has_status) {  // PREPARE_OK and COM_STATISTICS carry no status flags
      in_transaction_ = summary.status_flags & status::kInTrans;
      autocommit_ = summary.status_flags & status::kAutocommit;
    }
    if (plan.pin_session) pinned_forever_ = true;
    if (plan.lock_tables) lock_tables_ = true;
    if (plan.unlock_tables) lock_tables_ = false;
    if (summary.last_insert_id) last_insert_id_ = summary.last_insert_id;
    if (plan.use_schema) {
      schema_ = *plan.use_schema;
      t.conn->schema = schema_;
    }
    if (!plan.session_sets.empty()) {
      for (const auto& [name, stmt] : plan.session_sets) variables_[name] = stmt;
      std::string all;  // every replayed SET, in name order, NUL-separated
      for (const auto& [name, stmt] : variables_) {
        all.append(name).push_back('\0');
        all.append(stmt).push_back('\0');
      }
      variables_hash_ = sql::fnv1a64(all);
      t.conn->variables_hash = variables_hash_;
      t.conn->variables_dirty = true;
    }
  }
  pin_next_ = plan.pin_next && !summary.error;
  bool keep = in_transaction_ || !autocommit_ || pinned_forever_ || lock_tables_ || pin_next_ ||
              cursor_open_;
  if (keep && t.conn && t.conn->pipelined > 0) {
    // Cannot happen for the plain reads that accept pipelining; if it did, the statements
    // behind would answer out of turn: drop the connection (they fail and are retried).
    t.conn->mark_broken();
    give_back(t);
  } else if (keep && t.conn) {
    pinned_.emplace(Target{t.node, std::move(t.conn), true});
  } else {
    give_back(t);
  }
}

Task<bool> ClientSession::on_query(std::string_view payload) {
  std::string_view sql = payload.substr(1);
  StatementPlan plan = plan_statement(sql);
  switch (plan.intercept) {
    case Intercept::kSetStrategy: {
      Strategy s;
      if (!parse_strategy(plan.intercept_value, s)) {
        std::string detail =
            "unknown strategy '" + plan.intercept_value + "': use direct, random or customized";
        co_return co_await send_gatehouse_err(1, Errc::kBadRequest, detail);
      }
      strategy_ = s;
      co_return co_await send_ok(1);
    }
    case Intercept::kShowLastNode: {
      std::string name = last_node_ >= 0 ? worker_.pool(last_node_).node().name() : "";
      co_return co_await send_single_value(plan.intercept_value, name);
    }
    case Intercept::kShowStrategy:
      co_return co_await send_single_value(plan.intercept_value, strategy_name(strategy_));
    case Intercept::kShowCluster: {
      std::string cluster = shared_.counters.to_json(shared_.nodes);
      co_return co_await send_single_value(plan.intercept_value, cluster);
    }
    case Intercept::kNone:
      break;
  }
  if (plan.multi_statement && !(client_caps_ & cap::kMultiStatements)) plan.read_only = false;
  co_return co_await run_routed(plan, payload, nullptr);
}

Task<bool> ClientSession::run_routed(const StatementPlan& plan, std::string_view payload,
                                     Prepared* ps) {
  Strategy strategy = plan.hint.value_or(strategy_);
  int exclude = -1;
  bool read_only = plan.read_only;
  bool pipelinable = may_pipeline(plan, ps);
  for (int attempt = 0; attempt < 2; ++attempt) {
    int picked = kNotPicked;
    std::optional<Target> t;
    if (pipelinable) {  // behind a busy connection's read rather than on an idle connection
      picked = pick_node(read_only, plan.hint.value_or(strategy_), exclude);
      if (picked >= 0) t = try_pipeline(picked, ps);
    }
    if (!t) t = try_borrow_now(read_only, plan.hint, exclude, picked);  // common: no coroutine
    if (!t) t = co_await borrow(read_only, plan.hint, exclude, picked);
    if (!t) co_return true;  // borrow sent the error
    Pipelining pipelining = t->pipe                     ? Pipelining::kBehind
                            : pipelinable && !t->pinned ? Pipelining::kHead
                                                        : Pipelining::kNone;
    auto started = Clock::now();
    Status ready;
    if (needs_sync(t->backend())) ready = co_await sync_state(t->backend());  // rare
    if (!ready && ready.error() == Errc::kBackendError && !sync_error_.empty()) {
      // The server refused the session's schema. On a replica that may be replication lag
      // (a database just created on the source): run it on the source instead. Otherwise the
      // client gets the server's own error, as on a direct connection.
      bool on_source = t->node == worker_.router().source_index();
      give_back(*t);
      if (!on_source && attempt == 0) {
        read_only = false;
        continue;
      }
      std::string err = std::move(sync_error_);
      if (err.size() > kHeaderSize) err[3] = 1;  // sequence id of a response's first packet
      co_return co_await write_client(err);
    }
    if (ready && ps && !patch_execute(t->backend(), *ps))
      ready = co_await adapt_execute(t->backend(), *ps);
    std::string_view to_send = ps ? std::string_view(ps->exec) : payload;
    bool relayed_any = false;
    Result<ResponseTracker::Summary> summary = fail(Errc::kBackendLost);
    StatementMeta captured;
    StatementMeta* conn_meta = nullptr;  // what this backend last sent for the statement
    if (ready && ps && caching_metadata()) {
      auto it = t->backend().prepared_meta.find(read_u32(to_send, 1));
      if (it != t->backend().prepared_meta.end()) conn_meta = &it->second;
    }
    if (ready && conn_meta && conn_meta->hash != ps->meta_hash) {
      bool injected = false;
      summary = co_await execute_with_metadata(*t, to_send, *conn_meta, relayed_any, injected);
      if (summary && injected) ps->meta_hash = conn_meta->hash;
    } else if (ready) {
      // Behind another reader, this statement's entry may change before its turn: no capture.
      StatementMeta* capture = conn_meta && !t->pipe ? &captured : nullptr;
      summary = co_await execute_and_relay(*t, to_send, relayed_any, capture, pipelining);
      // The head's response is read (or failed): the next pipelined reader may go.
      if (pipelining == Pipelining::kHead) worker_.pool(t->node).end_turn(t->backend());
    }
    if (summary && conn_meta && summary->metadata_sent && !captured.columns.empty()) {
      // The server sent new definitions: both the client and this backend now have them.
      captured.hash = hash_columns(captured.columns);
      ps->meta_hash = captured.hash;
      *conn_meta = std::move(captured);
    } else if (summary && conn_meta && summary->metadata_sent) {
      t->backend().prepared_meta.erase(read_u32(to_send, 1));  // unknown: re-prepare next time
      ps->meta_hash = 0;
    }
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    Node& node = worker_.pool(t->node).node();
    auto& nc = worker_.node_counters(t->node);
    auto& sc = worker_.strategy_counters(strategy);
    if (summary) {
      for (RouteCounters* c : {&nc, &sc}) {
        c->statements.fetch_add(1, std::memory_order_relaxed);
        (plan.read_only ? c->reads : c->writes).fetch_add(1, std::memory_order_relaxed);
        if (summary->error) c->errors.fetch_add(1, std::memory_order_relaxed);
        if (t->pipe) c->pipelined.fetch_add(1, std::memory_order_relaxed);
        c->latency.record(ms * 1000);
      }
      if (plan.read_only) node.record_query_latency(ms);
      if (summary->status_flags & status::kCursorExists) cursor_open_ = true;
      after_statement(*t, plan, *summary);
      co_return true;
    }
    // The backend failed. Drop the connection; a read that sent nothing yet is retried.
    t->backend().mark_broken();
    bool was_pinned = t->pinned;
    give_back(*t);
    nc.errors.fetch_add(1, std::memory_order_relaxed);
    if (summary.error() == Errc::kIo) co_return false;  // the client went away
    if (was_pinned) {
      // The session's transaction or session state lived on that connection: it is gone.
      in_transaction_ = false;
      pinned_forever_ = lock_tables_ = pin_next_ = cursor_open_ = false;
      autocommit_ = true;
    }
    if (!relayed_any && plan.read_only && !was_pinned && attempt == 0) {
      nc.retries.fetch_add(1, std::memory_order_relaxed);
      exclude = t->node;
      continue;
    }
    if (relayed_any) co_return false;  // mid-result: the client cannot be resynchronised
    std::string detail = "lost connection to " + node.name();
    if (was_pinned) detail += "; the open transaction was rolled back";
    co_return co_await send_gatehouse_err(1, Errc::kBackendLost, detail);
  }
  co_return true;
}

Task<bool> ClientSession::on_init_db(std::string_view payload) {
  StatementPlan plan;
  plan.use_schema = std::string(payload.substr(1));
  co_return co_await run_routed(plan, payload, nullptr);
}

Task<bool> ClientSession::on_forward_to_source(std::string_view payload) {
  StatementPlan plan;  // a named local: g++ 12 destroys a temporary in a co_await twice
  co_return co_await run_routed(plan, payload, nullptr);
}

Task<bool> ClientSession::on_prepare(std::string_view payload) {
  std::string sql(payload.substr(1));
  StatementPlan plan = plan_statement(sql);
  // Prepare on the source: it has every object, and the metadata is the same everywhere.
  auto t = co_await borrow(false, std::nullopt);
  if (!t) co_return true;
  auto synced = co_await sync_state(*t->conn);
  std::string frames;
  Result<ResponseTracker::Summary> summary = fail(Errc::kBackendLost);
  if (synced) summary = co_await t->conn->run(payload, &frames);
  if (!summary) {
    t->conn->mark_broken();
    give_back(*t);
    co_return co_await send_gatehouse_err(1, Errc::kBackendLost);
  }
  if (!summary->error) {
    uint32_t client_id = next_statement_id_++;
    t->conn->prepared[sql] = summary->statement_id;
    Prepared p;
    if (caching_metadata()) {
      bool no_eof = t->conn->capabilities() & cap::kDeprecateEof;
      if (auto meta = meta_of_prepare(frames, no_eof)) {
        p.meta_hash = meta->hash;
        t->conn->prepared_meta[summary->statement_id] = std::move(*meta);
      }
    }
    p.sql = sql;
    p.plan = std::move(plan);
    p.num_params = summary->num_params;
    p.num_columns = summary->num_columns;
    prepared_[client_id] = std::move(p);
    // Rewrite the statement id in the PREPARE_OK (first frame: header + 0x00 + id).
    if (frames.size() >= kHeaderSize + 5) write_u32(frames, kHeaderSize + 1, client_id);
  }
  bool ok = co_await write_client(frames);
  after_statement(*t, StatementPlan{}, *summary);
  co_return ok;
}

ClientSession::Prepared* ClientSession::begin_execute(std::string_view payload) {
  if (payload.size() < 10) return nullptr;
  auto it = prepared_.find(read_u32(payload, 1));
  if (it == prepared_.end()) return nullptr;
  Prepared& ps = it->second;
  // Remember bound parameter types: another backend connection may need them re-sent.
  std::string& exec = ps.exec;  // reuses its capacity: no allocation per execute
  exec.assign(payload);
  size_t bitmap = (size_t(ps.num_params) + 7) / 8;
  size_t bound_at = 10 + bitmap;
  if (ps.num_params > 0 && exec.size() > bound_at) {
    if (exec[bound_at] == 1 && exec.size() >= bound_at + 1 + 2 * size_t(ps.num_params)) {
      ps.param_types.assign(exec, bound_at + 1, 2 * size_t(ps.num_params));
    } else if (exec[bound_at] == 0 && ps.param_types.size() == 2 * size_t(ps.num_params)) {
      exec[bound_at] = 1;
      exec.insert(bound_at + 1, ps.param_types);
    }
  }
  return &ps;
}

Task<bool> ClientSession::reject_execute(std::string_view payload) {
  if (payload.size() < 10) co_return co_await send_gatehouse_err(1, Errc::kMalformedPacket);
  std::string msg = "Unknown prepared statement handler (" + std::to_string(read_u32(payload, 1)) +
                    ") given to mysqld_stmt_execute";
  co_return co_await send_err(1, 1243, "HY000", msg);
}

bool ClientSession::patch_execute(BackendConnection& conn, Prepared& ps) {
  if (!ps.long_data.empty()) return false;
  auto found = conn.prepared.find(ps.sql);
  if (found == conn.prepared.end()) return false;
  if (caching_metadata() && !conn.prepared_meta.contains(found->second)) return false;
  write_u32(ps.exec, 1, found->second);
  return true;
}

Task<Status> ClientSession::adapt_execute(BackendConnection& conn, Prepared& ps) {
  uint32_t backend_id = 0;
  auto found = conn.prepared.find(ps.sql);
  if (found != conn.prepared.end() && caching_metadata() &&
      !conn.prepared_meta.contains(found->second)) {
    // What this server last sent for the statement is unknown: prepare it afresh.
    std::string close;
    encode_com_stmt_close(found->second, close);
    if (auto s = co_await conn.send_command(close); !s) co_return s;
    conn.prepared.erase(found);
    found = conn.prepared.end();
  }
  if (found != conn.prepared.end()) {
    backend_id = found->second;
  } else {
    if (conn.prepared.size() >= 256) {  // bound the per-connection statement cache
      for (const auto& [sql, id] : conn.prepared) {
        std::string close;
        encode_com_stmt_close(id, close);
        (void)co_await conn.run(close);
      }
      conn.prepared.clear();
      conn.prepared_meta.clear();
    }
    std::string prep(1, char(Command::kStmtPrepare));
    prep += ps.sql;
    std::string frames;
    auto r = co_await conn.run(prep, caching_metadata() ? &frames : nullptr);
    if (!r) co_return fail(r.error());
    if (r->error) co_return fail(Errc::kBackendError);
    backend_id = r->statement_id;
    conn.prepared[ps.sql] = backend_id;
    if (caching_metadata()) {
      auto meta = meta_of_prepare(frames, conn.capabilities() & cap::kDeprecateEof);
      if (!meta) co_return fail(meta.error());
      conn.prepared_meta[backend_id] = std::move(*meta);
    }
  }
  for (auto& chunk : ps.long_data) {
    write_u32(chunk, 1, backend_id);
    if (auto s = co_await conn.send_command(chunk); !s) co_return s;
  }
  ps.long_data.clear();
  write_u32(ps.exec, 1, backend_id);
  co_return Status{};
}

}  // namespace gh::proxy
