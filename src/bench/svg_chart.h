// SvgChart: the few chart kinds the HTML report draws, as inline SVG text (no scripts, no
// external resources): grouped vertical bars, lines over a numeric x axis, and 100 % stacked
// horizontal bars. Each chart is an <svg> with a stable id, a <title> and a legend; values are
// printed on bars so the numbers can be read, not just seen. Optional log scale on y.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gh::bench::svg {

struct Series {
  std::string name;
  std::string color;
  std::vector<double> values;  // bar charts: one per category (NaN or < 0: missing)
};

struct BarChart {
  std::string id, title, y_label;
  std::vector<std::string> categories;
  std::vector<Series> series;
  bool log_y = false;
  std::string value_suffix;  // printed after each bar's value ("" / " ms")
  // With one series: a color per category (overrides the series color), and legend entries.
  std::vector<std::string> category_colors;
  std::vector<std::pair<std::string, std::string>> legend_items;
  int width = 960, height = 360;
};

struct LineSeries {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (x, y); y <= 0 is skipped on a log axis
  bool dashed = false;
};

struct Marker {
  double x = 0;
  std::string label;
};

struct LineChart {
  std::string id, title, x_label, y_label;
  std::vector<LineSeries> series;
  std::vector<Marker> markers;  // vertical lines (phase starts)
  bool log_y = false;
  int width = 960, height = 360;
};

struct StackRow {
  std::string label;
  std::vector<std::pair<std::string, double>> segments;  // (name, value); shares are computed
};

struct StackChart {
  std::string id, title;
  std::vector<StackRow> rows;
  std::vector<std::pair<std::string, std::string>> colors;  // segment name -> color (legend order)
  int width = 960;
};

std::string render(const BarChart& c);
std::string render(const LineChart& c);
std::string render(const StackChart& c);

std::string escape(std::string_view text);  // for XML/HTML text and attributes
// "Nice" axis ticks covering [lo, hi] (linear), or powers of ten with 2 and 5 (log).
std::vector<double> linear_ticks(double lo, double hi, int target = 5);
std::vector<double> log_ticks(double lo, double hi);
std::string tick_label(double v);

}  // namespace gh::bench::svg
