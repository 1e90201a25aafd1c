// The interview recognizer: raw blocks in, a document tree out.
//
// It works in passes over the raw blocks, each pass linear:
//  1. classify every block: noise, related line, figure part, label, dash...
//  2. find the title, subtitle, byline and lead, and the people
//  3. choose the turn convention that the text actually uses
//  4. assemble turns, attaching continuations and interruptions
//  5. inline pass: editorial insertions and stage directions
// Every dropped block leaves an info diagnostic.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/utf8.hpp"
#include "doc/check.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"
#include "parse/transcripts.hpp"

namespace galley::parse {

namespace {

using doc::block;
using doc::block_kind;
using doc::inline_kind;
using doc::inline_node;
using doc::inlines;

// ---- small text helpers -----------------------------------------------------

// utf8::to_lower, with its fast paths.
std::string lower(std::string_view s) { return scan::lower(s); }

bool is_dash(char32_t c) { return c == '-' || c == U'–' || c == U'—' || c == U'―' || c == U'‒'; }

using scan::first_char;
using scan::last_char;

// The last character that is not a closing quote or bracket.
char32_t last_sentence_char(std::string_view s) {
  s = scan::trim(s);
  while (!s.empty()) {
    char32_t c = last_char(s);
    if (c == '"' || c == U'”' || c == U'»' || c == U'’' || c == '\'' || c == ')' || c == '*') {
      std::size_t k = s.size() - 1;
      while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
      s = s.substr(0, k);
      continue;
    }
    return c;
  }
  return 0;
}

bool ends_question(std::string_view s) {
  char32_t c = last_sentence_char(s);
  return c == '?' || c == U'？' || c == U'¿';
}

using scan::count_words;

inline bool starts_with(std::string_view s, std::string_view p) {
  // The first two bytes are compared here: most candidates differ there,
  // and memcmp is not called for them.
  return s.size() >= p.size() &&
         (p.empty() || (s[0] == p[0] && (p.size() == 1 || (s[1] == p[1] && std::memcmp(s.data(), p.data(), p.size()) == 0))));
}

// Strips leading dashes and the white space after them.
std::string_view strip_dash(std::string_view s, bool* had = nullptr) {
  // Most lines start with an ASCII character other than '-': no dash.
  if (s.empty() || (static_cast<unsigned char>(s[0]) < 0x80 && s[0] != '-')) {
    if (had) *had = false;
    return s;
  }
  std::size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    std::size_t j = i;
    char32_t c = scan::next(s, j);
    if (is_dash(c) && !any) {
      any = true;
      i = j;
    } else if (scan::is_space(c) && any) {
      i = j;
    } else {
      break;
    }
  }
  // "-5 degrees" is not dialogue: a dash must be followed by space, a
  // bracket, a capital or an opening punctuation mark to count.
  if (any && i < s.size()) {
    std::size_t j = 0;
    char32_t after = first_char(s.substr(i));
    (void)j;
    bool spaced = i > 1 && scan::is_space(last_char(s.substr(0, i)));
    if (!spaced && utf8::is_digit(after)) {
      if (had) *had = false;
      return s;
    }
  }
  if (had) *had = any;
  return s.substr(i);
}

std::string title_case(std::string_view s) {
  std::string out;
  bool start = true;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = scan::next(s, i);
    if (utf8::is_letter(c)) {
      utf8::append(out, start ? utf8::to_upper(c) : utf8::to_lower(c));
      start = false;
    } else {
      utf8::append(out, c);
      start = c == ' ' || c == '-' || c == '\'' || c == U'’' || c == '.';
    }
  }
  return out;
}

bool all_caps(std::string_view s) {
  int upper = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = scan::next(s, i);
    if (utf8::is_lower(c)) return false;
    if (utf8::is_upper(c)) ++upper;
  }
  return upper >= 1;
}

// ---- vocabularies -------------------------------------------------------------

enum class qa { none, question, answer };

struct qa_word {
  std::string_view word;
  qa kind;
  std::string_view lang;
};

// Labels that name the role, not the person. Compared lower-cased, without
// brackets and the colon.
constexpr qa_word qa_words[] = {
    {"q", qa::question, ""},          {"question", qa::question, "en"},
    {"a", qa::answer, ""},            {"answer", qa::answer, "en"},
    {"p", qa::question, "es"},        {"pregunta", qa::question, "es"},
    {"r", qa::answer, "es"},          {"respuesta", qa::answer, "es"},
    {"entrevistador", qa::question, "es"}, {"entrevistadora", qa::question, "es"},
    {"entrevistado", qa::answer, "es"},    {"entrevistada", qa::answer, "es"},
    {"interviewer", qa::question, "en"},   {"interviewee", qa::answer, "en"},
    {"réponse", qa::answer, "fr"},    {"reponse", qa::answer, "fr"},
    {"frage", qa::question, "de"},    {"antwort", qa::answer, "de"},
    {"f", qa::question, "de"},
    {"pergunta", qa::question, "pt"}, {"resposta", qa::answer, "pt"},
    {"domanda", qa::question, "it"},  {"risposta", qa::answer, "it"},
    {"d", qa::question, "it"},
    {"вопрос", qa::question, "ru"},   {"ответ", qa::answer, "ru"},
    {"в", qa::question, "ru"},        {"о", qa::answer, "ru"},
    {"питання", qa::question, "uk"},  {"відповідь", qa::answer, "uk"},
    {"vraag", qa::question, "nl"},    {"antwoord", qa::answer, "nl"},
    {"pytanie", qa::question, "pl"},  {"odpowiedź", qa::answer, "pl"},
    {"host", qa::question, "en"},     {"guest", qa::answer, "en"},
    {"press", qa::question, "en"},    {"reporter", qa::question, "en"},
    {"journalist", qa::question, "en"}, {"periodista", qa::question, "es"},
};

const qa_word* find_qa(std::string_view key) {
  for (const auto& w : qa_words)
    if (key == w.word) return &w;
  return nullptr;
}

// "Label: value" keys that are metadata or page furniture, never speakers.
constexpr std::string_view not_speakers_list[] = {
    "title", "subtitle", "date", "location", "place", "photo", "photos", "source", "fuente", "foto",
    "credit", "credits", "image", "imagen", "by", "por", "author", "autor", "tags", "tag", "category",
    "categories", "updated", "published", "note", "nota", "editor's note", "nota del editor",
    "update", "correction", "url", "link", "email", "e-mail", "tel", "phone", "website", "web",
    "read more", "related", "see also", "para ampliar", "lee también", "leer más", "keywords",
    "position", "role", "cargo", "age", "edad", "born", "occupation", "profession", "summary",
    "resumen", "warning", "disclaimer", "transcript", "duration", "recorded", "fecha", "lugar",
    "ps", "p.s", "nb", "n.b", "ok", "yes", "no", "sí", "example", "ejemplo", "dato", "fact",
    "watch", "listen", "escucha", "mira", "video", "vídeo", "audio", "podcast", "fotografía",
    "photograph", "illustration", "ilustración", "infographic", "infografía", "map", "mapa", "фото",
    "источник", "bild", "quelle", "crédit", "crédito", "créditos", "datum", "ort", "data", "luogo",
    "дата", "место", "imagem", "legenda", "caption", "pie de foto"};
constexpr scan::sorted_words not_speakers(not_speakers_list);

struct marker {
  std::string_view text;  // lower case, without the colon
  const char* lang;
};

const marker related_markers[] = {
    {"para ampliar", "es"}, {"lee también", "es"}, {"lea también", "es"}, {"leer más", "es"},
    {"te puede interesar", "es"}, {"le puede interesar", "es"}, {"también te puede interesar", "es"},
    {"relacionado", "es"}, {"relacionada", "es"}, {"noticia relacionada", "es"}, {"ver también", "es"},
    {"read more", "en"}, {"read also", "en"}, {"also read", "en"}, {"related", "en"},
    {"related article", "en"}, {"related story", "en"}, {"see also", "en"}, {"more on this", "en"},
    {"recommended", "en"}, {"you may also like", "en"}, {"further reading", "en"},
    {"читайте также", "ru"}, {"читайте еще", "ru"}, {"по теме", "ru"}, {"смотрите также", "ru"},
    {"lire aussi", "fr"}, {"à lire aussi", "fr"}, {"a lire aussi", "fr"}, {"voir aussi", "fr"},
    {"mehr zum thema", "de"}, {"lesen sie auch", "de"}, {"auch interessant", "de"},
    {"leia também", "pt"}, {"leia mais", "pt"}, {"veja também", "pt"},
    {"leggi anche", "it"}, {"potrebbe interessarti", "it"}, {"read more in english", "en"},
    {"читайте також", "uk"}, {"дивіться також", "uk"}, {"читати також", "uk"}, {"по темі", "uk"},
    {"más información", "es"}, {"more on this story", "en"}, {"czytaj także", "pl"}, {"czytaj też", "pl"}, {"zobacz też", "pl"},
    {"lees ook", "nl"}, {"meer over", "nl"}, {"llegiu també", "ca"}, {"també et pot interessar", "ca"},
    {"llegeix també", "ca"}, {"llegeixi també", "ca"}, {"vegeu també", "ca"}, {"czytaj również", "pl"},
    {"przeczytaj także", "pl"}, {"przeczytaj też", "pl"}, {"zobacz także", "pl"}, {"lees meer", "nl"},
};

const std::string_view credit_markers[] = {
    "source", "fuente", "photo", "photos", "foto", "fotos", "credit", "credits", "crédito", "créditos",
    "photograph", "photography", "image", "imagen", "picture", "фото", "источник", "crédit", "crédit photo",
    "bild", "quelle", "fotografía", "fotografia", "photo credit", "image credit", "imagem", "courtesy",
    "cortesía"};

// Noise: short lines that are page furniture. Each entry is matched against
// the lower-cased line; `whole` entries must be the whole line.
struct noise_rule {
  std::string_view text;
  bool whole;  // true: the line equals it; false: the line starts with it
  const char* code;
};

// The code of a paywall's lines: the text may be cut off there.
constexpr const char* paywall_code = "noise-paywall";

const noise_rule noise_rules[] = {
    // share buttons and social rows
    {"share", true, "noise-share"}, {"share this", false, "noise-share"}, {"share on", false, "noise-share"},
    {"share article", true, "noise-share"}, {"compartir", false, "noise-share"},
    {"comparte", false, "noise-share"}, {"tweet", true, "noise-share"}, {"copy link", true, "noise-share"},
    {"copiar enlace", true, "noise-share"}, {"facebook", false, "noise-share"}, {"twitter", false, "noise-share"},
    {"whatsapp", false, "noise-share"}, {"email", true, "noise-share"}, {"print", true, "noise-share"},
    {"imprimir", true, "noise-share"}, {"поделиться", false, "noise-share"}, {"partager", false, "noise-share"},
    {"teilen", true, "noise-share"}, {"follow us", false, "noise-share"}, {"síguenos", false, "noise-share"},
    {"share via", false, "noise-share"}, {"email this", true, "noise-share"}, {"condividi", false, "noise-share"},
    {"compartilhe", false, "noise-share"}, {"поширити", false, "noise-share"},
    {"zur merkliste hinzufügen", true, "noise-share"}, {"link kopieren", true, "noise-share"},
    {"copiar link", true, "noise-share"}, {"salvar para ler depois", true, "noise-share"},
    {"deel dit artikel", true, "noise-share"}, {"udostępnij", true, "noise-share"},
    {"e-mail", true, "noise-share"}, {"x", true, "noise-share"}, {"delen", true, "noise-share"},
    {"comparteix", true, "noise-share"}, {"compartilhar", true, "noise-share"},
    // a podcast's player links: "Listen on Apple Podcasts | Spotify | RSS"
    {"listen on", false, "noise-share"}, {"listen to this episode", false, "noise-share"},
    {"escúchalo en", false, "noise-share"}, {"escucha en", false, "noise-share"},
    {"écoutez sur", false, "noise-share"}, {"écouter sur", false, "noise-share"},
    // subscription, newsletter and membership promos
    {"subscribe", false, "noise-promo"}, {"suscríbete", false, "noise-promo"}, {"suscribete", false, "noise-promo"},
    {"suscríbase", false, "noise-promo"}, {"hazte socio", false, "noise-promo"}, {"hazte suscriptor", false, "noise-promo"},
    {"sign up", false, "noise-promo"}, {"newsletter", false, "noise-promo"}, {"boletín", false, "noise-promo"},
    {"become a member", false, "noise-promo"}, {"become a subscriber", false, "noise-promo"},
    {"support our journalism", false, "noise-promo"}, {"apoya el periodismo", false, "noise-promo"},
    {"подпишитесь", false, "noise-promo"}, {"подписывайтесь", false, "noise-promo"},
    {"abonnez-vous", false, "noise-promo"}, {"abonnieren", false, "noise-promo"}, {"jetzt abonnieren", false, "noise-promo"},
    {"get our newsletter", false, "noise-promo"}, {"iscriviti", false, "noise-promo"},
    {"abbonati", false, "noise-promo"}, {"assine", false, "noise-promo"}, {"подписаться", false, "noise-promo"},
    {"jetzt newsletter", false, "noise-promo"}, {"inscrivez-vous", false, "noise-promo"}, {"join our newsletter", false, "noise-promo"},
    {"already a subscriber", false, "noise-promo"}, {"thanks for reading", false, "noise-promo"},
    {"gracias por leer", false, "noise-promo"}, {"danke fürs lesen", false, "noise-promo"},
    {"merci de votre lecture", false, "noise-promo"}, {"спасибо, что читаете", false, "noise-promo"}, {"¿ya eres suscriptor", false, "noise-promo"},
    {"this content is for subscribers", false, "noise-promo"}, {"exclusive for subscribers", false, "noise-promo"},
    // cookies and consent
    {"we use cookies", false, "noise-cookie"}, {"this site uses cookies", false, "noise-cookie"},
    {"this website uses cookies", false, "noise-cookie"}, {"utilizamos cookies", false, "noise-cookie"},
    {"usamos cookies", false, "noise-cookie"}, {"accept cookies", false, "noise-cookie"},
    {"aceptar cookies", false, "noise-cookie"}, {"accept all", true, "noise-cookie"},
    {"aceptar", true, "noise-cookie"}, {"cookie settings", false, "noise-cookie"},
    {"мы используем cookie", false, "noise-cookie"}, {"nous utilisons des cookies", false, "noise-cookie"},
    // banners and site furniture
    {"advertisement", true, "noise-banner"}, {"publicidad", true, "noise-banner"}, {"anuncio", true, "noise-banner"},
    {"реклама", true, "noise-banner"}, {"publicité", true, "noise-banner"}, {"anzeige", true, "noise-banner"},
    {"publicidade", true, "noise-banner"}, {"pubblicità", true, "noise-banner"}, {"werbung", true, "noise-banner"},
    {"sponsored", true, "noise-banner"}, {"patrocinado", true, "noise-banner"},
    {"reuse this content", true, "noise-banner"}, {"réutiliser ce contenu", false, "noise-banner"},
    {"contribuer | réutiliser ce contenu", true, "noise-banner"}, {"report an error", true, "noise-banner"},
    {"fin de la transcription", false, "noise-banner"}, {"ende des interviews", false, "noise-banner"},
    {"fine dell'intervista", false, "noise-banner"}, {"fim da entrevista", false, "noise-banner"},
    {"кінець інтерв'ю", false, "noise-banner"}, {"end of interview", false, "noise-banner"},
    {"skip to content", false, "noise-banner"}, {"skip to main content", false, "noise-banner"},
    {"ir al contenido", false, "noise-banner"}, {"menu", true, "noise-banner"}, {"menú", true, "noise-banner"},
    {"log in", true, "noise-banner"}, {"login", true, "noise-banner"}, {"sign in", true, "noise-banner"},
    {"iniciar sesión", true, "noise-banner"}, {"search", true, "noise-banner"}, {"buscar", true, "noise-banner"},
    {"close", true, "noise-banner"}, {"cerrar", true, "noise-banner"}, {"most read", true, "noise-banner"},
    {"lo más leído", true, "noise-banner"}, {"trending", true, "noise-banner"}, {"comments", true, "noise-banner"},
    {"comentarios", true, "noise-banner"}, {"listen to this article", false, "noise-banner"},
    {"escuchar este artículo", false, "noise-banner"}, {"reading time", false, "noise-banner"},
    {"tiempo de lectura", false, "noise-banner"}, {"min read", false, "noise-banner"},
    {"leestijd", false, "noise-banner"}, {"lesezeit", false, "noise-banner"},
    {"temps de lecture", false, "noise-banner"}, {"temps de lectura", false, "noise-banner"},
    {"czas czytania", false, "noise-banner"}, {"artikel zum hören", false, "noise-banner"},
    {"all rights reserved", false, "noise-banner"}, {"todos los derechos reservados", false, "noise-banner"},
    {"back to top", true, "noise-banner"}, {"volver arriba", true, "noise-banner"},
    {"open in app", true, "noise-banner"}, {"download the app", false, "noise-banner"},
    {"continue reading", false, "noise-banner"}, {"©", false, "noise-banner"}, {"(c) ", false, "noise-banner"},
    {"copyright ", false, "noise-banner"}, {"end of transcript", false, "noise-banner"},
    {"fin de la entrevista", false, "noise-banner"}, {"fin de la transcripción", false, "noise-banner"},
    {"конец интервью", false, "noise-banner"}, {"[end]", true, "noise-banner"}, {"end", true, "noise-banner"},
    {"fin", true, "noise-banner"}, {"###", true, "noise-banner"}, {"-30-", true, "noise-banner"}, {"story continues below", false, "noise-banner"},
    {"article continues below", false, "noise-banner"}, {"the article continues", false, "noise-banner"},
    {"sigue leyendo", false, "noise-banner"}, {"la noticia continúa", false, "noise-banner"},
    {"continúa leyendo", false, "noise-banner"}, {"seguir leyendo", false, "noise-banner"},
    {"weiterlesen", false, "noise-banner"}, {"lire la suite", false, "noise-banner"},
    {"продолжение ниже", false, "noise-banner"}, {"scroll to continue", false, "noise-banner"},
    {"click here to", false, "noise-banner"}, {"haz clic aquí", false, "noise-banner"},
    // ad markers between paragraphs
    {"advertisement ·", false, "noise-banner"}, {"advertisement - scroll", false, "noise-banner"},
    {"report this ad", true, "noise-banner"}, {"reklama", true, "noise-banner"}, {"advertentie", true, "noise-banner"},
    {"publicitat", true, "noise-banner"}, {"reklame", true, "noise-banner"}, {"annonce", true, "noise-banner"},
    // an agency's or a site's footer, the author box's links
    {"our standards:", false, "noise-banner"}, {"contribuer", true, "noise-banner"}, {"feedback", true, "noise-banner"},
    {"mehr artikel von ", false, "noise-author-box"}, {"alle artikel von ", false, "noise-author-box"},
    {"more articles by ", false, "noise-author-box"}, {"more stories by ", false, "noise-author-box"},
    {"plus d'articles de ", false, "noise-author-box"}, {"más artículos de ", false, "noise-author-box"},
    {"mais artigos de ", false, "noise-author-box"}, {"altri articoli di ", false, "noise-author-box"},
    {"meer artikelen van ", false, "noise-author-box"},
    // paywalls: the offer that cuts the text off, where the copy still has it
    {"you've reached your limit", false, paywall_code}, {"you have reached your limit", false, paywall_code},
    {"subscribe to continue reading", false, paywall_code}, {"sign in to continue reading", false, paywall_code},
    {"log in to continue reading", false, paywall_code}, {"to continue reading, subscribe", false, paywall_code},
    {"this article is for subscribers", false, paywall_code},
    {"melden sie sich an und lesen sie weiter", false, paywall_code}, {"jetzt weiterlesen mit", false, paywall_code},
    {"bereits abonnent", false, paywall_code},
    {"sie sind bereits abonnent", false, paywall_code}, {"schon abonnent", false, paywall_code},
    {"zum weiterlesen", false, paywall_code}, {"dieser artikel ist exklusiv", false, paywall_code},
    {"déjà abonné", false, paywall_code}, {"la suite est réservée aux abonnés", false, paywall_code},
    {"article réservé aux abonnés", true, paywall_code}, {"article réservé à nos abonnés", true, paywall_code},
    {"cet article est réservé aux abonnés", false, paywall_code}, {"pour lire la suite", false, paywall_code},
    {"vous pouvez lire le monde sur un seul appareil", false, paywall_code},
    {"ce message s'affichera sur l'autre appareil", false, paywall_code},
    {"ce message s’affichera sur l’autre appareil", false, paywall_code},
    {"découvrir les offres multicomptes", false, paywall_code},
    {"ya soy suscriptor", false, paywall_code}, {"para seguir leyendo", false, paywall_code},
    {"regístrate para seguir leyendo", false, paywall_code}, {"inicia sesión para seguir leyendo", false, paywall_code},
    {"este artículo es exclusivo para", false, paywall_code}, {"contenido exclusivo para suscriptores", false, paywall_code},
    {"sei già abbonato", false, paywall_code}, {"per continuare a leggere", false, paywall_code},
    {"continua a leggere", true, paywall_code}, {"articolo riservato agli abbonati", false, paywall_code},
    {"questo articolo è riservato agli abbonati", false, paywall_code},
    {"contenuto riservato agli abbonati", false, paywall_code},
    {"já é assinante", false, paywall_code}, {"já sou assinante", false, paywall_code},
    {"para continuar lendo", false, paywall_code}, {"continue lendo", true, paywall_code},
    {"conteúdo exclusivo para assinantes", false, paywall_code},
    {"recurso exclusivo para assinantes", false, paywall_code},
    {"esta reportagem é exclusiva para assinantes", false, paywall_code},
    {"assine ou faça login", false, paywall_code},
    // a transcription service's signature
    {"transcribed by https://otter.ai", true, "noise-banner"}, {"transcribed by otter.ai", true, "noise-banner"},
    // the Guardian's newsletter box, copied with its skip links
    {"skip past newsletter promotion", true, "noise-promo"}, {"after newsletter promotion", true, "noise-promo"},
    {"privacy notice: newsletters may contain", false, "noise-promo"},
    // comment buttons and audio players in other languages
    {"kommentare", true, "noise-banner"}, {"commentaires", true, "noise-banner"}, {"commenti", true, "noise-banner"},
    {"comentários", true, "noise-banner"}, {"artikel hören", true, "noise-banner"},
    {"player wird geladen", false, "noise-banner"}, {"ascolta l'articolo", true, "noise-banner"},
    {"ascolta l’articolo", true, "noise-banner"}, {"weiterlesen auf seite", false, "noise-banner"},
    {"se adhiere a los criterios de the trust project", true, "noise-banner"},
    // El País's paywall
    {"siga leyendo", true, paywall_code}, {"ya no se puede leer más", false, paywall_code},
};

const std::string_view home_words[] = {"home", "inicio", "portada", "главная", "accueil", "startseite",
                                  "início", "news", "noticias", "новости", "index", "головна", "homepage",
                                  "pagina iniziale", "notizie", "nachrichten", "actualités", "notícias"};

const std::string_view byline_prefixes[] = {"by ", "por ", "interview by ", "interviewed by ", "entrevista de ",
                                       "von ", "di ", "беседовала ", "интервью: ", "texto de ", "intervista di ",
                                       "propos recueillis par ", "entrevista: ", "reportagem de ",
                                       "entrevista: ", "texto: ", "text: ", "words: ", "автор: ",
                                       "беседовал ", "беседовала ", "par ", "von ", "de ",
                                       "розмовляла ", "розмовляв ", "розмову вела ", "розмову вів ",
                                       "das gespräch führte ", "das interview führte ", "die fragen stellte ",
                                       "entrevista realizada por ", "интервью взял ", "интервью взяла ",
                                       "intervista a cura di ", "entretien réalisé par ", "rozmawiała ",
                                       "rozmawiał ", "rozmawiali ", "door ", "interview door ", "entrevista feta per "};

// Credits that name the interviewer wherever they stand (often last):
// "Das Gespräch führte Anna Müller."
const std::string_view credit_prefixes[] = {
    "interview by ", "interviewed by ", "propos recueillis par ", "entretien réalisé par ", "das gespräch führte ",
    "das interview führte ", "die fragen stellte ", "entrevista realizada por ", "интервью взял ",
    "интервью взяла ", "беседовал ", "беседовала ", "розмовляла ", "розмовляв ", "розмову вела ", "розмову вів ",
    "intervista a cura di ", "rozmawiała ", "rozmawiał ", "rozmawiali ", "interview door ", "entrevista feta per "};

const std::string_view note_prefixes[] = {
    "this interview has been edited", "this interview was edited", "this conversation has been edited",
    "the interview has been edited", "this transcript has been", "this interview has been condensed",
    "this conversation has been condensed", "this article was amended", "this article has been amended",
    "this article was updated", "this article has been updated", "esta entrevista ha sido editada",
    "esta entrevista fue editada", "la entrevista ha sido editada", "la entrevista fue editada",
    "editor's note", "editor’s note", "nota del editor", "nota de la redacción", "correction:", "corrección:",
    "интервью сокращено", "интервью было отредактировано", "cet entretien a été", "l'entretien a été",
    "das interview wurde"};

// Words that make a bracketed or parenthesised aside a stage direction.
const std::string_view direction_words[] = {
    "laugh", "laughs", "laughter", "laughing", "chuckles", "chuckle", "smiles", "smile", "sighs", "sigh",
    "pause", "pauses", "silence", "applause", "inaudible", "unintelligible", "crosstalk", "crosstalks",
    "coughs", "cough", "music", "cries", "crying", "nods", "shrugs", "laughs)", "risas", "ríe", "rie",
    "sonríe", "silencio", "pausa", "aplausos", "inaudible", "suspira", "смеется", "смеётся", "смех",
    "пауза", "аплодисменты", "вздыхает", "rires", "rit", "sourire", "lachen", "lacht", "lacht)", "risos",
    "ri", "risate", "ride", "off the record", "off-record", "interrupts", "interrupting", "break",
    "end of recording", "recording starts", "recording ends", "phone rings", "gestures"};

// ---- classification ------------------------------------------------------------

enum class cls {
  content,    // a paragraph of text
  noise,      // dropped
  related,    // related-article line
  figure,     // first line of a figure (caption)
  figure_cont,// second line of a figure (duplicate caption / credit), merged
  separator,
  heading,
  image,      // markdown image
  quote,
  note,
  code,
};

struct label_info {
  bool present = false;
  std::string text;      // as written, without brackets and colon: "Question", "Jane Doe"
  std::string key;       // lower-cased
  std::size_t nonspace = 0;  // non-space characters to drop from the block's start
  bool bracketed = false;
  bool bold = false;     // Markdown **Label:**
  std::string initials;  // "Lukas Berg (LB):" -> "LB"
  std::string description;  // "SOFIE LARSEN (CEO, Nordlys Software):" -> "CEO, Nordlys Software"
  std::string timestamp; // "[00:01:02] MARIA LOPEZ:" -> "00:01:02"
  bool question_number = false;  // "Q12 Ruth Cadbury:": a committee's numbered question
  // Named by the format, apart from the text (raw_block::speaker): a
  // speaker, whatever the label says and however often it stands.
  bool given = false;
};

