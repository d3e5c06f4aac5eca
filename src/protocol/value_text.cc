// Binary <-> text value conversions: implementation (see value_text.h).
#include "protocol/value_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace gh::mysql {
namespace {

// A decimal significand ("12345", no leading/trailing zeros except "0") and the position of the
// decimal point relative to its first digit: value = 0.<digits> * 10^decpt (dtoa's convention).
struct Decimal {
  bool negative = false;
  std::string digits;
  int decpt = 0;
};

// Parses to_chars' scientific output ("-1.2345e+17") into a Decimal, dropping trailing zeros.
Decimal from_scientific(std::string_view s) {
  Decimal d;
  if (!s.empty() && s[0] == '-') {
    d.negative = true;
    s.remove_prefix(1);
  }
  size_t e = s.find('e');
  for (char c : s.substr(0, e))
    if (c != '.') d.digits.push_back(c);
  int exp = 0;
  std::string_view es = s.substr(e + 1);
  if (!es.empty() && es[0] == '+') es.remove_prefix(1);
  std::from_chars(es.data(), es.data() + es.size(), exp);
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  d.decpt = d.digits == "0" ? 1 : exp + 1;
  return d;
}

// my_gcvt's layout for a wide field: plain notation unless the decimal point is far away.
std::string gcvt_layout(const Decimal& d) {
  constexpr int kMaxDecptForF = 15;  // DBL_DIG
  const int len = int(d.digits.size());
  std::string out = d.negative ? "-" : "";
  if (d.decpt >= -kMaxDecptForF + 1 && (d.decpt <= kMaxDecptForF || len > d.decpt)) {
    if (d.decpt <= 0) {
      out += "0.";
      out.append(size_t(-d.decpt), '0');
      out += d.digits;
    } else if (d.decpt < len) {
      out.append(d.digits, 0, size_t(d.decpt));
      out += '.';
      out.append(d.digits, size_t(d.decpt));
    } else {
      out += d.digits;
      out.append(size_t(d.decpt - len), '0');
    }
    return out;
  }
  out += d.digits[0];
  if (len > 1) {
    out += '.';
    out.append(d.digits, 1);
  }
  out += 'e';
  out += std::to_string(d.decpt - 1);
  return out;
}

std::string non_finite(double v) {
  if (std::isnan(v)) return "nan";
  return v < 0 ? "-inf" : "inf";
}

std::string fixed(double v, uint8_t decimals) {
  char buf[400];  // DBL_MAX has 309 integer digits; decimals < 31
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, int(decimals));
  return std::string(buf, res.ptr);
}

std::string integer_text(std::string digits, const ColumnDefinition& c) {
  if ((c.flags & column_flag::kZerofill) && digits.size() < c.column_length &&
      c.column_length <= 255)
    digits.insert(0, c.column_length - digits.size(), '0');
  return digits;
}

std::string two(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u", v);
  return buf;
}

// ".ffffff" cut to the column's decimals; all six digits when the column has none (or
// "not fixed") but the value has a fraction.
std::string fraction(uint32_t microsecond, uint8_t decimals) {
  unsigned digits = decimals >= 1 && decimals <= 6 ? decimals : microsecond ? 6 : 0;
  if (digits == 0) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%06u", unsigned(microsecond % 1000000));
  return std::string(buf, 1 + digits);
}

std::string time_text(const MysqlTime& t, const ColumnDefinition& c) {
  char buf[64];
  auto at = [&](FieldType type) { return c.type == type; };
  if (at(FieldType::kTime)) {
    uint64_t hours = uint64_t(t.days) * 24 + t.hour;
    std::snprintf(buf, sizeof buf, "%s%02llu:%02u:%02u", t.negative ? "-" : "",
                  static_cast<unsigned long long>(hours), unsigned(t.minute), unsigned(t.second));
    std::string out = buf;
    out += fraction(t.microsecond, c.decimals);
    return out;
  }
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", unsigned(t.year), unsigned(t.month),
                unsigned(t.day));
  if (at(FieldType::kDate) || at(FieldType::kNewDate)) return buf;
  std::string out = buf;
  out += ' ';
  out += two(t.hour);
  out += ':';
  out += two(t.minute);
  out += ':';
  out += two(t.second);
  out += fraction(t.microsecond, c.decimals);
  return out;
}

// Parses exactly `n` digits (n <= 9) at the front of s.
bool take_digits(std::string_view& s, size_t n, uint32_t& out) {
  if (s.size() < n) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + uint32_t(s[i] - '0');
  }
  s.remove_prefix(n);
  return true;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// "HH:MM:SS[.f{1,6}]" after the hours; fills minute, second, microsecond.
bool take_clock_tail(std::string_view& s, MysqlTime& t) {
  uint32_t minute = 0, second = 0;
  if (!take_char(s, ':') || !take_digits(s, 2, minute) || !take_char(s, ':') ||
      !take_digits(s, 2, second) || minute > 59 || second > 59)
    return false;
  t.minute = uint8_t(minute);
  t.second = uint8_t(second);
  if (take_char(s, '.')) {
    size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    uint32_t frac = 0;
    if (n == 0 || n > 6 || !take_digits(s, n, frac)) return false;
    for (size_t i = n; i < 6; ++i) frac *= 10;
    t.microsecond = frac;
  }
  return true;
}

