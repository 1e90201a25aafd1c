#include "style/print_style.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "base/output.hpp"

namespace galley::style {

std::string_view to_string(paper p) {
  switch (p) {
    case paper::a4: return "a4";
    case paper::letter: return "letter";
    case paper::a5: return "a5";
    case paper::trade_6x9: return "6x9";
  }
  return "a5";
}
std::string_view to_string(justification j) {
  return j == justification::justify ? "justify" : "ragged";
}
std::string_view to_string(label_mode l) {
  switch (l) {
    case label_mode::document: return "document";
    case label_mode::qa: return "qa";
    case label_mode::names: return "names";
    case label_mode::initials: return "initials";
  }
  return "document";
}
std::string_view to_string(weight w) {
  switch (w) {
    case weight::regular: return "regular";
    case weight::bold: return "bold";
    case weight::italic: return "italic";
    case weight::bold_italic: return "bold-italic";
  }
  return "regular";
}

std::string_view to_string(expansion e) {
  switch (e) {
    case expansion::off: return "off";
    case expansion::emergency: return "emergency";
    case expansion::on: return "on";
  }
  return "off";
}

double print_style::page_width() const {
  switch (paper) {
    case paper::a4: return mm(210);
    case paper::letter: return 612;
    case paper::a5: return mm(148);
    case paper::trade_6x9: return 432;
  }
  return mm(148);
}
double print_style::page_height() const {
  switch (paper) {
    case paper::a4: return mm(297);
    case paper::letter: return 792;
    case paper::a5: return mm(210);
    case paper::trade_6x9: return 648;
  }
  return mm(210);
}
double print_style::bleed_pt() const {
  if (bleed >= 0) return mm(bleed);
  return paper == paper::trade_6x9 ? 9.0 : 0.0;  // 0.125 in
}

namespace {

source_pos pos_of(const toml::node& n) {
  const auto& s = n.source();
  return {static_cast<std::uint32_t>(s.begin.line), static_cast<std::uint32_t>(s.begin.column)};
}

struct loader {
  diagnostics& diags;
  const std::string& name;

  void bad(const toml::node& n, const std::string& msg) {
    auto& d = diags.error(pos_of(n), "style-value", msg);
    d.file = name;
  }

  void number(const toml::node& n, const std::string& key, double& out, double lo, double hi) {
    std::optional<double> v;
    if (auto i = n.as_integer()) v = static_cast<double>(i->get());
    else if (auto f = n.as_floating_point()) v = f->get();
    if (!v) return bad(n, key + " must be a number");
    if (!(*v >= lo && *v <= hi) || !std::isfinite(*v)) {
      std::ostringstream s;
      s << key << " must be between " << lo << " and " << hi;
      return bad(n, s.str());
    }
    out = *v;
  }
  void boolean(const toml::node& n, const std::string& key, bool& out) {
    if (auto b = n.as_boolean()) out = b->get();
    else bad(n, key + " must be true or false");
  }
  void string(const toml::node& n, const std::string& key, std::string& out) {
    auto s = n.as_string();
    if (!s || s->get().empty()) return bad(n, key + " must be a non-empty string");
    out = s->get();
  }
  template <class E>
  void choice(const toml::node& n, const std::string& key, E& out,
              const std::vector<std::pair<std::string, E>>& options) {
    auto s = n.as_string();
    std::string list;
    for (const auto& [k, v] : options) list += (list.empty() ? "" : ", ") + k;
    if (s) {
      for (const auto& [k, v] : options)
        if (k == s->get()) {
          out = v;
          return;
        }
    }
    bad(n, key + " must be one of " + list);
  }
  void colour_value(const toml::node& n, const std::string& key, colour& out) {
    auto s = n.as_string();
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s && s->get().size() == 7 && s->get()[0] == '#') {
      const std::string& t = s->get();
      int v[6];
      bool ok = true;
      for (int i = 0; i < 6; ++i) ok = ok && (v[i] = hex(t[1 + i])) >= 0;
      if (ok) {
        out = colour{(v[0] * 16 + v[1]) / 255.0f, (v[2] * 16 + v[3]) / 255.0f,
                     (v[4] * 16 + v[5]) / 255.0f};
        return;
      }
    }
    bad(n, key + " must be a colour like \"#1a2b3c\"");
  }
};

}  // namespace