struct item {
  raw_block* raw = nullptr;
  cls kind = cls::content;
  bool dash = false;          // starts with a dialogue dash
  label_info label;
  // The text lower-cased (whole up to 200 code points, else its first 80),
  // as a range of the recognizer's lowered_: one buffer for all items.
  std::size_t low_begin = 0, low_end = 0;
  std::size_t length = 0;     // code points of text
  // figure
  std::string caption, credit;
  // related
  std::string related_text, related_lang, related_marker;
  int turn = -1;              // speaker index once a turn starts here
  bool heading_question = false;  // a heading that asks a question (convention::headings)
  bool interviewer_credit = false;  // starts like "Das Gespräch führte": see find_people
  // An unlabelled question right before a labelled answer, where only the
  // answers carry names (a band's interview: "Who phoned?" / "EUAN: ...").
  bool unlabelled_question = false;
  // The first exchange labelled by name, the rest bare ("Katarzyna Nowak:
  // ...?" / "Agnieszka Zielińska: ..."): the label leaves the text.
  bool pair_label = false;
  // A comment thread's first line of a comment: 1 someone else's (a
  // question), 2 the poster's (an answer); see read_thread.
  int thread_turn = 0;
};

std::size_t nonspace_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = scan::next(s, i);
    if (!scan::is_space(c)) ++n;
  }
  return n;
}

// Reads a turn label at the start of `s` (after an optional dash):
//   [Q]: / [Question]: / [Q] / Q: / Jane Doe: / SECRETARY SMITH: / Q.  (single letters with a dot)
// Returns the label and how many non-space characters it spans, dash included.
bool is_timestamp(std::string_view s);
bool looks_like_dateline(std::string_view text);

// A one-off label that is another's with a letter or two wrong ("kofi
// asynte" for "kofi asante"): at most two bytes edited, in names of two
// words or more.
bool misspelt(std::string_view once, std::string_view name) {
  // Cheap tests first (most pairs differ in length or first letter), and
  // the first letter is taken to be right.
  if (once.empty() || name.empty() || once[0] != name[0] || once.size() > 60 || name.size() > 60) return false;
  if (once.size() + 2 < name.size() || name.size() + 2 < once.size()) return false;
  if (count_words(name) < 2 || count_words(once) != count_words(name)) return false;
  // Edit distance, one row at a time.
  std::array<std::size_t, 62> row{}, next{};
  for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= once.size(); ++i) {
    next[0] = i;
    for (std::size_t j = 1; j <= name.size(); ++j)
      next[j] = std::min({row[j] + 1, next[j - 1] + 1, row[j - 1] + (once[i - 1] == name[j - 1] ? 0 : 1)});
    row = next;
  }
  return row[name.size()] <= 2;
}

// Every word of a name capitalised, or a lower-case particle ("Juan de la
// Cruz", "Ludwig van Beethoven").
bool all_words_capitalised(std::string_view name) {
  static constexpr std::string_view particles_list[] = {"de", "del", "la", "van", "von", "da",
                                                        "der", "di", "le", "y", "bin", "al", "el"};
  static constexpr scan::sorted_words particles(particles_list);
  std::size_t i = 0;
  while (i < name.size()) {
    std::size_t sp = name.find(' ', i);
    std::string_view word = name.substr(i, sp == std::string_view::npos ? std::string_view::npos : sp - i);
    if (!word.empty() && !utf8::is_upper(first_char(word)) && !particles.contains(word)) return false;
    if (sp == std::string_view::npos) break;
    i = sp + 1;
  }
  return true;
}

bool more_nonspace_than(std::string_view s, std::size_t n);

// The first position from i on, before limit, of a byte read_label's
// label loop decides on: ':', '.', '(', ',', '?', '!', ';', '"', ')', '['
// or a digit; limit when there is none.
std::size_t next_decisive(std::string_view s, std::size_t i, std::size_t limit) {
  static constexpr scan::byte_set decisive(":.(,?!;\")[0123456789");
#if defined(__SSE2__)
  for (; i + 16 <= limit; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // '0'..'9', ':' and ';' are 0x30..0x3B (as signed bytes, non-ASCII
    // bytes are negative and outside); the others one by one.
    __m128i hit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x2F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x3C)));
    for (const char c : {'.', '(', ',', '?', '!', '"', ')', '['})
      hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    if (const auto m = static_cast<unsigned>(_mm_movemask_epi8(hit)); m != 0)
      return i + static_cast<std::size_t>(std::countr_zero(m));
  }
#endif
  for (; i < limit; ++i)
    if (decisive[s[i]]) return i;
  return limit;
}

// Fills `out`, a label_info as made (the item's own: no copy or move).
void read_label(std::string_view s, bool bold_first, std::string_view bold_text, label_info& out) {
  bool dash = false;
  std::string_view rest = strip_dash(s, &dash);
  // Transcripts put a timestamp before the speaker: "[00:01:02] MARIA LOPEZ:".
  if (!rest.empty() && (rest[0] == '[' || rest[0] == '(' || (rest[0] >= '0' && rest[0] <= '9'))) {
    bool bracket = rest[0] == '[' || rest[0] == '(';
    std::size_t end = bracket ? rest.find(rest[0] == '[' ? ']' : ')') : rest.find(' ');
    if (end != std::string_view::npos && end <= 14) {
      std::string_view ts = rest.substr(bracket ? 1 : 0, bracket ? end - 1 : end);
      if (is_timestamp(ts)) {
        out.timestamp = std::string(ts);
        rest = scan::trim(rest.substr(end + (bracket ? 1 : 0)));
        if (bold_first) bold_first = false;
      }
    }
  }
  std::size_t dash_chars = nonspace_count(s.substr(0, s.size() - rest.size()));
  // "Q12 Ruth Cadbury: ...", "Q1 THE CHAIR: ...": Hansard's question
  // number, then a speaker's name (scan::question_number, as the plain
  // reader reads it). The number goes with the label.
  if (const std::size_t q = scan::question_number(rest); q != 0 && scan::question_number(rest.substr(q)) == 0) {
    // A name, or the chair: "Q3 Results:" is a quarter's.
    label_info named;
    read_label(rest.substr(q), false, {}, named);
    const bool chair = named.key == "chair" || named.key == "chairman" || named.key == "chairwoman";
    if (!named.present || named.bracketed || find_qa(named.key) ||
        !(chair || (count_words(named.text) >= 2 && all_words_capitalised(named.text))))
      return;
    named.nonspace += dash_chars + nonspace_count(rest.substr(0, q));
    named.question_number = true;
    out = std::move(named);
    return;
  }

  if (bold_first) {
    // **Label:** text, or **Label**: text
    std::string_view b = scan::trim(bold_text);
    bool colon_inside = !b.empty() && (b.back() == ':' || last_char(b) == U'：');
    std::string_view name = b;
    if (colon_inside) name = scan::trim(name.substr(0, name.size() - (b.back() == ':' ? 1 : 3)));
    std::string_view after = rest.substr(std::min(rest.size(), b.size()));
    bool colon_after = !after.empty() && after[0] == ':';
    if ((colon_inside || colon_after) && !name.empty() && !utf8::longer_than(name, 40) && count_words(name) <= 5 &&
        starts_with(rest, b)) {
      out.present = true;
      out.bold = true;
      out.text = std::string(name);
      if (out.text.size() > 2 && out.text.front() == '[' && out.text.back() == ']')
        out.text = out.text.substr(1, out.text.size() - 2);
      out.nonspace = dash_chars + nonspace_count(b) + (colon_after ? 1 : 0);
      out.key = lower(out.text);
      return;
    }
  }

  // [Label]: or [Label]
  if (!rest.empty() && rest[0] == '[') {
    std::size_t close = rest.find(']');
    if (close != std::string_view::npos && close <= 40) {
      std::string_view name = scan::trim(rest.substr(1, close - 1));
      std::size_t after = close + 1;
      bool colon = after < rest.size() && rest[after] == ':';
      const qa_word* w = find_qa(lower(name));
      // A bare [Q] counts only for the role words; [Name] needs the colon.
      if (!name.empty() && (colon || w) && count_words(name) <= 4) {
        out.present = true;
        out.bracketed = true;
        out.text = std::string(name);
        out.key = lower(name);
        out.nonspace = dash_chars + nonspace_count(rest.substr(0, after + (colon ? 1 : 0)));
        return;
      }
    }
    return;
  }

  // "P – text", "R - text", "Pregunta — text": a role word, then a dash.
  if (const std::size_t sp = rest.substr(0, 13).find(' ');
      sp != std::string_view::npos && sp > 0 && sp + 1 < rest.size() && (rest[sp + 1] == '-' || rest[sp + 1] == '\xE2') &&
      utf8::is_upper(first_char(rest))) {
    const std::string_view after = rest.substr(sp + 1);
    for (std::string_view d : {std::string_view("– "), std::string_view("- "), std::string_view("— ")}) {
      if (!starts_with(after, d)) continue;
      std::string key = lower(rest.substr(0, sp));
      if (!find_qa(key)) break;
      out.present = true;
      out.text = std::string(rest.substr(0, sp));
      out.key = std::move(key);
      out.nonspace = dash_chars + nonspace_count(rest.substr(0, sp + 1 + d.size()));
      return;
    }
  }

  // "Beatriz Nogueira – Evitada, não.", "Folha – A seca ...?": a name of up
  // to four capitalised words, then a spaced dash and a capital. A speaker
  // only where it recurs (choose_convention). Both dashes start with the
  // byte E2: most lines have none, and one memchr tells.
  const std::string_view head = rest.substr(0, 48);
  const bool dash_byte = head.find('\xE2') != std::string_view::npos;
  for (std::string_view d : {std::string_view(" – "), std::string_view(" — ")}) {
    if (!dash_byte) break;
    const std::size_t at = head.find(d);
    if (at == std::string_view::npos || at == 0) continue;
    const std::string_view name = rest.substr(0, at);
    if (count_words(name, 5) > 4 || !utf8::is_upper(first_char(name)) || !all_words_capitalised(name)) break;
    bool plain = true;
    for (std::size_t k = 0; k < name.size() && plain;) {
      const char32_t c = scan::next(name, k);
      plain = utf8::is_letter(c) || c == ' ' || c == '.' || c == '-' || c == '\'' || c == U'’';
    }
    const std::string_view after = rest.substr(at + d.size());
    const char32_t f = first_char(after);
    if (!plain || !(utf8::is_upper(f) || f == U'¿' || f == U'¡' || f == U'«' || f == U'“' || f == '"')) break;
    // "By Felix Brandauer — April 2, 2024" is a byline.
    const std::string first_word = lower(name.substr(0, name.find(' ')));
    if (std::any_of(std::begin(byline_prefixes), std::end(byline_prefixes),
                    [&](std::string_view p) { return p.size() == first_word.size() + 1 && starts_with(p, first_word); }) ||
        looks_like_dateline(after))
      break;
    out.present = true;
    out.text = std::string(name);
    out.key = lower(name);
    out.nonspace = dash_chars + nonspace_count(rest.substr(0, at + d.size()));
    return;
  }

  // Label: text — at most 5 words and 40 characters before the colon, no digits,
  // no sentence punctuation inside.
  std::size_t limit = std::min<std::size_t>(rest.size(), 64);
  std::size_t colon = std::string_view::npos;
  // The loop visits only the characters it decides on; the others
  // (letters, spaces) it passes over sixteen at a time.
  for (std::size_t i = next_decisive(rest, 0, limit); i < limit; i = next_decisive(rest, i + 1, limit)) {
    char c = rest[i];
    if (c == ':') {
      colon = i;
      break;
    }
    if (c == '.' && i + 1 < limit && rest[i + 1] == ' ' && i <= 12) {
      // "Q. text" / "P. text" / "Pregunta. text": role words with a dot
      std::string key = lower(rest.substr(0, i));
      const qa_word* w = find_qa(key);
      if (w && key.find(' ') == std::string::npos) {
        out.present = true;
        out.text = std::string(rest.substr(0, i));
        out.key = key;
        out.nonspace = dash_chars + i + 1;
        // "Q.   (BY MR. FENWICK)  You can answer.": a deposition says which
        // lawyer asks again after an objection; the words go with the label.
        const std::string_view after = scan::trim(rest.substr(i + 1));
        if (w->kind == qa::question && (starts_with(after, "(BY ") || starts_with(after, "(By "))) {
          const std::size_t close = after.find(')');
          const std::size_t by = close <= 40 ? nonspace_count(after.substr(0, close + 1)) : 0;
          if (by != 0 && more_nonspace_than(after, by)) out.nonspace += by;
        }
        return;
      }
    }
    if (c == '(') {
      // "Lukas Berg (LB): ..." — a name with its initials in brackets; and
      // "SOFIE LARSEN (CEO, Nordlys Software): ..." — with what she is.
      std::size_t close = rest.find(')', i);
      if (close != std::string_view::npos && close + 1 < rest.size() && rest[close + 1] == ':' && close - i <= 80) {
        colon = close + 1;
        break;
      }
      return;
    }
    if (c == ',' || c == '?' || c == '!' || c == ';' || c == '"' || c == ')' || c == '[' ||
        (c >= '0' && c <= '9'))
      return;
  }
  if (colon == std::string_view::npos || colon == 0) return;
  std::string_view initials;
  if (rest[colon - 1] == ')') {
    std::size_t open = rest.rfind('(', colon);
    const std::string_view inside = scan::trim(rest.substr(open + 1, colon - open - 2));
    std::string_view name = scan::trim(rest.substr(0, open));
    if (name.empty() || utf8::longer_than(name, 40) || count_words(name) > 5 || !utf8::is_upper(first_char(name)))
      return;
    if (is_timestamp(inside)) {
      // "Interviewer (00:00:03): ..." (Rev): when it was said, not what
      // the speaker is.
      out.timestamp = std::string(inside);
    } else if (inside.size() <= 6 && !inside.empty() && all_caps(inside) && inside.find(' ') == std::string_view::npos) {
      initials = inside;
    } else {
      // A description: after a name, each word of it capitalised ("Sofie
      // Larsen", "SOFIE LARSEN"); not after any words ("Note (2023):").
      if (inside.empty() || count_words(name) < 2 || !all_words_capitalised(name)) return;
      // "(laughs)" is a stage direction, not what the speaker is.
      if (utf8::is_upper(first_char(inside)) || utf8::is_digit(first_char(inside)))
        out.description = std::string(inside);
    }
    out.present = true;
    out.text = std::string(name);
    out.key = lower(name);
    out.initials = std::string(initials);
    out.nonspace = dash_chars + nonspace_count(rest.substr(0, colon + 1));
    return;
  }
  // "12:30" and URLs are not labels.
  if (colon + 1 < rest.size() && (rest[colon + 1] == '/' || (rest[colon + 1] >= '0' && rest[colon + 1] <= '9')))
    return;
  std::string_view name = scan::trim(rest.substr(0, colon));
  if (name.empty() || utf8::longer_than(name, 40) || count_words(name) > 5) return;
  // The label starts with a letter, capitalised (or is a role word).
  char32_t f = first_char(name);
  if (!utf8::is_letter(f)) return;
  std::string key = lower(name);
  if (!utf8::is_upper(f) && !find_qa(key)) return;
  // Every word of a multi-word name is capitalised, or a lower-case particle.
  if (count_words(name) > 1 && !all_words_capitalised(name)) return;
  out.present = true;
  out.text = std::string(name);
  out.key = key;
  out.nonspace = dash_chars + nonspace_count(rest.substr(0, colon + 1));
  return;
}

// Whether s has more than n non-space characters: whether something is
// left once drop_prefix has taken n.
bool more_nonspace_than(std::string_view s, std::size_t n) {
  for (std::size_t i = 0; i < s.size();) {
    if (!scan::is_space(scan::next(s, i)) && n-- == 0) return true;
  }
  return false;
}

// Removes the first `n` non-space characters (and the white space around
// them) from the start of the inlines, across nodes.
void drop_prefix(inlines& content, std::size_t& n) {
  for (auto it = content.begin(); it != content.end() && n > 0;) {
    auto& node = *it;
    if (node.kind == inline_kind::text || node.kind == inline_kind::code) {
      std::string_view s = node.text;
      std::size_t i = 0;
      while (i < s.size()) {
        std::size_t j = i;
        char32_t c = scan::next(s, j);
        if (!scan::is_space(c)) {
          if (n == 0) break;
          --n;
        }
        i = j;
      }
      node.text.erase(0, i);
    } else if (!node.children.empty()) {
      drop_prefix(node.children, n);
    } else if (node.kind == inline_kind::line_break) {
      // skip
    } else {
      break;
    }
    bool empty = (node.kind == inline_kind::text || node.kind == inline_kind::code) ? node.text.empty()
                 : (node.kind == inline_kind::line_break) ? true
                 : node.children.empty();
    if (empty) {
      it = content.erase(it);
    } else {
      break;
    }
  }
  // Leading white space left in the first text node, and line breaks after
  // the label ("**Jane Doe:**" then a hard break, the words below).
  while (!content.empty()) {
    if (content.front().kind == inline_kind::line_break) {
      content.erase(content.begin());
      continue;
    }
    if (content.front().kind != inline_kind::text) break;
    auto& t = content.front().text;
    std::string_view tv = scan::trim(t);
    if (tv.size() == t.size()) break;
    t.erase(0, static_cast<std::size_t>(tv.data() - t.data()));
    if (!t.empty()) break;
    content.erase(content.begin());
  }
}

// Splits "caption Source: credit" into its parts. Returns true when a credit
// marker was found; chained markers ("Source: Fuente: UN Geneva") collapse.
// The code point that ends at `end` in s, and where it starts.
char32_t char_before(std::string_view s, std::size_t end, std::size_t& start) {
  start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  std::size_t i = start;
  return scan::next(s, i);
}

// Where the lower-case word m ends text[0, end) in any case, compared
// character by character; npos when it does not. (Lower-casing the text
// first would move positions: "K" (the Kelvin sign) is three bytes, "k" one.)
std::size_t marker_before(std::string_view text, std::size_t end, std::string_view m) {
  std::size_t i = end, j = m.size();
  while (j > 0) {
    if (i == 0) return std::string_view::npos;
    std::size_t ti = 0, mj = 0;
    const char32_t c = char_before(text, i, ti);
    if (scan::to_lower(c) != char_before(m, j, mj)) return std::string_view::npos;
    i = ti;
    j = mj;
  }
  return i;
}

bool split_credit(std::string_view text, std::string& caption, std::string& credit) {
  // Most paragraphs hold neither a colon nor ©: nothing to look for.
  if (text.find(':') == std::string_view::npos && text.find("©") == std::string_view::npos) return false;
  // Markers by their last byte: at a colon, only those that can end the
  // word before it are compared.
  static const scan::first_byte_index by_last(credit_markers,
                                              [](std::string_view m) { return m.substr(m.size() - 1); });
  std::size_t best = std::string::npos;
  std::size_t best_len = 0;
  // At each colon, is the word before it a credit marker? ("Photo:",
  // "Fuente:", French "Photo :" with a space or a no-break space.)
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos && best == std::string::npos;
       colon = text.find(':', colon + 1)) {
    std::string_view before = text.substr(0, colon);
    for (std::string_view sp : {std::string_view(" "), std::string_view("\u00a0"), std::string_view("\u202f")})
      if (before.ends_with(sp)) {
        before.remove_suffix(sp.size());
        break;
      }
    if (before.empty()) continue;
    // The last character in lower case, for its last byte.
    std::size_t last_at = 0;
    char last[4];
    std::size_t last_len = 0;
    scan::encode_into(scan::to_lower(char_before(before, before.size(), last_at)), last, last_len, sizeof last);
    if (last_len == 0) continue;
    for (std::uint16_t k : by_last.candidates(std::string_view(last + last_len - 1, 1))) {
      const std::size_t at = marker_before(before, before.size(), credit_markers[k]);
      if (at == std::string_view::npos) continue;
      // After a space (a no-break one too: "Barbate.&nbsp;Foto:"), a
      // parenthesis or a full stop.
      const std::string_view head = text.substr(0, at);
      bool boundary = at == 0 || text[at - 1] == ' ' || text[at - 1] == '(' || text[at - 1] == '.' ||
                      head.ends_with("\u00a0") || head.ends_with("\u202f");
      if (!boundary) continue;
      best = at;
      best_len = colon + 1 - at;
      break;
    }
  }
  std::size_t copy = text.find("©");
  if (copy != std::string::npos && (best == std::string::npos || copy < best)) {
    best = copy;
    best_len = std::string_view("©").size();
  }
  if (best == std::string::npos) return false;
  caption = std::string(scan::trim(text.substr(0, best)));
  if (!caption.empty() && caption.back() == '(') caption = std::string(scan::trim(caption.substr(0, caption.size() - 1)));
  std::string rest(scan::trim(text.substr(best + best_len)));
  // Collapse chained markers: "Fuente: UN Geneva".
  for (bool again = true; again;) {
    again = false;
    std::string rl = lower(rest);
    for (std::string_view m : credit_markers) {
      if (!starts_with(rl, m)) continue;
      for (std::string_view colon : {":", " :", "\u00a0:", "\u202f:"}) {
        if (starts_with(std::string_view(rl).substr(m.size()), colon)) {
          rest = std::string(scan::trim(std::string_view(rest).substr(m.size() + colon.size())));
          again = true;
          break;
        }
      }
      if (again) break;
    }
  }
  if (!rest.empty() && rest.back() == ')') rest.pop_back();
  credit = std::string(scan::trim(rest));
  return true;
}

std::optional<std::pair<std::string, std::string>> match_related(std::string_view text, std::string_view low) {
  static const scan::first_byte_index by_first(related_markers, [](const marker& m) { return m.text; });
  for (std::uint16_t k : by_first.candidates(low)) {
    const marker& m = related_markers[k];
    std::string_view mt = m.text;
    if (!starts_with(low, mt)) continue;
    std::string_view rest = text.substr(mt.size());
    // "Related:" / "Read more →" / "READ MORE |"
    std::size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ')) ++i;
    // "More on this story", "LESEN SIE AUCH" alone: a heading over the
    // titles below it.
    if (i == rest.size()) return std::make_pair(std::string(m.lang), std::string());
    if (i < rest.size() && (rest[i] == ':' || rest[i] == '|')) {
      ++i;
    } else if (starts_with(rest.substr(i), "→") || starts_with(rest.substr(i), "»")) {
      i += 3;
      if (starts_with(rest.substr(i - 3), "»")) i -= 1;
    } else {
      continue;
    }
    return std::make_pair(std::string(m.lang), std::string(scan::trim(rest.substr(i))));
  }
  return std::nullopt;
}

// "Article réservé à nos abonnés  Budget 2025 : ...": a subscribers' badge
// before a related article's title goes, with the space after it.
void strip_badge(std::string& title) {
  static constexpr std::string_view badges[] = {
      "article réservé à nos abonnés", "article réservé aux abonnés", "réservé aux abonnés",
      "exclusivo para suscriptores", "exclusivo para assinantes", "exclusivo para assinante",
      "riservato agli abbonati", "subscribers only", "subscriber only", "nur für abonnenten"};
  const std::string_view t = title;
  const std::string low = lower(t.substr(0, scan::prefix_bytes(t, 60)));
  for (std::string_view b : badges) {
    if (!starts_with(low, b) || low.size() == b.size() || (low[b.size()] != ' ' && low[b.size()] != '|')) continue;
    const std::string_view rest = scan::trim(t.substr(scan::prefix_bytes(t, scan::length(b))));
    if (rest.size() > 1 && rest[0] == '|') title = std::string(scan::trim(rest.substr(1)));
    else if (!rest.empty()) title = std::string(rest);
    return;
  }
}

// text.find(sep, from) for a separator " X " whose middle is not a space.
// Looking for the middle byte passes over the line's many spaces, where a
// plain find stops at each one.
std::size_t find_separator(std::string_view text, std::string_view sep, std::size_t from) {
  for (std::size_t at = text.find(sep[1], from + 1); at != std::string_view::npos; at = text.find(sep[1], at + 1))
    if (text.compare(at - 1, sep.size(), sep) == 0) return at - 1;
  return std::string_view::npos;
}

// The segments between the separators, trimmed.
void split_segments(std::string_view text, std::string_view sep, std::vector<std::string>& segments) {
  segments.clear();
  std::size_t i = 0;
  while (true) {
    std::size_t at = find_separator(text, sep, i);
    segments.emplace_back(scan::trim(text.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i)));
    if (at == std::string_view::npos) break;
    i = at + sep.size();
  }
}

bool is_home_word(std::string_view segment) {
  if (segment.size() > 20) return false;  // longer than every home word
  std::string f = scan::lower(segment);
  return std::any_of(std::begin(home_words), std::end(home_words), [&](std::string_view h) { return f == h; });
}

// A breadcrumb: 2+ separators with short segments ("Portada | Europa | ...").
// The segments are only copied out once the line is known to be one.
bool is_breadcrumb(std::string_view text, std::vector<std::string>& segments) {
  segments.clear();
  // Every separator is a space and one of these bytes, then more.
  if (!scan::space_then_any_of(text, "|>/-\xC2\xE2")) return false;
  static constexpr std::string_view separators[] = {" | ", " > ", " » ", " / ", " › ", " · ", " - ", " – "};
  for (std::string_view sep : separators) {
    const std::size_t first = find_separator(text, sep, 0);
    if (first == std::string_view::npos) continue;  // one segment
    // Dashes join words in prose and headlines: "Home - Health - Interviews"
    // only, a trail that starts at the home page.
    if ((sep == " - " || sep == " – ") && !is_home_word(scan::trim(text.substr(0, first)))) continue;
    if (find_separator(text, sep, first + sep.size()) == std::string_view::npos) {
      // Two segments: a breadcrumb when the first is the home page.
      if (is_home_word(scan::trim(text.substr(0, first)))) {
        split_segments(text, sep, segments);
        return true;
      }
      continue;
    }
    // All but the last segment short (the last may be the headline), and
    // names of sections: no colon ("A: Nothing / milk / wine" is an
    // answer). A slash or a middle dot also separates words in prose
    // ("Tea / coffee / water"): with those, the sections must be
    // capitalised alike.
    bool short_ok = true;
    int upper = 0, lower = 0;
    for (std::size_t i = 0, at = first; at != std::string_view::npos && short_ok;
         i = at + sep.size(), at = find_separator(text, sep, i)) {
      std::string_view segment = scan::trim(text.substr(i, at - i));
      if (segment.empty() || count_words(segment) > 4 || segment.find(':') != std::string_view::npos) short_ok = false;
      else if (const char32_t c = first_char(segment); utf8::is_upper(c)) ++upper;
      else if (utf8::is_lower(c)) ++lower;
    }
    if (upper > 0 && lower > 0 && (sep == " / " || sep == " · ")) short_ok = false;
    if (short_ok) {
      split_segments(text, sep, segments);
      return true;
    }
  }
  return false;
}

