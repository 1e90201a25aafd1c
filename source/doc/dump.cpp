#include "doc/dump.hpp"

#include <nlohmann/json.hpp>

namespace galley::doc {

using nlohmann::ordered_json;

namespace {

// ---- JSON ------------------------------------------------------------------

ordered_json inlines_json(const inlines& content) {
  ordered_json arr = ordered_json::array();
  for (const auto& n : content) {
    ordered_json j;
    j["type"] = to_string(n.kind);
    switch (n.kind) {
      case inline_kind::text:
      case inline_kind::code:
      case inline_kind::insertion:
      case inline_kind::direction: j["text"] = n.text; break;
      case inline_kind::line_break: break;
      case inline_kind::link: j["target"] = n.target; [[fallthrough]];
      default:
        if (!n.lang.empty()) j["lang"] = n.lang;
        j["children"] = inlines_json(n.children);
        break;
    }
    arr.push_back(std::move(j));
  }
  return arr;
}

ordered_json block_json(const block& b, const article& a) {
  ordered_json j;
  j["type"] = to_string(b.kind);
  j["line"] = b.pos.line;
  j["column"] = b.pos.col;
  switch (b.kind) {
    case block_kind::question:
    case block_kind::answer: {
      const auto& s = a.speakers.at(static_cast<std::size_t>(b.speaker));
      j["speaker"] = s.name.empty() ? s.label : s.name;
      j["speaker_index"] = b.speaker;
      j["role"] = to_string(s.role);
      ordered_json kids = ordered_json::array();
      for (const auto& c : b.blocks) kids.push_back(block_json(c, a));
      j["blocks"] = std::move(kids);
      break;
    }
    case block_kind::figure:
      j["caption"] = plain_text(b.caption);
      j["credit"] = b.credit;
      j["image"] = b.image;
      if (!b.alt.empty()) j["alt"] = b.alt;
      break;
    case block_kind::separator: break;
    case block_kind::related:
      j["text"] = plain_text(b.content);
      if (!b.marker.empty()) j["marker"] = b.marker;
      if (!b.target.empty()) j["target"] = b.target;
      j["inlines"] = inlines_json(b.content);
      break;
    case block_kind::heading:
      j["level"] = b.level;
      [[fallthrough]];
    default:
      j["text"] = plain_text(b.content);
      j["inlines"] = inlines_json(b.content);
      break;
  }
  if (!b.lang.empty()) j["lang"] = b.lang;
  return j;
}

ordered_json metadata_json(const metadata& m) {
  ordered_json j;
  j["title"] = m.title;
  j["subtitle"] = m.subtitle;
  j["language"] = m.language;
  ordered_json people = ordered_json::array();
  for (const auto& c : m.contributors)
    people.push_back({{"name", c.name}, {"role", to_string(c.role)}, {"description", c.description}});
  j["contributors"] = std::move(people);
  j["date"] = m.date;
  j["source"] = m.source;
  j["publisher"] = m.publisher;
  j["rights"] = m.rights;
  j["identifier"] = m.identifier;
  j["subjects"] = m.subjects;
  j["cover"] = m.cover;
  j["images"] = m.images;
  if (!m.extra.empty()) j["extra"] = m.extra;
  return j;
}

// ---- text ------------------------------------------------------------------

void text_inlines(const inlines& content, std::string& out) {
  for (const auto& n : content) {
    switch (n.kind) {
      case inline_kind::text: out += n.text; break;
      case inline_kind::code: out += '`' + n.text + '`'; break;
      case inline_kind::insertion: out += "[+" + n.text + "]"; break;
      case inline_kind::direction: out += "[~" + n.text + "]"; break;
      case inline_kind::line_break: out += "\\n"; break;
      case inline_kind::emphasis: out += "_"; text_inlines(n.children, out); out += "_"; break;
      case inline_kind::strong: out += "*"; text_inlines(n.children, out); out += "*"; break;
      case inline_kind::link:
        out += "<"; text_inlines(n.children, out); out += " -> " + n.target + ">"; break;
      case inline_kind::foreign:
        out += "{" + n.lang + ":"; text_inlines(n.children, out); out += "}"; break;
    }
  }
}

void text_block(const block& b, const article& a, int depth, std::string& out) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out += std::to_string(b.pos.line) + ":" + std::to_string(b.pos.col) + " ";
  out += to_string(b.kind);
  if (!b.lang.empty()) out += " (" + b.lang + ")";
  switch (b.kind) {
    case block_kind::question:
    case block_kind::answer: {
      const auto& s = a.speakers.at(static_cast<std::size_t>(b.speaker));
      out += " by " + (s.name.empty() ? s.label : s.name) + "\n";
      for (const auto& c : b.blocks) text_block(c, a, depth + 1, out);
      return;
    }
    case block_kind::figure:
      out += ": ";
      text_inlines(b.caption, out);
      if (!b.credit.empty()) out += " | credit: " + b.credit;
      if (!b.image.empty()) out += " | image: " + b.image;
      break;
    case block_kind::separator: break;
    case block_kind::heading: out += " " + std::to_string(b.level); [[fallthrough]];
    default:
      if (!b.marker.empty()) out += " [" + b.marker + "]";
      out += ": ";
      text_inlines(b.content, out);
      break;
  }
  out += '\n';
}

}  // namespace

