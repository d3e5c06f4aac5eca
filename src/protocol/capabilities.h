// Capability flags, status flags, command bytes and column types of the MySQL protocol, and
// the capability set gatehouse offers and asks for. Shared by the client and server sides.
#pragma once

#include <cstdint>

namespace gh::mysql {

namespace cap {
inline constexpr uint32_t kLongPassword = 1u << 0;
inline constexpr uint32_t kFoundRows = 1u << 1;
inline constexpr uint32_t kLongFlag = 1u << 2;
inline constexpr uint32_t kConnectWithDb = 1u << 3;
inline constexpr uint32_t kNoSchema = 1u << 4;
inline constexpr uint32_t kCompress = 1u << 5;
inline constexpr uint32_t kOdbc = 1u << 6;
inline constexpr uint32_t kLocalFiles = 1u << 7;
inline constexpr uint32_t kIgnoreSpace = 1u << 8;
inline constexpr uint32_t kProtocol41 = 1u << 9;
inline constexpr uint32_t kInteractive = 1u << 10;
inline constexpr uint32_t kSsl = 1u << 11;
inline constexpr uint32_t kIgnoreSigpipe = 1u << 12;
inline constexpr uint32_t kTransactions = 1u << 13;
inline constexpr uint32_t kReserved = 1u << 14;
inline constexpr uint32_t kSecureConnection = 1u << 15;
inline constexpr uint32_t kMultiStatements = 1u << 16;
inline constexpr uint32_t kMultiResults = 1u << 17;
inline constexpr uint32_t kPsMultiResults = 1u << 18;
inline constexpr uint32_t kPluginAuth = 1u << 19;
inline constexpr uint32_t kConnectAttrs = 1u << 20;
inline constexpr uint32_t kPluginAuthLenencData = 1u << 21;
inline constexpr uint32_t kCanHandleExpiredPasswords = 1u << 22;
inline constexpr uint32_t kSessionTrack = 1u << 23;
inline constexpr uint32_t kDeprecateEof = 1u << 24;
inline constexpr uint32_t kOptionalResultsetMetadata = 1u << 25;
inline constexpr uint32_t kQueryAttributes = 1u << 27;
inline constexpr uint32_t kSslVerifyServerCert = 1u << 30;
inline constexpr uint32_t kRememberOptions = 1u << 31;

// What gatehouse can speak on either side. Compression, query attributes and optional
// metadata are not offered; MariaDB's extended capabilities are never negotiated.
inline constexpr uint32_t kSupported =
    kLongPassword | kFoundRows | kLongFlag | kConnectWithDb | kLocalFiles | kIgnoreSpace |
    kProtocol41 | kInteractive | kIgnoreSigpipe | kTransactions | kReserved | kSecureConnection |
    kMultiStatements | kMultiResults | kPsMultiResults | kPluginAuth | kConnectAttrs |
    kPluginAuthLenencData | kSessionTrack | kDeprecateEof;

// What gatehouse's own clients ask for (then masked by what the server offers).
inline constexpr uint32_t kClientDefault = kLongPassword | kLongFlag | kProtocol41 | kTransactions |
                                           kSecureConnection | kMultiResults | kPsMultiResults |
                                           kPluginAuth | kPluginAuthLenencData | kDeprecateEof;

// Flags that change how statements parse or how responses are framed or what they mean: a
// backend connection can serve a client session only when these agree (see proxy pools).
inline constexpr uint32_t kResponseShaping = kFoundRows | kIgnoreSpace | kMultiStatements |
                                             kMultiResults | kPsMultiResults | kSessionTrack |
                                             kDeprecateEof | kLocalFiles;
}  // namespace cap

// MariaDB's extended capabilities: 4 more bytes in the greeting and the handshake response,
// read only when CLIENT_MYSQL (bit 0, kLongPassword) is off on both sides.
namespace mariadb_cap {
inline constexpr uint32_t kProgress = 1u << 0;
inline constexpr uint32_t kComMulti = 1u << 1;
inline constexpr uint32_t kStmtBulkOperations = 1u << 2;
inline constexpr uint32_t kExtendedMetadata = 1u << 3;
// Result sets start with a "metadata follows" byte after the column count; the server skips
// a prepared statement's column definitions when they did not change since it last sent them.
inline constexpr uint32_t kCacheMetadata = 1u << 4;
}  // namespace mariadb_cap

namespace status {
inline constexpr uint16_t kInTrans = 0x0001;
inline constexpr uint16_t kAutocommit = 0x0002;
inline constexpr uint16_t kMoreResultsExist = 0x0008;
inline constexpr uint16_t kNoGoodIndexUsed = 0x0010;
inline constexpr uint16_t kNoIndexUsed = 0x0020;
inline constexpr uint16_t kCursorExists = 0x0040;
inline constexpr uint16_t kLastRowSent = 0x0080;
inline constexpr uint16_t kDbDropped = 0x0100;
inline constexpr uint16_t kNoBackslashEscapes = 0x0200;
inline constexpr uint16_t kMetadataChanged = 0x0400;
inline constexpr uint16_t kQueryWasSlow = 0x0800;
inline constexpr uint16_t kPsOutParams = 0x1000;
inline constexpr uint16_t kInTransReadonly = 0x2000;
inline constexpr uint16_t kSessionStateChanged = 0x4000;
}  // namespace status

enum class Command : uint8_t {
  kSleep = 0x00,
  kQuit = 0x01,
  kInitDb = 0x02,
  kQuery = 0x03,
  kFieldList = 0x04,
  kCreateDb = 0x05,
  kDropDb = 0x06,
  kRefresh = 0x07,
  kShutdown = 0x08,
  kStatistics = 0x09,
  kProcessInfo = 0x0a,
  kConnect = 0x0b,
  kProcessKill = 0x0c,
  kDebug = 0x0d,
  kPing = 0x0e,
  kChangeUser = 0x11,
  kBinlogDump = 0x12,
  kStmtPrepare = 0x16,
  kStmtExecute = 0x17,
  kStmtSendLongData = 0x18,
  kStmtClose = 0x19,
  kStmtReset = 0x1a,
  kSetOption = 0x1b,
  kStmtFetch = 0x1c,
  kResetConnection = 0x1f,
};

enum class FieldType : uint8_t {
  kDecimal = 0x00,
  kTiny = 0x01,
  kShort = 0x02,
  kLong = 0x03,
  kFloat = 0x04,
  kDouble = 0x05,
  kNull = 0x06,
  kTimestamp = 0x07,
  kLongLong = 0x08,
  kInt24 = 0x09,
  kDate = 0x0a,
  kTime = 0x0b,
  kDateTime = 0x0c,
  kYear = 0x0d,
  kNewDate = 0x0e,
  kVarchar = 0x0f,
  kBit = 0x10,
  kTimestamp2 = 0x11,
  kDateTime2 = 0x12,
  kTime2 = 0x13,
  kJson = 0xf5,
  kNewDecimal = 0xf6,
  kEnum = 0xf7,
  kSet = 0xf8,
  kTinyBlob = 0xf9,
  kMediumBlob = 0xfa,
  kLongBlob = 0xfb,
  kBlob = 0xfc,
  kVarString = 0xfd,
  kString = 0xfe,
  kGeometry = 0xff,
};

namespace column_flag {
inline constexpr uint16_t kNotNull = 1;
inline constexpr uint16_t kPrimaryKey = 2;
inline constexpr uint16_t kUniqueKey = 4;
inline constexpr uint16_t kMultipleKey = 8;
inline constexpr uint16_t kBlob = 16;
inline constexpr uint16_t kUnsigned = 32;
inline constexpr uint16_t kZerofill = 64;
inline constexpr uint16_t kBinary = 128;
inline constexpr uint16_t kEnum = 256;
inline constexpr uint16_t kAutoIncrement = 512;
inline constexpr uint16_t kTimestamp = 1024;
inline constexpr uint16_t kSet = 2048;
inline constexpr uint16_t kNum = 32768;
}  // namespace column_flag

// Collation 63 marks binary data; utf8mb4_general_ci (45) is what gatehouse announces.
inline constexpr uint8_t kBinaryCollation = 63;
inline constexpr uint8_t kDefaultCollation = 45;

}  // namespace gh::mysql