// Words that introduce the page's tags or topics, lower case.
constexpr std::string_view tag_words[] = {
    "archivado en", "tags", "tag", "temas", "tema", "topics", "filed under", "etiquetas", "keywords",
    "palabras clave", "schlagwörter", "themen", "теги", "темы", "mots-clés", "argomenti", "tópicos", "assuntos"};

// "Archivado en: Cambio climático · Bolivia", "Tags: rail, transport": the
// page's tags, kept as subjects.
bool read_tags(std::string_view text, std::string_view low, std::vector<std::string>& tags) {
  const auto& prefixes = tag_words;
  // A note's tags, "#interview #bees": every word a tag with a letter.
  if (!text.empty() && text.front() == '#') {
    if (utf8::longer_than(text, 300)) return false;
    tags.clear();
    for (std::size_t i = 0; i < text.size();) {
      while (i < text.size() && text[i] == ' ') ++i;
      if (i == text.size()) break;
      std::size_t j = text.find(' ', i);
      if (j == std::string_view::npos) j = text.size();
      const std::string_view word = text.substr(i, j - i);
      const std::string_view tag = word.substr(1);
      if (word[0] != '#' || tag.empty() || tag.find('#') != std::string_view::npos ||
          std::all_of(tag.begin(), tag.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '_'; }))
        return false;
      tags.emplace_back(tag);
      i = j;
    }
    return !tags.empty();
  }
  static const scan::first_byte_index by_first(prefixes, [](std::string_view p) { return p; });
  for (std::uint16_t k : by_first.candidates(low)) {
    std::string_view p = prefixes[k];
    if (!starts_with(low, p)) continue;
    // Length is asked only of a line that starts with a tag word: most do not.
    if (utf8::longer_than(text, 300)) return false;
    std::string_view rest = text.substr(p.size());
    std::size_t i = 0;
    while (i < rest.size() && rest[i] == ' ') ++i;
    if (i >= rest.size() || rest[i] != ':') return false;
    rest = scan::trim(rest.substr(i + 1));
    tags.clear();
    std::size_t start = 0;
    for (std::size_t k = 0; k <= rest.size();) {
      bool sep = k == rest.size();
      std::size_t len = 1;
      if (!sep) {
        for (std::string_view d : {std::string_view("·"), std::string_view("|"), std::string_view(","),
                                   std::string_view(";"), std::string_view("•")}) {
          if (rest.substr(k, d.size()) == d) {
            sep = true;
            len = d.size();
            break;
          }
        }
      }
      if (sep) {
        std::string_view tag = scan::trim(rest.substr(start, k - start));
        if (!tag.empty()) tags.emplace_back(tag);
        start = k + len;
        k += len;
      } else {
        ++k;
      }
    }
    return !tags.empty();
  }
  return false;
}

// Phrases of language switchers ("Versión en castellano – English
// version"), looked for in noise_code's one pass over the line.
constexpr std::string_view switcher_phrases[] = {
    "versión en castellano", "version en castellano", "english version", "versión en inglés", "version française",
    "versión en español", "read in english", "leer en español", "lire en français", "read this in", "lee esto en",
    "english | español", "español | english", "en | es", "es | en", "русская версия", "english edition",
    "edición en español", "also available in"};

// `phrase` says whether the line holds one of switcher_phrases (noise_code
// found out).
bool is_language_switcher(std::string_view low, bool phrase) {
  if (low.size() > 120) return false;
  if (phrase) return true;
  // "UA | EN", "FR | EN | DE", "Français | English": two or more languages
  // and nothing else.
  static constexpr std::string_view names_list[] = {
      "en", "es", "fr", "de", "it", "pt", "ru", "uk", "ua", "ca", "cat", "eu", "gl", "nl", "pl", "zh", "ja", "ar",
      "ro", "el", "tr", "ha", "yo", "ig", "sw", "english", "español", "espanol", "spanish", "castellano",
      "français", "francais", "french", "deutsch", "german", "italiano", "italian", "português", "portugues",
      "portuguese", "русский", "russian", "українська", "ukrainian", "català", "catalan", "euskara", "galego",
      "nederlands", "polski", "hausa", "yoruba", "igbo", "kiswahili", "swahili", "türkçe", "ελληνικά", "română",
      "中文", "日本語", "العربية"};
  static constexpr scan::sorted_words names(names_list);
  // Every name is short: a separator comes within the first 24 bytes, and
  // the line is short. Most lines are turned away there.
  if (low.size() > 80) return false;
  int languages = 0;
  std::size_t from = 0;  // where the segment starts
  for (std::size_t j = 0; j <= low.size(); ++j) {
    // The separators: | and /, and the middle dot and bullet (· •).
    std::size_t width = 0;
    if (j == low.size() || low[j] == '|' || low[j] == '/') width = 1;
    else if (low[j] == '\xC2' && j + 1 < low.size() && low[j + 1] == '\xB7') width = 2;
    else if (low[j] == '\xE2' && low.compare(j, 3, "\u2022") == 0) width = 3;
    if (width == 0) {
      if (j - from > 24) return false;
      continue;
    }
    if (!names.contains(scan::trim(low.substr(from, j - from)))) return false;
    ++languages;
    from = j + width;
    j = from - 1;
  }
  return languages >= 2;
}

// `length` is the text's length in code points.
// The line without dashes (- – —) and spaces at either end.
std::string_view strip_dashes_around(std::string_view l) {
  for (bool again = true; again && !l.empty();) {
    again = false;
    for (std::string_view d : {std::string_view("-"), std::string_view("\u2013"), std::string_view("\u2014"),
                               std::string_view(" ")}) {
      while (l.size() >= d.size() && l.substr(0, d.size()) == d) l.remove_prefix(d.size()), again = true;
      while (l.size() >= d.size() && l.substr(l.size() - d.size()) == d) l.remove_suffix(d.size()), again = true;
    }
  }
  return l;
}

// "148 comments", "Kommentare (23)", "Ir a los comentarios (312)",
// "Комментарии: 14": a count of readers' comments (lower-cased line).
bool is_comment_count(std::string_view l) {
  if (l.size() > 60 || std::none_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  static constexpr std::string_view phrases_list[] = {
      "comments", "comment", "view comments", "show comments", "see comments", "read comments", "skomentuj",
      "komentarze", "reacties", "comentaris",
      "comentarios", "comentario", "ver comentarios", "ir a los comentarios", "kommentare", "kommentar",
      "комментарии", "комментариев", "комментария", "коментарі", "коментарів", "commenti", "commento",
      "commentaires", "commentaire", "comentários", "comentário"};
  static constexpr scan::sorted_words phrases(phrases_list);
  // The words without the number, its brackets and separators.
  std::string words;
  for (char c : l) {
    if (c >= '0' && c <= '9') continue;
    if (c == '(' || c == ')' || c == ':' || c == '[' || c == ']') c = ' ';
    if (c == ' ' && (words.empty() || words.back() == ' ')) continue;
    words += c;
  }
  while (!words.empty() && words.back() == ' ') words.pop_back();
  return phrases.contains(words);
}

// "page 1 of 2", "seite 3 von 7", "página 2 de 5": a printed page's
// footer in an export (lower-cased line).
bool is_page_count(std::string_view l) {
  static constexpr std::string_view pages[] = {"page ", "seite ", "página ", "pagina ", "pàgina ", "strona "};
  static constexpr std::string_view ofs[] = {" of ", " von ", " de ", " di ", " sur ", " z ", " / "};
  const auto number = [&](std::size_t& i) {
    const std::size_t from = i;
    while (i < l.size() && l[i] >= '0' && l[i] <= '9') ++i;
    return i > from;
  };
  for (std::string_view p : pages) {
    if (!starts_with(l, p)) continue;
    std::size_t i = p.size();
    if (!number(i)) return false;
    for (std::string_view o : ofs) {
      if (l.substr(i, o.size()) != o) continue;
      std::size_t j = i + o.size();
      return number(j) && j == l.size();
    }
    return false;
  }
  return false;
}

// noise_code's code for a line that gives the reading time, which a
// byline may also do.
constexpr const char* reading_time_code = "noise-reading-time";

// `switcher` (if given) is set when the line holds a language switcher's
// phrase, which this one pass over it looks for too.
const char* noise_code(std::string_view low, std::size_t length, bool* switcher = nullptr) {
  // Noise is page furniture: short. A long paragraph that mentions cookies
  // or subscriptions is content.
  if (length > 200) return nullptr;
  // `low` holds the first 300 code points lower-cased: here, the whole line.
  std::string_view l = scan::trim(low);
  // Promo copy: a short line with two or more selling words.
  static constexpr std::string_view selling[] = {"premium", " plan ", "suscrip", "subscri", "acceso", "access to",
                                                 "€", "$", "member", "socio", "newsletter", "descuento", "discount",
                                                 "oferta", "offer", "gratis", "free trial", "paywall", "подписк",
                                                 "abonnement", "exclusiv", "abonnez", "abonnier", "iscriviti", "abbonat",
                                                 "assine", "assinatura", "acesso", "подпис", "рассылк", "канал в",
                                                 "unlimited", "ilimitad", "illimit", "1 €", "sign up", "inbox", "weekly", "€1", "£1"};
  static_assert(std::size(selling) <= 64, "one bit per selling word");
  static constexpr std::string_view networks[] = {"facebook", "twitter", "whatsapp", "telegram", "linkedin", "email",
                                                  "e-mail", "reddit", "pinterest", "x", "vk", "mail", "messenger",
                                                  "bluesky", "threads", "print", "copy", "link", "instagram", "flipboard"};
  // Words of a share row end at a space, '|', '/', ':', ',' or either byte
  // of the UTF-8 middle dot (C2 B7): bytes, not characters, as the split
  // always was.
  static constexpr auto breaks = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view(" |\xC2\xB7/:,")) t[c] = true;
    return t;
  }();
  // One pass over the line looks for the selling words and counts the
  // network names that begin a word: the share-row test below needs two of
  // those, and most lines have none.
  // The same pass finds a reading time: "Published in Field Notes · 7 min
  // read · Mar 3, 2024".
  static constexpr std::string_view reading[] = {" min read", " min de lectura", " min. lesezeit", " min de leitura",
                                                 " min di lettura", " мин чтения", " min de lecture"};
  // And a sponsor's read in a podcast transcript: "This episode of The
  // Long Haul is brought to you by Greenway Home Energy. ..."
  static constexpr std::string_view sponsoring[] = {" brought to you by ", " sponsored by ", " supported by ",
                                                    " patrocinado por ", " patrocinio de "};
  constexpr std::size_t first_network = std::size(selling), first_reading = first_network + std::size(networks),
                        first_sponsoring = first_reading + std::size(reading),
                        first_switcher = first_sponsoring + std::size(sponsoring);
  static constexpr auto all_words = scan::join(selling, networks, reading, sponsoring, switcher_phrases);
  static constexpr scan::word_finder<scan::shape_of(all_words)> finder(all_words);
  std::uint64_t found = 0;
  int sell = 0;
  std::size_t network_starts = 0;
  bool reading_time = false, sponsored = false;
  const bool promo = finder.scan(l, [&](std::size_t k, std::size_t i) {
    if (k >= first_switcher) {
      if (switcher) *switcher = true;
      return false;
    }
    if (k >= first_sponsoring) {
      sponsored = true;
      return false;
    }
    if (k >= first_reading) {
      reading_time = true;
      return false;
    }
    if (k >= first_network) {
      if (i == 0 || breaks[static_cast<unsigned char>(l[i - 1])]) ++network_starts;
      return false;
    }
    if (found >> k & 1) return false;
    found |= std::uint64_t{1} << k;
    return ++sell >= 2;
  });
  if (promo) return "noise-promo";
  if (sponsored) {
    // Said of the show, at the start: "This episode ...", "Support for
    // this podcast comes from ...". A guest's "a study supported by the
    // foundation" is not.
    static constexpr std::string_view shows[] = {"this episode", "today's episode", "today’s episode", "this show",
                                                 "this podcast", "support for this", "this programme",
                                                 "this program", "este episodio", "este programa"};
    if (std::any_of(std::begin(shows), std::end(shows), [&](std::string_view w) { return starts_with(l, w); }))
      return "noise-sponsor";
  }
  if (reading_time && length <= 120) return reading_time_code;
  if (length > 160) return nullptr;
  while (!l.empty() && (l.back() == '.' || l.back() == '!' || l.back() == ':')) l.remove_suffix(1);
  // "— END —", "-- Fin de la transcription --": a marker between dashes.
  if (l.empty()) return nullptr;  // no rule, cookie word, banner or share row matches an empty line
  if (length <= 40 && is_comment_count(l)) return "noise-banner";
  static const scan::first_byte_index rules_by_first(noise_rules, [](const noise_rule& r) { return r.text; });
  const auto rule_for = [&](std::string_view line) -> const char* {
    for (std::uint16_t k : rules_by_first.candidates(line)) {
      const noise_rule& r = noise_rules[k];
      if (r.whole ? line == r.text : starts_with(line, r.text)) return r.code;
    }
    return nullptr;
  };
  if (const char* code = rule_for(l)) return code;
  if (length <= 30 && is_page_count(l)) return "noise-banner";
  // "Il vous reste 62.4% de cet article à lire."
  if (starts_with(l, "il vous reste ") && l.find(" de cet article") != std::string_view::npos) return paywall_code;
  // "— END —", "-- Fin de la transcription --": a marker between dashes
  // ("-30-" is a rule as it stands).
  if (length <= 60 && (l.front() == '-' || l.front() == '\xE2'))
    if (const std::string_view bare = strip_dashes_around(l); !bare.empty() && bare.size() < l.size())
      if (const char* code = rule_for(bare)) return code;
  // Cookie banners in any language: "cookie" and a word of consent.
  if (l.find("cookie") != std::string_view::npos) {
    static constexpr std::string_view consent[] = {"accept", "akzept", "accett", "acept", "policy", "polític", "consent",
                                                   "browse", "navega", "utiliz", "use ", "uses", "verwenden", "используем",
                                                   "utilisons", "usamos", "setting", "einstellung", "сайт"};
    static constexpr scan::word_finder<scan::shape_of(consent)> consent_words(consent);
    if (consent_words.found_in(l)) return "noise-cookie";
  }
  if (starts_with(l, "an official website of") || starts_with(l, "un sitio oficial")) return "noise-banner";
  // A row of share buttons: "Share on Facebook  Share on X  Share via Email",
  // "Artikel teilen: Facebook X WhatsApp E-Mail". Two or more networks, and
  // nearly every other word is button text. Each network word the loop
  // below counts begins a word of the line, so the first pass counted it
  // too: with fewer than two there, there are fewer than two hits.
  if (network_starts < 2) return nullptr;
  static const std::string_view button_words[] = {"share", "on", "via", "by", "compartir", "en", "por", "teilen",
                                             "artikel", "condividi", "su", "per", "invia", "partager", "sur",
                                             "par", "поделиться", "в", "compartilhar", "no", "this", "article",
                                             "send", "enviar", "copiar", "enlace", "kopieren", "imprimir"};
  static const scan::word_set network_set(networks), button_set(button_words);
  std::size_t words = 0, hits = 0, buttons = 0;
  for (std::size_t i = 0, j = 0; i < l.size(); i = j + 1) {
    j = i;
    while (j < l.size() && !breaks[static_cast<unsigned char>(l[j])]) ++j;
    if (j == i) continue;
    const std::string_view w = l.substr(i, j - i);
    ++words;
    if (network_set.contains(w)) ++hits;
    else if (button_set.contains(w)) ++buttons;
  }
  if (hits >= 2 && (hits + buttons) * 10 >= words * 7) return "noise-share";
  return nullptr;
}

// Publications whose names head their pages and label their questions
// ("DER SPIEGEL", "SPIEGEL:", "Folha –"), lower-cased.
constexpr std::string_view publications_list[] = {
    "ara", "bbc", "bbc news", "bbc sport", "british broadcasting corporation", "corriere della sera",
    "de volkskrant", "der spiegel", "die zeit", "el mundo", "el país", "el periódico", "financial times",
    "folha", "folha de s.paulo", "folha de são paulo", "frankfurter allgemeine", "gazeta wyborcza",
    "la repubblica", "la vanguardia", "le figaro", "le monde", "libération", "nrc", "o globo", "reuters",
    "spiegel", "spiegel online", "süddeutsche zeitung", "the atlantic", "the economist", "the guardian",
    "the new york times", "the new yorker", "the observer", "the times", "the washington post",
    "zeit online"};
constexpr scan::sorted_words publications(publications_list);

// A name that is no person's: a publication ("Le Monde", "BBC Sport"), a
// body that holds hearings ("Transport Committee", "Supreme Court"), or an
// organisation with an acronym in it ("Erasmus MC").
bool is_organisation(std::string_view name) {
  static constexpr std::string_view bodies_list[] = {"committee", "subcommittee", "commission", "council", "tribunal",
                                                     "inquiry", "parliament", "senate", "assembly", "court"};
  static constexpr scan::sorted_words bodies(bodies_list);
  if (publications.contains(scan::lower(name)) || bodies.contains(scan::lower(name.substr(name.rfind(' ') + 1))))
    return true;
  if (all_caps(name)) return false;  // "JAMIE ROSS": a name in capitals
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t sp = std::min(name.find(' ', i), name.size());
    const std::string_view w = name.substr(i, sp - i);
    if (scan::length(w) >= 2 && all_caps(w) && w.find_first_not_of("IVX") != std::string_view::npos) return true;
    i = sp + 1;
  }
  return false;
}

std::string read_name(std::string_view s);
std::string read_name_after(std::string_view s, std::string* description = nullptr);
bool split_name_description(std::string_view text, std::string& name, std::string& description);
bool same_person(std::string_view label, std::string_view name);

std::string byline_name_any(std::string_view low, std::string_view text);

// "Photographs by Leo Marín · 7 min read · October 3, 2023" (lower-cased):
// who took the pictures, never who asks.
bool is_photo_credit(std::string_view low) {
  static constexpr std::string_view photo_credits[] = {
      "photographs by ", "photography by ", "photos by ", "photo by ", "pictures by ", "images by ",
      "illustrations by ", "illustration by ", "fotos de ", "fotografías de ", "fotos von ", "photos de ",
      "fotografie di ", "foto di "};
  return std::any_of(std::begin(photo_credits), std::end(photo_credits),
                     [&](std::string_view p) { return starts_with(low, p); });
}

// The author's name in a byline: "By Jane Doe, reporter", "Posted on 3 May
// by Jane Doe", "Questions by Jane Doe — Updated ...", or a bare name line.
// Empty when the line is no byline: a photo credit ("Photographs by Leo
// Marín") names no author, nor does the publication's name ("Le Monde").
std::string byline_name(std::string_view low, std::string_view text) {
  if (is_photo_credit(low)) return {};
  std::string n = byline_name_any(low, text);
  if (!n.empty() && is_organisation(n)) return {};
  return n;
}

std::string byline_name_any(std::string_view low, std::string_view text) {
  if (utf8::longer_than(text, 100)) return {};
  static const scan::first_byte_index by_first(byline_prefixes, [](std::string_view p) { return p; });
  for (std::uint16_t k : by_first.candidates(low)) {
    std::string_view p = byline_prefixes[k];
    if (!starts_with(low, p)) continue;
    std::string_view rest = text.substr(std::string_view(p).size());
    if (!utf8::is_upper(first_char(rest))) return {};
    return read_name_after(rest);
  }
  for (std::string_view mid : {std::string_view(" by "), std::string_view(" por "), std::string_view(" von "),
                               std::string_view(" di "), std::string_view(" par ")}) {
    std::size_t at = low.find(mid);
    if (at == std::string_view::npos || at > 60) continue;
    std::string_view from = text.substr(at + mid.size());
    std::string n = read_name(from);
    // The name must end the line or a field of it: "... by Jane Doe · 6 min read",
    // not "Press briefing by Secretary Smith on the rail corridor".
    std::string_view after = scan::trim(from.substr(std::min(from.size(), n.size())));
    char32_t f = first_char(after);
    if (!n.empty() && (after.empty() || f == U'·' || f == '|' || f == U'—' || f == U'–' || f == ',' || f == '-' ||
                       f == '*' || f == '(' || utf8::is_digit(f)))
      return n;
  }
  // A line that is only a name.
  std::string n = read_name(scan::trim(text));
  if (!n.empty() && n.size() == scan::trim(text).size() && count_words(n) <= 4 && !all_caps(n)) return n;
  return {};
}

bool looks_like_byline(std::string_view low, std::string_view text) { return !byline_name(low, text).empty(); }

bool looks_like_dateline(std::string_view text);

// A line that heads a list of the page's topics ("Explore more on these
// topics", "Archivado en", "Themen"), lower-cased.
bool is_topics_heading(std::string_view low) {
  // The words of "Tags: a, b" (read_tags), and some that only head a list.
  static constexpr std::string_view headings_list[] = {"explore more on these topics", "more on these topics",
                                                       "more on this topic", "теми", "sujets", "related topics",
                                                       "suggested topics"};
  static constexpr scan::sorted_words headings(headings_list);
  static constexpr scan::sorted_words tags(tag_words);
  std::string_view l = scan::trim(low);
  while (!l.empty() && (l.back() == ':' || l.back() == ' ')) l.remove_suffix(1);
  return headings.contains(l) || tags.contains(l);
}

// "https://example.com/", "http://www.example.com", "/": a site's home
// page, not an article.
bool is_home_page(std::string_view url) {
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const std::size_t slash = url.find('/');
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  return url.empty() || url == "/";
}

bool is_note(std::string_view low) {
  static const scan::first_byte_index by_first(note_prefixes, [](std::string_view p) { return p; });
  for (std::uint16_t k : by_first.candidates(low))
    if (starts_with(low, note_prefixes[k])) return true;
  return false;
}

// "Reporting by Tim Hepher in Farnborough; Editing by Mark Potter": the
// agency's credits under a story, a note rather than the last answer's end.
bool is_agency_credit(std::string_view low) {
  static constexpr std::string_view starts[] = {"reporting by ", "additional reporting by ", "writing by ",
                                                "editing by ", "información de ", "reportagem de "};
  if (low.size() > 300 || std::none_of(std::begin(starts), std::end(starts),
                                       [&](std::string_view w) { return starts_with(low, w); }))
    return false;
  static constexpr std::string_view editors[] = {"editing by ", "edited by ", "editado por ", "edición de ",
                                                 "edição de "};
  return std::any_of(std::begin(editors), std::end(editors),
                     [&](std::string_view w) { return low.find(w) != std::string_view::npos; });
}

// ---- people ----------------------------------------------------------------

// Reads a capitalised name (2-4 words, particles allowed) starting at `s`.
std::string read_name(std::string_view s) {
  static constexpr std::string_view particles_list[] = {"de", "del", "la", "van", "von", "da", "di", "der",
                                                        "le", "bin", "al", "y", "i", "dos", "das", "el"};
  static constexpr scan::sorted_words particles(particles_list);
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size() && words.size() < 5) {
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '.' && s[j] != ':' && s[j] != ';' &&
           s[j] != ')' && s[j] != '(')
      ++j;
    std::string_view w = s.substr(i, j - i);
    if (w.empty()) break;
    char32_t f = first_char(w);
    bool cap = utf8::is_upper(f);
    if (!cap && !(particles.contains(w) && !words.empty())) break;
    // "A Conversation", "The Editors": an article begins no name.
    if (words.empty() && (w == "A" || w == "An" || w == "The")) break;
    if (cap) {
      // every letter after the first is a letter, hyphen or apostrophe
      bool ok = true;
      for (std::size_t k = 0; k < w.size();) {
        char32_t c = scan::next(w, k);
        if (!utf8::is_letter(c) && c != '-' && c != '\'' && c != U'’') ok = false;
      }
      if (!ok) break;
    }
    words.push_back(w);
    if (j >= s.size() || s[j] != ' ') break;
    i = j + 1;
  }
  while (!words.empty() && particles.contains(words.back())) words.pop_back();
  if (words.size() < 2) return {};
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Words that introduce a person's role before the name: "Host Maya Brennan",
// "our correspondent Julián Arce". Dropped from the front of a name.
bool is_role_word(std::string_view w) {
  static constexpr std::string_view roles_list[] = {
      "host", "presenter", "reporter", "journalist", "correspondent", "editor", "anchor", "moderator",
      "interviewer", "writer", "columnist", "periodista", "corresponsal", "presentador", "presentadora",
      "redactor", "redactora", "enviado", "enviada", "journaliste", "reporterin", "giornalista",
      "inviato", "inviata", "jornalista", "корреспондент", "журналист", "журналистка", "ведущий", "ведущая"};
  static constexpr scan::sorted_words roles(roles_list);
  return roles.contains(lower(w));
}

// Titles before a name: neither the name nor a description.
constexpr std::string_view honorifics_list[] = {"Dr.", "Dra.", "Prof.", "Mr.", "Mrs.", "Ms.", "Sr.", "Sra.",
                                                "Dr", "Prof", "Mme", "Mme.", "M.", "Herr", "Frau", "Dott.",
                                                "Dott.ssa"};
constexpr scan::sorted_words honorifics(honorifics_list);

// The text after a leading honorific and its space ("Dr. Helen Smith" ->
// "Helen Smith"), or the text itself.
std::string_view skip_honorific(std::string_view s) {
  const std::size_t sp = s.find(' ');
  if (sp == std::string_view::npos || !honorifics.contains(s.substr(0, sp))) return s;
  return s.substr(sp + 1);
}

// After a verb: skip up to four lower-case descriptor words ("structural
// engineer", "the presenter") and read the name that follows.
std::string read_name_after(std::string_view s, std::string* description) {
  std::size_t i = 0;
  for (int skipped = 0; skipped <= 4 && i < s.size(); ++skipped) {
    std::string n = read_name(s.substr(i));
    if (!n.empty()) {
      // "Host Maya Brennan": a capitalised role word is not part of the name.
      std::size_t sp = n.find(' ');
      if (sp != std::string::npos && is_role_word(n.substr(0, sp)) && count_words(n) >= 3) {
        if (description) *description = n.substr(0, sp);
        return n.substr(sp + 1);
      }
      if (description && i > 0) *description = std::string(scan::trim(s.substr(0, i)));
      return n;
    }
    char32_t f = first_char(s.substr(i));
    const std::string_view word = s.substr(i, s.find(' ', i) - i);
    // "Dr. Helen Smith": the honorific is neither name nor description.
    if (const std::string_view rest = skip_honorific(s.substr(i)); rest.size() < s.size() - i) {
      if (description && i > 0) *description = std::string(scan::trim(s.substr(0, i)));
      return read_name(rest);
    }
    if (!utf8::is_lower(f) && !is_role_word(word)) return {};
    std::size_t sp = s.find(' ', i);
    if (sp == std::string_view::npos) return {};
    i = sp + 1;
  }
  return {};
}

