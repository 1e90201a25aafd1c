#include "layout/linebreak.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace galley::layout {

item make_box(double w, int ref) {
  item i;
  i.type = item_type::box;
  i.width = w;
  i.ref = ref;
  return i;
}
item make_glue(double w, double stretch, double shrink, int ref) {
  item i;
  i.type = item_type::glue;
  i.width = w;
  i.stretch = stretch;
  i.shrink = shrink;
  i.ref = ref;
  return i;
}
item make_penalty(double w, int p, bool flagged, int ref) {
  item i;
  i.type = item_type::penalty;
  i.width = w;
  i.penalty = p;
  i.flagged = flagged;
  i.ref = ref;
  return i;
}

double badness(double ratio) {
  if (!std::isfinite(ratio)) return 10000;
  double b = 100 * std::fabs(ratio) * ratio * ratio;
  return std::min(b, 10000.0);
}

double adjustment_ratio(double shortfall, double stretch, double shrink, double expand) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (shortfall > 0) {
    if (shortfall <= stretch + expand) return stretch + expand > 0 ? shortfall / (stretch + expand) : inf;
    return stretch > 0 ? (shortfall - expand) / stretch : inf;
  }
  if (shortfall < 0) {
    if (-shortfall <= shrink + expand) return shortfall / (shrink + expand);
    return shrink > 0 ? (shortfall + expand) / shrink : -inf;
  }
  return 0;
}

namespace {

constexpr double awful = std::numeric_limits<double>::infinity();

struct sums {
  std::vector<double> w, y, z, x;
  explicit sums(const std::vector<item>& items)
      : w(items.size() + 1), y(items.size() + 1), z(items.size() + 1), x(items.size() + 1) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const item& it = items[i];
      bool counts = it.type != item_type::penalty;
      w[i + 1] = w[i] + (counts ? it.width : 0);
      y[i + 1] = y[i] + (it.type == item_type::glue ? it.stretch : 0);
      z[i + 1] = z[i] + (it.type == item_type::glue ? it.shrink : 0);
      x[i + 1] = x[i] + (it.type == item_type::box ? it.expand : 0);
    }
  }
};

bool legal_break(const std::vector<item>& items, std::size_t b) {
  const item& it = items[b];
  if (it.type == item_type::glue) return b > 0 && items[b - 1].type == item_type::box;
  if (it.type == item_type::penalty) return it.penalty < infinite_penalty;
  return false;
}

std::size_t line_start_after(const std::vector<item>& items, std::size_t b) {
  std::size_t s = b + 1;
  while (s < items.size()) {
    const item& it = items[s];
    if (it.type == item_type::box) break;
    if (it.type == item_type::penalty && it.penalty <= -infinite_penalty) break;
    ++s;
  }
  return s;
}

double right_protrusion(const std::vector<item>& items, std::size_t b) {
  const item& it = items[b];
  if (it.type == item_type::penalty && it.width > 0) return it.protrude_right;
  if (b > 0 && items[b - 1].type == item_type::box) return items[b - 1].protrude_right;
  return 0;
}

struct measure {
  double natural, stretch, shrink, expand;
};

measure line_measure(const std::vector<item>& items, const sums& S, std::size_t s, std::size_t b,
                     bool protrusion) {
  measure m{S.w[b] - S.w[s], S.y[b] - S.y[s], S.z[b] - S.z[s], S.x[b] - S.x[s]};
  if (items[b].type == item_type::penalty) {
    m.natural += items[b].width;
    m.expand += items[b].expand;
  }
  if (protrusion) {
    if (s < b && items[s].type == item_type::box) m.natural -= items[s].protrude_left;
    m.natural -= right_protrusion(items, b);
  }
  return m;
}

double ratio_of(const measure& m, double width, double extra_stretch) {
  return adjustment_ratio(width - m.natural, m.stretch + extra_stretch, m.shrink, m.expand);
}

int fitness_of(double r) {
  if (r < -0.5) return 0;
  if (r <= 0.5) return 1;
  if (r <= 1) return 2;
  return 3;
}

struct node {
  std::size_t pos = 0;    // break item
  std::size_t start = 0;  // first item of the next line
  int line = 0;           // lines before this break
  int fitness = 1;
  int run = 0;            // hyphenated lines in a row ending here
  bool flagged = false;
  double total = 0;
  double ratio = 0;
  int prev = -1;
};

double width_of(const std::vector<double>& widths, int line) {
  if (widths.empty()) return 0;
  return widths[std::min<std::size_t>(static_cast<std::size_t>(line), widths.size() - 1)];
}

