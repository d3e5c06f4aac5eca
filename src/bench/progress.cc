// Progress: the terminal progress line (see progress.h).
#include "bench/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace gh::bench {

Progress::Progress(bool wanted) : enabled_(wanted && isatty(STDERR_FILENO)) {}

std::string Progress::render(const ProgressInfo& info, double rate, int width) {
  double frac = 0;
  double eta = -1;
  if (info.total > 0) {
    frac = double(info.done) / double(info.total);
    if (rate > 0) eta = double(info.total - std::min(info.done, info.total)) / rate;
  } else if (info.duration_s > 0) {
    frac = info.elapsed_s / info.duration_s;
    eta = std::max(0.0, info.duration_s - info.elapsed_s);
  }
  frac = std::clamp(frac, 0.0, 1.0);
  int filled = int(frac * width + 0.5);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(width - filled), '.');
  std::string done =
      info.total ? fmt::format("{}/{}", info.done, info.total) : fmt::format("{} done", info.done);
  std::string eta_s = eta < 0 ? std::string("--") : fmt::format("{:.1f}s", eta);
  return fmt::format("  {:<18} [{}] {:>3.0f}%  {:>13}  {:>8.0f} req/s  ETA {:>6}",
                     info.phase ? *info.phase : std::string(), bar, frac * 100, done, rate, eta_s);
}

void Progress::update(const ProgressInfo& info) {
  if (!enabled_) return;
  std::string phase = info.phase ? *info.phase : std::string();
  if (phase != last_phase_) {
    if (drawn_) std::fputc('\n', stderr);
    window_.clear();
    last_phase_ = phase;
  }
  window_.emplace_back(info.elapsed_s, info.done);
  while (window_.size() > 2 && info.elapsed_s - window_.front().first > 1.0) window_.pop_front();
  double rate = 0;
  if (window_.size() >= 2) {
    double dt = window_.back().first - window_.front().first;
    if (dt > 0) rate = double(window_.back().second - window_.front().second) / dt;
  } else if (info.elapsed_s > 0) {
    rate = double(info.done) / info.elapsed_s;
  }
  std::string line = render(info, rate, 30);
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputc('\n', stderr);
  std::fflush(stderr);
  drawn_ = false;
  last_phase_.clear();
}

}  // namespace gh::bench