std::string to_json(const document& d, int indent) {
  ordered_json j;
  j["metadata"] = metadata_json(d.metadata);
  ordered_json arts = ordered_json::array();
  for (const auto& a : d.articles) {
    ordered_json ja;
    ja["title"] = a.title;
    ja["subtitle"] = a.subtitle;
    ja["byline"] = a.byline;
    ja["lang"] = a.lang;
    ja["subject"] = a.subject;
    ja["source_name"] = a.source_name;
    ja["label_style"] = to_string(a.label_style);
    ordered_json sp = ordered_json::array();
    for (const auto& s : a.speakers)
      sp.push_back({{"name", s.name}, {"role", to_string(s.role)}, {"description", s.description}, {"label", s.label}});
    ja["speakers"] = std::move(sp);
    ordered_json blocks = ordered_json::array();
    for (const auto& b : a.blocks) blocks.push_back(block_json(b, a));
    ja["blocks"] = std::move(blocks);
    arts.push_back(std::move(ja));
  }
  j["articles"] = std::move(arts);
  return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string to_text(const document& d) {
  const auto& m = d.metadata;
  std::string out;
  out += "title: " + m.title + "\n";
  if (!m.subtitle.empty()) out += "subtitle: " + m.subtitle + "\n";
  out += "language: " + m.language + "\n";
  for (const auto& c : m.contributors) {
    out += std::string(to_string(c.role)) + ": " + c.name;
    if (!c.description.empty()) out += " (" + c.description + ")";
    out += "\n";
  }
  if (!m.subjects.empty()) {
    out += "subjects:";
    for (const auto& s : m.subjects) out += " " + s + ";";
    out.pop_back();
    out += "\n";
  }
  for (const auto& [k, v] : std::vector<std::pair<const char*, const std::string*>>{
           {"date", &m.date}, {"source", &m.source}, {"publisher", &m.publisher},
           {"rights", &m.rights}, {"identifier", &m.identifier}, {"cover", &m.cover}})
    if (!v->empty()) out += std::string(k) + ": " + *v + "\n";
  for (const auto& a : d.articles) {
    out += "\narticle: " + a.title + "\n";
    if (!a.subtitle.empty()) out += "  subtitle: " + a.subtitle + "\n";
    if (!a.byline.empty()) out += "  byline: " + a.byline + "\n";
    out += "  lang: " + a.lang + ", labels: " + std::string(to_string(a.label_style)) + "\n";
    for (std::size_t i = 0; i < a.speakers.size(); ++i) {
      const auto& s = a.speakers[i];
      out += "  speaker " + std::to_string(i) + ": " + (s.name.empty() ? "(unnamed)" : s.name) + ", " +
             std::string(to_string(s.role));
      if (!s.label.empty()) out += ", label \"" + s.label + "\"";
      if (!s.description.empty()) out += ", " + s.description;
      out += "\n";
    }
    for (const auto& b : a.blocks) text_block(b, a, 1, out);
  }
  return out;
}

}  // namespace galley::doc
