#include "layout/hyphenate.hpp"

#include <hyphen.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "base/utf8.hpp"

namespace galley::layout {

struct hyphenator::dict {
  HyphenDict* d = nullptr;
  std::string encoding;  // "UTF-8", "ISO8859-1", "KOI8-R", ...
  UConverter* conv = nullptr;
  std::mutex conv_mutex;  // the converter is not thread-safe
  ~dict() {
    if (d) hnj_hyphen_free(d);
    if (conv) ucnv_close(conv);
  }
};

hyphenator::hyphenator(std::string dir) : dir_(std::move(dir)) {}
hyphenator::~hyphenator() = default;

std::string hyphenator::dictionary_for(const std::string& lang) {
  namespace fs = std::filesystem;
  std::string tag;
  for (char c : lang) tag += c == '-' ? '_' : c;
  std::string primary = tag.substr(0, tag.find('_'));
  for (auto& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (primary.empty()) return {};
  std::string region;
  if (auto p = tag.find('_'); p != std::string::npos) {
    region = tag.substr(p + 1);
    if (region.size() == 2)
      for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else
      region.clear();
  }
  std::string up = primary;
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> tries;
  if (!region.empty()) tries.push_back(primary + "_" + region);
  if (primary == "en") tries.push_back("en_US");
  if (primary == "es") tries.push_back("es_ES");
  tries.push_back(primary + "_" + up);
  tries.push_back(primary);
  std::error_code ec;
  for (const auto& t : tries) {
    fs::path p = fs::path(dir_) / ("hyph_" + t + ".dic");
    if (fs::exists(p, ec)) return p.string();
  }
  std::vector<std::string> any;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("hyph_" + primary + "_", 0) == 0 && n.size() > 4 &&
        n.compare(n.size() - 4, 4, ".dic") == 0)
      any.push_back(e.path().string());
  }
  std::sort(any.begin(), any.end());
  return any.empty() ? std::string() : any.front();
}

hyphenator::language& hyphenator::lookup(const std::string& lang) {
  if (last_ && lang == last_lang_) {
    if (!last_->d) note_asked_missing(lang);
    return *last_;
  }
  if (auto it = by_lang_.find(lang); it != by_lang_.end()) {
    if (!it->second.d) note_asked_missing(lang);
    last_lang_ = lang;
    last_ = &it->second;
    return it->second;
  }
  std::string file = dictionary_for(lang);
  dict* result = nullptr;
  if (!file.empty()) {
    auto it = dicts_.find(file);
    if (it == dicts_.end()) {
      static std::mutex shared_mutex;
      static std::map<std::string, std::shared_ptr<dict>> shared;
      std::lock_guard<std::mutex> lock(shared_mutex);
      auto sh = shared.find(file);
      if (sh == shared.end()) {
        auto d = std::make_shared<dict>();
        d->d = hnj_hyphen_load(file.c_str());
        if (d->d) {
          std::ifstream in(file);
          std::getline(in, d->encoding);
          while (!d->encoding.empty() && (d->encoding.back() == '\r' || d->encoding.back() == ' '))
            d->encoding.pop_back();
          if (d->encoding != "UTF-8") {
            UErrorCode err = U_ZERO_ERROR;
            d->conv = ucnv_open(d->encoding.c_str(), &err);
            if (U_FAILURE(err)) d->conv = nullptr;
            else ucnv_setFromUCallBack(d->conv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr,
                                       nullptr, &err);
          }
          if (d->encoding != "UTF-8" && !d->conv) d.reset();
        } else {
          d.reset();
        }
        sh = shared.emplace(file, std::move(d)).first;
      }
      it = dicts_.emplace(file, sh->second).first;
    }
    result = it->second.get();
  }
  if (!result) {
    note_missing(lang);
    note_asked_missing(lang);
  }
  language& entry = by_lang_[lang];
  entry.d = result;
  last_lang_ = lang;
  last_ = &entry;  // elements of an unordered_map stay where they are
  return entry;
}

void hyphenator::note_missing(const std::string& lang) {
  if (std::find(missing_.begin(), missing_.end(), lang) == missing_.end()) missing_.push_back(lang);
}

void hyphenator::note_asked_missing(const std::string& lang) {
  if (std::find(asked_missing_.begin(), asked_missing_.end(), lang) == asked_missing_.end())
    asked_missing_.push_back(lang);
}

hyphenator::dict* hyphenator::get(const std::string& lang) { return lookup(lang).d; }

bool hyphenator::available(const std::string& lang) { return get(lang) != nullptr; }

std::vector<int> hyphenator::points(std::string_view word, const std::string& lang) {
  return cached_points(word, lang);
}

const std::vector<int>& hyphenator::cached_points(std::string_view word, const std::string& lang) {
  static const std::vector<int> none;
  language& entry = lookup(lang);
  dict* d = entry.d;
  if (!d) return none;
  if (auto it = entry.words.find(word); it != entry.words.end()) return it->second;
  // Every answer is kept, "no points" included: they depend on the word alone.
  std::vector<int>& out = entry.words.emplace(std::string(word), std::vector<int>()).first->second;
  std::string primary = lang.substr(0, lang.find_first_of("-_"));
  const int left = 2, right = primary == "en" ? 3 : 2;
  std::string lower = utf8::to_lower(word);
  std::size_t n = utf8::length(lower);
  if (n < static_cast<std::size_t>(left + right) || n > 90) return out;
  std::string bytes;
  if (d->conv) {
    std::u32string u;
    for (std::size_t i = 0; i < lower.size();) u += utf8::next(lower, i);
    // UTF-32 to the dictionary's 8-bit charset, one byte per character.
    std::vector<UChar> u16;
    for (char32_t c : u) {
      if (c > 0xFFFF) return out;
      u16.push_back(static_cast<UChar>(c));
    }
    std::vector<char> buf(u16.size() * 4 + 4);
    UErrorCode err = U_ZERO_ERROR;
    std::lock_guard<std::mutex> lock(d->conv_mutex);
    ucnv_resetFromUnicode(d->conv);
    int32_t len = ucnv_fromUChars(d->conv, buf.data(), static_cast<int32_t>(buf.size()),
                                  u16.data(), static_cast<int32_t>(u16.size()), &err);
    if (U_FAILURE(err) || static_cast<std::size_t>(len) != u16.size()) return out;
    bytes.assign(buf.data(), static_cast<std::size_t>(len));
  } else {
    bytes = lower;
  }
  std::vector<char> hyphens(bytes.size() + 5, 0);
  char** rep = nullptr;
  int* pos = nullptr;
  int* cut = nullptr;
  hnj_hyphen_hyphenate2(d->d, bytes.c_str(), static_cast<int>(bytes.size()), hyphens.data(),
                        nullptr, &rep, &pos, &cut);
  bool nonstandard = rep != nullptr;
  if (rep) {
    for (std::size_t i = 0; i < bytes.size(); ++i) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  if (nonstandard) return out;  // replacements (German "ck" etc.): skip rather than misprint
  // In UTF-8 mode libhyphen reports positions per character, otherwise per byte;
  // both are per code point here.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if ((hyphens[i] & 1) == 0) continue;
    int after = static_cast<int>(i) + 1;
    if (after >= left && static_cast<int>(n) - after >= right) out.push_back(after);
  }
  return out;
}

}  // namespace galley::layout
