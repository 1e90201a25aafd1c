// Stage 3, captions: WebVTT (.vtt) and SubRip (.srt) cues to raw blocks.
//
//   WEBVTT                                  header (and its lines), skipped
//
//   NOTE made by hand                       NOTE, STYLE, REGION: skipped
//
//   intro-1                                 a cue's identifier (SubRip: its number)
//   00:00:01.000 --> 00:00:04.000 line:90%  timing and cue settings
//   <v Mark Ellis>Welcome back to the show. the text
//
// What is said is kept: the cue's text without its tags (<c>, <i>, <b>,
// karaoke times <00:00:05.000>, SubRip's <font> and {\an8}), with its
// character references read. Speakers come from voice spans (<v Name>)
// and from what opens a cue's line, as Zoom and broadcast captions write
// them: "Name: ", "- Name: ", ">> NAME: ". A dash or ">>" alone says that
// someone else speaks. One speaker's cues, one after another, make one
// paragraph; a cue that names nobody goes on with the one before. Where
// no cue names anyone, a pause of two seconds after a sentence starts a
// new paragraph, so that a caption file is no one wall of text.
//
// Captions that roll (each cue repeats the last line of the one before,
// as YouTube's automatic ones do) are read once.
#include <string>
#include <unordered_map>
#include <vector>

#include "base/utf8.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"
#include "parse/transcripts.hpp"
#include "parse/whitespace.hpp"

