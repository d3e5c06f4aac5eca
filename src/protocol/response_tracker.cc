// ResponseTracker: implementation (see response_tracker.h).
#include "protocol/response_tracker.h"

#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"

namespace gh::mysql {

bool ResponseTracker::expects_response(Command command) {
  return command != Command::kQuit && command != Command::kStmtClose &&
         command != Command::kStmtSendLongData;
}

void ResponseTracker::start(Command command, uint32_t capabilities, uint32_t mariadb_capabilities) {
  command_ = command;
  capabilities_ = capabilities;
  mariadb_capabilities_ = mariadb_capabilities;
  summary_ = Summary{};
  continuation_ = false;
  remaining_ = 0;
  binary_rows_ = command == Command::kStmtExecute || command == Command::kStmtFetch;
  switch (command) {
    case Command::kQuit:
    case Command::kStmtClose:
    case Command::kStmtSendLongData:
      state_ = State::kDone;
      break;
    case Command::kQuery:
    case Command::kStmtExecute:
      state_ = State::kFirst;
      break;
    case Command::kStmtFetch:
      state_ = State::kRows;
      break;
    case Command::kStmtPrepare:
      state_ = State::kFirst;
      break;
    case Command::kFieldList:
      state_ = State::kFieldList;
      break;
    case Command::kStatistics:
      state_ = State::kSingle;
      break;
    default:
      state_ = State::kOkOrErr;
      break;
  }
}

void ResponseTracker::resume_after_infile() { state_ = State::kOkOrErr; }

ResponseTracker::Step ResponseTracker::finish_ok(std::string_view p) {
  auto ok = decode_ok(p, capabilities_);
  if (ok) {
    summary_.status_flags = ok->status_flags;
    summary_.has_status = true;
    summary_.affected_rows = ok->affected_rows;
    summary_.last_insert_id = ok->last_insert_id;
  }
  if (summary_.status_flags & status::kMoreResultsExist) {
    state_ = State::kFirst;
    return Step::kMore;
  }
  state_ = State::kDone;
  return Step::kDone;
}

ResponseTracker::Step ResponseTracker::finish_err(std::string_view p) {
  auto err = decode_err(p);
  summary_.error = true;
  summary_.err_code = err ? err->code : 0;
  summary_.status_flags = 0;
  state_ = State::kDone;
  return Step::kDone;
}

Result<ResponseTracker::Step> ResponseTracker::on_first(std::string_view p) {
  if (p.empty()) return fail(Errc::kMalformedPacket);
  uint8_t h = uint8_t(p[0]);
  if (h == 0xFF) return finish_err(p);
  if (command_ == Command::kStmtPrepare) {
    // 0x00, statement_id(4), num_columns(2), num_params(2), filler(1), warnings(2)
    Reader r(p);
    GH_TRY(header, r.u8());
    if (header != 0x00) return fail(Errc::kUnexpectedPacket);
    GH_TRY(id, r.u32());
    GH_TRY(columns, r.u16());
    GH_TRY(params, r.u16());
    summary_.statement_id = id;
    summary_.num_columns = columns;
    summary_.num_params = params;
    if (params > 0) {
      remaining_ = params;
      state_ = State::kPrepareParams;
      return Step::kMore;
    }
    if (columns > 0) {
      remaining_ = columns;
      state_ = State::kPrepareColumns;
      return Step::kMore;
    }
    state_ = State::kDone;
    return Step::kDone;
  }
  if (h == 0x00) return finish_ok(p);
  if (h == 0xFB) {  // LOCAL INFILE request
    return Step::kLocalInfile;
  }
  auto decoded = decode_column_count(p, mariadb_capabilities_);
  if (!decoded) return fail(Errc::kMalformedPacket);
  uint64_t count = decoded->count;
  bool metadata_follows = decoded->metadata_follows;
  if (count > 4096) return fail(Errc::kMalformedPacket);
  summary_.result_sets++;
  if ((mariadb_capabilities_ & mariadb_cap::kCacheMetadata) && metadata_follows)
    summary_.metadata_sent = true;
  if (!metadata_follows) {  // the client cached the column definitions
    state_ = deprecate_eof() ? State::kRows : State::kColumnsEof;
    return Step::kMore;
  }
  remaining_ = count;
  state_ = State::kColumnDefs;
  return Step::kMore;
}

ResponseTracker::Step ResponseTracker::after_prepare_params() {
  if (summary_.num_columns > 0) {
    remaining_ = summary_.num_columns;
    state_ = State::kPrepareColumns;
    return Step::kMore;
  }
  state_ = State::kDone;
  return Step::kDone;
}

Result<ResponseTracker::Step> ResponseTracker::on_terminal(std::string_view p) {
  uint8_t h = uint8_t(p[0]);
  if (h == 0xFF) return finish_err(p);
  if (!deprecate_eof()) {
    auto eof = decode_eof(p);
    if (!eof) return fail(eof.error());
    summary_.status_flags = eof->status_flags;
    summary_.has_status = true;
    if (eof->status_flags & status::kMoreResultsExist) {
      state_ = State::kFirst;
      return Step::kMore;
    }
    state_ = State::kDone;
    return Step::kDone;
  }
  return finish_ok(p);
}

Result<ResponseTracker::Step> ResponseTracker::on_frame(std::string_view p) {
  if (state_ == State::kDone) return fail(Errc::kUnexpectedPacket);
  // A frame following a full 16 MiB frame is a continuation of the same logical packet.
  if (continuation_) {
    continuation_ = p.size() == kMaxFramePayload;
    return Step::kMore;
  }
  continuation_ = p.size() == kMaxFramePayload;
  if (p.empty()) return fail(Errc::kMalformedPacket);
  uint8_t h = uint8_t(p[0]);
  switch (state_) {
    case State::kFirst:
      return on_first(p);
    case State::kColumnDefs:
      if (--remaining_ == 0) {
        state_ = deprecate_eof() ? State::kRows : State::kColumnsEof;
      }
      return Step::kMore;
    case State::kColumnsEof: {
      if (h == 0xFF) return finish_err(p);
      auto eof = decode_eof(p);
      if (!eof) return fail(eof.error());
      // A cursor opened by COM_STMT_EXECUTE: rows come later through COM_STMT_FETCH.
      if (binary_rows_ && (eof->status_flags & status::kCursorExists)) {
        summary_.status_flags = eof->status_flags;
        summary_.has_status = true;
        state_ = State::kDone;
        return Step::kDone;
      }
      state_ = State::kRows;
      return Step::kMore;
    }
    case State::kRows:
      if (h == 0xFF) return finish_err(p);
      if (h == 0xFE && p.size() < 0xFFFFFF && (p.size() < 9 || deprecate_eof())) {
        // A text row whose first value is a >= 2^24 lenenc string also starts with 0xFE, but
        // such a row is at least 2^24 bytes long; a binary row always starts with 0x00.
        return on_terminal(p);
      }
      summary_.rows++;
      return Step::kMore;
    case State::kPrepareParams:
      if (--remaining_ == 0) {
        if (deprecate_eof()) return after_prepare_params();
        state_ = State::kPrepareParamsEof;
      }
      return Step::kMore;
    case State::kPrepareParamsEof:
      return after_prepare_params();
    case State::kPrepareColumns:
      if (--remaining_ == 0) {
        if (deprecate_eof()) {
          state_ = State::kDone;
          return Step::kDone;
        }
        state_ = State::kPrepareColumnsEof;
      }
      return Step::kMore;
    case State::kPrepareColumnsEof:
      state_ = State::kDone;
      return Step::kDone;
    case State::kFieldList:
      if (h == 0xFF) return finish_err(p);
      if (h == 0xFE && p.size() < 9) return on_terminal(p);
      return Step::kMore;
    case State::kSingle:
      state_ = State::kDone;
      return Step::kDone;
    case State::kOkOrErr:
      if (h == 0xFF) return finish_err(p);
      if (h == 0x00 || h == 0xFE) return finish_ok(p);
      return fail(Errc::kUnexpectedPacket);
    case State::kDone:
      break;
  }
  return fail(Errc::kUnexpectedPacket);
}

}  // namespace gh::mysql