bool run_pass(const std::vector<item>& items, const sums& S, const std::vector<double>& widths,
              const break_params& P, double tolerance, bool allow_discretionary,
              double extra_stretch, bool final_pass, break_result& out) {
  std::vector<node> pool;
  pool.reserve(items.size() / 4 + 16);
  node first;
  first.pos = static_cast<std::size_t>(-1);
  first.start = 0;
  pool.push_back(first);
  std::vector<int> active{0};
  std::vector<int> next_active;
  struct cand {
    double total = awful;
    int from = -1;
    double ratio = 0;
  };
  // The best way to reach the breakpoint, per fitness class and hyphen run;
  // reset only after a breakpoint that wrote to it.
  cand reach[4][3];
  bool any = false;
  for (std::size_t b = 0; b < items.size(); ++b) {
    if (!legal_break(items, b)) continue;
    const item& bi = items[b];
    if (!allow_discretionary && bi.discretionary) continue;
    bool forced = bi.type == item_type::penalty && bi.penalty <= -infinite_penalty;
    if (any) {
      for (auto& row : reach)
        for (auto& c : row) c = cand{};
      any = false;
    }
    next_active.clear();
    std::size_t remaining = active.size();
    for (int ai : active) {
      const node& a = pool[static_cast<std::size_t>(ai)];
      if (a.start > b) {
        next_active.push_back(ai);
        --remaining;
        continue;
      }
      measure m = line_measure(items, S, a.start, b, P.protrusion);
      double r = ratio_of(m, width_of(widths, a.line), extra_stretch + P.right_stretch);
      double bad = badness(r);
      bool deactivate = r < -1 || forced;
      bool feasible = r >= -1 && bad <= tolerance;
      bool artificial = false;
      if (deactivate) {
        if (!feasible && final_pass && !any && remaining == 1) artificial = true;
      } else {
        next_active.push_back(ai);
      }
      --remaining;
      if (!feasible && !artificial) continue;
      int run = bi.flagged ? a.run + 1 : 0;
      if (run > P.max_hyphen_run && !artificial && !final_pass) continue;
      double d;
      if (artificial) {
        d = 0;
      } else {
        double l = std::min(10000.0, P.line_penalty + bad);
        d = l * l;
        if (bi.type == item_type::penalty) {
          if (bi.penalty > 0) d += double(bi.penalty) * bi.penalty;
          else if (!forced) d -= double(bi.penalty) * bi.penalty;
        }
        if (bi.flagged && a.flagged) d += P.double_hyphen_demerits;
        if (forced && a.flagged) d += P.final_hyphen_demerits;
        if (forced && b > 0 && items[b - 1].type == item_type::glue &&
            m.stretch - items[b - 1].stretch < 1e-9 && a.start + 2 < b)
          d += P.runt_demerits;  // no word space on the last line: one word alone
        if (run > P.max_hyphen_run) d += 1e7;
      }
      int fc = fitness_of(std::isfinite(r) ? r : 10.0);
      if (!artificial && std::abs(fc - a.fitness) > 1) d += P.adj_demerits;
      double total = a.total + d;
      cand& c = reach[fc][std::min(run, 2)];
      if (total < c.total) {
        c.total = total;
        c.from = ai;
        c.ratio = r;
        any = true;
      }
    }
    active.swap(next_active);
    if (any) {
      std::size_t start = line_start_after(items, b);
      double least = awful;
      for (auto& row : reach)
        for (auto& c : row) least = std::min(least, c.total);
      for (int fc = 0; fc < 4; ++fc)
        for (int run = 0; run < 3; ++run) {
          const cand& c = reach[fc][run];
          if (c.from < 0 || c.total > least + P.adj_demerits) continue;  // as TeX prunes
          node n;
          n.pos = b;
          n.start = start;
          n.line = pool[static_cast<std::size_t>(c.from)].line + 1;
          n.fitness = fc;
          n.run = run;
          n.flagged = bi.flagged;
          n.total = c.total;
          n.ratio = c.ratio;
          n.prev = c.from;
          pool.push_back(n);
          active.push_back(static_cast<int>(pool.size()) - 1);
        }
    }
    if (active.size() > P.max_active) {
      std::vector<int> keep = active;
      std::stable_sort(keep.begin(), keep.end(), [&](int x, int y) {
        return pool[static_cast<std::size_t>(x)].total < pool[static_cast<std::size_t>(y)].total;
      });
      keep.resize(P.max_active);
      std::sort(keep.begin(), keep.end());
      active.swap(keep);
    }
    if (active.empty()) return false;
  }
  // The best node at the final break.
  int best = -1;
  for (int ai : active) {
    const node& a = pool[static_cast<std::size_t>(ai)];
    if (a.pos != items.size() - 1) continue;
    if (best < 0 || a.total < pool[static_cast<std::size_t>(best)].total) best = ai;
  }
  if (best < 0) return false;
  out.lines.clear();
  out.demerits = pool[static_cast<std::size_t>(best)].total;
  for (int n = best; pool[static_cast<std::size_t>(n)].prev >= 0; n = pool[static_cast<std::size_t>(n)].prev) {
    const node& x = pool[static_cast<std::size_t>(n)];
    const node& p = pool[static_cast<std::size_t>(x.prev)];
    line_break lb;
    lb.start = p.start;
    lb.end = x.pos;
    lb.ratio = x.ratio;
    lb.overfull = x.ratio < -1;
    lb.hyphenated = items[x.pos].flagged;
    out.lines.push_back(lb);
  }
  std::reverse(out.lines.begin(), out.lines.end());
  out.overfull = std::any_of(out.lines.begin(), out.lines.end(), [](const line_break& l) { return l.overfull; });
  return true;
}

}  // namespace