print_style parse_print_style(std::string_view text, const std::string& name,
                              diagnostics& diags) {
  print_style st;
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& s = e.source();
    auto& d = diags.error({static_cast<std::uint32_t>(s.begin.line),
                           static_cast<std::uint32_t>(s.begin.column)},
                          "style-syntax", std::string(e.description()));
    d.file = name;
    return st;
  }
  loader L{diags, name};
  using setter = std::function<void(const toml::node&, const std::string&)>;
  const std::vector<std::pair<std::string, weight>> weights = {
      {"regular", weight::regular}, {"bold", weight::bold}, {"italic", weight::italic},
      {"bold-italic", weight::bold_italic}};
  std::map<std::string, std::map<std::string, setter>> keys;
  keys["page"] = {
      {"paper", [&](auto& n, auto& k) {
         L.choice<paper>(n, k, st.paper, {{"a4", paper::a4}, {"letter", paper::letter},
                                          {"a5", paper::a5}, {"6x9", paper::trade_6x9}});
       }},
      {"margin_inner", [&](auto& n, auto& k) { L.number(n, k, st.margin_inner, 0, 100); }},
      {"margin_outer", [&](auto& n, auto& k) { L.number(n, k, st.margin_outer, 0, 100); }},
      {"margin_top", [&](auto& n, auto& k) { L.number(n, k, st.margin_top, 0, 100); }},
      {"margin_bottom", [&](auto& n, auto& k) { L.number(n, k, st.margin_bottom, 0, 100); }},
      {"bleed", [&](auto& n, auto& k) { L.number(n, k, st.bleed, 0, 20); }},
  };
  keys["fonts"] = {
      {"body", [&](auto& n, auto& k) { L.string(n, k, st.body_font); }},
      {"heading", [&](auto& n, auto& k) { L.string(n, k, st.heading_font); }},
      {"label", [&](auto& n, auto& k) { L.string(n, k, st.label_font); }},
  };
  keys["sizes"] = {
      {"body", [&](auto& n, auto& k) { L.number(n, k, st.body_size, 4, 72); }},
      {"leading", [&](auto& n, auto& k) { L.number(n, k, st.leading, 4, 100); }},
      {"title", [&](auto& n, auto& k) { L.number(n, k, st.title_size, 4, 96); }},
      {"heading", [&](auto& n, auto& k) { L.number(n, k, st.heading_size, 4, 72); }},
      {"small", [&](auto& n, auto& k) { L.number(n, k, st.small_size, 4, 72); }},
      {"caption", [&](auto& n, auto& k) { L.number(n, k, st.caption_size, 4, 72); }},
      {"lead", [&](auto& n, auto& k) { L.number(n, k, st.lead_size, 4, 72); }},
  };
  keys["text"] = {
      {"paragraph_indent", [&](auto& n, auto& k) { L.number(n, k, st.paragraph_indent, 0, 10); }},
      {"turn_space", [&](auto& n, auto& k) { L.number(n, k, st.turn_space, 0, 72); }},
      {"justification", [&](auto& n, auto& k) {
         L.choice<justification>(n, k, st.justification,
                                 {{"justify", justification::justify},
                                  {"ragged", justification::ragged}});
       }},
      {"hanging_punctuation", [&](auto& n, auto& k) { L.boolean(n, k, st.hanging_punctuation); }},
      {"hyphenation", [&](auto& n, auto& k) { L.boolean(n, k, st.hyphenation); }},
      {"font_expansion", [&](auto& n, auto& k) {
         if (auto b = n.as_boolean()) {
           st.font_expansion = b->get() ? expansion::on : expansion::off;
           return;
         }
         L.choice<expansion>(n, k, st.font_expansion,
                             {{"off", expansion::off}, {"emergency", expansion::emergency},
                              {"on", expansion::on}});
       }},
  };
  keys["labels"] = {
      {"style", [&](auto& n, auto& k) {
         L.choice<label_mode>(n, k, st.labels, {{"document", label_mode::document},
                                                {"qa", label_mode::qa},
                                                {"names", label_mode::names},
                                                {"initials", label_mode::initials}});
       }},
      {"weight", [&](auto& n, auto& k) { L.choice<weight>(n, k, st.label_weight, weights); }},
      {"question_weight",
       [&](auto& n, auto& k) { L.choice<weight>(n, k, st.question_weight, weights); }},
      {"colour", [&](auto& n, auto& k) { L.colour_value(n, k, st.label_colour); }},
      {"question_colour", [&](auto& n, auto& k) { L.colour_value(n, k, st.question_label_colour); }},
      {"heading_colour", [&](auto& n, auto& k) { L.colour_value(n, k, st.heading_colour); }},
  };
  keys["furniture"] = {
      {"running_heads", [&](auto& n, auto& k) { L.boolean(n, k, st.running_heads); }},
      {"folios", [&](auto& n, auto& k) { L.boolean(n, k, st.folios); }},
      {"title_page", [&](auto& n, auto& k) { L.boolean(n, k, st.title_page); }},
      {"table_of_contents", [&](auto& n, auto& k) { L.boolean(n, k, st.table_of_contents); }},
  };

  bool colour_seen = false, qcolour_seen = false;
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    auto it = keys.find(section);
    if (it == keys.end() || !section_node.is_table()) {
      auto& d = diags.warning(pos_of(section_node), "style-unknown-key",
                              "unknown section '" + section + "' in print style");
      d.file = name;
      continue;
    }
    for (const auto& [key, node] : *section_node.as_table()) {
      std::string k(key.str());
      auto kt = it->second.find(k);
      if (kt == it->second.end()) {
        auto& d = diags.warning(pos_of(node), "style-unknown-key",
                                "unknown key '" + section + "." + k + "' in print style");
        d.file = name;
        continue;
      }
      kt->second(node, section + "." + k);
      if (section == "labels" && k == "colour") colour_seen = true;
      if (section == "labels" && k == "question_colour") qcolour_seen = true;
    }
  }
  if (colour_seen && !qcolour_seen) st.question_label_colour = st.label_colour;
  if (st.leading < st.body_size) {
    auto& d = diags.warning({}, "style-value", "sizes.leading is smaller than sizes.body");
    d.file = name;
  }
  return st;
}

print_style load_print_style(const std::string& path, diagnostics& diags) {
  std::string text = read_file(path);
  return parse_print_style(text, path, diags);
}

}  // namespace galley::style
