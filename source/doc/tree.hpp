// The document tree: one interview (an article) or several (a book).
//
// The node kinds are a closed set. Every node keeps the source position it
// came from. A speaker (who) is kept apart from the label printed for a turn
// (how): the label is a style choice made by the back ends.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.hpp"

namespace galley::doc {

enum class inline_kind {
  text,       // plain text
  emphasis,   // children
  strong,     // children
  link,       // children, target = URL
  insertion,  // editorial insertion "[in mid-2023]": text, without brackets
  direction,  // stage direction or timestamp "[laughs]", "[00:12:31]": text
  foreign,    // span in another language: children, lang
  code,       // literal text
  line_break  // hard line break
};

struct inline_node {
  inline_kind kind = inline_kind::text;
  std::string text;    // text, insertion, direction, code
  std::string target;  // link
  std::string lang;    // foreign
  std::vector<inline_node> children;
  source_pos pos;
};
using inlines = std::vector<inline_node>;

enum class block_kind {
  lead,       // standfirst
  paragraph,
  heading,    // level 1..6 inside an article (the title is not a block)
  question,   // a turn by the interviewer: blocks = its paragraphs
  answer,     // a turn by anyone else: blocks = its paragraphs and interruptions
  figure,     // caption, credit, image
  related,    // a related-article line ("Read more: ...")
  quote,      // pull quote or block quote: content
  separator,  // thematic break
  note        // editor's note, correction, or unrecognised aside
};

struct block {
  block_kind kind = block_kind::paragraph;
  source_pos pos;
  inlines content;           // lead, paragraph, heading, related, quote, note
  std::vector<block> blocks; // question, answer
  int speaker = -1;          // question, answer: index into article::speakers
  std::string lang;          // BCP 47 tag, set only where it differs from the article's
  int level = 0;             // heading
  // figure
  inlines caption;
  std::string credit;
  std::string image;         // path relative to the input's folder, or empty
  std::string alt;
  // related
  std::string marker;        // the words that introduced it, e.g. "Para ampliar"
  std::string target;        // URL, when known
};

enum class role { interviewer, interviewee, other };
std::string_view to_string(role r);

struct speaker {
  std::string name;         // "Yuri Ambrazevich"; may be empty when only a label is known
  galley::doc::role role = role::other;
  std::string description;  // "Deputy Foreign Minister of the Republic of Belarus"
  std::string label;        // the label the source used, e.g. "Q", "Pregunta", "AMBRAZEVICH"
};

// How turns are labelled: "Q:"/"A:" style, full names, or initials after the first turn.
enum class label_style { qa, names, initials };
std::string_view to_string(label_style s);

struct article {
  std::string title;
  std::string subtitle;
  std::string byline;
  std::string lang;         // BCP 47
  std::string subject;      // section or breadcrumb
  std::string date;
  std::string source;       // where the text came from (URL or name)
  std::string source_name;  // the input file's name
  source_pos title_pos;
  std::vector<speaker> speakers;
  galley::doc::label_style label_style = label_style::qa;
  std::vector<block> blocks;

  int interviewee() const;  // index of the first interviewee, or -1
  int interviewer() const;  // index of the first interviewer, or -1
};

struct contributor {
  std::string name;
  galley::doc::role role = role::other;
  std::string description;
};

struct metadata {
  std::string title;
  std::string subtitle;
  std::string language;  // BCP 47
  std::vector<contributor> contributors;
  std::string date;
  std::string source;
  std::string publisher;
  std::string rights;
  std::string identifier;
  std::vector<std::string> subjects;
  std::string cover;                 // image path
  std::vector<std::string> images;   // images named by front matter
  std::map<std::string, std::string> extra;  // any other front-matter key
};

struct document {
  galley::doc::metadata metadata;
  std::vector<article> articles;
};

// Text helpers.
inline_node text(std::string s, source_pos pos = {});
// The inlines' text content, as a reader would see it (insertions in brackets).
std::string plain_text(const inlines& content);
std::string plain_text(const block& b);  // content, or caption, or children joined

std::string_view to_string(block_kind k);
std::string_view to_string(inline_kind k);

// Calls f(block, depth) for every block in document order, children after parents.
template <class F>
void walk(const std::vector<block>& blocks, F&& f, int depth = 0) {
  for (const auto& b : blocks) {
    f(b, depth);
    walk(b.blocks, f, depth + 1);
  }
}

}  // namespace galley::doc