namespace galley::parse {
namespace {

using transcript::is_speaker_name;
using transcript::media_time_ms;

constexpr long long pause_ms = 2000;  // a pause this long after a sentence parts paragraphs (no speakers)
constexpr long long flash_ms = 200;   // a cue shorter than this only holds the rolled-up line

// One run of text in a cue line, as one speaker says it.
struct segment {
  std::string voice;       // <v Name>
  bool has_voice = false;
  std::string colon_name;  // "Name: " opening the line; whether it names a speaker is decided later
  bool change = false;     // "- " or ">>" opening the line: someone else speaks
  std::string text;        // without tags, white space collapsed
  source_pos pos;
  long long start = -1, end = -1;  // the cue's times, in milliseconds (-1: not known)
};

// The column (1-based, in code points) of byte `at` of a line.
std::uint32_t column(std::string_view line, std::size_t at) {
  return static_cast<std::uint32_t>(scan::length(line.substr(0, at)) + 1);
}

bool starts_with_word(std::string_view t, std::string_view w) {
  return t.starts_with(w) && (t.size() == w.size() || t[w.size()] == ' ' || t[w.size()] == '\t');
}

// "->" or "–>" where "-->" was meant.
bool has_broken_arrow(std::string_view t) {
  return t.find("->") != std::string_view::npos || t.find("\u2013>") != std::string_view::npos ||
         t.find("\u2014>") != std::string_view::npos;
}

// A character reference at s[i] ('&'): appends what it stands for and
// returns its length, or 0 when it is none.
std::size_t read_reference(std::string_view s, std::size_t i, std::string& out) {
  const std::size_t semi = s.substr(i, 12).find(';');
  if (semi == std::string_view::npos || semi < 2) return 0;
  const std::string_view name = s.substr(i + 1, semi - 1);
  if (name[0] == '#') {
    char32_t c = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char d : digits) {
      int v = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                                            : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
      if (v < 0) return 0;
      c = c * (hex ? 16 : 10) + static_cast<char32_t>(v);
    }
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    utf8::append(out, c < 0x20 ? U' ' : c);
    return semi + 1;
  }
  static constexpr std::pair<std::string_view, std::string_view> names[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00A0"},
      {"lrm", ""}, {"rlm", ""}};
  for (const auto& [n, v] : names)
    if (name == n) {
      out += v;
      return semi + 1;
    }
  return 0;
}

// A cue line's text without its tags, as segments: each <v Name> starts
// one. `raw` is the line as written, for the columns.
void read_cue_line(std::string_view raw, source_pos line_pos, std::vector<segment>& out) {
  std::size_t first = out.size();
  segment* seg = &out.emplace_back();
  std::string text;
  std::size_t visible = std::string_view::npos;  // the byte of the segment's first visible character
  const auto finish = [&] {
    seg->text = collapse(text, true);
    seg->pos = {line_pos.line, visible == std::string_view::npos ? 1 : column(raw, visible)};
    text.clear();
    visible = std::string_view::npos;
  };
  bool unclosed = false;  // a '<' with no '>' after it: none further on has one either
  bool unbraced = false;  // the same for '{' and '}'
  for (std::size_t i = 0; i < raw.size();) {
    const char c = raw[i];
    if (c == '<' && !unclosed) {
      const std::size_t close = raw.find('>', i + 1);
      if (close == std::string_view::npos) {
        unclosed = true;
        continue;
      }
      const std::string_view tag = raw.substr(i + 1, close - i - 1);
      if (!tag.empty() && tag[0] == 'v' && (tag.size() == 1 || tag[1] == ' ' || tag[1] == '.' || tag[1] == '\t')) {
        // <v Name>, <v.loud Name>: a voice, whose text follows.
        const std::size_t sp = tag.find_first_of(" \t");
        const std::string name = sp == std::string_view::npos ? std::string() : collapse(tag.substr(sp + 1), true);
        if (!text.empty() || seg->has_voice) {
          finish();
          seg = &out.emplace_back();
        }
        seg->has_voice = !name.empty();
        seg->voice = name;
      }
      // Any other tag (<c.yellow>, </i>, <00:00:05.000>) only styles the text.
      i = close + 1;
      continue;
    }
    if (c == '{' && !unbraced && i + 1 < raw.size() && raw[i + 1] == '\\') {
      // SubRip's {\an8}: a position, not text.
      const std::size_t close = raw.find('}', i);
      if (close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
      unbraced = true;
    }
    if (c == '&')
      if (const std::size_t n = read_reference(raw, i, text)) {
        if (visible == std::string_view::npos) visible = i;
        i += n;
        continue;
      }
    if (visible == std::string_view::npos && c != ' ' && c != '\t') visible = i;
    text += c;
    ++i;
  }
  finish();
  // What opens the line: ">>" and a dash say someone else speaks, and
  // "Name: " who.
  segment& s = out[first];
  if (s.has_voice) return;
  std::string_view t = s.text;
  std::size_t cut = 0;
  if (t.starts_with(">>")) {
    s.change = true;
    while (cut < t.size() && t[cut] == '>') ++cut;
  } else {
    for (std::string_view dash : {std::string_view("- "), std::string_view("\u2013 "), std::string_view("\u2014 ")})
      if (t.starts_with(dash)) {
        s.change = true;
        cut = dash.size();
        break;
      }
  }
  while (cut < t.size() && t[cut] == ' ') ++cut;
  t.remove_prefix(cut);
  if (const std::size_t colon = t.substr(0, 60).find(':');
      colon != std::string_view::npos && colon > 0 && (colon + 1 == t.size() || t[colon + 1] == ' ') &&
      is_speaker_name(t.substr(0, colon))) {
    s.colon_name = std::string(t.substr(0, colon));
  }
  if (cut > 0) {
    s.pos.col += static_cast<std::uint32_t>(scan::length(std::string_view(s.text).substr(0, cut)));
    s.text.erase(0, cut);
  }
}

// "00:00:01.000 --> 00:00:04.000 align:start": sets the cue's times, or
// warns at the time that is none (the cue's text is kept all the same).
void read_timing(std::string_view raw, std::string_view t, source_pos pos, long long& start, long long& end,
                 diagnostics& diags) {
  const std::size_t arrow = t.find("-->");
  const std::string_view left = scan::trim(t.substr(0, arrow));
  std::string_view right = scan::trim(t.substr(arrow + 3));
  right = right.substr(0, right.find_first_of(" \t"));
  start = media_time_ms(left);
  end = media_time_ms(right);
  const std::size_t offset = static_cast<std::size_t>(t.data() - raw.data());
  for (const auto& [time, value] : {std::pair{left, start}, std::pair{right, end}}) {
    if (value >= 0) continue;
    const std::size_t at = time.empty() ? offset + arrow : static_cast<std::size_t>(time.data() - raw.data());
    diags.warning({pos.line, column(raw, at)}, "cue-timing",
                  time.empty() ? std::string("a cue's timing line lacks a time; its text is kept")
                               : "'" + std::string(time) + "' is no cue time (like 00:01:02.500); the cue's text is kept");
  }
}

bool ends_sentence(std::string_view t) {
  std::size_t n = t.size();
  while (n > 0 && (t[n - 1] == '"' || t[n - 1] == ')' || t[n - 1] == '\'')) --n;
  if (n == 0) return false;
  const char32_t c = scan::last_char(t.substr(0, n));
  return c == '.' || c == '!' || c == '?' || c == U'\u2026' || c == U'\u201D' || c == U'\u00BB';
}

}  // namespace

std::vector<raw_block> read_captions(std::string_view body, std::uint32_t first_line, caption_format format,
                                     diagnostics& diags) {
  const bool vtt = format == caption_format::webvtt;
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at <= body.size();) {
    std::size_t nl = body.find('\n', at);
    if (nl == std::string_view::npos) nl = body.size();
    lines.push_back(body.substr(at, nl - at));
    at = nl + 1;
  }
  if (first_line == 0) first_line = 1;
  const auto trimmed = [&](std::size_t k) { return k < lines.size() ? scan::trim(lines[k]) : std::string_view(); };
  const auto is_timing = [&](std::size_t k) { return trimmed(k).find("-->") != std::string_view::npos; };