break_result knuth_plass(const std::vector<item>& items, const std::vector<double>& line_widths,
                         const break_params& params) {
  break_result out;
  if (items.empty()) return out;
  sums S(items);
  if (params.pretolerance >= 0 &&
      run_pass(items, S, line_widths, params, params.pretolerance, false, 0, false, out)) {
    out.pass = 1;
    return out;
  }
  bool last = params.emergency_stretch <= 0;
  if (run_pass(items, S, line_widths, params, params.tolerance, true, 0, false, out)) {
    out.pass = 2;
    return out;
  }
  if (!last && run_pass(items, S, line_widths, params, params.tolerance, true,
                        params.emergency_stretch, false, out)) {
    out.pass = 3;
    return out;
  }
  run_pass(items, S, line_widths, params, 10000, true, params.emergency_stretch, true, out);
  out.pass = 4;
  return out;
}

break_result first_fit(const std::vector<item>& items, const std::vector<double>& line_widths,
                       const break_params& params, bool allow_shrink) {
  break_result out;
  out.pass = 1;
  if (items.empty()) return out;
  sums S(items);
  std::size_t s = 0;
  int line = 0;
  std::size_t candidate = static_cast<std::size_t>(-1);
  double cand_ratio = 0;
  int prev_fitness = 1;
  bool prev_flagged = false;
  for (std::size_t b = 0; b < items.size(); ++b) {
    if (!legal_break(items, b) || b < s) continue;
    const item& bi = items[b];
    bool forced = bi.type == item_type::penalty && bi.penalty <= -infinite_penalty;
    measure m = line_measure(items, S, s, b, params.protrusion);
    double w = width_of(line_widths, line);
    double r = ratio_of(m, w, params.right_stretch);
    bool fits = allow_shrink ? r >= -1 : m.natural <= w + 1e-9;
    auto emit = [&](std::size_t at, double ratio) {
      line_break lb;
      lb.start = s;
      lb.end = at;
      lb.ratio = ratio;
      lb.overfull = ratio < -1 || (!allow_shrink && ratio < 0);
      const item& e = items[at];
      lb.hyphenated = e.flagged;
      // demerits as Knuth-Plass counts them, for comparison
      double l = std::min(10000.0, params.line_penalty + badness(ratio));
      double d = l * l;
      bool last = e.type == item_type::penalty && e.penalty <= -infinite_penalty;
      if (e.type == item_type::penalty && e.penalty > 0) d += double(e.penalty) * e.penalty;
      else if (e.type == item_type::penalty && !last) d -= double(e.penalty) * e.penalty;
      if (e.flagged && prev_flagged) d += params.double_hyphen_demerits;
      if (last && prev_flagged) d += params.final_hyphen_demerits;
      int fc = fitness_of(std::isfinite(ratio) ? ratio : 10.0);
      if (std::abs(fc - prev_fitness) > 1) d += params.adj_demerits;
      prev_fitness = fc;
      prev_flagged = e.flagged;
      out.demerits += d;
      out.lines.push_back(lb);
      s = line_start_after(items, at);
      ++line;
      candidate = static_cast<std::size_t>(-1);
    };
    if (fits) {
      candidate = b;
      cand_ratio = r;
      if (forced) emit(b, r);
      continue;
    }
    if (candidate != static_cast<std::size_t>(-1)) {
      std::size_t at = candidate;
      emit(at, cand_ratio);
      b = at;  // re-examine the items after the break
      continue;
    }
    emit(b, r);  // nothing fits: overfull
  }
  out.overfull = std::any_of(out.lines.begin(), out.lines.end(), [](const line_break& l) { return l.overfull; });
  return out;
}

}  // namespace galley::layout
