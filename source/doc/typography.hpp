// One typographic pass shared by the EPUB and PDF back ends.
//
// smarten() turns typewriter punctuation into typographic punctuation,
// following the rules of each text's language (the article's, a block's or a
// foreign span's):
//
//   "quotes"   en “ ” ‘ ’   es “ ” ‘ ’   ru « » „ “   fr « » “ ” (narrow
//              no-break spaces inside guillemets)   de „ “ ‚ ‘
//   it's       apostrophe ’
//   -- ---     en dash, em dash
//   a - b      en: no-break space + en dash; es, ru, fr: em dash
//   - Hola     a dialogue dash opening a paragraph: es “—Hola”, ru/fr “— Привет”
//   ...        ellipsis …
//   fr ; : ! ? preceded by a (narrow) no-break space
//   ru в лесу  no-break space after one-letter words
//   3,99 €     no-break space between a number and a currency sign or %
//
// It changes punctuation and spaces only, never letters or digits. Quotes are
// paired across inline nodes (a quote that opens in plain text and closes
// inside an emphasis is one pair). Code spans are left alone. The pass is
// idempotent: smarten(smarten(d)) == smarten(d).
#pragma once

#include <string>
#include <string_view>

#include "doc/tree.hpp"

namespace galley::doc {

void smarten(document& d);

// The same rules on one piece of text in one language (titles, captions, tests).
std::string smarten_text(std::string_view text, std::string_view lang);

}  // namespace galley::doc
