// SvgChart: inline SVG bar, line and stacked charts (see svg_chart.h).
#include "bench/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gh::bench::svg {
namespace {

constexpr int kLeft = 72, kRight = 24, kTop = 58, kBottom = 40;
constexpr int kLegendY = 48;  // the legend row, between the title and the plot
constexpr const char* kFont =
    "font-family=\"system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif\"";

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

// A value printed on a bar: "1,235", "42.1", "0.42".
std::string tick_label_value(double v) {
  if (v >= 100) {
    std::string digits = std::to_string(std::llround(v)), out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  return v >= 10 ? fmt::format("{:.1f}", v) : fmt::format("{:.2f}", v);
}

bool present(double v) { return !std::isnan(v) && v >= 0; }

struct YAxis {
  double lo = 0, hi = 1;
  bool log = false;
  double top = 0, bottom = 0;  // pixel rows
  double y(double v) const {
    double f;
    if (log) {
      double lv = std::log10(std::max(v, lo));
      f = (lv - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    } else {
      f = (v - lo) / (hi - lo);
    }
    f = std::clamp(f, 0.0, 1.0);
    return bottom - f * (bottom - top);
  }
  std::vector<double> ticks() const { return log ? log_ticks(lo, hi) : linear_ticks(lo, hi); }
};

YAxis make_axis(double min_v, double max_v, bool log, double top, double bottom) {
  YAxis a;
  a.log = log;
  a.top = top;
  a.bottom = bottom;
  if (log) {
    if (min_v <= 0 || !std::isfinite(min_v)) min_v = max_v > 0 ? max_v / 10 : 0.1;
    if (max_v <= 0) max_v = 1;
    a.lo = std::pow(10.0, std::floor(std::log10(min_v)));
    a.hi = std::pow(10.0, std::ceil(std::log10(max_v * 1.05)));
    if (a.hi <= a.lo) a.hi = a.lo * 10;
  } else {
    a.lo = 0;
    auto t = linear_ticks(0, max_v > 0 ? max_v * 1.12 : 1);
    a.hi = t.empty() ? 1 : t.back();
  }
  return a;
}

void header(std::string& out, const std::string& id, const std::string& title, int w, int h) {
  put(out,
      "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
      "width=\"100%\" role=\"img\" aria-label=\"{}\" {}>\n<title>{}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{}\" y=\"24\" font-size=\"16\" font-weight=\"600\" fill=\"#1f2937\">{}</text>\n",
      id, w, h, escape(title), kFont, escape(title), w, h, kLeft, escape(title));
}

void y_grid(std::string& out, const YAxis& a, int x0, int x1, const std::string& label) {
  for (double t : a.ticks()) {
    double y = a.y(t);
    put(out,
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e5e7eb\"/>\n"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\" "
        "fill=\"#4b5563\">{}</text>\n",
        x0, y, x1, y, x0 - 6, y + 4, tick_label(t));
  }
  put(out,
      "<text transform=\"translate(16,{:.0f}) rotate(-90)\" font-size=\"12\" "
      "text-anchor=\"middle\" "
      "fill=\"#374151\">{}{}</text>\n",
      (a.top + a.bottom) / 2, escape(label), a.log ? " (log scale)" : "");
  put(out, "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#9ca3af\"/>\n", x0,
      a.bottom, x1, a.bottom);
}

// Legend in one row under the title, left-aligned with the plot.
void legend(std::string& out, const std::vector<std::pair<std::string, std::string>>& items, int x0,
            int y) {
  double x = x0;
  for (const auto& [name, color] : items) {
    put(out,
        "<rect x=\"{:.0f}\" y=\"{}\" width=\"14\" height=\"10\" rx=\"2\" fill=\"{}\"/>"
        "<text x=\"{:.0f}\" y=\"{}\" font-size=\"12\" fill=\"#374151\">{}</text>\n",
        x, y - 9, color, x + 19, y, escape(name));
    x += 19 + double(name.size()) * 7.0 + 18;
  }
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> linear_ticks(double lo, double hi, int target) {
  std::vector<double> out;
  if (!(hi > lo)) return {lo};
  double raw = (hi - lo) / std::max(1, target);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  double start = std::floor(lo / step) * step;
  for (double v = start; v <= hi + step * 0.999; v += step) out.push_back(v);
  return out;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> out;
  int decades = int(std::lround(std::log10(hi / lo)));
  for (double d = lo; d <= hi * 1.0001; d *= 10) {
    out.push_back(d);
    if (decades <= 3 && d * 10 <= hi * 1.0001) {
      out.push_back(d * 2);
      out.push_back(d * 5);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string tick_label(double v) {
  if (v == 0) return "0";
  double a = std::fabs(v);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:g}k", v / 1e3);
  if (a >= 1) return fmt::format("{:g}", v);
  return fmt::format("{:g}", v);
}

std::string render(const BarChart& c) {
  std::string out;
  header(out, c.id, c.title, c.width, c.height);
  double min_v = INFINITY, max_v = 0;
  for (const auto& s : c.series)
    for (double v : s.values)
      if (present(v)) {
        max_v = std::max(max_v, v);
        if (v > 0) min_v = std::min(min_v, v);
      }
  YAxis a = make_axis(min_v, max_v, c.log_y, kTop + 10, c.height - kBottom);
  int x0 = kLeft, x1 = c.width - kRight;
  y_grid(out, a, x0, x1, c.y_label);
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& s : c.series) items.emplace_back(s.name, s.color);
  if (!c.legend_items.empty())
    legend(out, c.legend_items, kLeft, kLegendY);
  else if (c.series.size() > 1)
    legend(out, items, kLeft, kLegendY);
  size_t ncat = std::max<size_t>(1, c.categories.size());
  size_t nser = std::max<size_t>(1, c.series.size());
  double group = double(x1 - x0) / double(ncat);
  double bar = std::min(56.0, group * 0.8 / double(nser));
  double font = bar >= 34 ? 11 : (bar >= 22 ? 10 : 9);
  for (size_t k = 0; k < c.categories.size(); ++k) {
    double gx = x0 + group * double(k);
    double start = gx + (group - bar * double(nser)) / 2;
    for (size_t s = 0; s < c.series.size(); ++s) {
      if (k >= c.series[s].values.size()) continue;
      double v = c.series[s].values[k];
      if (!present(v)) continue;
      double y = a.y(v);
      double bx = start + bar * double(s);
      put(out,
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
          "<title>{} — {}: {}{}</title></rect>\n",
          bx + 1, y, bar - 2, std::max(0.0, a.bottom - y),
          k < c.category_colors.size() && c.series.size() == 1 ? c.category_colors[k]
                                                               : c.series[s].color,
          escape(c.categories[k]), escape(c.series[s].name), tick_label_value(v), c.value_suffix);
      put(out,
          "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"middle\" "
          "fill=\"#111827\">{}</text>\n",
          bx + bar / 2, y - 4, font, tick_label_value(v));
    }
    put(out,
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f2937\">{}"
        "</text>\n",
        gx + group / 2, c.height - kBottom + 18, escape(c.categories[k]));
  }
  out += "</svg>\n";
  return out;
}

std::string render(const LineChart& c) {
  std::string out;
  header(out, c.id, c.title, c.width, c.height);
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = 0;
  for (const auto& s : c.series)
    for (auto [x, y] : s.points) {
      if (std::isnan(y)) continue;
      xmin = std::min(xmin, x);
      xmax = std::max(xmax, x);
      if (y > 0) {
        ymin = std::min(ymin, y);
        ymax = std::max(ymax, y);
      }
    }
  if (!std::isfinite(xmin)) xmin = 0, xmax = 1;
  xmin = std::min(xmin, 0.0);
  if (xmax <= xmin) xmax = xmin + 1;
  YAxis a = make_axis(ymin, ymax, c.log_y, kTop + 10, c.height - kBottom - 14);
  int x0 = kLeft, x1 = c.width - kRight;
  auto px = [&](double x) { return x0 + (x - xmin) / (xmax - xmin) * double(x1 - x0); };
  y_grid(out, a, x0, x1, c.y_label);
  for (double t : linear_ticks(xmin, xmax, 8)) {
    if (t > xmax * 1.0001) continue;
    put(out,
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" "
        "fill=\"#4b5563\">{}</text>\n",
        px(t), a.bottom + 16, tick_label(t));
  }
  put(out,
      "<text x=\"{:.0f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#374151\">{}"
      "</text>\n",
      (x0 + x1) / 2.0, c.height - 14, escape(c.x_label));
  for (size_t i = 0; i < c.markers.size(); ++i) {
    const Marker& m = c.markers[i];
    double x = px(m.x);
    bool near_right = x > x1 - 7.0 * double(m.label.size()) - 8;
    put(out,
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#9ca3af\" "
        "stroke-dasharray=\"3,3\"/>\n<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" "
        "text-anchor=\"{}\" fill=\"#6b7280\">{}</text>\n",
        x, a.top - 6, x, a.bottom, near_right ? x - 4 : x + 4, a.top + 4 + 13.0 * double(i % 2),
        near_right ? "end" : "start", escape(m.label));
  }
  for (const auto& s : c.series) {
    std::string d;
    bool pen_up = true;
    for (auto [x, y] : s.points) {
      if (std::isnan(y) || (c.log_y && y <= 0)) {  // NaN: a gap (between phases)
        pen_up = true;
        continue;
      }
      put(d, "{}{:.1f},{:.1f} ", pen_up ? "M" : "L", px(x), a.y(y));
      pen_up = false;
    }
    put(out,
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"{}><title>{}</title>"
        "</path>\n",
        d, s.color, s.dashed ? " stroke-dasharray=\"5,3\"" : "", escape(s.name));
  }
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& s : c.series) items.emplace_back(s.name, s.color);
  legend(out, items, kLeft, kLegendY);
  out += "</svg>\n";
  return out;
}

std::string render(const StackChart& c) {
  std::string out;
  const int row_h = 26, gap = 12, label_w = 230;
  int height = kTop + int(c.rows.size()) * (row_h + gap) + 8;
  header(out, c.id, c.title, c.width, height);
  legend(out, c.colors, label_w, kLegendY);
  int x0 = label_w, x1 = c.width - kRight;
  double y = kTop;
  for (const auto& row : c.rows) {
    double total = 0;
    for (const auto& seg : row.segments) total += std::max(0.0, seg.second);
    put(out,
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1f2937\">{}"
        "</text>\n",
        x0 - 8, y + row_h / 2.0 + 4, escape(row.label));
    if (total <= 0) {
      put(out,
          "<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"#f3f4f6\"/>"
          "<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" fill=\"#6b7280\">no data</text>\n",
          x0, y, x1 - x0, row_h, x0 + 8, y + row_h / 2.0 + 4);
      y += row_h + gap;
      continue;
    }
    double x = x0;
    for (const auto& [name, value] : row.segments) {
      if (value <= 0) continue;
      std::string color = "#9ca3af";
      for (const auto& [n, col] : c.colors)
        if (n == name) color = col;
      double w = value / total * double(x1 - x0);
      put(out,
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\">"
          "<title>{}: {:g} ({:.1f}%)</title></rect>\n",
          x, y, w, row_h, color, escape(name), value, 100 * value / total);
      if (w > 44)
        put(out,
            "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" "
            "fill=\"#ffffff\">{:.0f}%</text>\n",
            x + w / 2, y + row_h / 2.0 + 4, 100 * value / total);
      x += w;
    }
    y += row_h + gap;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace gh::bench::svg
