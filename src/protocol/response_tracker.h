// ResponseTracker: a frame-by-frame state machine that follows a server's response to one client
// command and says when it is complete, without copying or re-encoding anything. The proxy
// relays backend bytes to the client as they come and asks the tracker where the response ends.
//
// It understands: OK / ERR; text result sets with or without CLIENT_DEPRECATE_EOF; multi-result
// responses (SERVER_MORE_RESULTS_EXISTS), including CALL's trailing OK; binary result sets from
// COM_STMT_EXECUTE (and cursors); the COM_STMT_PREPARE response; COM_FIELD_LIST; COM_STATISTICS;
// the LOCAL INFILE request (which hands control back to the client); 16 MiB continuation frames.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "protocol/capabilities.h"

namespace gh::mysql {

class ResponseTracker {
 public:
  enum class Step {
    kMore,         // keep reading
    kDone,         // the response is complete
    kLocalInfile,  // server asked for a LOCAL INFILE: the client must now send the file
  };

  // What the tracker saw, valid once kDone.
  struct Summary {
    bool error = false;  // ended with an ERR
    uint16_t err_code = 0;
    uint16_t status_flags = 0;   // of the final OK/EOF (0 after an ERR)
    bool has_status = false;     // status_flags came from an OK/EOF (PREPARE_OK has none)
    uint64_t affected_rows = 0;  // of the last OK
    uint64_t last_insert_id = 0;
    uint64_t rows = 0;  // rows over all result sets
    uint32_t result_sets = 0;
    // Under mariadb_cap::kCacheMetadata: a result set came with its column definitions.
    bool metadata_sent = false;
    // COM_STMT_PREPARE
    uint32_t statement_id = 0;
    uint16_t num_params = 0;
    uint16_t num_columns = 0;
  };

  // Starts following the response to `command`, under the capabilities the connection
  // negotiated. Commands without a response (COM_QUIT, STMT_CLOSE, SEND_LONG_DATA) are kDone
  // immediately: expects_response() says so.
  // `mariadb_capabilities`: MariaDB's extended ones (mariadb_cap::kCacheMetadata shapes result
  // sets).
  void start(Command command, uint32_t capabilities, uint32_t mariadb_capabilities = 0);
  // After the client has sent its LOCAL INFILE data: the server's final OK/ERR follows.
  void resume_after_infile();
  static bool expects_response(Command command);

  // Feeds the next frame's payload (exactly one frame). Errors are protocol violations by the
  // server: the connection must be dropped.
  Result<Step> on_frame(std::string_view payload);

  const Summary& summary() const { return summary_; }
  bool done() const { return state_ == State::kDone; }
  // The next frame is a column definition of a result set (not of a PREPARE response).
  bool in_column_definitions() const { return state_ == State::kColumnDefs && !continuation_; }

 private:
  enum class State {
    kFirst,  // first packet of a (possibly next) result
    kColumnDefs,
    kColumnsEof,  // legacy EOF after column definitions
    kRows,
    kPrepareParams,
    kPrepareParamsEof,
    kPrepareColumns,
    kPrepareColumnsEof,
    kFieldList,
    kSingle,   // one packet, whatever it is (COM_STATISTICS)
    kOkOrErr,  // one OK or ERR
    kDone,
  };

  Result<Step> on_first(std::string_view p);
  Result<Step> on_terminal(std::string_view p);  // OK/EOF ending a result set
  Step finish_ok(std::string_view p);
  Step after_prepare_params();
  Step finish_err(std::string_view p);
  bool deprecate_eof() const { return capabilities_ & cap::kDeprecateEof; }

  Command command_ = Command::kQuery;
  uint32_t capabilities_ = 0;
  uint32_t mariadb_capabilities_ = 0;
  State state_ = State::kDone;
  uint64_t remaining_ = 0;     // column or param definitions left
  bool continuation_ = false;  // previous frame was 0xFFFFFF bytes: this one continues it
  bool binary_rows_ = false;
  Summary summary_;
};

}  // namespace gh::mysql
