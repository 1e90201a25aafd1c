// Transcript exports in plain text: a line that names the speaker and the
// time, then what was said.
//
//   Ruth Adeyemi  0:02                  (Otter)
//   Interviewer (00:00:03):             (Rev)
//   Lena Fischer [00:00:09]:            (Descript)
//   [10:02] Jane Doe                    (Teams)
//   [Jane Doe] 10:02:33                 (Zoom's saved captions)
//   Speaker 1  1:02:33
//
// The name labels the paragraph that follows, which is the turn; the time
// is neither text nor what the speaker is, and is dropped.
#include "parse/transcripts.hpp"

#include <string>
#include <unordered_map>

#include "base/utf8.hpp"
#include "parse/text_scan.hpp"

namespace galley::parse {
namespace transcript {

long long media_time_ms(std::string_view s) {
  // Groups of digits parted by colons: the first of one to three digits,
  // the others of two, below 60; two or three groups.
  long long value = 0;
  std::size_t i = 0, groups = 0;
  while (true) {
    const std::size_t begin = i;
    long long group = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - begin < 3) group = group * 10 + (s[i++] - '0');
    const std::size_t digits = i - begin;
    if (digits == 0 || (groups > 0 && (digits != 2 || group >= 60))) return -1;
    value = value * 60 + group;
    ++groups;
    if (i < s.size() && s[i] == ':' && groups < 3) {
      ++i;
      continue;
    }
    break;
  }
  if (groups < 2) return -1;
  value *= 1000;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    // A fraction of a second: one to three digits.
    const std::size_t begin = ++i;
    long long fraction = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - begin < 3) fraction = fraction * 10 + (s[i++] - '0');
    if (i == begin) return -1;
    for (std::size_t d = i - begin; d < 3; ++d) fraction *= 10;
    value += fraction;
  }
  return i == s.size() ? value : -1;
}

bool is_media_time(std::string_view s) { return media_time_ms(s) >= 0; }

bool is_speaker_name(std::string_view s) {
  static constexpr std::string_view particles_list[] = {"al", "bin", "da", "das", "de", "del", "der", "di",
                                                        "do", "dos", "du", "el", "la", "le", "van", "von", "y"};
  static constexpr scan::sorted_words particles(particles_list);
  if (s.empty() || utf8::longer_than(s, 50) || !utf8::is_upper(scan::first_char(s))) return false;
  std::size_t words = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t end = s.find(' ', i);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view word = s.substr(i, end - i);
    if (word.empty() || ++words > 5) return false;
    const bool last = end == s.size();
    const char32_t first = scan::first_char(word);
    bool digits = true;
    for (std::size_t j = 0; j < word.size();) {
      const char32_t c = scan::next(word, j);
      digits = digits && utf8::is_digit(c);
      if (!scan::is_letter(c) && !utf8::is_digit(c) && c != '.' && c != '-' && c != '\'' && c != U'\u2019')
        return false;
    }
    if (digits) {
      // "Speaker 1": a number ends the label.
      if (!last || words == 1 || word.size() > 2) return false;
    } else if (!utf8::is_upper(first) && !particles.contains(word)) {
      return false;
    } else {
      // Letters (and the marks of a name) only: "J.", "Adeyemi-Clarke", "O'Neil".
      for (std::size_t j = 0; j < word.size();) {
        const char32_t c = scan::next(word, j);
        if (utf8::is_digit(c)) return false;
      }
    }
    i = end + 1;
  }
  return words > 0;
}

bool is_anonymous_speaker(std::string_view label) {
  static constexpr std::string_view words_list[] = {
      "guest", "hablante", "interlocutor", "intervenant", "intervenante", "locuteur", "locutor", "locutrice",
      "orador", "oradora", "participant", "participante", "person", "persona", "speaker", "spk", "sprecher",
      "sprecherin", "teilnehmer", "teilnehmerin", "unknown", "unknown speaker", "voice"};
  static constexpr scan::sorted_words words(words_list);
  const std::string low = scan::lower(scan::trim(label));
  std::string_view base = low;
  // "Speaker 1", "Speaker A": a number or a letter after the word.
  if (const std::size_t sp = base.rfind(' '); sp != std::string_view::npos) {
    const std::string_view tail = base.substr(sp + 1);
    const bool number = !tail.empty() && tail.size() <= 3 && tail.find_first_not_of("0123456789") == std::string_view::npos;
    const bool letter = tail.size() == 1 && tail[0] >= 'a' && tail[0] <= 'z';
    if (number || letter) base = base.substr(0, sp);
    else if (base != "unknown speaker") return false;
  } else if (base == "guest") {
    return false;  // "Guest" alone is the role word
  }
  return words.contains(base);
}

}  // namespace transcript

