// The texts the service shows people, in Russian and English, in one table keyed by message id
// ("install.title", "card.required", "press.comment"): the pages rendered inside Bitrix24 frames,
// the call card's field errors, its button previews and why a button's action was not done, and
// the call card tab's title in the portal. Russian unless the language is "en".
#pragma once

#include <string>
#include <string_view>

namespace opdesk {

// The text of `id` in `lang` ("en": English, anything else: Russian); the id itself if unknown.
std::string Message(std::string_view id, std::string_view lang);
// The same with the first '%' of the text replaced by `arg` (a field's label).
std::string Message(std::string_view id, std::string_view lang, std::string_view arg);

}  // namespace opdesk
