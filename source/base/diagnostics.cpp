#include "base/diagnostics.hpp"

#include <algorithm>

namespace galley {

std::string_view to_string(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "info";
  }
  return "error";
}

std::string format(const diagnostic& d) {
  std::string out = d.file.empty() ? std::string("galley") : d.file;
  if (d.pos.line > 0) {
    out += ':' + std::to_string(d.pos.line);
    if (d.pos.col > 0) out += ':' + std::to_string(d.pos.col);
  }
  out += ": ";
  out += to_string(d.severity);
  out += ": ";
  out += d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  for (const auto& n : d.notes) out += "\n  note: " + n;
  return out;
}

diagnostic& diagnostics::add(galley::severity s, source_pos pos, std::string code,
                             std::string message) {
  // Errors are always kept; a flood of one warning (an overfull line per
  // character of a hopeless column) is cut short.
  if (s != severity::error) {
    auto it = std::find_if(per_code_.begin(), per_code_.end(), [&](const auto& p) { return p.first == code; });
    if (it == per_code_.end()) it = per_code_.insert(per_code_.end(), {code, 0});
    if (++it->second > per_code_limit) {
      if (it->second == per_code_limit + 1)
        list_.push_back(diagnostic{severity::info, file_, pos,
                                   "further '" + code + "' diagnostics are left out", code, {}});
      dropped_ = diagnostic{s, file_, pos, std::move(message), std::move(code), {}};
      return dropped_;
    }
  }
  list_.push_back(diagnostic{s, file_, pos, std::move(message), std::move(code), {}});
  return list_.back();
}

void diagnostics::attribute(std::size_t first, const std::string& file) {
  if (file.empty()) return;
  for (std::size_t i = first; i < list_.size(); ++i)
    if (list_[i].pos.line > 0) list_[i].file = file;
}

std::size_t diagnostics::count(galley::severity s) const {
  return static_cast<std::size_t>(
      std::count_if(list_.begin(), list_.end(), [s](const diagnostic& d) { return d.severity == s; }));
}

bool diagnostics::has_code(std::string_view code) const {
  return std::any_of(list_.begin(), list_.end(), [code](const diagnostic& d) { return d.code == code; });
}

void diagnostics::sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const diagnostic& a, const diagnostic& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.col < b.pos.col;
  });
}

std::string diagnostics::to_text(galley::severity at_least) const {
  std::string out;
  for (const auto& d : list_) {
    if (static_cast<int>(d.severity) > static_cast<int>(at_least)) continue;
    out += format(d);
    out += '\n';
  }
  return out;
}

void fail(galley::exit_code code, std::string file, std::string code_name, std::string message,
          source_pos pos) {
  throw error(code, diagnostic{severity::error, std::move(file), pos, std::move(message),
                               std::move(code_name), {}});
}

}  // namespace galley
