// Hyphenation with libhyphen and the system's TeX-derived patterns
// (/usr/share/hyphen/hyph_LL_CC.dic), chosen by BCP 47 language tag.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostics.hpp"

namespace galley::layout {

class hyphenator {
 public:
  explicit hyphenator(std::string dir = "/usr/share/hyphen");
  ~hyphenator();
  hyphenator(const hyphenator&) = delete;
  hyphenator& operator=(const hyphenator&) = delete;

  // Whether patterns exist for the language ("en", "en-GB", "es", "ru").
  bool available(const std::string& lang);
  // The dictionary file used for a language, or "" when none.
  std::string dictionary_for(const std::string& lang);

  // Positions (counted in code points, 1..n-1) after which the word may be
  // hyphenated, honouring the language's left/right minimums (en 2/3,
  // others 2/2). The word should be letters only; case does not matter.
  std::vector<int> points(std::string_view word, const std::string& lang);
  // The same, as a reference into this hyphenator's cache (valid until it
  // is destroyed): the typesetter asks for every long word of a book.
  const std::vector<int>& cached_points(std::string_view word, const std::string& lang);

  // Languages asked for that have no patterns (for one warning each).
  const std::vector<std::string>& missing() const { return missing_; }

  // Languages without patterns asked for since the last call, in the order
  // first asked for (a layout worker reports them per interview, so that
  // missing() of the document's hyphenator comes out as if one hyphenator
  // had done all the work). note_missing() adds one to missing().
  std::vector<std::string> take_asked_missing() { return std::exchange(asked_missing_, {}); }
  void note_missing(const std::string& lang);

 private:
  struct dict;
  dict* get(const std::string& lang);
  std::string dir_;
  // Loaded dictionaries are shared by every hyphenator in the process
  // (libhyphen takes ~50 ms to load en_US and seconds for de_DE).
  std::map<std::string, std::shared_ptr<dict>> dicts_;  // by file
  // Words already hyphenated, per language, looked up without building a key.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using word_map = std::unordered_map<std::string, std::vector<int>, text_hash, std::equal_to<>>;
  struct language {
    dict* d = nullptr;
    word_map words;
  };
  language& lookup(const std::string& lang);
  void note_asked_missing(const std::string& lang);
  std::unordered_map<std::string, language, text_hash, std::equal_to<>> by_lang_;
  // The language looked up last, which is nearly always the next one too.
  std::string last_lang_;
  language* last_ = nullptr;
  std::vector<std::string> missing_;
  std::vector<std::string> asked_missing_;
};

}  // namespace galley::layout
