// Hyphenation with libhyphen and the system's TeX-derived patterns
// (/usr/share/hyphen/hyph_LL_CC.dic), chosen by BCP 47 language tag.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
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

  // Languages asked for that have no patterns (for one warning each).
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  struct dict;
  dict* get(const std::string& lang);
  std::string dir_;
  // Loaded dictionaries are shared by every hyphenator in the process
  // (libhyphen takes ~50 ms to load en_US and seconds for de_DE).
  std::map<std::string, std::shared_ptr<dict>> dicts_;  // by file
  std::map<std::string, dict*> by_lang_;
  std::unordered_map<std::string, std::vector<int>> words_;
  std::vector<std::string> missing_;
};

}  // namespace galley::layout