// The last name that ends exactly at the end of `head` ("..., Alejandro López").
std::string read_name_before(std::string_view head) {
  head = scan::trim(head);
  std::string best;
  std::size_t k = head.size();
  for (int words = 0; k > 0 && words < 5; ++words) {
    std::size_t sp = head.rfind(' ', k - 1);
    std::size_t start = sp == std::string_view::npos ? 0 : sp + 1;
    std::string cand = read_name(head.substr(start));
    if (!cand.empty() && start + cand.size() == head.size()) best = cand;
    if (sp == std::string_view::npos) break;
    k = sp;
  }
  std::size_t sp = best.find(' ');
  if (sp != std::string::npos && is_role_word(best.substr(0, sp)) && count_words(best) >= 3) best = best.substr(sp + 1);
  // "the director of the Museum of World Cultures": a name after "of" is a place.
  std::string_view lead = scan::trim(head.substr(0, head.size() - best.size()));
  std::size_t ls = lead.rfind(' ');
  std::string prev = lower(ls == std::string_view::npos ? lead : lead.substr(ls + 1));
  static constexpr std::string_view joiners_list[] = {"of", "the", "de", "del", "la", "el", "at", "in", "from",
                                                      "for", "and", "y", "und", "et", "e", "и", "des", "der"};
  static constexpr scan::sorted_words joiners(joiners_list);
  if (!best.empty() && joiners.contains(prev)) return {};
  return best;
}

// Finds "X interviewed Y" style sentences in a lead or byline. `known` is the
// interviewee the headline named, if any: with verbs that do not say who
// asks ("X talks to Y"), the one the headline names is the interviewee.
void find_people_in_lead(std::string_view text, std::string& interviewer, std::string& interviewee,
                         const std::string& known) {
  // The verbs, and whether the subject asks ("X interviewed Y"); then the
  // words of "a conversation between A and B". Earlier entries win.
  static constexpr std::string_view verbs[] = {
      " had the opportunity to interview ", " had the chance to interview ", " interviewed ", " interviews ",
      " spoke with ", " spoke to ", " speaks with ", " speaks to ", " talked to ", " talked with ", " talks to ",
      " talks with ", " sat down with ", " sits down with ", " met with ", " met ", " in conversation with ",
      " tuvo la oportunidad de entrevistar a ", " entrevistó a ", " entrevista a ", " conversó con ",
      " conversa con ", " habló con ", " habla con ", " se reunió con ", " charló con ", " побеседовал с ",
      " побеседовала с ", " взял интервью у ", " взяла интервью у ", " поговорил с ", " поговорила с ",
      " a interviewé ", " s'est entretenu avec ", " s’est entretenu avec ", " a rencontré ", " hat mit ",
      " sprach mit ", " traf ", " entrevistou ", " conversou com ", " ha intervistato ", " ha incontrato "};
  static constexpr bool directed[] = {true,  true,  true,  true,  false, false, false, false, false,
                                      false, false, false, true,  true,  false, false, false, true,
                                      true,  true,  false, false, false, false, false, false, false,
                                      false, true,  true,  false, false, true,  false, false, false,
                                      false, false, false, true,  false, true,  false};
  static_assert(std::size(directed) == std::size(verbs));
  static constexpr std::string_view between[] = {" between ", " entre ", " между ", " zwischen ", " tra "};
  // One pass over the text says which of them occur: a lead is searched
  // for each only when it holds it (most hold none).
  static constexpr auto all = scan::join(verbs, between);
  static constexpr scan::word_finder<scan::shape_of(all)> finder(all);
  static_assert(std::size(all) <= 64, "a bit per word");
  std::uint64_t present = 0;
  finder.scan(text, [&](std::size_t k, std::size_t) {
    present |= std::uint64_t{1} << k;
    return false;
  });
  if (present == 0) return;
  for (std::size_t k = 0; k < std::size(verbs); ++k) {
    if (!(present >> k & 1)) continue;
    const std::size_t at = text.find(verbs[k]);
    std::string after = read_name_after(text.substr(at + verbs[k].size()));
    std::string before = read_name_before(text.substr(0, at));
    // "She spoke to BBC Sport": a publication is nobody in the interview.
    if (is_organisation(after)) after.clear();
    if (is_organisation(before)) before.clear();
    if (after.empty() && before.empty()) continue;
    bool swap = !directed[k] && ((!before.empty() && same_person(before, known)) ||
                                 (before.empty() && !known.empty() && !same_person(after, known)));
    if (swap) std::swap(before, after);
    if (interviewer.empty() && !before.empty() && !same_person(before, interviewee)) interviewer = before;
    if (interviewee.empty() && !after.empty() && !same_person(after, interviewer)) interviewee = after;
    return;
  }
  // "a conversation between the presenter Gwen Talbot and Samuel Achterberg"
  for (std::size_t k = 0; k < std::size(between); ++k) {
    if (!(present >> (std::size(verbs) + k) & 1)) continue;
    const std::size_t at = text.find(between[k]);
    std::string_view rest = text.substr(at + between[k].size());
    std::string first = read_name_after(rest);
    if (first.empty()) continue;
    std::size_t and_at = std::string_view::npos;
    for (const char* conj : {" and ", " y ", " и ", " und ", " e ", " et "}) {
      std::size_t f = rest.find(std::string(first) + conj);
      if (f != std::string_view::npos) {
        and_at = f + first.size() + std::string_view(conj).size();
        break;
      }
    }
    if (and_at == std::string_view::npos) continue;
    std::string second = read_name_after(rest.substr(and_at));
    if (second.empty()) continue;
    if (interviewer.empty()) interviewer = first;
    if (interviewee.empty()) interviewee = second;
    return;
  }
}

// Headlines that name the interviewee before a colon: "Harbour master Ingrid
// Solvik: “...”" gives the name and the descriptor words before it; and
// "“Quote”: Ruth Adeyemi-Clarke on ..." gives the name after the quote.
bool name_in_headline_any(std::string_view title, std::string& name, std::string& description);

// A headline in capitals ("PODCAST TRANSCRIPT: ...") names nobody.
bool name_in_headline(std::string_view title, std::string& name, std::string& description) {
  std::string n, d;
  if (!name_in_headline_any(title, n, d) || all_caps(n)) return false;
  name = n;
  description = d;
  return true;
}

// "“The Ocean Is Loud”: A Conversation with Priya Raman", "Entrevista con
// Lucía Ferrándiz": the name after words saying the piece is an interview
// with someone.
bool name_after_interview_words(std::string_view title, std::string& name, std::string& description) {
  static constexpr std::string_view words[] = {
      "conversation with ", "interview with ", "q&a with ", "chat with ", "— with ", "– with ", "- with ",
      "| with ", "entrevista con ", "entrevista a ",
      "conversación con ", "charla con ", "gespräch mit ", "interview mit ", "entretien avec ",
      "rencontre avec ", "conversation avec ", "интервью с ", "беседа с ", "разговор с ", "entrevista com ",
      "conversa com ", "intervista a ", "intervista con ", "conversazione con "};
  const std::string low = lower(title);
  if (low.size() != title.size()) return false;  // offsets below are the title's
  for (std::string_view w : words) {
    const std::size_t at = low.find(w);
    if (at == std::string::npos || (at > 0 && low[at - 1] != ' ')) continue;
    const std::string_view after = skip_honorific(title.substr(at + w.size()));
    std::string n, d;
    // "Entrevista a Rosa Quispe Mamani, dirigente aimara: ...", and
    // "An interview with engineer Dmitri Okonkwo, founder of Open Furrow"
    // (the words after the name describe better than those before).
    if (!split_name_description(after, n, d)) {
      n = read_name_after(after, &d);
      const std::size_t name_at = n.empty() ? std::string_view::npos : after.find(n);
      std::string n2, d2;
      if (name_at != std::string_view::npos && split_name_description(after.substr(name_at), n2, d2) && n2 == n)
        d = std::move(d2);
    }
    if (n.empty()) continue;
    name = std::move(n);
    description = std::move(d);
    return true;
  }
  return false;
}

bool name_in_headline_any(std::string_view title, std::string& name, std::string& description) {
  if (name_after_interview_words(title, name, description)) return true;
  char32_t f = first_char(title);
  if (f == U'“' || f == '"' || f == U'«' || f == U'„' || f == U'‘' || f == '\'') {
    for (std::string_view close : {std::string_view("”: "), std::string_view("\": "), std::string_view("»: "),
                                   std::string_view("“: "), std::string_view("’: "), std::string_view("': ")}) {
      std::size_t at = title.find(close);
      if (at == std::string_view::npos) continue;
      std::string n = read_name_after(title.substr(at + close.size()), &description);
      if (n.empty()) return false;
      name = n;
      return true;
    }
    return false;
  }
  std::size_t colon = title.find(':');
  if (colon == std::string_view::npos || count_words(title.substr(0, colon)) > 10) return false;
  // Trimmed: French puts a space before the colon ("Jean Dupont : «…»").
  std::string_view head = scan::trim(title.substr(0, colon));
  {
    // "Episode 112 — Night Shift: Dr. Ewa Kowalczyk on Sleep": a name that
    // speaks "on" a subject after the colon.
    const std::string_view rest = skip_honorific(scan::trim(title.substr(colon + 1)));
    std::string n = read_name(rest);
    const std::string_view after = rest.substr(std::min(rest.size(), n.size()));
    static constexpr std::string_view on[] = {" on ", " sobre ", " über ", " sur ", " su ", " о ", " про "};
    if (!n.empty() && std::any_of(std::begin(on), std::end(on), [&](std::string_view w) { return starts_with(after, w); })) {
      name = std::move(n);
      description.clear();
      return true;
    }
  }
  std::string n = read_name_before(head);
  if (n.empty()) {
    // "Meet the maker: Ifeoma Chukwu, bicycle frame builder"
    std::string_view rest = scan::trim(title.substr(colon + 1));
    if (split_name_description(rest, name, description)) return true;
    n = read_name(rest);
    if (n.empty() || n.size() != rest.size()) return false;
    name = n;
    return true;
  }
  name = n;
  std::string_view desc = scan::trim(head.substr(0, head.size() - n.size()));
  while (!desc.empty() && (desc.back() == ',' || desc.back() == '-')) desc.remove_suffix(1);
  // "Volcanologist Dr. Jane Smith": the honorific belongs to neither.
  if (const std::size_t sp = desc.rfind(' ');
      honorifics.contains(sp == std::string_view::npos ? desc : desc.substr(sp + 1)))
    desc = scan::trim(desc.substr(0, sp == std::string_view::npos ? 0 : sp));
  description = std::string(scan::trim(desc));
  if (!description.empty() && !is_role_word(description)) {
    // "Il casaro" -> "casaro"? Keep as written, but capitalise the first letter.
    std::string cap;
    std::size_t i = 0;
    utf8::append(cap, utf8::to_upper(scan::next(description, i)));
    cap += description.substr(i);
    description = cap;
  }
  return true;
}

// "Name, description: “quote”" or "Name, description" → name and description.
bool split_name_description(std::string_view text, std::string& name, std::string& description) {
  std::string n = read_name(text);
  if (n.empty() || text.size() <= n.size() + 2 || text[n.size()] != ',') return false;
  std::string_view rest = scan::trim(text.substr(n.size() + 1));
  // The description ends at ": " (a quote follows), a period, or the end.
  std::size_t end = rest.size();
  for (std::string_view stop : {std::string_view(": "), std::string_view(":“"), std::string_view(": «"),
                                std::string_view(". "), std::string_view(" – "), std::string_view(" — "),
                                std::string_view(" | ")}) {
    std::size_t at = rest.find(stop);
    if (at != std::string_view::npos) end = std::min(end, at);
  }
  std::string_view d = scan::trim(rest.substr(0, end));
  while (!d.empty() && (d.back() == '.' || d.back() == ':')) d.remove_suffix(1);
  if (d.empty() || count_words(d) > 16 || utf8::is_digit(first_char(d))) return false;
  name = n;
  description = std::string(d);
  return true;
}

bool same_person(std::string_view label, std::string_view name) {
  // "AMBRAZEVICH" or "Ambrazevich" or "Yuri Ambrazevich" or "Mr. Ambrazevich" against "Yuri Ambrazevich".
  std::string l = lower(label), n = lower(name);
  if (l.empty() || n.empty()) return false;
  if (l == n) return true;
  std::size_t sp = n.rfind(' ');
  std::string surname = sp == std::string::npos ? n : n.substr(sp + 1);
  if (l == surname) return true;
  if (l.size() > surname.size() && l.compare(l.size() - surname.size(), surname.size(), surname) == 0 &&
      l[l.size() - surname.size() - 1] == ' ')
    return true;
  std::size_t fsp = n.find(' ');
  if (fsp != std::string::npos && l == n.substr(0, fsp) && count_words(l) == 1 && l.size() > 2) return true;
  // "LB" for "Lukas Berg": initials of a name of two or more words.
  if (fsp != std::string::npos && l.size() >= 2 && l.size() <= 4 && l.find(' ') == std::string::npos) {
    std::string inits;
    bool start = true;
    for (std::size_t i = 0; i < n.size();) {
      char32_t c = scan::next(n, i);
      if (start && utf8::is_letter(c)) utf8::append(inits, c);
      start = c == ' ' || c == '-';
    }
    return inits == l;
  }
  return false;
}

// ---- inline pass -------------------------------------------------------------

bool is_timestamp(std::string_view s) {
  // 12:31, 1:02:33, 00:12:31.5
  int digits = 0, colons = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c == ':') ++colons;
    else if (c != '.') return false;
  }
  return colons >= 1 && digits >= 3;
}

bool is_direction(std::string_view inner) {
  std::string l = lower(scan::trim(inner));
  if (is_timestamp(l)) return true;
  if (l.size() > 40) return false;
  while (!l.empty() && (l.back() == '.' || l.back() == '!')) l.pop_back();
  if (l.empty()) return false;
  // A word that is the whole aside or begins it shares its first byte; one
  // that ends it, its last byte. Only those words are compared.
  static const scan::first_byte_index by_first(direction_words, [](std::string_view w) { return w; });
  static const scan::first_byte_index by_last(direction_words,
                                              [](std::string_view w) { return w.substr(w.size() - 1); });
  for (std::uint16_t k : by_first.candidates(l)) {
    std::string_view wv = direction_words[k];
    if (l == wv) return true;
    // "laughs loudly", "risas en la sala"
    if (l.size() > wv.size() && starts_with(l, wv) && l[wv.size()] == ' ') return true;
  }
  for (std::uint16_t k : by_last.candidates(std::string_view(l).substr(l.size() - 1))) {
    std::string_view wv = direction_words[k];
    // "both laugh"
    if (l.size() > wv.size() && l.compare(l.size() - wv.size(), wv.size(), wv) == 0 && l[l.size() - wv.size() - 1] == ' ' &&
        count_words(l) <= 3)
      return true;
  }
  return false;
}

// A bracketed aside that split_brackets turns into its own node: an
// editorial insertion "[in mid-2023]" or a stage direction "[laughs]",
// "(laughs)", "[00:12:31]".
struct aside {
  std::size_t open = 0, close = 0;  // the positions of the brackets
  std::string_view inner;           // what they hold, trimmed
  bool direction = false;           // else an insertion
};

// The asides of a text, one after another. A bracket closes within 200
// bytes, with no nesting. This runs on every paragraph, so the brackets
// are found with memchr (string_view::find), not character by character;
// where the next [ and the next ( are is kept from one aside to the next,
// so a text with many of one and none of the other is still read once.
class aside_finder {
 public:
  explicit aside_finder(std::string_view s) : s_(s), square_(s.find('[')), round_(s.find('(')) {}

  std::optional<aside> next() {
    while (square_ != std::string_view::npos || round_ != std::string_view::npos) {
      const std::size_t i = std::min(square_, round_);
      const char open = s_[i];
      const char close = open == '[' ? ']' : ')';
      // The close must come before the next opening bracket of its kind.
      const std::string_view window = s_.substr(i + 1, 200);
      const std::size_t c = window.find(close);
      std::size_t next = i + 1;  // where to look for the next opening bracket
      std::optional<aside> found;
      if (c != std::string_view::npos && window.substr(0, c).find(open) == std::string_view::npos) {
        const std::size_t end = i + 1 + c;
        const std::string_view trimmed = scan::trim(s_.substr(i + 1, c));
        const bool direction = is_direction(trimmed);
        if (direction || (open == '[' && !trimmed.empty())) found = aside{i, end, trimmed, direction};
        next = end + 1;
      }
      if (square_ != std::string_view::npos && square_ < next) square_ = s_.find('[', next);
      if (round_ != std::string_view::npos && round_ < next) round_ = s_.find('(', next);
      if (found) return found;
    }
    return std::nullopt;
  }

 private:
  std::string_view s_;
  std::size_t square_, round_;  // the next [ and ( not yet looked at
};

// Whether split_brackets has anything to do: a text node, outside links,
// holding an aside. Most paragraphs hold none, not even a bracket, and are
// then left as they are instead of being rebuilt node by node.
bool has_asides(const inlines& content) {
  for (const auto& node : content) {
    if (node.kind == inline_kind::text) {
      if (aside_finder(node.text).next()) return true;
    } else if (node.kind != inline_kind::link && has_asides(node.children)) {
      return true;
    }
  }
  return false;
}

// Splits a text node's [brackets] and (stage directions) into inline nodes.
void split_brackets(inlines& content) {
  if (!has_asides(content)) return;
  inlines out;
  out.reserve(content.size() + 2);
  for (auto& node : content) {
    if (node.kind != inline_kind::text) {
      if (!node.children.empty() && node.kind != inline_kind::link) split_brackets(node.children);
      out.push_back(std::move(node));
      continue;
    }
    const std::string& s = node.text;
    std::size_t last = 0;
    aside_finder asides(s);
    for (auto a = asides.next(); a; a = asides.next()) {
      if (a->open > last) out.push_back(doc::text(s.substr(last, a->open - last), node.pos));
      // "usually.[2]", as a word processor's export writes a footnote's
      // mark: the number in superscript, no insertion.
      if (!a->direction && a->open > 0 && s[a->open - 1] != ' ' && s[a->open - 1] != '(' && a->inner.size() <= 3 &&
          a->inner.find_first_not_of("0123456789") == std::string_view::npos) {
        std::string mark = scan::superscript(std::atoi(std::string(a->inner).c_str()));
        if (!out.empty() && out.back().kind == inline_kind::text) out.back().text += mark;
        else out.push_back(doc::text(mark, node.pos));
        last = a->close + 1;
        continue;
      }
      inline_node n;
      n.kind = a->direction ? inline_kind::direction : inline_kind::insertion;
      n.text = a->inner == "..." || a->inner == "…" ? std::string("…") : std::string(a->inner);
      n.pos = node.pos;
      out.push_back(std::move(n));
      last = a->close + 1;
    }
    if (last == 0) {
      out.push_back(std::move(node));
    } else if (last < s.size()) {
      out.push_back(doc::text(s.substr(last), node.pos));
    }
  }
  content = std::move(out);
}

// ---- the recognizer ------------------------------------------------------------

struct speaker_stats {
  std::string key;   // lower-cased label
  std::string text;  // label as written (most common form)
  int turns = 0;
  int questions = 0;  // turns whose first paragraph ends with '?'
  std::size_t words = 0;
  qa role_word = qa::none;
  std::string lang;
};

class recognizer {
 public:
  recognizer(std::vector<raw_block>& raws, const front_matter& fm, const std::string& source_name,
             diagnostics& diags)
      : raws_(raws), fm_(fm), source_name_(source_name), diags_(diags) {}

  doc::document run();

 private:
  std::vector<raw_block>& raws_;
  const front_matter& fm_;
  const std::string& source_name_;
  diagnostics& diags_;
  std::vector<item> items_;
  std::string lowered_;  // the items' lower-cased texts, one after another
  std::string_view lower_prefix(const item& it) const {
    return std::string_view(lowered_).substr(it.low_begin, it.low_end - it.low_begin);
  }
  doc::article art_;
  std::string doc_lang_;
  std::vector<std::string> subjects_;
  std::size_t lead_index_ = static_cast<std::size_t>(-1);
  // The last item that starts a turn (no_turn_after), once looked for.
  bool last_turn_known_ = false;
  std::size_t last_turn_ = static_cast<std::size_t>(-1);
  std::vector<std::size_t> intro_;  // intro paragraphs before the first turn
  bool interviewee_guessed_ = false;  // only because the name recurs near the title
  std::map<std::string, std::string> header_meta_;  // "Location: Oban" header lines
  std::map<std::string, int, std::less<>> label_counts_;  // label key -> paragraphs it starts
  // A one-off label that is no role word ("Spotlight: ...", "Astronomer Jane
  // Doe: “...”") may be part of a headline.
  // The first item from k on that the reader sees: not noise, nor a
  // figure's repeated caption (items_.size() when there is none).
  std::size_t shown_from(std::size_t k) const {
    while (k < items_.size() && (items_[k].kind == cls::noise || items_[k].kind == cls::figure_cont)) ++k;
    return k;
  }

  bool headline_label(const item& it) const {
    if (!it.label.present) return true;
    if (it.label.given) return false;
    auto c = label_counts_.find(it.label.key);
    return c != label_counts_.end() && c->second == 1 && !find_qa(it.label.key);
  }

  // people found in metadata, before turns are assembled
  std::string interviewer_, interviewer_desc_, interviewee_, interviewee_desc_;
  std::string co_interviewer_;  // "Interview by Kevin Tran and Maya Brooks": the second
  // A committee's members, listed under "Members present:" (the people
  // who ask), and the one who chairs it.
  struct member {
    std::string name;
    bool chair = false;
  };
  std::vector<member> members_;
  const member* committee_member(std::string_view label) const;
  void read_members(std::size_t k);

  // "What should readers do? / Subscribe.": a short sentence right after
  // a question answers it, though it reads like a button.
  bool answers_question(std::size_t k) const {
    const std::string_view t = items_[k].raw->text;
    const char32_t end = last_sentence_char(t);
    if ((end != '.' && end != '!') || utf8::longer_than(t, 40) || k == 0) return false;
    const item& before = items_[k - 1];
    return before.kind == cls::content && !before.label.present && ends_question(before.raw->text) &&
           !utf8::longer_than(before.raw->text, 300);
  }

  void classify();
  void drop_repeated_copy();
  void read_thread();
  bool thread_ = false;  // a comment thread (Reddit's AMA): read_thread
  void find_title_and_front();
  void find_people();
  void names_in_first_question();
  void choose_convention();
  void assemble();
  void trailing_boxes();
  void finish_metadata(doc::document& d);

  // The turn convention chosen for this text.
  enum class convention { none, labelled, dialogue, numbered, bold, headings, question_marks, thread };
  convention conv_ = convention::none;
  // labelled: label key -> speaker index
  std::map<std::string, int, std::less<>> label_speaker_;
  bool questions_only_labelled_ = false;  // "Q:" labels with unlabelled answers
  int asker_ = -1, teller_ = -1;          // default speakers for unlabelled conventions

  struct turn_start {
    int speaker = -1;
    std::size_t strip = 0;  // non-space characters to drop (label, dash, number)
  };
  std::optional<turn_start> starts_turn(const item& it) const;
  bool is_bio(const item& it) const;
  bool no_turn_after(std::size_t k);
  int ensure_asker();
  int ensure_teller();

  // Each appends its block to `into`, built in place, and returns it.
  block& add_block(std::vector<block>& into, item& it, block_kind kind, std::size_t strip = 0);
  block& add_figure(std::vector<block>& into, item& it);
  block& add_related(std::vector<block>& into, item& it);
  void drop(item& it, const char* code, std::string_view what) {
    it.kind = cls::noise;
    // what: "the first 60 characters…", in one allocation.
    const std::string_view text = it.raw->text;
    const std::string_view excerpt = text.substr(0, scan::prefix_bytes(text, 60));
    std::string message;
    message.reserve(what.size() + excerpt.size() + 8);
    message.append(what).append(": \"").append(excerpt);
    if (excerpt.size() < text.size()) message += "…";
    message += '"';
    diags_.info(it.raw->pos, code, std::move(message));
  }
  int add_speaker(std::string name, doc::role role, std::string label) {
    art_.speakers.push_back({std::move(name), role, "", std::move(label)});
    return static_cast<int>(art_.speakers.size() - 1);
  }
};

