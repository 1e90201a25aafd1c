// What the readers hand to the recognizer: a flat list of raw blocks with
// inline spans and source positions, the same for plain text and Markdown.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"

namespace galley::parse {

enum class raw_kind {
  paragraph,  // one paragraph (plain text: one logical line or a joined hard-wrapped block)
  heading,    // Markdown ATX/setext heading (level)
  quote,      // Markdown block quote paragraph
  separator,  // Markdown thematic break, or a plain line of * * * / ---
  image,      // a paragraph holding only an image (Markdown ![alt](src "title"))
  item,       // list item paragraph (number holds its number for ordered lists, else 0)
  code        // code block: kept as a note
};

struct raw_block {
  raw_kind kind = raw_kind::paragraph;
  source_pos pos;           // first character of the block in the original input
  doc::inlines content;     // inline spans; empty for plain text, whose one text node is `text`
  std::string text;         // content flattened to plain text, white space collapsed
  int level = 0;            // heading level
  int number = 0;           // ordered list item number
  bool all_strong = false;  // the whole paragraph is bold/strong (Markdown **...**)
  std::string image;        // image: its source
  std::string alt;          // image: its alt text (also copied into text)
  std::string title;        // image: its title, if any
  // The block continues the previous one without a blank line in between
  // (plain text: two lines of one blank-line-separated group).
  bool same_group = false;
  // The speaker the format names outright, apart from the text: a
  // caption's voice (<v Name>), a transcript export's speaker line. The
  // recognizer takes it as the paragraph's label.
  std::string speaker;
};

// Front matter: the TOML block between `+++` lines at the top of the input.
struct front_matter {
  bool present = false;
  std::map<std::string, std::string> values;  // scalar keys: title, subtitle, lang, date, ...
  std::vector<std::string> images;            // images = [...]
  std::vector<std::string> subjects;          // subjects = [...] or subject = "..."
  // interviewer / interviewee: a string (name) or a table {name, description}
  std::string interviewer, interviewer_description;
  std::string interviewee, interviewee_description;
};

// Stage 1: bytes to clean text. Returns UTF-8, NFC, LF line endings, with
// NUL and other control characters removed (tab and LF kept). Detects BOMs
// (UTF-8, UTF-16 LE/BE) and legacy single-byte encodings (cp1252,
// ISO-8859-x) with a warning naming the guess; invalid UTF-8 becomes U+FFFD
// with a warning at line:column. Throws galley::error (exit_code::input_failed,
// code "binary-input") when the bytes are not text at all. Line numbers in the
// result match the input's.
std::string decode_text(std::string_view bytes, diagnostics& diags);

// Stage 2: splits off front matter. Returns the body; first_line is the
// 1-based line of the input where the body starts. Bad TOML is an error
// diagnostic at its line, and the block is then ignored.
std::string_view split_front_matter(std::string_view text, front_matter& fm, std::uint32_t& first_line,
                                    diagnostics& diags);

// Stage 3: readers.
std::vector<raw_block> read_plain(std::string_view body, std::uint32_t first_line, diagnostics& diags);
std::vector<raw_block> read_markdown(std::string_view body, std::uint32_t first_line, diagnostics& diags);

// Captions (captions.cpp): WebVTT and SubRip cues, one paragraph per run
// of one speaker's cues, with the speaker in raw_block::speaker.
enum class caption_format { webvtt, subrip };
std::vector<raw_block> read_captions(std::string_view body, std::uint32_t first_line, caption_format format,
                                     diagnostics& diags);

// Transcript exports (transcripts.cpp): plain paragraphs that are only a
// speaker and a time ("Ruth Adeyemi  0:02", "Interviewer (00:00:03):")
// become the speaker of the paragraph after them, and go.
void read_speaker_lines(std::vector<raw_block>& blocks, diagnostics& diags);

// Stage 4: the interview recognizer (recognize.cpp).
doc::document recognize(std::vector<raw_block> blocks, const front_matter& fm, const std::string& source_name,
                        diagnostics& diags);

// Language identification of a run of text by common-word frequencies.
// Returns a BCP 47 primary tag ("en", "es", "ru", ...) or "" when unsure.
std::string detect_language(std::string_view text);
// The same for the pieces read as one text, each followed by a line break.
std::string detect_language(std::span<const std::string_view> pieces);
// The language of a paragraph when it is clearly not the document's, else "".
std::string detect_other_language(std::string_view text, std::string_view doc_lang);
// The same three as views of a static tag ("" when unsure), which the
// caller copies only when it keeps one.
std::string_view detect_language_tag(std::string_view text);
std::string_view detect_language_tag(std::span<const std::string_view> pieces);
std::string_view detect_other_language_tag(std::string_view text, std::string_view doc_lang);

}  // namespace galley::parse