template <class T>
Result<T> parse_number(std::string_view s) {
  T v{};
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return fail(Errc::kMalformedPacket);
  return v;
}

// An integer cell of `width` bytes, signed or unsigned.
Result<BinaryValue> parse_integer(std::string_view s, size_t width, bool is_unsigned) {
  unsigned bits = unsigned(8 * width);
  if (is_unsigned) {
    GH_TRY(u, parse_number<uint64_t>(s));
    if (bits < 64 && u >= (uint64_t(1) << bits)) return fail(Errc::kMalformedPacket);
    return BinaryValue(u);
  }
  GH_TRY(i, parse_number<int64_t>(s));
  if (bits < 64 && (i < -(int64_t(1) << (bits - 1)) || i >= (int64_t(1) << (bits - 1))))
    return fail(Errc::kMalformedPacket);
  return BinaryValue(i);
}

}  // namespace

std::string format_double(double v, uint8_t decimals) {
  if (!std::isfinite(v)) return non_finite(v);
  if (decimals < kNotFixedDecimals) return fixed(v, decimals);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  return gcvt_layout(from_scientific(std::string_view(buf, size_t(res.ptr - buf))));
}

std::string format_float(float v, uint8_t decimals) {
  if (!std::isfinite(v)) return non_finite(v);
  if (decimals < kNotFixedDecimals) return fixed(double(v), decimals);
  char buf[64];  // 6 significant digits (FLT_DIG), like dtoa mode 4 in my_gcvt
  auto res = std::to_chars(buf, buf + sizeof buf, double(v), std::chars_format::scientific, 5);
  return gcvt_layout(from_scientific(std::string_view(buf, size_t(res.ptr - buf))));
}

std::string to_text(const BinaryValue& v, const ColumnDefinition& c) {
  struct Render {
    const ColumnDefinition& c;
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(int64_t i) const {
      if (i >= 0) return integer_text(std::to_string(i), c);
      std::string out(1, '-');
      out += std::to_string(0 - uint64_t(i));  // ZEROFILL columns are UNSIGNED: no padding
      return out;
    }
    std::string operator()(uint64_t u) const { return integer_text(std::to_string(u), c); }
    std::string operator()(float f) const { return format_float(f, c.decimals); }
    std::string operator()(double d) const { return format_double(d, c.decimals); }
    std::string operator()(std::string_view s) const { return std::string(s); }
    std::string operator()(const MysqlTime& t) const { return time_text(t, c); }
  };
  return std::visit(Render{c}, v);
}

Result<MysqlTime> parse_datetime(std::string_view s) {
  MysqlTime t;
  uint32_t year = 0, month = 0, day = 0;
  if (!take_digits(s, 4, year) || !take_char(s, '-') || !take_digits(s, 2, month) ||
      !take_char(s, '-') || !take_digits(s, 2, day) || month > 12 || day > 31)
    return fail(Errc::kMalformedPacket);
  t.year = uint16_t(year);
  t.month = uint8_t(month);
  t.day = uint8_t(day);
  if (s.empty()) return t;
  uint32_t hour = 0;
  if (!take_char(s, ' ') || !take_digits(s, 2, hour) || hour > 23 || !take_clock_tail(s, t) ||
      !s.empty())
    return fail(Errc::kMalformedPacket);
  t.hour = uint8_t(hour);
  return t;
}

Result<MysqlTime> parse_time(std::string_view s) {
  MysqlTime t;
  t.negative = take_char(s, '-');
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  uint32_t hours = 0;
  if (n < 2 || n > 9 || !take_digits(s, n, hours) || !take_clock_tail(s, t) || !s.empty())
    return fail(Errc::kMalformedPacket);
  t.days = hours / 24;
  t.hour = uint8_t(hours % 24);
  return t;
}

Result<BinaryValue> from_text(std::optional<std::string_view> text, const ColumnDefinition& c) {
  if (!text) return BinaryValue();
  std::string_view s = *text;
  switch (binary_layout(c.type)) {
    case BinaryLayout::kNone:
      return fail(Errc::kMalformedPacket);
    case BinaryLayout::kInt8:
      return parse_integer(s, 1, c.is_unsigned());
    case BinaryLayout::kInt16:
      return parse_integer(s, 2, c.is_unsigned());
    case BinaryLayout::kInt32:
      return parse_integer(s, 4, c.is_unsigned());
    case BinaryLayout::kInt64:
      return parse_integer(s, 8, c.is_unsigned());
    case BinaryLayout::kFloat: {
      GH_TRY(f, parse_number<float>(s));
      return BinaryValue(f);
    }
    case BinaryLayout::kDouble: {
      GH_TRY(d, parse_number<double>(s));
      return BinaryValue(d);
    }
    case BinaryLayout::kDate: {
      GH_TRY(t, parse_datetime(s));
      return BinaryValue(t);
    }
    case BinaryLayout::kTime: {
      GH_TRY(t, parse_time(s));
      return BinaryValue(t);
    }
    case BinaryLayout::kBytes:
      break;
  }
  return BinaryValue(s);
}

}  // namespace gh::mysql