void recognizer::classify() {
  items_.resize(raws_.size());
  // The last "Read more:" or topics heading whose lines may follow.
  constexpr std::size_t no_heading = static_cast<std::size_t>(-1);
  std::size_t list_heading = no_heading;
  std::vector<std::size_t> paywall;  // the paywall lines dropped
  // A video's transcript: a line of time before each line of speech (see
  // below), which may then be any words ("subscribe"): not furniture.
  const auto time_line = [](const raw_block& r) {
    return r.kind == raw_kind::paragraph && r.text.size() <= 12 && is_timestamp(scan::trim(r.text));
  };
  std::size_t stamps = 0, shown = 0;
  for (const raw_block& r : raws_) {
    if (!r.text.empty()) ++shown;
    if (time_line(r)) ++stamps;
  }
  const bool video_transcript = stamps >= 3 && stamps * 4 >= shown;
  // Room for every item's lower-cased text: at most 200 code points of it,
  // 800 bytes.
  std::size_t lowered_size = 0;
  for (const raw_block& r : raws_) lowered_size += std::min<std::size_t>(r.text.size(), 800);
  lowered_.reserve(lowered_size);
  for (std::size_t i = 0; i < raws_.size(); ++i) {
    item& it = items_[i];
    it.raw = &raws_[i];
    raw_block& r = raws_[i];
    std::string_view text = r.text;
    it.length = scan::length(text);
    const std::size_t length = it.length;
    // Short lines are matched whole (noise, bylines); long ones only by
    // their first words (related markers, notes).
    it.low_begin = lowered_.size();
    scan::lower_append(length <= 200 ? text : text.substr(0, scan::prefix_bytes(text, 80)), lowered_);
    it.low_end = lowered_.size();
    switch (r.kind) {
      case raw_kind::separator: it.kind = cls::separator; continue;
      case raw_kind::heading: it.kind = cls::heading; break;
      // An image with no source, alt text or title (![]()) and an empty
      // code block (``` alone) hold nothing to show: no figure or note.
      case raw_kind::image:
        it.kind = r.image.empty() && r.text.empty() && r.title.empty() ? cls::noise : cls::image;
        continue;
      case raw_kind::quote: it.kind = cls::quote; break;
      case raw_kind::code: it.kind = r.text.empty() && r.content.empty() ? cls::noise : cls::code; continue;
      default: break;
    }
    if (text.empty()) {
      it.kind = cls::noise;
      continue;
    }
    const std::string_view low = lower_prefix(it);
    // The lines under "Read more:" or "Explore more on these topics" (in
    // the same group, or a list): related articles, or the page's topics.
    if (list_heading != no_heading) {
      const item& h = items_[list_heading];
      // The title right under "Lesen Sie auch" may ask ("Warum ...?"): it is
      // still the related article's, no question.
      const bool related_heading = !h.related_lang.empty() || !h.related_marker.empty();
      if ((r.same_group || r.kind == raw_kind::item) && r.kind != raw_kind::heading && length <= 200 &&
          (!ends_question(text) || (related_heading && i == list_heading + 1))) {
        if (h.related_lang.empty() && h.related_marker.empty()) {
          if (count_words(text, 6) <= 5 && last_sentence_char(text) != '.' && !noise_code(low, length)) {
            if (std::find(subjects_.begin(), subjects_.end(), text) == subjects_.end())
              subjects_.push_back(std::string(text));
            drop(it, "noise-tags", "read tags as subjects");
            continue;
          }
        } else if (!is_topics_heading(low) && !match_related(text, low) && !noise_code(low, length)) {
          // "More on this story" / a title / "3 July": the date of the
          // article above. A comment button ("Kommentare") ends the list.
          if (length <= 30 && looks_like_dateline(text)) {
            drop(it, "noise-banner", "dropped a related article's date");
            continue;
          }
          it.kind = cls::related;
          it.related_marker = h.related_marker;
          it.related_lang = h.related_lang;
          it.related_text = std::string(text);
          strip_badge(it.related_text);
          continue;
        }
      }
      list_heading = no_heading;
    }
    // Clippers' furniture: MarkDownload's "## Excerpt" heading, and a
    // paragraph that is only a link to a site's home page ("[Type
    // Journal](https://typejournal.example.com/)").
    if (r.kind == raw_kind::heading && (low == "excerpt" || low == "extracto" || low == "auszug")) {
      drop(it, "noise-banner", "dropped page furniture");
      continue;
    }
    if (r.content.size() == 1 && r.content.front().kind == inline_kind::link && length <= 40 &&
        is_home_page(r.content.front().target)) {
      drop(it, "noise-banner", "dropped a link to the site's home page");
      continue;
    }
    if (r.kind != raw_kind::heading) {
      if (length <= 40 && is_topics_heading(low)) {
        drop(it, "noise-tags", "dropped the topics heading");
        list_heading = i;
        continue;
      }
      // A byline or a dateline may give the reading time too:
      // find_title_and_front reads them.
      bool switcher_phrase = false;
      if (const char* code = noise_code(low, length, &switcher_phrase);
          code &&
          !(code == reading_time_code &&
            (looks_like_byline(low, text) || looks_like_dateline(text) || is_photo_credit(low))) &&
          !answers_question(i) && !(video_transcript && i > 0 && time_line(raws_[i - 1]))) {
        if (code == paywall_code) {
          drop(it, code, "dropped a paywall's offer; the text may be cut off here");
          paywall.push_back(i);
        } else {
          drop(it, code, "dropped page furniture");
        }
        continue;
      }
      static const scan::first_byte_index credits_by_first(credit_prefixes, [](std::string_view p) { return p; });
      const auto credit_candidates = credits_by_first.candidates(low);
      if (length <= 80 && std::any_of(credit_candidates.begin(), credit_candidates.end(),
                                      [&](std::uint16_t k) { return starts_with(low, credit_prefixes[k]); })) {
        // Read as the byline when it stands in the intro; else by find_people.
        it.interviewer_credit = true;
      }
      if (length <= 80 && is_language_switcher(low, switcher_phrase)) {
        drop(it, "noise-language-switcher", "dropped language switcher");
        continue;
      }
      std::vector<std::string> segments;
      if (read_tags(text, low, segments)) {
        for (auto& seg : segments)
          if (std::find(subjects_.begin(), subjects_.end(), seg) == subjects_.end()) subjects_.push_back(seg);
        drop(it, "noise-tags", "read tags as subjects");
        continue;
      }
      // "Apr 22, 2024 | 52 min | Transcript": an episode's date and length,
      // which find_title_and_front reads as a dateline.
      if (length < 400 && is_breadcrumb(text, segments) && !looks_like_byline(low, text) &&
          !looks_like_dateline(text) && !is_photo_credit(low)) {
        // Keep the section names as subjects; the last segment may be the headline.
        for (std::size_t k = 0; k < segments.size(); ++k) {
          std::string l = lower(segments[k]);
          bool home = std::any_of(std::begin(home_words), std::end(home_words), [&](std::string_view h) { return l == h; });
          bool last_long = k + 1 == segments.size() && segments.size() >= 3 && count_words(segments[k]) > 4;
          if (!home && !last_long && !segments[k].empty()) subjects_.push_back(segments[k]);
          if (last_long && art_.title.empty()) art_.title = segments[k];
        }
        drop(it, "noise-breadcrumb", "dropped breadcrumb");
        continue;
      }
      if (auto rel = match_related(text, low)) {
        it.kind = cls::related;
        it.related_marker = std::string(scan::trim(std::string_view(text).substr(0, text.size() - rel->second.size())));
        while (!it.related_marker.empty() &&
               (it.related_marker.back() == ':' || it.related_marker.back() == ' ' || it.related_marker.back() == '|'))
          it.related_marker.pop_back();
        it.related_lang = rel->first;
        it.related_text = rel->second;
        strip_badge(it.related_text);
        if (it.related_text.empty()) {
          drop(it, "noise-related-heading", "dropped related-articles heading");
          list_heading = i;
        }
        continue;
      }
    }
    // Labels and dashes.
    bool bold_first = !r.content.empty() && r.content.front().kind == inline_kind::strong;
    std::string bold_text = bold_first ? doc::plain_text(r.content.front().children) : std::string();
    if (!r.speaker.empty()) {
      it.label.present = it.label.given = true;
      it.label.text = r.speaker;
      it.label.key = lower(r.speaker);
    } else {
      read_label(text, bold_first, bold_text, it.label);
    }
    if (it.label.present) label_counts_[it.label.key]++;
    strip_dash(text, &it.dash);
  }
  read_thread();

  // A video's transcript as the site shows it: a line of time ("0:04",
  // "12:31", "1:02:03") before each line of speech, which breaks off
  // mid-sentence. The times go, and the lines between them make running
  // text again, up to a sentence's end or a bracketed "[Music]".
  const auto is_stamp_line = [&](const item& it) {
    return it.kind == cls::content && it.length <= 12 && !it.dash && is_timestamp(scan::trim(it.raw->text));
  };
  if (video_transcript) {
    diags_.info(raws_.empty() ? source_pos{1, 1} : raws_.front().pos, "noise-timestamp",
                "dropped " + std::to_string(stamps) + " lines that only give the time in a video's transcript");
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t head = none;  // the paragraph the next line of speech continues
    bool stamp_since = false;
    std::vector<std::size_t> joined;
    for (std::size_t k = 0; k < items_.size(); ++k) {
      item& it = items_[k];
      if (is_stamp_line(it)) {
        it.kind = cls::noise;
        stamp_since = true;
        continue;
      }
      // "[Music]" between the lines: a cue, not speech; "Transcript" over
      // them: the panel's heading.
      if (it.kind == cls::content) {
        const std::string_view low = lower_prefix(it);
        if (low == "[music]" || low == "[música]" || low == "[musique]" || low == "[musik]") {
          drop(it, "noise-timestamp", "dropped a music cue in a video's transcript");
          head = none;
          continue;
        }
        if (low == "transcript" || low == "transcripción" || low == "transcrição" || low == "transcription" ||
            low == "transkript" || low == "trascrizione") {
          drop(it, "noise-banner", "dropped the heading of a video's transcript");
          head = none;
          continue;
        }
      }
      if (it.kind == cls::noise) continue;
      const bool fragment = it.kind == cls::content && !it.label.present && !it.dash && it.raw->content.empty() &&
                            !it.raw->text.empty() && it.raw->text.front() != '[' && it.raw->text.front() != '(';
      if (!fragment) {
        head = none;
        continue;
      }
      if (head != none && stamp_since) {
        std::string& t = items_[head].raw->text;
        t += ' ';
        t += it.raw->text;
        it.kind = cls::noise;  // consumed: its text is the head's now
        if (joined.empty() || joined.back() != head) joined.push_back(head);
      } else {
        head = k;
        it.raw->same_group = false;  // speech, not a line of the title's group
      }
      stamp_since = false;
      const std::string& t = items_[head].raw->text;
      const char32_t end = last_sentence_char(t);
      if (end == '.' || end == '?' || end == '!' || end == U'…' || t.size() > 1500) head = none;
    }
    for (std::size_t k : joined) {
      item& it = items_[k];
      const std::string_view text = it.raw->text;
      it.length = scan::length(text);
      it.low_begin = lowered_.size();
      scan::lower_append(it.length <= 200 ? text : text.substr(0, scan::prefix_bytes(text, 80)), lowered_);
      it.low_end = lowered_.size();
    }
  }

  // Between two paywall lines a few lines apart, the rest of the offer:
  // "Jetzt weiterlesen mit SPIEGEL+" / "Nur € 1,- für den ersten Monat" /
  // "Bereits Abonnent? Hier anmelden".
  for (std::size_t p = 1; p < paywall.size(); ++p) {
    if (paywall[p] - paywall[p - 1] > 6) continue;
    for (std::size_t j = paywall[p - 1] + 1; j < paywall[p]; ++j) {
      item& it = items_[j];
      if (it.kind == cls::content && !it.label.present && it.length <= 100 && !ends_question(it.raw->text))
        drop(it, paywall_code, "dropped a paywall's offer");
    }
  }

  // The BBC's figures, in three lines: "Image source, Getty Images",
  // "Image caption,", and the caption.
  for (std::size_t i = 0; i < items_.size(); ++i) {
    item& it = items_[i];
    if (it.kind != cls::content || it.label.present || it.length > 80) continue;
    const std::string_view low = lower_prefix(it);
    const bool source = starts_with(low, "image source, ");
    if (!source && low != "image caption,") continue;
    std::size_t k = i + 1;
    const auto is_content = [&](std::size_t n) { return n < items_.size() && items_[n].kind == cls::content; };
    bool caption_next = !source;
    if (source && is_content(k) && lower_prefix(items_[k]) == "image caption,") {
      items_[k++].kind = cls::figure_cont;
      caption_next = true;
    }
    if (caption_next && is_content(k) && !items_[k].label.present && items_[k].length <= 300) {
      it.kind = cls::figure;
      it.caption = items_[k].raw->text;
      if (source) it.credit = std::string(scan::trim(std::string_view(it.raw->text).substr(14)));
      items_[k].kind = cls::figure_cont;
    } else {
      drop(it, "noise-banner", "dropped an image's credit line");
      k = i + 1;
    }
    i = k - 1;
  }
  // Figures: a caption line followed by its duplicate (with or without a
  // credit), or a single line that ends with a credit.
  for (std::size_t i = 0; i < items_.size(); ++i) {
    item& it = items_[i];
    bool credit_label = it.label.present && std::any_of(std::begin(credit_markers), std::end(credit_markers),
                                                         [&](std::string_view m) { return it.label.key == m; });
    if (it.kind != cls::content || (it.label.present && !credit_label) || it.dash) continue;
    const std::string& text = it.raw->text;
    if (it.length > 300) continue;
    if (i + 1 < items_.size()) {
      item& nx = items_[i + 1];
      const std::string& nt = nx.raw->text;
      if (nx.kind == cls::content && nt.size() >= text.size() && nt.compare(0, text.size(), text) == 0) {
        it.kind = cls::figure;
        nx.kind = cls::figure_cont;
        std::string cap, credit;
        if (split_credit(nt, cap, credit)) {
          // The shorter line is the caption as the page showed it; the
          // longer one only adds the credit.
          it.caption = text;
          it.credit = credit;
        } else if (split_credit(text, cap, credit)) {
          it.caption = cap;
          it.credit = credit;
        } else {
          it.caption = text;
        }
        diags_.info(nx.raw->pos, "duplicate-caption", "merged repeated caption into the figure above");
        ++i;
        continue;
      }
    }
    std::string cap, credit;
    if (split_credit(text, cap, credit) && !credit.empty() && count_words(credit) <= 8 && !ends_question(text)) {
      // "Photo: Jane Doe" alone attaches to a previous figure or image.
      if (cap.empty()) {
        std::size_t f = i;
        while (f > 0 && items_[f - 1].kind == cls::figure_cont) --f;
        if (f > 0 && (items_[f - 1].kind == cls::figure || items_[f - 1].kind == cls::image) &&
            items_[f - 1].credit.empty()) {
          items_[f - 1].credit = credit;
          it.kind = cls::figure_cont;
        }
        continue;
      }
      it.kind = cls::figure;
      it.caption = cap;
      it.credit = credit;
    }
  }
  // Editor's notes.
  for (auto& it : items_)
    if (it.kind == cls::content && !it.label.present &&
        (is_note(lower_prefix(it)) || is_agency_credit(lower_prefix(it))))
      it.kind = cls::note;
}