  std::vector<raw_block> blocks;
  std::vector<segment> segments;
  enum class state { start, header, skip, between, cue } st = state::start;
  long long start = -1, end = -1;       // the open cue's times
  std::size_t cue_line = 0;             // lines of text read in the open cue
  std::string previous_last, last;      // the last text line of the cue before, and of this one
  std::vector<segment> scratch;
  const auto open_cue = [&](long long s, long long e) {
    start = s;
    end = e;
    cue_line = 0;
    if (!last.empty()) previous_last = std::move(last);
    last.clear();
  };
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string_view raw = lines[k];
    const std::string_view t = scan::trim(raw);
    const source_pos pos{static_cast<std::uint32_t>(first_line + k), column(raw, static_cast<std::size_t>(t.data() - raw.data()))};
    if (t.empty()) {
      if (st != state::start) st = state::between;
      continue;
    }
    if (st == state::start) {
      st = state::between;
      if (vtt) {
        if (starts_with_word(t, "WEBVTT")) {
          // "WEBVTT - Interview with Hana Sato": what follows names the file.
          std::string_view title = scan::trim(t.substr(6));
          while (!title.empty() && (title[0] == '-' || title[0] == ' ')) title.remove_prefix(1);
          if (!title.empty()) {
            raw_block& b = blocks.emplace_back();
            b.pos = {pos.line, column(raw, static_cast<std::size_t>(title.data() - raw.data()))};
            b.text = collapse(title, true);
          }
          st = state::header;
          continue;
        }
        diags.warning(pos, "webvtt-header", "a WebVTT file begins with 'WEBVTT'; read as captions all the same");
      }
    }
    if (st == state::skip) continue;
    if (st == state::header) {
      if (!is_timing(k)) continue;  // "Kind: captions", "Language: en"
      st = state::between;
    }
    if (is_timing(k)) {
      // A timing line opens a cue, even where no blank line came before.
      long long s = -1, e = -1;
      read_timing(raw, t, pos, s, e, diags);
      open_cue(s, e);
      st = state::cue;
      continue;
    }
    const bool number = t.find_first_not_of("0123456789") == std::string_view::npos;
    // A cue's identifier (SubRip: its number) comes before its timing; a
    // number may come right after the text of the cue before.
    if (is_timing(k + 1) && (st == state::between || number)) continue;
    if (st == state::between) {
      if (vtt && (starts_with_word(t, "NOTE") || starts_with_word(t, "STYLE") || starts_with_word(t, "REGION"))) {
        st = state::skip;
        continue;
      }
      if (utf8::is_digit(scan::first_char(t)) && has_broken_arrow(t)) {
        diags.warning(pos, "cue-timing",
                      "'" + std::string(t.substr(0, scan::prefix_bytes(t, 40))) +
                          "' is no timing line (like 00:00:01.000 --> 00:00:04.000); the cue's text is kept");
        open_cue(-1, -1);
        st = state::cue;
        continue;
      }
      diags.warning(pos, "cue-timing", number ? "a cue number without a timing line after it"
                                              : "caption text without a timing line; it is kept");
      open_cue(-1, -1);
      st = state::cue;
      if (number) continue;
    }
    // A line of the cue's text.
    scratch.clear();
    read_cue_line(raw, pos, scratch);
    std::string key;
    for (const segment& s : scratch) {
      if (s.has_voice) key.append("\x01").append(s.voice).append("\x02");
      key += s.text;
    }
    // Rolled-up captions: the first line repeats the last one of the cue
    // before, which goes on in the lines after it, or only flashes.
    const bool more = k + 1 < lines.size() && !trimmed(k + 1).empty() && !is_timing(k + 1);
    const bool rolled = cue_line == 0 && !key.empty() && key == previous_last &&
                        (more || (start >= 0 && end >= start && end - start < flash_ms));
    ++cue_line;
    last = std::move(key);
    if (rolled) continue;
    for (segment& s : scratch) {
      s.start = start;
      s.end = end;
      segments.push_back(std::move(s));
    }
  }

  // "Name: " names a speaker when it opens cues more than once. Else it is
  // the text's ("Tonight: the flood"), which goes on; where the others name
  // speakers so (Zoom), it may be one who speaks once: a paragraph of its
  // own, whose label the recognizer reads.
  // Names compare in any case: ">> ANNA KOWALCZYK:" once, "Anna Kowalczyk:" after.
  std::unordered_map<std::string, int> colon_names;
  for (segment& s : segments)
    if (!s.colon_name.empty()) ++colon_names[scan::lower(s.colon_name)];
  bool colon_speakers = false;  // names alone open the cues, with no ">>" or dash before them
  for (const segment& s : segments)
    colon_speakers = colon_speakers || (!s.colon_name.empty() && !s.change && colon_names[scan::lower(s.colon_name)] >= 2);

  std::string speaker;  // of the open paragraph
  bool named = false;   // the open paragraph has a speaker
  bool open = false;
  long long last_end = -1;
  for (segment& s : segments) {
    bool this_named = s.has_voice;
    std::string who = s.voice;
    std::string_view text = s.text;
    bool change = s.change;
    std::uint32_t col = s.pos.col;
    if (!this_named && !s.colon_name.empty()) {
      if (colon_names[scan::lower(s.colon_name)] >= 2) {
        this_named = true;
        who = s.colon_name;
        const std::size_t cut = std::min(text.size(), s.colon_name.size() + 1);
        col += static_cast<std::uint32_t>(scan::length(text.substr(0, cut)));
        text.remove_prefix(cut);
        while (!text.empty() && text[0] == ' ') text.remove_prefix(1), ++col;
      } else {
        change = change || colon_speakers;
      }
    }
    const bool pause = s.start >= 0 && last_end >= 0 && s.start - last_end >= pause_ms;
    bool fresh = !open;
    if (this_named) fresh = fresh || !named || scan::lower(who) != scan::lower(speaker) || change;
    else fresh = fresh || change || (!named && pause && !blocks.empty() && ends_sentence(blocks.back().text));
    if (s.end >= 0) last_end = s.end;
    if (fresh) {
      if (open && blocks.back().text.empty()) blocks.pop_back();  // a voice that said nothing
      raw_block& b = blocks.emplace_back();
      b.pos = {s.pos.line, col};
      b.speaker = this_named ? who : std::string();
      speaker = std::move(who);
      named = this_named;
      open = true;
      b.text = std::string(text);
      continue;
    }
    if (text.empty()) continue;
    raw_block& b = blocks.back();
    if (b.text.empty()) {
      b.pos = {s.pos.line, col};
    } else {
      b.text += ' ';
    }
    b.text += text;
  }
  if (open && blocks.back().text.empty()) blocks.pop_back();
  return blocks;
}

}  // namespace galley::parse
