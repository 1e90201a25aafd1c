#include "parse/parse.hpp"

#include "doc/check.hpp"
#include "parse/raw.hpp"

namespace galley::parse {

input_format format_named(std::string_view name) {
  if (name == "plain") return input_format::plain;
  if (name == "markdown") return input_format::markdown;
  if (name == "vtt") return input_format::vtt;
  if (name == "srt") return input_format::srt;
  return input_format::automatic;
}

input_format format_for(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    if (name.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      char c = name[name.size() - ext.size() + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != ext[i]) return false;
    }
    return true;
  };
  if (ends(".vtt")) return input_format::vtt;
  if (ends(".srt")) return input_format::srt;
  return ends(".md") || ends(".markdown") || ends(".mdown") || ends(".mkd") ? input_format::markdown
                                                                             : input_format::plain;
}

// --meta lang=TAG, in BCP 47's usual case. A value that is no language tag
// is a usage error: it was typed on the command line.
std::string meta_language(const std::string& value) {
  std::string tag = doc::normalize_language(value);
  if (tag.empty())
    fail(exit_code::usage, "galley", "bad-language",
         "--meta lang: '" + value + "' is not a language tag (like en, es or pt-BR)");
  return tag;
}

doc::document parse_interview(std::string_view bytes, const std::string& source_name, const options& opts,
                              diagnostics& diags) {
  if (diags.file().empty()) diags.set_file(source_name);
  std::string text = decode_text(bytes, diags);
  front_matter fm;
  std::uint32_t first_line = 1;
  std::string_view body = split_front_matter(text, fm, first_line, diags);
  // --meta overrides front matter, which overrides the recognizer.
  for (const auto& [key, value] : opts.meta) {
    if (key == "interviewer") fm.interviewer = value;
    else if (key == "interviewee") fm.interviewee = value;
    else if (key == "interviewer_description") fm.interviewer_description = value;
    else if (key == "interviewee_description") fm.interviewee_description = value;
    else if (key == "subject" || key == "subjects") fm.subjects = {value};
    else if (key == "images") fm.images = {value};
    else if (key == "lang" || key == "language") fm.values[key] = meta_language(value);
    else fm.values[key] = value;
  }
  input_format f = opts.format == input_format::automatic ? format_for(source_name) : opts.format;
  // Captions pasted into a .txt (or read from standard input) say what
  // they are on their first line.
  if (opts.format == input_format::automatic && f == input_format::plain && body.starts_with("WEBVTT") &&
      (body.size() == 6 || body[6] == '\n' || body[6] == ' ' || body[6] == '\t'))
    f = input_format::vtt;
  std::vector<raw_block> blocks;
  switch (f) {
    case input_format::markdown: blocks = read_markdown(body, first_line, diags); break;
    case input_format::vtt: blocks = read_captions(body, first_line, caption_format::webvtt, diags); break;
    case input_format::srt: blocks = read_captions(body, first_line, caption_format::subrip, diags); break;
    default:
      blocks = read_plain(body, first_line, diags);
      read_speaker_lines(blocks, diags);
      break;
  }
  if (blocks.empty() && !fm.present)
    diags.warning({1, 1}, "empty-input", "input holds no text");
  doc::document d = recognize(std::move(blocks), fm, source_name, diags);
  diags.sort();
  return d;
}

}  // namespace galley::parse