// "level 2": a comment's depth in a Reddit thread (lower-cased line).
bool is_thread_level(std::string_view l) {
  if (!starts_with(l, "level ") || l.size() == 6 || l.size() > 9) return false;
  return std::all_of(l.begin() + 6, l.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The furniture of a comment thread, lower-cased: "level 2", "·", "4 yr.
// ago", "2.1k" points, "Reply", "Share", "OP", "Sort by: Best", "r/IAmA".
bool is_thread_furniture(std::string_view l) {
  static constexpr std::string_view words_list[] = {
      "reply", "share", "report", "save", "award", "give award", "op", "·", "•", "posted by", "verified",
      "comments", "more replies", "continue this thread", "vote", "upvote", "downvote", "edited", "follow",
      "join", "joined", "archived", "locked", "pinned", "stickied"};
  static constexpr scan::sorted_words words(words_list);
  if (words.contains(l) || is_thread_level(l) || starts_with(l, "sort by")) return true;
  if (starts_with(l, "r/") && l.find(' ') == std::string_view::npos) return true;
  // Points: "412", "2.1k".
  std::size_t i = 0;
  while (i < l.size() && ((l[i] >= '0' && l[i] <= '9') || l[i] == '.')) ++i;
  if (i > 0 && i <= 6 && (i == l.size() || (i + 1 == l.size() && (l[i] == 'k' || l[i] == 'm')))) return true;
  // "4 yr. ago", "3 days ago", "edited 2 hr. ago".
  if (starts_with(l, "edited ")) l.remove_prefix(7);
  if (i == 0 && (i = l.find_first_not_of("0123456789")) == 0) return false;
  return i != std::string_view::npos && i <= 3 && l.size() <= 20 && l.ends_with(" ago") && l[i] == ' ';
}

// A Reddit thread as the page shows it: the post, then each comment under
// its depth ("level 2"), its author ("u/name", "OP" for the poster), its
// age and points, and a row of buttons. The furniture goes; the post is
// the header, the poster's comments are answers and the others' questions
// (each comment's first line starts the turn); a moderator bot's comment
// goes.
void recognizer::read_thread() {
  std::size_t levels = 0, users = 0;
  for (const item& it : items_) {
    if (it.kind != cls::content) continue;
    const std::string_view low = scan::trim(lower_prefix(it));
    if (is_thread_level(low)) ++levels;
    else if (starts_with(low, "u/") && low.find(' ') == std::string_view::npos) ++users;
  }
  if (levels < 2 || users < 2) return;
  thread_ = true;
  // The poster: "Posted by" / "u/name", or "u/name" / "OP".
  std::string poster;
  std::string_view before;  // the last line of text before this one
  for (std::size_t k = 0; k < items_.size(); ++k) {
    const item& it = items_[k];
    if (it.kind != cls::content && it.kind != cls::noise) continue;
    const std::string_view low = scan::trim(lower_prefix(it));
    if (starts_with(low, "u/") && low.find(' ') == std::string_view::npos) {
      const std::size_t n = shown_from(k + 1);
      const bool op = n < items_.size() && scan::trim(lower_prefix(items_[n])) == "op";
      if (before == "posted by" || op) {
        poster = std::string(scan::trim(it.raw->text).substr(2));
        break;
      }
    }
    if (!low.empty()) before = low;
  }
  std::string author;
  bool comments = false, first_line = false;
  for (std::size_t k = 0; k < items_.size(); ++k) {
    item& it = items_[k];
    if (it.kind != cls::content) continue;
    const std::string_view low = scan::trim(lower_prefix(it));
    if (is_thread_level(low)) comments = true;
    if (is_thread_furniture(low)) {
      drop(it, "noise-thread", "dropped a comment thread's furniture");
      continue;
    }
    if (starts_with(low, "u/") && low.find(' ') == std::string_view::npos) {
      drop(it, "noise-thread", "read a comment's author");
      if (comments) {
        author = std::string(scan::trim(it.raw->text).substr(2));
        first_line = true;
      }
      continue;
    }
    if (!comments || author.empty()) continue;
    if (lower(author) == "automoderator") {
      drop(it, "noise-thread", "dropped a moderator bot's comment");
      continue;
    }
    if (first_line) {
      it.thread_turn = !poster.empty() && author == poster ? 2 : 1;
      it.label = {};
      it.raw->same_group = false;  // a comment, never a line of the title's group
      first_line = false;
    }
  }
}

// Metadata keys that may head an interview as "Key: value" lines.
enum class meta_key { none, interviewer, interviewee, date, other };

meta_key metadata_key(std::string_view key) {
  // Sorted by key at compile time, and looked up by binary search.
  struct entry {
    std::string_view key;
    meta_key value;
  };
  static constexpr auto keys = [] {
    auto list = std::to_array<entry>({
        {"interviewer", meta_key::interviewer}, {"entrevistador", meta_key::interviewer},
        {"entrevistadora", meta_key::interviewer}, {"interviewed by", meta_key::interviewer},
        {"интервьюер", meta_key::interviewer}, {"intervistatore", meta_key::interviewer},
        {"interviewee", meta_key::interviewee}, {"entrevistado", meta_key::interviewee},
        {"entrevistada", meta_key::interviewee}, {"narrator", meta_key::interviewee},
        {"guest", meta_key::interviewee}, {"invitado", meta_key::interviewee}, {"invitada", meta_key::interviewee},
        {"witness", meta_key::interviewee},
        {"date", meta_key::date}, {"fecha", meta_key::date}, {"datum", meta_key::date}, {"дата", meta_key::date},
        {"data", meta_key::date}, {"recorded", meta_key::date}, {"broadcast", meta_key::date},
        {"aired", meta_key::date}, {"emitido", meta_key::date}, {"published", meta_key::date},
        {"publicado", meta_key::date}, {"joined", meta_key::other}, {"programme", meta_key::other},
        {"program", meta_key::other}, {"programa", meta_key::other}, {"episode", meta_key::other},
        {"location", meta_key::other}, {"place", meta_key::other}, {"lugar", meta_key::other},
        {"duration", meta_key::other}, {"duración", meta_key::other}, {"ort", meta_key::other},
        {"место", meta_key::other}, {"luogo", meta_key::other}, {"transcript", meta_key::other},
        {"transcribed by", meta_key::other}, {"project", meta_key::other}, {"length", meta_key::other},
        {"tape", meta_key::other}, {"session", meta_key::other}, {"subject", meta_key::other},
        {"tema", meta_key::other}, {"topic", meta_key::other}});
    std::sort(list.begin(), list.end(), [](const entry& a, const entry& b) { return a.key < b.key; });
    return list;
  }();
  const auto it =
      std::lower_bound(keys.begin(), keys.end(), key, [](const entry& e, std::string_view k) { return e.key < k; });
  return it != keys.end() && it->key == key ? it->value : meta_key::none;
}

std::string normalize_date(std::string_view text);

// "14 March 2024", "Aktualisiert am 22.05.2024, 17:45 Uhr", "5 agosto 2023", "11:02 A.M."
bool looks_like_dateline(std::string_view text) {
  if (utf8::longer_than(text, 60) || count_words(text, 8) > 8) {
    // "12 settembre 2024 (modifica il 12 settembre 2024 | 18:47)", "3. März
    // 2024, 18:32 Uhr | Lesezeit: 6 Min.": a full date, then more about it
    // or the page. The part before the first bracket or bar decides, when
    // it gives a day, a month and a year.
    if (utf8::longer_than(text, 120)) return false;
    for (std::string_view sep : {std::string_view(" ("), std::string_view(" | "), std::string_view(" · ")}) {
      const std::size_t at = text.find(sep);
      if (at == std::string_view::npos || at == 0) continue;
      const std::string_view head = text.substr(0, at);
      return looks_like_dateline(head) && normalize_date(head).size() == 10;
    }
    return false;
  }
  static constexpr std::string_view months[] = {
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
      "septiembre", "octubre", "noviembre", "diciembre", "januar", "februar", "märz", "juni", "juli",
      "oktober", "dezember", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
      "septembre", "octobre", "novembre", "décembre", "gennaio", "febbraio", "aprile", "maggio", "giugno",
      "luglio", "settembre", "ottobre", "dicembre", "janeiro", "fevereiro", "março", "maio", "junho",
      "julho", "setembro", "outubro", "dezembro", "января", "февраля", "марта", "апреля", "мая", "июня",
      "июля", "августа", "сентября", "октября", "ноября", "декабря", "січня", "лютого", "березня", "квітня",
      "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня", "updated", "published", "actualizado",
      "aktualisiert", "publicado", "aggiornato", "обновлено"};
  if (std::none_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  // One pass finds any of the month names.
  static constexpr scan::word_finder<scan::shape_of(months)> month_finder(months);
  if (month_finder.found_in(lower(text))) return true;
  // A numeric date: "22.05.2024", "2024-03-14", "14/03/2024".
  auto d = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  for (std::size_t i = 0; i + 5 < text.size(); ++i) {
    if (!d(i) || (i > 0 && d(i - 1))) continue;
    std::size_t j = i;
    int groups = 0;
    while (groups < 3 && d(j)) {
      std::size_t n = 0;
      while (d(j)) ++j, ++n;
      if (n > 4) break;
      ++groups;
      if (groups < 3 && j < text.size() && (text[j] == '.' || text[j] == '-' || text[j] == '/')) ++j;
      else break;
    }
    if (groups == 3) return true;
  }
  // "Madrid - 16 nov 2024 - 05:40 CET": an abbreviated month with a day
  // and a year.
  const std::string iso = normalize_date(text);
  return iso.size() == 10;
}

// A dateline's date as ISO 8601 ("2024-03-14", or "2024-03" without a day),
// or "" when it names no year and month. Month names in the languages the
// recognizer knows, full or abbreviated; numeric dates day first.
std::string normalize_date(std::string_view text) {
  static const std::pair<std::string_view, int> month_names[] = {
      {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6}, {"july", 7},
      {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
      {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9},
      {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
      {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
      {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
      {"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12},
      {"januar", 1}, {"februar", 2}, {"märz", 3}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
      {"janvier", 1}, {"février", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6}, {"juillet", 7},
      {"août", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"décembre", 12},
      {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7},
      {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
      {"janeiro", 1}, {"fevereiro", 2}, {"março", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7},
      {"setembro", 9}, {"outubro", 10}, {"dezembro", 12},
      {"января", 1}, {"февраля", 2}, {"марта", 3}, {"апреля", 4}, {"мая", 5}, {"июня", 6}, {"июля", 7},
      {"августа", 8}, {"сентября", 9}, {"октября", 10}, {"ноября", 11}, {"декабря", 12},
      {"січня", 1}, {"лютого", 2}, {"березня", 3}, {"квітня", 4}, {"травня", 5}, {"червня", 6}, {"липня", 7},
      {"серпня", 8}, {"вересня", 9}, {"жовтня", 10}, {"листопада", 11}, {"грудня", 12}};
  // Tokens: runs of letters, runs of digits, and the single characters
  // between, as views of the lower-cased text.
  const std::string low = lower(text);
  std::vector<std::string_view> tok;
  for (std::size_t i = 0; i < low.size();) {
    std::size_t start = i;
    char32_t c = scan::next(low, i);
    if (utf8::is_digit(c) || utf8::is_letter(c)) {
      bool digit = utf8::is_digit(c);
      std::size_t j = i;
      while (j < low.size()) {
        std::size_t k = j;
        char32_t d = scan::next(low, k);
        if ((digit && !utf8::is_digit(d)) || (!digit && !utf8::is_letter(d))) break;
        j = k;
      }
      i = j;
    }
    tok.push_back(std::string_view(low).substr(start, i - start));
  }
  auto number = [](std::string_view t) {
    if (t.empty() || t.size() > 4) return -1;
    int n = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  auto iso = [](int y, int m, int d) {
    char buf[40];  // room for any int, though a year has four digits here
    if (d > 0) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    else std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    return std::string(buf);
  };
  // Numeric: 2024-03-14, 14.03.2024, 14/03/2024.
  for (std::size_t i = 0; i + 4 < tok.size(); ++i) {
    int a = number(tok[i]), b = number(tok[i + 2]), c = number(tok[i + 4]);
    char s1 = tok[i + 1].size() == 1 ? tok[i + 1][0] : 0, s2 = tok[i + 3].size() == 1 ? tok[i + 3][0] : 0;
    if (a < 0 || b < 0 || c < 0 || s1 != s2 || (s1 != '-' && s1 != '.' && s1 != '/')) continue;
    if (tok[i].size() == 4 && b >= 1 && b <= 12 && c >= 1 && c <= 31) return iso(a, b, c);
    if (tok[i + 4].size() == 4 && b >= 1 && b <= 12 && a >= 1 && a <= 31) return iso(c, b, a);
  }
  // Named month: "14 March 2024", "March 14, 2024", "14 de marzo de 2024", "12 JUL 2023".
  int year = -1, month = -1, day = -1;
  std::size_t month_at = 0;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    int n = number(tok[i]);
    if (n >= 1800 && n <= 2200 && tok[i].size() == 4 && year < 0) year = n;
    if (month < 0)
      for (const auto& [name, m] : month_names)
        if (tok[i] == name) month = m, month_at = i;
  }
  if (year < 0 || month < 0) return {};
  // The day: a number of 1-31 within four tokens of the month, the nearest
  // ("3            Taken March 4, 2022": a transcript's line number is no day).
  std::size_t nearest = 5;
  for (std::size_t i = month_at > 4 ? month_at - 4 : 0; i < tok.size() && i <= month_at + 4; ++i) {
    int n = number(tok[i]);
    const std::size_t distance = i > month_at ? i - month_at : month_at - i;
    if (n >= 1 && n <= 31 && tok[i].size() <= 2 && i != month_at && distance < nearest) {
      // "17:45" is a time, not a day.
      bool time = (i + 1 < tok.size() && tok[i + 1] == ":") || (i > 0 && tok[i - 1] == ":");
      if (!time) {
        day = n;
        nearest = distance;
      }
    }
  }
  return iso(year, month, day);
}

// A page copied twice, as "select all" gives it over a teaser and then the
// full article: the same run of header and turns twice, the first copy
// ending right where the second begins (but for the paywall's few lines).
// The longer copy stays; the other goes, with one diagnostic for it all.
void recognizer::drop_repeated_copy() {
  std::unordered_map<std::string_view, std::size_t> first;
  const auto text_of = [&](std::size_t k) { return std::string_view(items_[k].raw->text); };
  for (std::size_t j = 0; j < items_.size();) {
    if (text_of(j).empty() || items_[j].kind == cls::separator) {
      ++j;
      continue;
    }
    const auto [at, fresh] = first.try_emplace(text_of(j), j);
    if (fresh) {
      ++j;
      continue;
    }
    const std::size_t i = at->second;
    std::size_t len = 0, substantial = 0;
    while (i + len < j && j + len < items_.size() && text_of(i + len) == text_of(j + len)) {
      substantial += items_[i + len].kind != cls::noise && items_[i + len].length >= 30;
      ++len;
    }
    // What stands between the copies: at most a few lines shown.
    std::size_t between = 0;
    if (len >= 4 && substantial >= 2 && j - (i + len) <= 12)
      for (std::size_t k = i + len; k < j; ++k) between += items_[k].kind != cls::noise && !text_of(k).empty();
    if (len < 4 || substantial < 2 || j - (i + len) > 12 || between > 3) {
      j += std::max<std::size_t>(len, 1);
      continue;
    }
    // The teaser stops where the paywall starts; the full copy goes on.
    std::size_t more_second = 0;
    for (std::size_t k = j + len; k < items_.size(); ++k) more_second += items_[k].kind != cls::noise;
    const bool keep_second = more_second > between;
    const std::size_t from = keep_second ? i : j, to = keep_second ? j : j + len;
    for (std::size_t k = from; k < to; ++k)
      if (items_[k].kind != cls::separator) items_[k].kind = cls::noise;
    const std::string lines = std::to_string(items_[from].raw->pos.line) + "–" +
                              std::to_string(items_[to - 1].raw->pos.line);
    diags_.info(items_[from].raw->pos, "duplicate-copy",
                std::string("dropped lines ") + lines + ": the page holds the article twice; kept the " +
                    (keep_second ? "second, longer copy" : "first, longer copy"));
    return;
  }
}

void recognizer::find_title_and_front() {
  auto fm_value = [&](const char* k) -> std::string {
    auto it = fm_.values.find(k);
    return it == fm_.values.end() ? std::string() : it->second;
  };
  std::size_t i = 0;
  auto skip = [&] {
    i = shown_from(i);
  };
  // The title: Markdown's first heading, or the first short line that is not
  // a sentence. The headline on the page beats the breadcrumb's last segment.
  auto could_be_title = [&](const item& it) {
    return it.kind == cls::content && headline_label(it) && !it.dash && !utf8::longer_than(it.raw->text, 250) &&
           count_words(it.raw->text, 2) >= 2 && last_sentence_char(it.raw->text) != '.' &&
           !ends_question(it.raw->text) && !looks_like_byline(lower_prefix(it), it.raw->text) &&
           !looks_like_dateline(it.raw->text);
  };
  skip();
  static constexpr std::string_view kickers_list[] = {
      "interview", "the interview", "entrevista", "la entrevista", "intervista", "l'intervista", "l’intervista",
      "entretien", "l'entretien", "l’entretien", "gespräch", "das gespräch", "interview der woche", "интервью",
      "інтерв'ю", "інтерв’ю", "q&a", "exclusive", "exclusiva", "table ronde", "podcast", "transcript", "wywiad"};
  static constexpr scan::sorted_words kickers(kickers_list);
  // The publication's name and the site's navigation above the headline
  // ("DER SPIEGEL" / "Startseite" / "Kultur", "Folha de S.Paulo" /
  // "Entrar", "The Atlantic Review" / "Culture"): lines of a word each,
  // the publication's name, or a short name right above such words.
  {
    const auto chrome_line = [&](std::size_t k) {
      if (k >= items_.size()) return false;
      const item& it = items_[k];
      if (it.kind != cls::content || it.label.present || it.dash || utf8::longer_than(it.raw->text, 40) ||
          count_words(it.raw->text, 5) > 4 || kickers.contains(lower_prefix(it)))
        return false;
      const char32_t end = last_sentence_char(it.raw->text);
      return end != '.' && end != '?' && end != '!' && end != ':';
    };
    // A word alone, or sections in a row ("Política > Entrevistas").
    const auto one_word = [&](std::size_t k) {
      if (!chrome_line(k)) return false;
      const std::string_view t = items_[k].raw->text;
      return count_words(t, 2) == 1 || t.find(" > ") != std::string_view::npos ||
             t.find(" › ") != std::string_view::npos;
    };
    std::size_t k = i, lines = 0;
    while (lines < 12 && chrome_line(k) &&
           (one_word(k) || publications.contains(lower_prefix(items_[k])) || one_word(shown_from(k + 1)))) {
      k = shown_from(k + 1);
      ++lines;
    }
    // Only with the headline (or a kicker over it) next.
    if (lines > 0 && k < items_.size() &&
        (items_[k].kind == cls::heading || could_be_title(items_[k]) ||
         (items_[k].kind == cls::content && kickers.contains(lower_prefix(items_[k]))))) {
      for (std::size_t m = i; m < k; m = shown_from(m + 1))
        drop(items_[m], "noise-masthead", "dropped the masthead or navigation above the headline");
      i = k;
    }
  }
  // A kicker or masthead above the headline ("ENTREVISTA", "EL PAÍS",
  // "L'INTERVISTA"): a word or three, a paragraph of their own, in capitals
  // or naming the genre, with the headline next.
  if (i + 1 < items_.size() && items_[i].kind == cls::content && !items_[i].label.present && !items_[i].dash) {
    const item& k = items_[i];
    const std::size_t next = shown_from(i + 1);
    const std::string_view t = k.raw->text;
    const bool kicker = count_words(t, 4) <= 3 && !utf8::longer_than(t, 30) && last_sentence_char(t) != '.' &&
                        (kickers.contains(lower_prefix(k)) || all_caps(t));
    // A genre word may sit right above the headline, in its group
    // ("INTERVIEW" then the headline on the next line); capitals alone
    // need a blank line between.
    if (kicker && next < items_.size() && (!items_[next].raw->same_group || kickers.contains(lower_prefix(k))) &&
        could_be_title(items_[next]) && items_[next].raw->text.size() > t.size()) {
      drop(items_[i], "noise-kicker", "dropped the kicker above the headline");
      skip();
    }
  }
  // "Agnes Ziel: I was never afraid of the Himalayas" above "Interview by
  // Kate Novak": a headline, though "Agnes Ziel:" labels her answers below.
  // Only with a byline or dateline next: a transcript's first answer has
  // a turn or more of the answer after it.
  const auto headline_despite_label = [&](std::size_t k) {
    const item& it = items_[k];
    if (!it.label.present || it.label.given || find_qa(it.label.key) || it.label.text.size() + 2 >= it.raw->text.size())
      return false;
    const std::size_t next = shown_from(k + 1);
    if (next >= items_.size() || items_[next].kind != cls::content || items_[next].label.present) return false;
    const item& n = items_[next];
    if (!looks_like_byline(lower_prefix(n), n.raw->text) && !looks_like_dateline(n.raw->text)) return false;
    const std::string& t = it.raw->text;
    return !it.dash && !utf8::longer_than(t, 250) && last_sentence_char(t) != '.' && !ends_question(t);
  };
  // "Roundtable: Is the four-day week here to stay?": a headline may ask,
  // when a byline or a dateline follows within three lines, before any
  // turn or other question.
  const auto asking_headline = [&](std::size_t k) {
    const item& it = items_[k];
    if (it.kind != cls::content || !headline_label(it) || it.dash || !ends_question(it.raw->text) ||
        utf8::longer_than(it.raw->text, 250))
      return false;
    for (std::size_t next = shown_from(k + 1), seen = 0; next < items_.size() && seen < 3;
         next = shown_from(next + 1)) {
      const item& n = items_[next];
      if (n.kind != cls::content || n.label.present || n.dash || ends_question(n.raw->text)) return false;
      if (looks_like_byline(lower_prefix(n), n.raw->text) || looks_like_dateline(n.raw->text)) return true;
      ++seen;
    }
    return false;
  };
  if (i < items_.size()) {
    item& it = items_[i];
    bool heading = it.kind == cls::heading;
    bool short_line = could_be_title(it) || (it.kind == cls::content && headline_despite_label(i)) ||
                      asking_headline(i);
    if (heading || short_line) {
      art_.title = it.raw->text;
      art_.title_pos = it.raw->pos;
      it.kind = cls::noise;  // consumed, not dropped: no diagnostic
      ++i;
    }
  }
  // The title repeated (a headline printed twice, or after a kicker line).
  for (std::size_t k = i; k < items_.size() && k < i + 6; ++k) {
    if (items_[k].kind == cls::content && items_[k].raw->text == art_.title)
      drop(items_[k], "duplicate-title", "dropped the headline printed again");
  }
  skip();
  // Subtitle: a Markdown heading right after the title, or a short line that
  // stays in the title's group.
  if (i < items_.size()) {
    item& it = items_[i];
    if (it.kind == cls::heading && it.raw->level >= 2 && i + 1 < items_.size()) {
      art_.subtitle = it.raw->text;
      it.kind = cls::noise;
      ++i;
    } else if (it.kind == cls::content && it.raw->same_group && !it.label.present && !it.dash &&
               !utf8::longer_than(it.raw->text, 200) && !looks_like_byline(lower_prefix(it), it.raw->text) &&
               !looks_like_dateline(it.raw->text) && !starts_with(lower_prefix(it), "members present")) {
      art_.subtitle = it.raw->text;
      it.kind = cls::noise;
      ++i;
    }
  }
  // "Headline | Type Journal": a page title with the site's name after it,
  // as browser clippers copy it.
  if (const std::size_t bar = art_.title.rfind(" | "); bar != std::string::npos) {
    const std::string_view site = std::string_view(art_.title).substr(bar + 3);
    if (count_words(site, 5) <= 4 && site.find(':') == std::string_view::npos &&
        count_words(std::string_view(art_.title).substr(0, bar), 3) >= 3)
      art_.title.resize(bar);
  }
  if (auto t = fm_value("title"); !t.empty()) art_.title = t;
  if (auto s = fm_value("subtitle"); !s.empty()) art_.subtitle = s;

  // The intro, up to the first turn: metadata lines, byline, dateline, lead.
  bool have_lead = false;
  for (std::size_t k = i; k < items_.size(); ++k) {
    item& it = items_[k];
    if (it.kind == cls::heading) break;
    if (it.kind != cls::content) continue;
    const std::string& text = it.raw->text;
    if (it.label.given) break;  // the format says a turn starts here
    if (starts_with(lower_prefix(it), "members present")) {
      read_members(k);
      continue;
    }
    if (it.label.present && starts_with(it.label.key, "by ") && !more_nonspace_than(text, it.label.nonspace)) {
      // "BY MR. FENWICK:" alone above a deposition's first `Q.`: the lawyer
      // who asks.
      const std::string_view who = std::string_view(it.label.text).substr(3);
      if (count_words(who) >= 2 && count_words(who) <= 4 && all_words_capitalised(who)) {
        if (interviewer_.empty()) interviewer_ = all_caps(who) ? title_case(who) : std::string(who);
        it.kind = cls::noise;
        diags_.info(it.raw->pos, "metadata-line", "read '" + text + "' as the examining lawyer");
        continue;
      }
    }
    if (it.label.present) {
      // "Interviewer: Daniel Okoro", "Date: 14 June 2022": header lines, not turns.
      meta_key mk = metadata_key(it.label.key);
      std::string_view value = scan::trim(std::string_view(text).substr(
          std::min(text.size(), text.find(':') == std::string::npos ? text.size() : text.find(':') + 1)));
      // "Witness: Dame Patricia Holloway, Chief Executive, National Rail
      // Passengers Council, gave evidence."
      const bool witness = it.label.key == "witness";
      if (witness)
        for (std::string_view tail : {std::string_view(", gave evidence."), std::string_view(", gave evidence")})
          if (value.ends_with(tail)) value.remove_suffix(tail.size());
      std::string v(value);
      // "Interviewee: Jean-Claude Tremblay, mayor of Port-Alfred"
      std::string who, what;
      const bool named = split_name_description(v, who, what) || !(who = read_name(v)).empty();
      // "Guest: Dr. Priya Raghunathan" heads a podcast's transcript;
      // "Guest: Thanks, Marcus." is its first answer: a sentence, not a name.
      const char32_t end = last_sentence_char(value);
      const bool turn_label = (mk == meta_key::interviewer || mk == meta_key::interviewee) && find_qa(it.label.key) &&
                              !named && (end == '.' || end == '!' || value.find(", ") != std::string_view::npos);
      // A witness comes with what she is: a name and a long description.
      const std::size_t most_words = witness ? (named ? 20 : 0) : 8;
      if (mk != meta_key::none && !turn_label && count_words(value) <= most_words && last_sentence_char(value) != '?') {
        if (!named) who = v;
        if (mk == meta_key::interviewer && interviewer_.empty()) interviewer_ = who, interviewer_desc_ = what;
        if (mk == meta_key::interviewee && interviewee_.empty()) interviewee_ = who, interviewee_desc_ = what;
        if (mk == meta_key::date && art_.date.empty()) {
          art_.date = normalize_date(v);
          if (art_.date.empty()) header_meta_[it.label.key] = v;
        }
        if (mk == meta_key::other) header_meta_[it.label.key] = v;
        it.kind = cls::noise;
        diags_.info(it.raw->pos, "metadata-line", "read '" + it.label.text + "' as metadata");
        continue;
      }
      auto lc = label_counts_.find(it.label.key);
      if (find_qa(it.label.key) || (lc != label_counts_.end() && lc->second > 1)) break;
    }
    if (it.dash) break;
    // "Photographs by Leo Marín · 7 min read · October 3, 2023": the date
    // is the article's; the photographer is nobody in the interview.
    if (is_photo_credit(lower_prefix(it)) && !utf8::longer_than(text, 150)) {
      std::vector<std::string> parts;
      split_segments(text, " · ", parts);
      if (parts.size() < 2) split_segments(text, " | ", parts);
      for (const std::string& part : parts)
        if (art_.date.empty() && looks_like_dateline(part)) art_.date = normalize_date(part);
      it.kind = cls::noise;
      diags_.info(it.raw->pos, "photo-credit", "read '" + text + "' as the photo credit");
      continue;
    }
    if (art_.byline.empty() && looks_like_byline(lower_prefix(it), text)) {
      art_.byline = text;
      // "By Jane Doe | 14 March 2024": keep the name part.
      for (std::string_view sep : {std::string_view(" | "), std::string_view(" – "), std::string_view(" — "),
                                   std::string_view(" · "), std::string_view(", ")}) {
        std::size_t at = art_.byline.find(sep);
        // "Posted on September 14, 2023 by Gregory Ashdown": cut only
        // where the name stays in the part kept.
        if (at != std::string::npos) {
          const std::string kept = art_.byline.substr(0, at);
          if (byline_name(lower(kept), kept).empty()) continue;
          std::string rest(scan::trim(std::string_view(art_.byline).substr(at + sep.size())));
          if (art_.date.empty() && looks_like_dateline(rest)) art_.date = normalize_date(rest);
          art_.byline = std::string(scan::trim(std::string_view(art_.byline).substr(0, at)));
        }
      }
      // "Posted on 3 October 2023 by ...": the date in the byline itself.
      if (art_.date.empty())
        if (std::string date = normalize_date(text); date.size() == 10) art_.date = std::move(date);
      it.kind = cls::noise;
      continue;
    }
    if (looks_like_dateline(text)) {
      // "Updated 2 hours ago" is a dateline with no date in it: dropped,
      // and the diagnostic says so.
      std::string date = normalize_date(text);
      it.kind = cls::noise;
      if (date.empty()) {
        diags_.info(it.raw->pos, "dateline", "dropped the dateline '" + text + "': it gives no date");
      } else if (!art_.date.empty()) {
        diags_.info(it.raw->pos, "dateline", "dropped the dateline '" + text + "': the date was read above");
      } else {
        art_.date = std::move(date);
        diags_.info(it.raw->pos, "dateline", "read '" + text + "' as the date");
      }
      continue;
    }
    // Once we meet a question, the intro is over.
    if (ends_question(text) && !utf8::longer_than(text, 399)) break;
    if (!have_lead && count_words(text, 8) >= 8) {
      have_lead = true;
      lead_index_ = k;
    }
    intro_.push_back(k);
  }
}

// "Members present:" and the committee's members under it, a name a line
// ("Iain Stewart (Chair)", "Mr Ben Bradshaw"), or after it on the same
// line, parted by semicolons or commas: the people who ask. None of them
// is the byline.
void recognizer::read_members(std::size_t k) {
  static constexpr std::string_view chair_words[] = {"chair", "chairman", "chairwoman", "chair of the committee"};
  const auto add = [&](std::string_view entry) {
    entry = scan::trim(entry);
    bool chair = false;
    if (const std::size_t open = entry.rfind(" ("); open != std::string_view::npos && entry.ends_with(")")) {
      const std::string role = lower(entry.substr(open + 2, entry.size() - open - 3));
      chair = std::find(std::begin(chair_words), std::end(chair_words), role) != std::end(chair_words);
      entry = entry.substr(0, open);
    }
    const std::string_view bare = skip_honorific(entry);
    if (read_name(bare).size() != bare.size()) return false;
    members_.push_back({std::string(entry), chair});
    return true;
  };
  item& heading = items_[k];
  heading.kind = cls::noise;
  const std::string_view text = heading.raw->text;
  const std::size_t colon = text.find(':');
  std::string_view rest = colon == std::string_view::npos ? std::string_view() : scan::trim(text.substr(colon + 1));
  const char sep = rest.find(';') != std::string_view::npos ? ';' : ',';
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find(sep), rest.size());
    add(rest.substr(0, end));
    rest = rest.substr(std::min(end + 1, rest.size()));
  }
  std::size_t n = k + 1;
  for (; n < items_.size() && items_[n].kind == cls::content && items_[n].raw->same_group &&
         !items_[n].label.present && !utf8::longer_than(items_[n].raw->text, 60) && add(items_[n].raw->text);
       ++n)
    items_[n].kind = cls::noise;
  std::string names;
  for (const member& m : members_) names += (names.empty() ? "" : ", ") + m.name;
  diags_.info(heading.raw->pos, "metadata-line", "read the committee's members: " + names);
}

// The member a label names: "RUTH CADBURY", "MR BRADSHAW", and "THE CHAIR"
// for the member who chairs.
const recognizer::member* recognizer::committee_member(std::string_view label) const {
  static constexpr std::string_view chair_labels[] = {"chair", "the chair", "chairman", "the chairman", "chairwoman",
                                                      "the chairwoman", "madam chair", "mr chairman"};
  const std::string key = lower(label);
  const bool chair = std::find(std::begin(chair_labels), std::end(chair_labels), key) != std::end(chair_labels);
  for (const member& m : members_)
    if ((chair && m.chair) || same_person(label, m.name)) return &m;
  return nullptr;
}

// ---- people ------------------------------------------------------------------

// A podcast's host says who speaks in the first question: "I'm Marcus
// Webb. My guest today is Dr. Priya Raghunathan." Read only when the turns
// are labelled by role ("Host:", "Q:"): name labels say who speaks.
void recognizer::names_in_first_question() {
  if (!interviewer_.empty() && !interviewee_.empty()) return;
  for (const item& it : items_) {
    if (it.kind != cls::content || !it.label.present) continue;
    const qa_word* w = find_qa(it.label.key);
    if (!w) return;
    if (w->kind != qa::question) continue;
    const std::string_view text = it.raw->text;
    const std::string low = lower(text);
    if (low.size() != text.size()) return;  // offsets below are the text's
    // The name after the first of `phrases` that one follows.
    const auto name_after = [&](std::span<const std::string_view> phrases) -> std::string {
      for (std::string_view p : phrases)
        for (std::size_t at = low.find(p); at != std::string::npos; at = low.find(p, at + 1)) {
          if (at > 0 && low[at - 1] != ' ') continue;
          std::string n = read_name_after(skip_honorific(text.substr(at + p.size())));
          if (!n.empty()) return n;
        }
      return {};
    };
    static constexpr std::string_view guest_phrases[] = {
        "my guest today is ", "my guest is ", "my guest this week is ", "joining me today is ", "joining me is ",
        "i'm joined by ", "i’m joined by ", "i'm joined today by ", "i’m joined today by ", "with me today is ",
        "with me is ", "i'm talking to ", "i’m talking to ", "i'm talking with ", "i’m talking with ",
        "i'm speaking with ", "i’m speaking with ", "mi invitado es ", "mi invitada es ", "mi invitado de hoy es ",
        "mi invitada de hoy es ", "nos acompaña "};
    static constexpr std::string_view self_phrases[] = {"i'm ", "i’m ", "i am ", "my name is ", "soy ",
                                                        "me llamo ", "je suis ", "je m'appelle "};
    if (interviewee_.empty())
      if (std::string g = name_after(guest_phrases); !g.empty() && !same_person(g, interviewer_)) interviewee_ = g;
    if (interviewer_.empty())
      if (std::string h = name_after(self_phrases); !h.empty() && !same_person(h, interviewee_)) interviewer_ = h;
    return;
  }
}

// A description without the article before it: "A escritora Conceição
// Evaristo" gives "escritora", as "The novelist X" gives "novelist". Only
// before a lower-case word: "La Repubblica's correspondent" keeps it.
std::string_view without_article(std::string_view d) {
  static constexpr std::string_view articles_list[] = {"a", "an", "the", "o", "os", "as", "el", "la", "los",
                                                       "las", "il", "lo", "gli", "le", "les", "der", "die",
                                                       "das", "un", "una", "uno", "une", "um", "uma", "ein", "eine"};
  static constexpr scan::sorted_words articles(articles_list);
  const std::size_t sp = d.find(' ');
  if (sp == std::string_view::npos || !articles.contains(lower(d.substr(0, sp)))) return d;
  const std::string_view rest = d.substr(sp + 1);
  return utf8::is_lower(first_char(rest)) ? rest : d;
}

void recognizer::find_people() {
  auto better = [](std::string& slot, const std::string& cand) {
    const std::string_view c = without_article(cand);
    if (c.size() > slot.size()) slot = std::string(c);
  };
  // Front matter says it best; then the byline names the interviewer and the
  // headline the interviewee; the lead fills in ("X had the opportunity to
  // interview Y").
  if (!fm_.interviewer.empty()) interviewer_ = fm_.interviewer;
  if (!fm_.interviewee.empty()) interviewee_ = fm_.interviewee;
  if (interviewer_.empty() && !art_.byline.empty()) {
    interviewer_ = byline_name(lower(art_.byline), art_.byline);
    // "Interview by Kevin Tran and Maya Brooks", "Propos recueillis par
    // Camille Laurent et Jean-Baptiste Morel": two who ask.
    // (The name is read word by word: look for it, do not assume it.)
    if (const std::size_t at = art_.byline.find(interviewer_); !interviewer_.empty() && at != std::string::npos) {
      const std::string_view rest = std::string_view(art_.byline).substr(at + interviewer_.size());
      for (std::string_view conj : {" and ", " y ", " et ", " und ", " e ", " и ", " і ", " та "}) {
        if (!starts_with(rest, conj)) continue;
        std::string second = read_name(rest.substr(conj.size()));
        if (!second.empty()) co_interviewer_ = std::move(second);
        break;
      }
    }
  }
  // A credit line outside the intro ("Das Gespräch führte Anna Müller."
  // at the end) names the interviewer, and is no one's answer.
  for (auto& it : items_) {
    if (!it.interviewer_credit || it.kind != cls::content) continue;
    std::string n = byline_name(lower_prefix(it), it.raw->text);
    if (n.empty()) continue;
    if (interviewer_.empty()) interviewer_ = n;
    it.kind = cls::noise;
    diags_.info(it.raw->pos, "interviewer-credit", "read '" + it.raw->text + "' as the interviewer's credit");
  }
  names_in_first_question();
  std::string name, desc;
  if ((split_name_description(art_.title, name, desc) || name_in_headline(art_.title, name, desc)) &&
      !is_organisation(name)) {
    if (interviewee_.empty() && !same_person(name, interviewer_)) interviewee_ = name;
    if (same_person(name, interviewee_)) better(interviewee_desc_, desc);
  }
  // "An interview with engineer Dmitri Okonkwo" in the subtitle or the lead.
  const auto interview_with = [&](std::string_view text) {
    if (interviewee_.empty() && name_after_interview_words(text, name, desc) && !same_person(name, interviewer_)) {
      interviewee_ = name;
      better(interviewee_desc_, desc);
    }
  };
  interview_with(art_.subtitle);
  for (std::size_t k : intro_) {
    std::string known = interviewee_;
    find_people_in_lead(items_[k].raw->text, interviewer_, interviewee_, known);
    interview_with(items_[k].raw->text);
  }
  // The texts around the title where the people are named.
  std::vector<std::string_view> around;
  around.push_back(art_.subtitle);
  for (std::size_t k : intro_) around.push_back(items_[k].raw->text);
  for (const auto& it : items_)
    if (it.kind == cls::figure || it.kind == cls::image) {
      around.push_back(it.caption.empty() ? it.raw->alt : it.caption);
      // An image's alt text under its own caption names people too.
      if (!it.caption.empty() && !it.raw->alt.empty() && it.raw->alt != it.caption) around.push_back(it.raw->alt);
    }
  // The most named person is the interviewee when nothing else said so.
  if (interviewee_.empty()) {
    std::map<std::string, int> counts;
    std::vector<std::string_view> all = around;
    all.push_back(art_.title);
    for (std::string_view t : all) {
      std::set<std::string> here;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (i > 0 && t[i - 1] != ' ' && t[i - 1] != '(' && t[i - 1] != '"') continue;
        if (!utf8::is_upper(first_char(t.substr(i)))) continue;
        std::string n = read_name(t.substr(i));
        if (!n.empty() && !same_person(n, interviewer_) && here.insert(n).second) counts[n]++;
        if (!n.empty()) i += n.size() - 1;
      }
    }
    int best = 1;
    for (const auto& [n, c] : counts)
      if (c > best) best = c, interviewee_ = n, interviewee_guessed_ = true;
  }
  // A headline name may carry a capitalised descriptor ("Bienenforscherin
  // Hanna Leitner"): when the text names the person without its first word,
  // that word is the description.
  // Common occupations are such words wherever they stand ("Novelist
  // Anna Weber", "Dirigentin Joana Mallwitz").
  static constexpr std::string_view occupations_list[] = {
      "novelist", "writer", "author", "poet", "conductor", "architect", "beekeeper", "director", "filmmaker",
      "actor", "actress", "singer", "musician", "composer", "painter", "artist", "photographer", "designer",
      "chef", "scientist", "physicist", "biologist", "economist", "historian", "philosopher", "activist",
      "farmer", "engineer", "surgeon", "nurse", "teacher", "researcher", "founder", "astronaut", "lawyer",
      "entrepreneur", "investor", "climber", "sailor", "pilot", "coach", "footballer", "mayor",
      "autorin", "autor", "schriftstellerin", "schriftsteller", "dirigentin", "dirigent", "architektin",
      "forscherin", "forscher", "bienenforscherin", "musikerin", "musiker", "regisseurin", "regisseur",
      "schauspielerin", "schauspieler", "sängerin", "sänger", "ärztin", "arzt", "künstlerin", "künstler",
      "fotografin", "fotograf", "historikerin", "historiker", "ökonomin", "ökonom", "philosophin",
      "bürgermeisterin", "bürgermeister", "trainerin", "trainer", "winzerin", "winzer", "köchin", "koch"};
  static constexpr scan::sorted_words occupations(occupations_list);
  // "Airbus Chief Executive Guillaume Faury said on Tuesday ...", "A year
  // ago Mara Kovač was ranked 143rd": a standfirst (the lead, or a
  // subtitle of a sentence or more) that names one person, and nobody
  // else, names the interviewee. Titles before the name are no part of it.
  const bool standfirst_subtitle = count_words(art_.subtitle, 8) >= 8;
  if (interviewee_.empty() && (lead_index_ < items_.size() || standfirst_subtitle)) {
    static constexpr std::string_view titles_list[] = {
        "ceo", "cfo", "chair", "chairman", "chairwoman", "chief", "executive", "founder", "general", "head",
        "manager", "minister", "nurse", "officer", "premier", "president", "prime", "professor", "secretary",
        "verpleegkundige"};
    static constexpr scan::sorted_words titles(titles_list);
    // A person's name, as the standfirst gives it: after a title
    // ("Chief Executive", "Verpleegkundige"), or before a verb that says
    // what the person said or was ("said", "was", "sagte"). Every word of
    // it two letters or more ("So I" is none), and no institution's
    // ("European Union", "Minsk Agreements").
    static constexpr std::string_view verbs_list[] = {
        "a", "afirma", "believes", "dice", "dijo", "disse", "dit", "diz", "est", "explains", "explica", "had",
        "has", "is", "ist", "mówi", "powiedział", "powiedziała", "sagt", "sagte", "said", "says", "spoke",
        "speaks", "told", "tells", "war", "was", "werkte", "zegt", "zei"};
    static constexpr scan::sorted_words verbs(verbs_list);
    static constexpr std::string_view bodies_list[] = {
        "agency", "agreement", "agreements", "airshow", "army", "association", "bank", "club", "committee",
        "company", "corporation", "council", "court", "day", "festival", "foundation", "government", "group",
        "institute", "league", "ministry", "museum", "news", "parliament", "party", "press", "review", "status",
        "union", "university"};
    static constexpr scan::sorted_words bodies(bodies_list);
    const auto person_in = [&](const std::string& n, std::string_view after) {
      std::size_t from = 0;
      bool short_word = false;
      for (std::size_t i = 0; i < n.size();) {
        const std::size_t sp = std::min(n.find(' ', i), n.size());
        const std::string w = lower(std::string_view(n).substr(i, sp - i));
        if (titles.contains(w) || occupations.contains(w) || is_role_word(w)) from = sp + 1, short_word = false;
        else short_word |= scan::length(w) < 2;
        i = sp + 1;
      }
      if (from >= n.size() || short_word) return std::string();
      const std::string_view name = std::string_view(n).substr(from);
      const std::size_t last = name.rfind(' ');
      if (last == std::string_view::npos || bodies.contains(lower(name.substr(last + 1)))) return std::string();
      after = scan::trim(after);
      const std::string_view next = after.substr(0, std::min(after.find(' '), after.size()));
      if (from == 0 && !verbs.contains(lower(next))) return std::string();
      return std::string(name);
    };
    std::string only;
    bool several = false;
    const std::string_view sub = standfirst_subtitle ? std::string_view(art_.subtitle) : std::string_view();
    const std::string_view lead =
        lead_index_ < items_.size() ? std::string_view(items_[lead_index_].raw->text) : std::string_view();
    for (const std::string_view t : {sub, lead}) {
      for (std::size_t i = 0; i < t.size() && !several; ++i) {
        if (i > 0 && t[i - 1] != ' ' && t[i - 1] != '(' && t[i - 1] != '"') continue;
        if (!utf8::is_upper(first_char(t.substr(i)))) continue;
        const std::string read = read_name(t.substr(i));
        if (read.empty()) continue;
        const std::string n = person_in(read, t.substr(i + read.size()));
        i += read.size() - 1;
        if (n.empty() || is_organisation(n) || same_person(n, interviewer_) || same_person(n, co_interviewer_))
          continue;
        if (only.empty()) only = n;
        else several = !same_person(n, only);
      }
    }
    if (!several && !only.empty()) {
      interviewee_ = only;
      interviewee_guessed_ = true;
    }
  }
  while (count_words(interviewee_) >= 3) {
    std::size_t sp = interviewee_.find(' ');
    std::string shorter = interviewee_.substr(sp + 1);
    bool full_seen = false, short_seen = false;
    for (std::string_view t : around) {
      full_seen |= t.find(interviewee_) != std::string_view::npos;
      short_seen |= t.find(shorter) != std::string_view::npos;
    }
    const bool occupation = occupations.contains(lower(interviewee_.substr(0, sp)));
    if (!occupation && (full_seen || !short_seen)) break;
    if (interviewee_desc_.empty()) interviewee_desc_ = interviewee_.substr(0, sp);
    interviewee_ = shorter;
  }
  // Figure captions often carry the full description ("Name, Deputy Foreign
  // Minister of ..."), but also what the person is doing ("Name, during a
  // training"): a caption's words replace a known description only when
  // they begin the same way, and never when they start with a preposition.
  static constexpr std::string_view prepositions_list[] = {
      "during", "at", "in", "on", "with", "after", "before", "while", "outside", "inside", "near", "by",
      "durante", "en", "con", "tras", "antes", "junto", "frente", "desde", "при", "во", "в", "на", "у", "с",
      "bei", "in", "im", "am", "mit", "während", "pendant", "à", "au", "avec", "dans", "devant", "durant",
      "em", "na", "no", "com", "nella", "nel", "alla", "al", "con", "dopo", "prima"};
  static constexpr scan::sorted_words prepositions(prepositions_list);
  // Nor when they say when: "Name, el pasado jueves en su despacho",
  // "Name, last week in Geneva".
  static constexpr std::string_view when_list[] = {
      "yesterday", "today", "last", "earlier", "this", "ayer", "hoy", "pasado", "pasada", "anteayer", "gestern",
      "heute", "letzte", "letzten", "hier", "aujourd'hui", "dernier", "dernière", "ieri", "oggi", "scorso",
      "scorsa", "ontem", "hoje", "passado", "passada", "вчера", "сегодня", "прошлой", "прошлом", "вчора",
      "сьогодні", "минулого", "минулої", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
      "sunday", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"};
  static constexpr scan::sorted_words when(when_list);
  auto describes = [&](const std::string&, const std::string& cand) {
    std::string first = lower(cand.substr(0, cand.find(' ')));
    if (prepositions.contains(first)) return false;
    // The first three words: "el pasado jueves", "last Thursday".
    const std::string low = lower(cand);
    for (std::size_t i = 0, k = 0; k < 3 && i < low.size(); ++k) {
      const std::size_t sp = std::min(low.find(' ', i), low.size());
      if (when.contains(std::string_view(low).substr(i, sp - i))) return false;
      i = sp + 1;
    }
    for (char c : cand)
      if (c >= '0' && c <= '9') return false;
    return true;
  };
  for (const auto& it : items_) {
    if (it.kind != cls::figure) continue;
    if (split_name_description(it.caption, name, desc)) {
      if (same_person(name, interviewee_) && describes(interviewee_desc_, desc)) better(interviewee_desc_, desc);
      else if (same_person(name, interviewer_) && describes(interviewer_desc_, desc)) better(interviewer_desc_, desc);
    }
  }
  // Front matter overrides what was guessed.
  if (!fm_.interviewer.empty()) interviewer_ = fm_.interviewer;
  if (!fm_.interviewer_description.empty()) interviewer_desc_ = fm_.interviewer_description;
  if (!fm_.interviewee.empty()) interviewee_ = fm_.interviewee;
  if (!fm_.interviewee_description.empty()) interviewee_desc_ = fm_.interviewee_description;
}

// The role labels a language prints for unlabelled turns ("Q"/"A", "P"/"R").
std::pair<const char*, const char*> role_labels(std::string_view lang) {
  if (lang == "es" || lang == "pt" || lang == "ca") return {"P", "R"};
  if (lang == "fr") return {"Q", "R"};
  if (lang == "de") return {"F", "A"};
  if (lang == "it") return {"D", "R"};
  if (lang == "ru") return {"В", "О"};
  if (lang == "uk") return {"П", "В"};
  if (lang == "nl") return {"V", "A"};
  if (lang == "pl") return {"P", "O"};
  return {"Q", "A"};
}

int recognizer::ensure_asker() {
  if (asker_ < 0) asker_ = add_speaker(interviewer_, doc::role::interviewer, role_labels(art_.lang).first);
  return asker_;
}

int recognizer::ensure_teller() {
  if (teller_ < 0) teller_ = add_speaker(interviewee_, doc::role::interviewee, role_labels(art_.lang).second);
  return teller_;
}

// ---- choosing the convention ---------------------------------------------------

void recognizer::choose_convention() {
  if (thread_) {
    conv_ = convention::thread;
    return;
  }
  // 1. Labels. Count each label at paragraph starts.
  struct count {
    std::string text;
    int n = 0;
    int questions = 0;
    int numbered = 0;  // turns with a committee's question number ("Q12 Ruth Cadbury:")
    std::map<std::string, int> forms;
    std::size_t first = 0;  // the item where it first stands
    bool given = false;     // named by the format (label_info::given)
  };
  std::map<std::string, count, std::less<>> labels;
  int numbered_turns = 0;
  for (std::size_t k = 0; k < items_.size(); ++k) {
    const item& it = items_[k];
    if (it.kind != cls::content || !it.label.present) continue;
    auto& c = labels[it.label.key];
    if (c.n++ == 0) c.first = k;
    c.forms[it.label.text]++;
    c.questions += ends_question(it.raw->text);
    c.numbered += it.label.question_number;
    numbered_turns += it.label.question_number;
    c.given = c.given || it.label.given;
  }
  // Numbered questions come in a series: one alone numbers nothing.
  if (numbered_turns < 2)
    for (auto& [key, c] : labels) c.numbered = 0;
  // Which labels are speakers: role words, recurring labels, known people.
  // Taken in order of first appearance, so the first to speak comes first.
  std::vector<std::string> order;
  {
    std::set<std::string, std::less<>> seen_keys;
    for (const auto& it : items_)
      if (it.kind == cls::content && it.label.present && seen_keys.insert(it.label.key).second)
        order.push_back(it.label.key);
  }
  std::vector<std::string> speakers_keys;
  int turns = 0;
  for (const auto& key : order) {
    auto& c = labels.find(key)->second;
    bool known_person = same_person(key, interviewer_) || same_person(key, interviewee_) ||
                        same_person(key, co_interviewer_) || committee_member(key);
    bool is_speaker = !not_speakers.contains(key) && (find_qa(key) || c.n >= 2 || known_person || c.numbered > 0);
    // Single letters other than role words are list markers, not people.
    if (scan::length(key) == 1 && !find_qa(key)) is_speaker = false;
    if (c.given) is_speaker = true;
    if (!is_speaker) continue;
    speakers_keys.push_back(key);
    turns += c.n;
  }
  // One-off labels that name a speaker already found ("Ruth Adeyemi-Clarke:"
  // once, then "Adeyemi-Clarke:" throughout) are that speaker too.
  for (const auto& key : order) {
    if (std::find(speakers_keys.begin(), speakers_keys.end(), key) != speakers_keys.end()) continue;
    if (find_qa(key) || not_speakers.contains(key)) continue;
    for (const auto& other : speakers_keys) {
      if (!find_qa(other) && (same_person(other, key) || same_person(key, other))) {
        speakers_keys.push_back(key);
        turns += labels.find(key)->second.n;
        break;
      }
    }
  }
  // A one-off label in the speakers' own style is one more person who
  // speaks once, a panel's third guest: "SOFIE LARSEN:" among "PRIYA
  // RAMAN:" and "MARCUS OYELARAN:" (full names, in capitals), "Sofie
  // Larsen:" among full names. A one-off "Title: Engineer" is no one: one
  // word, before the talk starts.
  // The speakers' keys, to look up (views of the keys of `labels`).
  std::set<std::string_view, std::less<>> is_speaker;
  for (const auto& key : speakers_keys) is_speaker.insert(labels.find(key)->first);
  const auto speaker_label = [&](const item& it) {
    return it.kind == cls::content && it.label.present && is_speaker.contains(it.label.key);
  };
  {
    std::size_t names = 0, caps = 0;
    std::size_t first_turn = items_.size();
    for (const auto& key : speakers_keys) {
      if (find_qa(key)) continue;
      const std::string& form = labels.find(key)->second.forms.begin()->first;
      ++names;
      caps += all_caps(form);
    }
    for (const auto& key : speakers_keys) first_turn = std::min(first_turn, labels.find(key)->second.first);
    for (const auto& key : order) {
      const auto at = labels.find(key);
      const count& c = at->second;
      if (names < 2 || c.n != 1 || c.first < first_turn || is_speaker.contains(key)) continue;
      if (find_qa(key) || not_speakers.contains(key) || metadata_key(key) != meta_key::none) continue;
      const std::string& form = c.forms.begin()->first;
      if (count_words(form) < 2 || !all_words_capitalised(form) || (all_caps(form) ? caps != names : caps != 0))
        continue;
      is_speaker.insert(at->first);
      speakers_keys.push_back(key);
      turns += 1;
    }
  }
  // A deposition's turns are `Q.` and `A.`, the examining lawyer's and the
  // witness's; the others in the room speak under their names, once or
  // twice: "MS. ORTIZ:  Objection.  Form.", "THE WITNESS:", "MR. FENWICK:
  // Let's go off the record." Those are turns of their own, not part of
  // the witness's answer.
  std::set<std::string_view, std::less<>> in_the_room;
  if (std::any_of(speakers_keys.begin(), speakers_keys.end(), [](const std::string& key) {
        const qa_word* w = find_qa(key);
        return w && w->kind == qa::answer;
      })) {
    static constexpr std::string_view officers[] = {"the witness", "the court", "the reporter", "the videographer",
                                                    "the interpreter"};
    static constexpr std::string_view titles[] = {"mr. ", "ms. ", "mrs. ", "mr ", "ms ", "mrs ", "dr. "};
    for (const auto& key : order) {
      const auto at = labels.find(key);
      if (find_qa(key) || not_speakers.contains(key) || !all_caps(at->second.forms.begin()->first) ||
          same_person(key, interviewer_) || same_person(key, interviewee_))
        continue;
      const bool titled = count_words(key) <= 4 && std::any_of(std::begin(titles), std::end(titles), [&](std::string_view t) {
                            return key.size() > t.size() + 1 && starts_with(key, t);
                          });
      if (!titled && std::find(std::begin(officers), std::end(officers), key) == std::end(officers)) continue;
      in_the_room.insert(at->first);
      if (!is_speaker.insert(at->first).second) continue;
      speakers_keys.push_back(key);
      turns += at->second.n;
    }
  }
  // Only the answers named, the questions not: "Who phoned in the end?"
  // then "EUAN: Morag's mum." and "MORAG: She did!". The questions are the
  // interviewer's, and no band member asks.
  std::vector<std::size_t> unlabelled_questions;
  if (turns >= 2) {
    int named_questions = 0;
    for (const auto& key : speakers_keys) named_questions += labels.find(key)->second.questions;
    for (std::size_t k = 0; k < items_.size(); ++k) {
      const item& it = items_[k];
      if (it.kind != cls::content || it.label.present || it.dash || it.length > 300 || !ends_question(it.raw->text))
        continue;
      const std::size_t next = shown_from(k + 1);
      if (next < items_.size() && speaker_label(items_[next]) && !find_qa(items_[next].label.key))
        unlabelled_questions.push_back(k);
    }
    if (unlabelled_questions.size() < 2 || named_questions * 4 > turns) unlabelled_questions.clear();
  }
  if (turns >= 2) {
    conv_ = convention::labelled;
    if (!unlabelled_questions.empty()) {
      for (std::size_t k : unlabelled_questions) items_[k].unlabelled_question = true;
      ensure_asker();
    }
    // Role words share one speaker per role; names get a speaker each,
    // merged when they are the same person ("Jane Doe" and "DOE").
    auto most_common_form = [&](const count& c) {
      std::string best;
      int n = -1;
      for (const auto& [form, k] : c.forms)
        if (k > n) best = form, n = k;
      return best;
    };
    bool any_answer_label = false;
    bool initials_style = false;
    for (const auto& key : speakers_keys) {
      const qa_word* w = find_qa(key);
      if (w) {
        if (w->kind == qa::question) {
          int s = ensure_asker();
          if (art_.speakers[static_cast<std::size_t>(s)].label.empty())
            art_.speakers[static_cast<std::size_t>(s)].label = most_common_form(labels.find(key)->second);
          label_speaker_[key] = s;
        } else {
          any_answer_label = true;
          int s = ensure_teller();
          if (art_.speakers[static_cast<std::size_t>(s)].label.empty())
            art_.speakers[static_cast<std::size_t>(s)].label = most_common_form(labels.find(key)->second);
          label_speaker_[key] = s;
        }
        continue;
      }
      any_answer_label = true;
      // A name label.
      const count& c = labels.find(key)->second;
      std::string form = most_common_form(c);
      int found = -1;
      for (const auto& [k2, s2] : label_speaker_)
        if (!find_qa(k2) && (same_person(key, art_.speakers[static_cast<std::size_t>(s2)].name) ||
                             same_person(k2, form) ||
                             (c.n == 1 && misspelt(key, k2) && !transcript::is_anonymous_speaker(key))))
          found = s2;
      if (found >= 0) {
        // The fuller form names the speaker: "Lukas Berg" over "LB", "Ruth
        // Adeyemi-Clarke" over "Adeyemi-Clarke". Initials after a full name
        // at the first turn are the initials label style.
        auto& sp = art_.speakers[static_cast<std::size_t>(found)];
        auto initials_of = [](const std::string& a, const std::string& full) {
          return !utf8::longer_than(a, 4) && all_caps(a) && count_words(full) >= 2 && same_person(a, full);
        };
        if (initials_of(sp.label, form) || initials_of(form, sp.name)) initials_style = true;
        if (form.size() > sp.name.size() && same_person(sp.label, form)) sp.name = form;
      }
      // "MR. FENWICK:" once in a deposition whose `Q.` is Mr. Fenwick's.
      if (found < 0 && asker_ >= 0 && !interviewer_.empty() && same_person(form, interviewer_) &&
          art_.speakers[static_cast<std::size_t>(asker_)].name == interviewer_)
        found = asker_;
      if (found < 0) {
        std::string name = all_caps(form) ? title_case(form) : form;
        // "Speaker 1" says someone speaks, not who: a label, no name.
        if (transcript::is_anonymous_speaker(key)) name.clear();
        doc::role role = doc::role::other;
        const member* m = committee_member(form);
        if (m && !same_person(form, interviewee_)) name = m->name, role = doc::role::interviewer;
        else if (same_person(form, interviewer_)) name = interviewer_, role = doc::role::interviewer;
        else if (same_person(form, interviewee_)) name = interviewee_, role = doc::role::interviewee;
        else if (same_person(form, co_interviewer_)) name = co_interviewer_, role = doc::role::interviewer;
        else if (is_role_word(form)) role = doc::role::interviewer;  // "MODERATOR:", "Host:"
        // "SPIEGEL:", "Folha –": the publication asks, in the words of the
        // reporter the byline credits (named once the metadata is read).
        else if (publications.contains(key)) name.clear(), role = doc::role::interviewer;
        found = add_speaker(name, role, form);
      }
      label_speaker_[key] = found;
    }
    // "SOFIE LARSEN (CEO, Nordlys Software):" says what she is.
    for (const auto& it : items_) {
      if (it.kind != cls::content || it.label.description.empty()) continue;
      const auto s = label_speaker_.find(it.label.key);
      if (s == label_speaker_.end()) continue;
      auto& sp = art_.speakers[static_cast<std::size_t>(s->second)];
      if (sp.description.empty()) sp.description = it.label.description;
    }
    // Each speaker's label is the form the text used most ("Q" over "Question").
    std::map<int, std::map<std::string, int>> forms_by_speaker;
    for (const auto& [key, sp] : label_speaker_)
      for (const auto& [form, k] : labels.find(key)->second.forms) forms_by_speaker[sp][form] += k;
    for (const auto& [sp, forms] : forms_by_speaker) {
      int n = -1;
      for (const auto& [form, k] : forms)
        if (k > n) art_.speakers[static_cast<std::size_t>(sp)].label = form, n = k;
    }
    questions_only_labelled_ = !any_answer_label;
    // Whoever asks one of a committee's numbered questions is a member.
    for (const auto& [key, s] : label_speaker_)
      if (labels.find(key)->second.numbered > 0 && art_.speakers[static_cast<std::size_t>(s)].role == doc::role::other)
        art_.speakers[static_cast<std::size_t>(s)].role = doc::role::interviewer;
    // Roles for name speakers not settled by metadata: the one who asks most
    // is the interviewer (unless a role word already asks), the rest answer.
    bool have_asker = asker_ >= 0;
    for (const auto& sp : art_.speakers) have_asker |= sp.role == doc::role::interviewer;
    if (!have_asker) {
      int best = -1;
      double best_ratio = 0.3;
      for (const auto& [key, s] : label_speaker_) {
        const count& c = labels.find(key)->second;
        double ratio = static_cast<double>(c.questions) / c.n;
        if (ratio > best_ratio) best_ratio = ratio, best = s;
      }
      if (best < 0) {
        // Nobody asks with question marks: the first to speak asks.
        for (const auto& it : items_)
          if (it.kind == cls::content && it.label.present && label_speaker_.count(it.label.key)) {
            best = label_speaker_.find(it.label.key)->second;
            break;
          }
      }
      if (best >= 0) art_.speakers[static_cast<std::size_t>(best)].role = doc::role::interviewer;
    }
    // Another name speaker whose turns are nearly all questions asks too
    // (a second interviewer, reporters at a briefing).
    for (const auto& [key, s] : label_speaker_) {
      auto& sp = art_.speakers[static_cast<std::size_t>(s)];
      const count& c = labels.find(key)->second;
      if (sp.role == doc::role::other && !find_qa(key) && c.n >= 2 && c.questions * 4 >= c.n * 3)
        sp.role = doc::role::interviewer;
    }
    for (auto& sp : art_.speakers)
      if (sp.role == doc::role::other) sp.role = doc::role::interviewee;
    // Counsel who object, the court: neither ask nor answer.
    for (std::string_view key : in_the_room) {
      auto& sp = art_.speakers[static_cast<std::size_t>(label_speaker_.find(key)->second)];
      if (sp.role == doc::role::interviewee && !same_person(sp.name, interviewee_)) sp.role = doc::role::other;
    }
    if (!interviewee_.empty() && questions_only_labelled_) ensure_teller();
    // Labels as names or as roles: the style the input used.
    bool names = false;
    // (Not counsel's names in a deposition labelled `Q.` and `A.`.)
    for (const auto& [key, s] : label_speaker_)
      names |= !find_qa(key) && !in_the_room.contains(key) && s != asker_ && s != teller_;
    art_.label_style = initials_style ? doc::label_style::initials
                       : names        ? doc::label_style::names
                                      : doc::label_style::qa;
    return;
  }

  // 1b. Only the first exchange labelled by name ("Katarzyna Nowak: ...?"
  // then "Agnieszka Zielińska: ..."), the questions after it bare: the
  // names say who asks and who answers, and the labels leave the text.
  {
    const auto one_off_name = [&](std::size_t k) {
      if (k >= items_.size()) return false;
      const item& it = items_[k];
      if (it.kind != cls::content || !it.label.present || find_qa(it.label.key) ||
          not_speakers.contains(it.label.key) || metadata_key(it.label.key) != meta_key::none)
        return false;
      const std::size_t words = count_words(it.label.text, 5);
      return labels.find(it.label.key)->second.n == 1 && words >= 2 && words <= 4 &&
             all_words_capitalised(it.label.text);
    };
    std::size_t q = 0;
    while (q < items_.size() && !(items_[q].kind == cls::content && items_[q].label.present)) ++q;
    const std::size_t a = q < items_.size() ? shown_from(q + 1) : items_.size();
    if (one_off_name(q) && one_off_name(a) && ends_question(items_[q].raw->text) &&
        !ends_question(items_[a].raw->text) && (interviewer_.empty() || same_person(items_[q].label.text, interviewer_)) &&
        (interviewee_.empty() || same_person(items_[a].label.text, interviewee_))) {
      int bare = 0;
      for (std::size_t k = a + 1; k < items_.size() && bare < 2; ++k)
        bare += items_[k].kind == cls::content && !items_[k].label.present && ends_question(items_[k].raw->text) &&
                count_words(items_[k].raw->text, 71) <= 70;
      if (bare >= 2) {
        const auto as_name = [](const std::string& t) { return all_caps(t) ? title_case(t) : t; };
        items_[q].pair_label = items_[a].pair_label = true;
        if (interviewer_.empty()) interviewer_ = as_name(items_[q].label.text);
        if (interviewee_.empty()) interviewee_ = as_name(items_[a].label.text);
      }
    }
  }

  // 2. Dash dialogue: "—¿...?" then "—...".
  int dashes = 0;
  for (const auto& it : items_)
    if (it.kind == cls::content && it.dash) ++dashes;
  if (dashes >= 3) {
    conv_ = convention::dialogue;
    return;
  }

  // 3. Numbered questions.
  int numbered = 0;
  for (const auto& it : items_) {
    if (it.kind != cls::content || !ends_question(it.raw->text)) continue;
    if (it.raw->kind == raw_kind::item && it.raw->number > 0) ++numbered;
    else {
      const std::string& t = it.raw->text;
      std::size_t k = 0;
      while (k < t.size() && k < 3 && t[k] >= '0' && t[k] <= '9') ++k;
      if (k > 0 && k + 1 < t.size() && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ') ++numbered;
    }
  }
  if (numbered >= 2) {
    conv_ = convention::numbered;
    return;
  }

  // 4. Bold question paragraphs followed by plain ones.
  int bold = 0;
  for (std::size_t k = 0; k + 1 < items_.size(); ++k)
    if (items_[k].kind == cls::content && items_[k].raw->all_strong && !items_[k + 1].raw->all_strong) ++bold;
  if (bold >= 2) {
    conv_ = convention::bold;
    return;
  }

  // 4b. Questions as headings ("### Why tractors?"), each followed by its
  // answer's paragraphs: Medium and blog exports.
  const auto heading_question = [&](std::size_t k) {
    return items_[k].kind == cls::heading && ends_question(items_[k].raw->text) && k + 1 < items_.size() &&
           items_[k + 1].kind == cls::content;
  };
  int headed = 0;
  for (std::size_t k = 0; k < items_.size(); ++k) headed += heading_question(k);
  if (headed >= 2) {
    for (std::size_t k = 0; k < items_.size(); ++k)
      if (heading_question(k)) {
        items_[k].kind = cls::content;
        items_[k].heading_question = true;
      }
    conv_ = convention::headings;
    return;
  }

  // 5. The weakest: short paragraphs ending in '?' followed by answers.
  int qm = 0;
  for (std::size_t k = 0; k + 1 < items_.size(); ++k) {
    const item& it = items_[k];
    if (it.kind != cls::content || k == lead_index_) continue;
    if (!ends_question(it.raw->text) || count_words(it.raw->text, 70) > 70) continue;
    std::size_t n = k + 1;
    while (n < items_.size() && items_[n].kind != cls::content) ++n;
    if (n < items_.size() && !ends_question(items_[n].raw->text)) ++qm;
  }
  if (qm >= 2) {
    conv_ = convention::question_marks;
    return;
  }
  conv_ = convention::none;
}

std::optional<recognizer::turn_start> recognizer::starts_turn(const item& it) const {
  if (it.kind != cls::content) return std::nullopt;
  const std::string& t = it.raw->text;
  switch (conv_) {
    case convention::labelled: {
      if (!it.label.present) return it.unlabelled_question ? std::optional(turn_start{asker_, 0}) : std::nullopt;
      auto f = label_speaker_.find(it.label.key);
      if (f == label_speaker_.end()) return std::nullopt;
      return turn_start{f->second, it.label.nonspace};
    }
    case convention::dialogue: {
      if (!it.dash) return std::nullopt;
      // A bold dash paragraph is a question too ("**— Tell me about the
      // church.**"), whatever its last character.
      bool q = ends_question(t) || first_char(strip_dash(t)) == U'¿' || it.raw->all_strong;
      // The dash itself is dropped: one non-space character.
      return turn_start{q ? asker_ : teller_, 1};
    }
    case convention::numbered: {
      if (!ends_question(t)) return std::nullopt;
      if (it.raw->kind == raw_kind::item && it.raw->number > 0) return turn_start{asker_, 0};
      std::size_t k = 0;
      while (k < t.size() && k < 3 && t[k] >= '0' && t[k] <= '9') ++k;
      if (k > 0 && k + 1 < t.size() && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ')
        return turn_start{asker_, k + 1};
      return std::nullopt;
    }
    case convention::bold:
      if (it.raw->all_strong) return turn_start{asker_, 0};
      return std::nullopt;
    case convention::headings:
      if (it.heading_question) return turn_start{asker_, 0};
      return std::nullopt;
    case convention::question_marks:
      if (ends_question(t) && count_words(t, 70) <= 70)
        return turn_start{asker_, it.pair_label ? it.label.nonspace : 0};
      return std::nullopt;
    case convention::thread:
      if (it.thread_turn == 0) return std::nullopt;
      return turn_start{it.thread_turn == 2 ? teller_ : asker_, 0};
    case convention::none: return std::nullopt;
  }
  return std::nullopt;
}

// ---- building blocks ---------------------------------------------------------------

block& recognizer::add_block(std::vector<block>& into, item& it, block_kind kind, std::size_t strip) {
  block& b = into.emplace_back();
  b.kind = kind;
  b.pos = it.raw->pos;
  if (kind == block_kind::paragraph || kind == block_kind::lead || kind == block_kind::quote) {
    // A paragraph in another language than the article's. Found first: the
    // text node below may take the raw text. (A short one needs all but
    // certain evidence there.)
    const std::string& t = it.raw->text;
    if (count_words(t, 3) >= 3) {
      const std::string_view l =
          detect_other_language_tag(std::string_view(t).substr(0, scan::prefix_bytes(t, 120)), art_.lang);
      if (!l.empty()) b.lang = l;
    }
  }
  if (it.raw->content.empty() && !it.raw->text.empty()) {
    // A plain-text paragraph: its text is its one text node, which takes
    // the raw text unless the label is all there is (the text is wanted
    // below then). Nothing reads an item's raw text once its block is made.
    inline_node& n = b.content.emplace_back();
    n.kind = inline_kind::text;
    n.pos = it.raw->pos;
    if (strip == 0 || more_nonspace_than(it.raw->text, strip)) n.text = std::move(it.raw->text);
    else n.text = it.raw->text;
  } else {
    b.content = std::move(it.raw->content);
  }
  if (strip > 0) {
    drop_prefix(b.content, strip);
    // The timestamp that came before the label stays, as a stage direction.
    if (!it.label.timestamp.empty()) {
      inline_node ts;
      ts.kind = inline_kind::direction;
      ts.text = it.label.timestamp;
      ts.pos = it.raw->pos;
      b.content.insert(b.content.begin(), doc::text(" ", it.raw->pos));
      b.content.insert(b.content.begin(), std::move(ts));
    }
  }
  // A Markdown bold question: the strong wrapper says nothing once it is a question.
  if ((conv_ == convention::bold || conv_ == convention::dialogue) && b.content.size() == 1 &&
      b.content[0].kind == inline_kind::strong &&
      kind == block_kind::paragraph && it.raw->all_strong) {
    inlines inner = std::move(b.content[0].children);
    b.content = std::move(inner);
  }
  split_brackets(b.content);
  if (b.content.empty()) b.content.push_back(doc::text(it.raw->text, it.raw->pos));
  return b;
}

block& recognizer::add_figure(std::vector<block>& into, item& it) {
  block& b = into.emplace_back();
  b.kind = block_kind::figure;
  b.pos = it.raw->pos;
  if (it.kind == cls::image) {
    b.image = it.raw->image;
    b.alt = it.raw->alt;
    std::string cap = !it.caption.empty() ? it.caption : !it.raw->title.empty() ? it.raw->title : it.raw->alt;
    if (!cap.empty()) b.caption.push_back(doc::text(cap, it.raw->pos));
  } else {
    b.caption.push_back(doc::text(it.caption, it.raw->pos));
    b.alt = it.caption;
  }
  b.credit = it.credit;
  split_brackets(b.caption);
  return b;
}

block& recognizer::add_related(std::vector<block>& into, item& it) {
  block& b = into.emplace_back();
  b.kind = block_kind::related;
  b.pos = it.raw->pos;
  b.marker = it.related_marker;
  // Keep a link if the source had one.
  for (const auto& n : it.raw->content)
    if (n.kind == inline_kind::link && b.target.empty()) b.target = n.target;
  b.content.push_back(doc::text(it.related_text, it.raw->pos));
  std::string l = detect_language(it.related_text);
  if (l.empty()) l = it.related_lang;
  if (!l.empty() && l != art_.lang) b.lang = l;
  return b;
}

// ---- assembly ------------------------------------------------------------------------

void recognizer::assemble() {
  if (conv_ != convention::labelled && conv_ != convention::none) {
    ensure_asker();
    ensure_teller();
  }
  std::vector<block>& out = art_.blocks;
  // Every item makes at most one block here: room for all of them, so the
  // blocks are never moved as `out` grows.
  out.reserve(out.size() + items_.size());
  // The open turn is the last block of `out`: while it is open, everything
  // else goes into it or into `pending`, so nothing moves it. Its blocks
  // gather in `children` and move into it, in one allocation of the right
  // size, when it closes: growing each turn's vector paragraph by
  // paragraph reallocated and moved its blocks again and again.
  block* turn = nullptr;
  std::vector<block> children;  // the open turn's blocks
  std::vector<block> pending;   // interruptions inside a turn: kept if the turn goes on
  auto close_turn = [&] {
    if (turn) turn->blocks.assign(std::make_move_iterator(children.begin()), std::make_move_iterator(children.end()));
    children.clear();
    turn = nullptr;
    for (auto& p : pending) out.push_back(std::move(p));
    pending.clear();
  };
  auto open_turn = [&] {
    close_turn();
    turn = &out.emplace_back();
  };
  auto kind_for = [&](int speaker) {
    return art_.speakers[static_cast<std::size_t>(speaker)].role == doc::role::interviewer ? block_kind::question
                                                                                           : block_kind::answer;
  };
  bool any_turn = false;
  for (std::size_t k = 0; k < items_.size(); ++k) {
    item& it = items_[k];
    switch (it.kind) {
      case cls::noise:
      case cls::figure_cont: continue;
      case cls::heading: {
        close_turn();
        add_block(out, it, block_kind::heading).level = std::clamp(it.raw->level, 1, 6);
        continue;
      }
      case cls::separator: {
        close_turn();
        block& sep = out.emplace_back();
        sep.kind = block_kind::separator;
        sep.pos = it.raw->pos;
        continue;
      }
      case cls::figure:
      case cls::image:
        add_figure(turn ? pending : out, it);
        continue;
      case cls::related:
        add_related(turn ? pending : out, it);
        continue;
      case cls::note:
        close_turn();
        add_block(out, it, block_kind::note);
        continue;
      case cls::code:
        add_block(turn ? pending : out, it, block_kind::note);
        continue;
      case cls::quote:
      case cls::content: break;
    }
    if (k == lead_index_ && !turn) {
      add_block(out, it, block_kind::lead);
      continue;
    }
    if (it.kind == cls::quote) {
      if (turn) {
        for (auto& p : pending) children.push_back(std::move(p));
        pending.clear();
        add_block(children, it, block_kind::quote);
      } else {
        add_block(out, it, block_kind::quote);
      }
      continue;
    }
    if (auto start = starts_turn(it); start && start->speaker >= 0) {
      open_turn();
      turn->kind = kind_for(start->speaker);
      turn->pos = it.raw->pos;
      turn->speaker = start->speaker;
      add_block(children, it, block_kind::paragraph, start->strip);
      any_turn = true;
      continue;
    }
    if (turn) {
      // After a question in a convention where answers carry no mark, the
      // next plain paragraph is the answer.
      bool answer_follows = turn->kind == block_kind::question &&
                            (conv_ == convention::numbered || conv_ == convention::bold || conv_ == convention::headings ||
                             conv_ == convention::question_marks ||
                             (conv_ == convention::labelled && questions_only_labelled_) ||
                             (conv_ == convention::dialogue));
      if (answer_follows) {
        open_turn();
        turn->kind = block_kind::answer;
        turn->pos = it.raw->pos;
        turn->speaker = ensure_teller();
        add_block(children, it, block_kind::paragraph, it.pair_label ? it.label.nonspace : 0);
        continue;
      }
      if (no_turn_after(k) && is_bio(it)) {
        // "Thomas Wheelwright is a reporter at ...": the page's note on
        // its author or guest, after the last turn, is nobody's answer. A
        // note: set apart (an aside in the ebook, small type in print), so
        // that no reader takes it for the end of the answer.
        close_turn();
        add_block(out, it, block_kind::note);
        continue;
      }
      for (auto& p : pending) children.push_back(std::move(p));
      pending.clear();
      add_block(children, it, block_kind::paragraph);
      continue;
    }
    add_block(out, it, block_kind::paragraph);
  }
  close_turn();
  if (!any_turn && !items_.empty()) {
    source_pos pos = items_.front().raw->pos;
    diags_.warning(pos, "no-turns", "no interview turns recognised; the text is kept as paragraphs");
  }
}

// The boxes under the interview, after its last turn. A bio box's heading
// ("Zur Person", "RAIO-X", "Over de auteur") goes and its lines are notes;
// the author's box (the interviewer's name alone on a line, then a line on
// their job: "Katrin Vogel" / "Redakteurin im Ressort Kultur") goes.
void recognizer::trailing_boxes() {
  static constexpr std::string_view box_headings_list[] = {
      "zur person", "raio-x", "raio x", "over de auteur", "about the author", "about the interviewer",
      "sobre el autor", "sobre la autora", "sobre o autor", "sobre a autora", "à propos de l'auteur",
      "über den autor", "über die autorin", "zum autor", "zur autorin", "o autorze", "o autorce",
      "l'autore", "sull'autore", "quién es", "qui est-il", "qui est-elle", "biografía", "biografia"};
  static constexpr scan::sorted_words box_headings(box_headings_list);
  const auto is_author = [&](std::string_view t) {
    if (t.empty()) return false;
    if (t == interviewer_ || t == co_interviewer_) return true;
    return std::any_of(art_.speakers.begin(), art_.speakers.end(), [&](const doc::speaker& sp) {
      return sp.role == doc::role::interviewer && count_words(sp.name) >= 2 && sp.name == t;
    });
  };
  const auto plain = [&](std::size_t j) {
    return j < items_.size() && items_[j].kind == cls::content && !items_[j].label.present;
  };
  // The default speakers of unlabelled turns, as assemble makes them:
  // starts_turn (and no_turn_after, which keeps its answer) needs them.
  if (conv_ != convention::labelled && conv_ != convention::none) {
    ensure_asker();
    ensure_teller();
  }
  if (no_turn_after(0)) return;  // no turns: nothing is under the interview
  // Right after the last turn's start, the answer where answers carry no
  // mark ("Folha – ..." / "Beatriz Nogueira – ..."): never a bio.
  const std::size_t first_after = shown_from(last_turn_ + 1);
  for (std::size_t k = 0; k < items_.size(); ++k) {
    item& it = items_[k];
    if ((it.kind != cls::content && it.kind != cls::heading) || it.label.present || !no_turn_after(k)) continue;
    // "Tim Hepher is Aerospace Correspondent ...", under the interview: a
    // note (assemble finds those only inside the last turn).
    if (it.kind == cls::content && k != first_after && is_bio(it)) {
      it.kind = cls::note;
      continue;
    }
    // A footnote of a word processor's export, under a rule: "¹ Source."
    // or "[2] Personal communication."
    if (it.kind == cls::content && it.raw->content.empty()) {
      std::string& t = it.raw->text;
      const std::size_t close = t.front() == '[' ? t.find("] ") : std::string::npos;
      if (close != std::string::npos && close >= 2 && close <= 4 &&
          t.find_first_not_of("0123456789", 1) == close) {
        t = scan::superscript(std::atoi(t.substr(1, close - 1).c_str())) + t.substr(close + 1);
        it.kind = cls::note;
        continue;
      }
      static constexpr std::string_view marks[] = {"¹ ", "² ", "³ ", "⁴ ", "⁵ ", "⁶ ", "⁷ ", "⁸ ", "⁹ "};
      if (std::any_of(std::begin(marks), std::end(marks), [&](std::string_view m) { return starts_with(t, m); })) {
        it.kind = cls::note;
        continue;
      }
    }
    if (it.length > 60) continue;
    const std::string_view text = scan::trim(it.raw->text);
    if (is_author(text)) {
      drop(it, "noise-author-box", "dropped the author's box");
      const std::string_view next = k + 1 < items_.size() ? std::string_view(items_[k + 1].raw->text) : "";
      if (plain(k + 1) && items_[k + 1].length <= 80 && last_sentence_char(next) != '.' && !ends_question(next) &&
          !is_author(scan::trim(next)))
        drop(items_[++k], "noise-author-box", "dropped the author's box");
      continue;
    }
    std::string_view low = scan::trim(lower_prefix(it));
    while (!low.empty() && (low.back() == ':' || low.back() == ' ')) low.remove_suffix(1);
    if (!box_headings.contains(low)) continue;
    drop(it, "noise-box-heading", "read a box under the interview as notes");
    for (std::size_t j = k + 1, n = 0; n < 2 && plain(j) && !is_author(scan::trim(items_[j].raw->text)); ++j, ++n)
      items_[j].kind = cls::note;
  }
}

// A paragraph that begins with a full name and says who that is: "Thomas
// Wheelwright is a reporter at The Coastal Review", "Ana Ruiz es
// periodista". Asked only of paragraphs after the last turn.
bool recognizer::is_bio(const item& it) const {
  static constexpr std::string_view copulas[] = {" is ", " was ", " es ", " fue ", " ist ", " war ", " est ",
                                                 " était ", " è ", " é ", " foi ", " является ", " — ", " – "};
  const std::string_view t = it.raw->text;
  const auto says_who = [&](std::string_view name) {
    if (count_words(name) < 2 || !starts_with(t, name)) return false;
    const std::string_view rest = t.substr(name.size());
    return std::any_of(std::begin(copulas), std::end(copulas), [&](std::string_view c) { return starts_with(rest, c); });
  };
  if (says_who(interviewer_) || says_who(interviewee_)) return true;
  if (std::any_of(art_.speakers.begin(), art_.speakers.end(), [&](const doc::speaker& sp) { return says_who(sp.name); }))
    return true;
  // Anyone's full name: no one in an interview speaks of themselves so.
  return says_who(read_name(t));
}

// Whether no item after the k-th starts a turn. Found once, when first
// asked: the index of the last item that starts one.
bool recognizer::no_turn_after(std::size_t k) {
  if (!last_turn_known_) {
    last_turn_known_ = true;
    for (std::size_t j = items_.size(); j-- > 0;)
      if (auto start = starts_turn(items_[j]); start && start->speaker >= 0) {
        last_turn_ = j;
        break;
      }
  }
  return last_turn_ == static_cast<std::size_t>(-1) || k > last_turn_;
}

// ---- metadata --------------------------------------------------------------------------

void recognizer::finish_metadata(doc::document& d) {
  auto fm_value = [&](const char* k) -> std::string {
    auto it = fm_.values.find(k);
    return it == fm_.values.end() ? std::string() : it->second;
  };
  auto& m = d.metadata;
  // Front matter names the people; labels only tell who speaks. When it
  // names one interviewer (or interviewee) and the labels give that role to
  // one speaker it does not name, that speaker is the one it names: the
  // label stays, the name is the front matter's.
  for (const auto& [fm_name, role] : {std::pair<const std::string&, doc::role>{fm_.interviewer, doc::role::interviewer},
                                      std::pair<const std::string&, doc::role>{fm_.interviewee, doc::role::interviewee}}) {
    if (fm_name.empty()) continue;
    doc::speaker* only = nullptr;
    int with_role = 0;
    for (auto& sp : art_.speakers)
      if (sp.role == role && ++with_role == 1) only = &sp;
    if (with_role == 1 && !only->name.empty() && !same_person(only->name, fm_name) &&
        !same_person(only->label, fm_name))
      only->name = fm_name;
  }
  // Speakers' names and descriptions from what the metadata knows.
  for (auto& sp : art_.speakers) {
    // "Adeyemi-Clarke" in the labels is "Ruth Adeyemi-Clarke" in the headline.
    if (same_person(sp.name, interviewee_) && interviewee_.size() > sp.name.size()) sp.name = interviewee_;
    if (same_person(sp.name, interviewer_) && interviewer_.size() > sp.name.size()) sp.name = interviewer_;
    if (sp.role == doc::role::interviewer) {
      if (sp.name.empty()) sp.name = interviewer_;
      if (same_person(sp.name, interviewer_) && sp.description.empty()) sp.description = interviewer_desc_;
    } else {
      if (sp.name.empty() && sp.role == doc::role::interviewee) sp.name = interviewee_;
      if (same_person(sp.name, interviewee_) && sp.description.empty()) sp.description = interviewee_desc_;
    }
  }
  m.title = art_.title;
  m.subtitle = art_.subtitle;
  m.language = art_.lang;
  // Contributors: interviewers first, then interviewees, each once.
  std::set<std::string> seen;
  for (doc::role r : {doc::role::interviewer, doc::role::interviewee}) {
    for (const auto& sp : art_.speakers)
      if (sp.role == r && !sp.name.empty() && seen.insert(sp.name).second)
        m.contributors.push_back({sp.name, r, sp.description});
    const std::string& known = r == doc::role::interviewer ? interviewer_ : interviewee_;
    const std::string& desc = r == doc::role::interviewer ? interviewer_desc_ : interviewee_desc_;
    bool present = false;
    for (const auto& c : m.contributors) present |= same_person(c.name, known);
    if (!known.empty() && !present && seen.insert(known).second) m.contributors.push_back({known, r, desc});
    // "Interview by Kevin Tran and Maya Brooks": the second asks too,
    // whether or not a turn is labelled with her name.
    if (r == doc::role::interviewer && !co_interviewer_.empty()) {
      bool listed = false;
      for (const auto& c : m.contributors) listed |= same_person(c.name, co_interviewer_);
      if (!listed && seen.insert(co_interviewer_).second) m.contributors.push_back({co_interviewer_, r, ""});
    }
  }
  // Front matter's subjects replace the ones the page's breadcrumb and tags gave.
  m.subjects = fm_.subjects.empty() ? subjects_ : fm_.subjects;
  art_.subject = m.subjects.empty() ? std::string() : m.subjects.front();
  m.date = fm_value("date").empty() ? art_.date : fm_value("date");
  m.source = fm_value("source");
  m.publisher = fm_value("publisher");
  m.rights = fm_value("rights");
  m.identifier = fm_value("identifier");
  m.cover = fm_value("cover");
  m.images = fm_.images;
  static constexpr std::string_view known_keys_list[] = {
      "title", "subtitle", "lang", "language", "date", "source", "publisher", "rights", "identifier", "cover",
      "byline", "interviewer", "interviewee", "subject", "subjects", "images", "labels"};
  static constexpr scan::sorted_words known_keys(known_keys_list);
  for (const auto& [k, v] : header_meta_) m.extra[k] = v;
  for (const auto& [k, v] : fm_.values)
    if (!known_keys.contains(k)) m.extra[k] = v;
  if (auto b = fm_value("byline"); !b.empty()) art_.byline = b;
  art_.date = m.date;
  art_.source = m.source;
  if (auto l = fm_value("labels"); !l.empty()) {
    if (l == "qa") art_.label_style = doc::label_style::qa;
    else if (l == "names") art_.label_style = doc::label_style::names;
    else if (l == "initials") art_.label_style = doc::label_style::initials;
    else diags_.warning({}, "front-matter", "unknown labels value '" + l + "'; expected qa, names or initials");
  }
  // Front-matter images go to the figures that have none, in order.
  std::size_t next_image = 0;
  doc::walk(art_.blocks, [&](const block& b, int) {
    if (b.kind == block_kind::figure && b.image.empty() && next_image < fm_.images.size())
      const_cast<block&>(b).image = fm_.images[next_image++];
  });
}

doc::document recognizer::run() {
  doc::document d;
  art_.source_name = source_name_;
  classify();
  // Images followed by an italic line: that line is the caption.
  for (std::size_t k = 0; k + 1 < items_.size(); ++k) {
    item& img = items_[k];
    item& nx = items_[k + 1];
    if (img.kind != cls::image) continue;
    if (nx.kind == cls::figure && img.credit.empty()) {
      // "*Caption.* Photo: Jane Doe" under the image: one figure.
      img.caption = nx.caption;
      img.credit = nx.credit;
      nx.kind = cls::figure_cont;
      continue;
    }
    if (nx.kind != cls::content || nx.label.present) continue;
    const auto& c = nx.raw->content;
    if (!c.empty() && c[0].kind == inline_kind::emphasis && !utf8::longer_than(nx.raw->text, 299)) {
      std::string cap, credit;
      if (split_credit(nx.raw->text, cap, credit)) img.caption = cap, img.credit = credit;
      else img.caption = nx.raw->text;
      nx.kind = cls::figure_cont;
    }
  }
  drop_repeated_copy();
  find_title_and_front();

  // Language: front matter, else detected from the body.
  auto fm_lang = fm_.values.find("lang");
  if (fm_lang == fm_.values.end()) fm_lang = fm_.values.find("language");
  if (fm_lang != fm_.values.end() && !fm_lang->second.empty()) {
    art_.lang = doc::normalize_language(fm_lang->second);  // "pt_br" -> "pt-BR"
    if (art_.lang.empty())
      diags_.warning({1, 1}, "bad-language",
                     "front matter: '" + fm_lang->second +
                         "' is not a language tag (like en, es or pt-BR); detecting the language instead");
  }
  if (art_.lang.empty()) {
    // The paragraphs up to some 20,000 bytes, read in place rather than
    // copied into one sample.
    std::vector<std::string_view> sample;
    std::size_t sample_bytes = 0;
    for (const auto& it : items_) {
      if (it.kind != cls::content && it.kind != cls::quote) continue;
      sample.push_back(it.raw->text);
      sample_bytes += it.raw->text.size() + 1;  // and a line break
      if (sample_bytes > 20000) break;
    }
    art_.lang = sample.empty() ? detect_language(art_.title) : detect_language(sample);
    if (art_.lang.empty()) {
      art_.lang = "en";
      if (!items_.empty())
        diags_.warning(items_.front().raw->pos, "language-unknown",
                       "could not tell the language; assuming en (set lang in front matter or --meta lang=...)");
    }
  }

  find_people();
  // "I am Dr. Helena Marsh, a volcanologist ... AMA!": the poster.
  if (thread_ && interviewee_.empty()) {
    for (std::string_view intro : {std::string_view("I am "), std::string_view("I'm "), std::string_view("I’m "),
                                   std::string_view("We are ")})
      if (starts_with(art_.title, intro)) {
        interviewee_ = read_name(skip_honorific(std::string_view(art_.title).substr(intro.size())));
        break;
      }
  }
  choose_convention();
  trailing_boxes();
  assemble();
  // A text without turns is no interview: a name that merely recurs near
  // the title is nobody's interviewee.
  if (interviewee_guessed_ && art_.speakers.empty()) {
    interviewee_.clear();
    interviewee_desc_.clear();
  }
  if (art_.title.empty()) {
    std::string stem = source_name_;
    std::size_t slash = stem.find_last_of('/');
    if (slash != std::string::npos) stem = stem.substr(slash + 1);
    std::size_t dot = stem.rfind('.');
    if (dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    art_.title = stem.empty() ? "Untitled" : stem;
    if (!items_.empty())
      diags_.warning(items_.front().raw->pos, "no-title", "no title found; using '" + art_.title + "'");
  }
  finish_metadata(d);
  d.articles.push_back(std::move(art_));
  return d;
}

}  // namespace

doc::document recognize(std::vector<raw_block> blocks, const front_matter& fm, const std::string& source_name,
                        diagnostics& diags) {
  recognizer r(blocks, fm, source_name, diags);
  return r.run();
}

}  // namespace galley::parse