namespace {

using transcript::is_media_time;
using transcript::is_speaker_name;

// "10:02 AM" as Teams writes it: the time without the half of the day.
std::string_view without_half_day(std::string_view t) {
  if (t.size() > 3 && t[t.size() - 3] == ' ') {
    const std::string_view h = t.substr(t.size() - 2);
    if (h == "AM" || h == "PM" || h == "am" || h == "pm") return t.substr(0, t.size() - 3);
  }
  return t;
}

bool is_time(std::string_view t) { return is_media_time(without_half_day(t)); }

std::string_view without_colon(std::string_view t) {
  if (!t.empty() && t.back() == ':') t.remove_suffix(1);
  return scan::trim(t);
}

// A line that is only a speaker and a time, in one of the forms above:
// sets the name and returns true.
bool read_speaker_line(std::string_view t, std::string_view& name) {
  if (t.empty()) return false;
  if (t[0] == '[' || t[0] == '(') {
    const std::size_t close = t.find(t[0] == '[' ? ']' : ')');
    if (close == std::string_view::npos) return false;
    const std::string_view inside = scan::trim(t.substr(1, close - 1));
    const std::string_view rest = without_colon(t.substr(close + 1));
    if (is_time(inside) && is_speaker_name(rest)) {  // [10:02] Jane Doe
      name = rest;
      return true;
    }
    if (t[0] == '[' && is_speaker_name(inside) && is_time(rest)) {  // [Jane Doe] 10:02:33
      name = inside;
      return true;
    }
    return false;
  }
  const std::string_view u = without_colon(t);
  if (u.empty()) return false;
  if (u.back() == ')' || u.back() == ']') {  // Interviewer (00:00:03):
    const std::size_t open = u.rfind(u.back() == ')' ? '(' : '[');
    if (open == std::string_view::npos || open == 0) return false;
    const std::string_view inside = scan::trim(u.substr(open + 1, u.size() - open - 2));
    const std::string_view before = scan::trim(u.substr(0, open));
    if (!is_time(inside) || !is_speaker_name(before)) return false;
    name = before;
    return true;
  }
  // Ruth Adeyemi  0:02 (white space is collapsed: one space)
  std::string_view head = u, time;
  for (int k = 0; k < 2; ++k) {  // the time, then "AM"/"PM" with it
    const std::size_t sp = head.rfind(' ');
    if (sp == std::string_view::npos) return false;
    time = u.substr(sp + 1);
    head = head.substr(0, sp);
    if (is_time(time)) break;
    if (k == 1) return false;
  }
  if (!is_speaker_name(head)) return false;
  name = head;
  return true;
}

}  // namespace

void read_speaker_lines(std::vector<raw_block>& blocks, diagnostics& diags) {
  // The lines that are a speaker and a time. A transcript holds many: two
  // people or more, one of whom speaks twice. A line or two of a different
  // thing ("Updated 12:30", "Doors 19:30") is no reason to read any.
  std::vector<std::size_t> lines;
  std::vector<std::string_view> names;
  std::unordered_map<std::string_view, int> counts;
  bool recurs = false;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const raw_block& b = blocks[k];
    std::string_view name;
    // Every time has a colon ("0:02"): one memchr passes over most lines.
    if (b.kind != raw_kind::paragraph || !b.content.empty() || b.text.size() > 120 || !b.speaker.empty() ||
        b.text.find(':') == std::string_view::npos || !read_speaker_line(b.text, name))
      continue;
    lines.push_back(k);
    names.push_back(name);
    recurs = recurs || ++counts[name] >= 2;
  }
  if (counts.size() < 2 || !recurs) return;
  const auto text_after = [&](std::size_t n) {
    const std::size_t k = lines[n] + 1;
    return k < blocks.size() && blocks[k].kind == raw_kind::paragraph && (n + 1 == lines.size() || lines[n + 1] != k);
  };
  std::size_t followed = 0;
  for (std::size_t n = 0; n < lines.size(); ++n) followed += text_after(n);
  if (followed < 2) return;
  // The name goes to the paragraph after the line (the names are views of
  // the lines' texts: copied before the lines go); the line goes.
  for (std::size_t n = 0; n < lines.size(); ++n) {
    if (!text_after(n)) continue;
    raw_block& b = blocks[lines[n] + 1];
    b.speaker = std::string(names[n]);
    b.same_group = false;
  }
  diags.info(blocks[lines.front()].pos, "speaker-lines",
             "read " + std::to_string(lines.size()) + " lines of a speaker and a time as the labels of the turns after them");
  std::size_t out = 0;
  for (std::size_t k = 0, n = 0; k < blocks.size(); ++k) {
    if (n < lines.size() && lines[n] == k) {
      ++n;
      continue;
    }
    if (out != k) blocks[out] = std::move(blocks[k]);
    ++out;
  }
  blocks.resize(out);
}

}  // namespace galley::parse
