// What the exports of transcription tools and caption files have in
// common: times in a recording, and the speakers they name. Shared by the
// caption reader (captions.cpp), the pass over plain text that reads an
// export's speaker lines (transcripts.cpp) and the recognizer.
#pragma once

#include <string_view>
#include <vector>

#include "parse/raw.hpp"

namespace galley::parse::transcript {

// "0:02", "12:31", "1:02:33", "00:00:03", "00:00:03.120", "00:00:03,120":
// a time in a recording, minutes and seconds or hours too, with an
// optional fraction of a second.
bool is_media_time(std::string_view s);

// The same, as milliseconds; -1 when s is no such time.
long long media_time_ms(std::string_view s);

// A speaker as a transcript or caption names one: "Ruth Adeyemi", "Dr.
// Lena Fischer", "SAMUEL OKORO", "Juan de la Cruz", "Speaker 1",
// "Interviewer". At most five words and 50 characters, the first a
// capitalised word; the others capitalised, a particle, or (last) a number
// or a letter. No sentence: no lower-case word other than a particle.
bool is_speaker_name(std::string_view s);

// A label that says someone speaks without saying who: "Speaker 1",
// "Unknown Speaker", "Sprecher 2", "Guest 3" (lower-cased or not).
bool is_anonymous_speaker(std::string_view label);

}  // namespace galley::parse::transcript
