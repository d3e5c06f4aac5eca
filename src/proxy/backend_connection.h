// BackendConnection: one client-side MySQL connection from the proxy to a node, with the
// session state the proxy must keep in step with a client session (schema, SET variables,
// prepared statements). Owned by exactly one NodePool slot; used by one client session at a
// time. All I/O is coroutine-based on the owning worker's executor.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/byte_buffer.h"
#include "common/error.h"
#include "protocol/packet.h"
#include "protocol/response_tracker.h"
#include "proxy/asio.h"
#include "proxy/node.h"
#include "proxy/statement_meta.h"
#include "proxy/write_now.h"

namespace gh::proxy {

struct BackendKey {
  uint32_t capabilities = 0;  // the response-shaping subset (cap::kResponseShaping)
  uint8_t collation = 0;
  uint32_t mariadb_capabilities = 0;  // extended ones that shape responses (kCacheMetadata)
  // true: use mariadb_capabilities when the server offers them, else go without (the caller
  // checks mariadb_capabilities() on the connection); false: a server without them is an error.
  bool mariadb_optional = false;
  bool operator==(const BackendKey&) const = default;
};

class BackendConnection {
 public:
  BackendConnection(asio::any_io_executor ex, Node& node);
  ~BackendConnection();

  // Connects and authenticates as `user` with the shaping capabilities and collation of `key`.
  Task<Status> connect(const BackendKey& key, const std::string& user, const std::string& password,
                       std::chrono::milliseconds timeout);

  // Sends a command payload as a new command (sequence id 0).
  Task<Status> send_command(std::string_view payload);
  // The statement path's send: starts sending a packet without waiting. kDone when the kernel
  // took all of it; kPending when `rest` must still go out through finish_send() (it points
  // into `payload`, which must stay alive); kFailed on error (the connection is broken).
  enum class SendState { kDone, kPending, kFailed };
  SendState start_send(std::string_view payload, uint8_t seq, Buffers2& rest);
  Task<Status> finish_send(Buffers2 rest);
  // Sends one packet continuing the current exchange (e.g. LOCAL INFILE data).
  Task<Status> send_packet(std::string_view payload, uint8_t seq);
  // Runs a command and consumes its whole response (used for state sync: INIT_DB, SET,
  // RESET_CONNECTION, PREPARE). The response's frames are appended to `frames` if given.
  Task<Result<mysql::ResponseTracker::Summary>> run(std::string_view payload,
                                                    std::string* frames = nullptr);
  // Reads the whole response to `command` (already sent). Frames are appended to `frames` while
  // it holds at most `frames_limit` bytes; later frames are read and dropped (`*truncated` set).
  Task<Result<mysql::ResponseTracker::Summary>> read_response(mysql::Command command,
                                                              std::string* frames,
                                                              size_t frames_limit = SIZE_MAX,
                                                              bool* truncated = nullptr);
  // Writes bytes that are already framed (pipelined commands).
  Task<Status> send_raw(std::string_view wire_bytes);

  // Raw access for relaying: the read buffer (complete and partial frames from the server).
  tcp::socket& socket() { return socket_; }
  ByteBuffer& read_buffer() { return read_buffer_; }
  // Appends whatever the socket has to read_buffer(), in two steps so that no coroutine frame
  // is needed: await read_some() (the Asio operation itself), then pass its result to
  // commit_read(), which fails with kBackendLost (and marks the connection broken) on error.
  auto read_some() {
    char* at = read_buffer_.prepare(16 * 1024);
    return socket_.async_read_some(asio::buffer(at, read_buffer_.writable()), kNoThrow);
  }
  Status commit_read(boost::system::error_code ec, size_t n);

  Node& node() { return node_; }
  const BackendKey& key() const { return key_; }
  // After COM_SET_OPTION changed the server-side flag: pool this connection under its new key.
  void set_key_capability(uint32_t flag, bool on) {
    key_.capabilities = on ? (key_.capabilities | flag) : (key_.capabilities & ~flag);
  }
  uint32_t capabilities() const { return capabilities_; }
  uint32_t mariadb_capabilities() const { return mariadb_capabilities_; }  // negotiated
  uint64_t generation() const { return generation_; }
  bool broken() const { return broken_; }
  void mark_broken() { broken_ = true; }

  // Session state mirrored on this connection.
  std::string schema;
  uint64_t variables_hash = 0;   // hash of the SET statements replayed on this connection
  bool variables_dirty = false;  // has state that a fresh connection would not have
  bool multi_statements = false;
  uint64_t last_insert_id = 0;
  // Prepared statements on this connection: SQL text -> backend statement id.
  std::unordered_map<std::string, uint32_t> prepared;
  // Parameter counts of those statements (clients that build execute payloads themselves).
  std::unordered_map<uint32_t, uint16_t> prepared_params;
  // Column definitions this server last sent for each statement id (metadata caching only).
  std::unordered_map<uint32_t, StatementMeta> prepared_meta;
  std::chrono::steady_clock::time_point last_used;

  // Pipelining (see proxy/pool.h): statements of other sessions sent behind the one being
  // read. Their readers wait in `turns`, oldest first; each reader wakes the next when it has
  // read its whole response. While any of them remain, the connection keeps itself alive in
  // `parked` once its borrower gave it back; the last reader returns it to the pool.
  int pipelined = 0;          // statements sent behind the head and not fully read yet
  bool pipe_open = false;     // listed in the pool as accepting pipelined statements
  bool pipe_writing = false;  // a pipelined statement is still being written
  bool turn_free = false;     // the last reader finished while the next was still writing
  std::chrono::steady_clock::time_point turn_started;  // when the current reader's turn began
  std::deque<asio::steady_timer*> turns;
  std::unique_ptr<BackendConnection> parked;

 private:
  struct OwnedPacket {
    std::string payload;
    uint8_t seq = 0;
  };
  Task<Status> connect_and_authenticate(const std::string& user, const std::string& password);
  // One single-frame packet during the connection phase.
  Task<Result<OwnedPacket>> read_packet();

  tcp::socket socket_;
  Node& node_;
  BackendKey key_;
  uint32_t capabilities_ = 0;
  uint32_t mariadb_capabilities_ = 0;
  uint64_t generation_ = 0;
  bool broken_ = false;
  char header_[mysql::kHeaderSize] = {};
  std::string framed_;  // a payload too large for one frame, split into frames
  ByteBuffer read_buffer_{64 * 1024};
};

}  // namespace gh::proxy
