#include "connector/domain/messages.h"

#include <map>

namespace opdesk {
namespace {

struct Translation {
  const char* ru;
  const char* en;
};

const std::map<std::string_view, Translation>& Table() {
  static const std::map<std::string_view, Translation> kTable = {
      // Pages inside Bitrix24 frames: install, sign-in, errors, setup steps.
      {"install.title", {"Установка opdesk", "Installing opdesk"}},
      {"install.running", {"Настраиваем приложение на портале…", "Setting the app up…"}},
      {"install.done", {"Готово. Приложение установлено.", "Done. The app is installed."}},
      {"install.failed",
       {"Установка не завершена. Исправьте причину и откройте приложение ещё раз.",
        "Installation is not finished. Fix the cause and open the app again."}},
      {"install.noscript", {"Для установки нужен JavaScript.", "Installation needs JavaScript."}},
      {"frame.title", {"opdesk", "opdesk"}},
      {"error.not_installed",
       {"Приложение не установлено на этом портале", "The app is not installed on this portal"}},
      {"error.forbidden",
       {"Запрос не прошёл проверку подлинности", "The request failed authentication"}},
      {"error.bad_request", {"Некорректный запрос", "Malformed request"}},
      {"error.not_admin",
       {"Установить приложение может только администратор портала",
        "Only a portal administrator can install the app"}},
      {"error.not_admin_hint",
       {"Попросите администратора портала открыть приложение: установка завершится, а роли "
        "сотрудникам он назначит в настройках.",
        "Ask a portal administrator to open the app: that finishes the installation, and they "
        "give employees their roles in the settings."}},
      {"error.wrong_domain",
       {"Запрос пришёл не с того портала, на котором установлено приложение",
        "The request does not come from the portal the app is installed on"}},
      {"error.too_many",
       {"Слишком много входов за короткое время, попробуйте через минуту",
        "Too many sign-ins in a short time; try again in a minute"}},
      {"error.unavailable",
       {"Сервис временно недоступен, попробуйте позже",
        "The service is temporarily unavailable, try again later"}},
      {"error.megaplan_unknown",
       {"Этот аккаунт Мегаплана не подключён к opdesk",
        "This Megaplan account is not connected to opdesk"}},
      {"error.ui_missing", {"Интерфейс opdesk не собран", "The opdesk interface is not built"}},
      {"error.ui_missing_hint",
       {"Администратор сервиса должен собрать front end (npm run build в settings-ui) или указать "
        "каталог сборки в ui.dist_dir.",
        "The service administrator must build the front end (npm run build in settings-ui) or "
        "point ui.dist_dir at the build."}},
      {"step.app_info", {"Проверка приложения", "Checking the app"}},
      {"step.event.ONAPPINSTALL", {"Событие установки приложения", "App installation event"}},
      {"step.event.ONAPPUNINSTALL", {"Событие удаления приложения", "App removal event"}},
      {"step.event.ONEXTERNALCALLSTART", {"Звонок из CRM по клику", "Click-to-call from the CRM"}},
      {"step.event.ONEXTERNALCALLBACKSTART",
       {"Обратный звонок из CRM-формы", "Callback from CRM forms"}},
      {"step.placement.CALL_CARD", {"Вкладка в карточке звонка", "Call card tab"}},
      {"step.supervisor",
       {"Роль «Супервайзер» для установившего", "Supervisor role for the installer"}},
      // The call card: an operator's edit of a CRM field refused ('%' is the field's label).
      {"card.required", {"Поле «%» обязательно", "“%” is required"}},
      {"card.integer", {"Введите целое число", "Enter a whole number"}},
      {"card.number", {"Введите число", "Enter a number"}},
      {"card.date", {"Введите дату в формате ГГГГ-ММ-ДД", "Enter a date as YYYY-MM-DD"}},
      {"card.datetime", {"Введите дату и время", "Enter a date and time"}},
      {"card.boolean", {"Выберите «да» или «нет»", "Choose yes or no"}},
      {"card.choice", {"Выберите значение из списка", "Choose a value from the list"}},
      {"card.phone", {"Телефон должен содержать от 5 до 20 цифр", "A phone needs 5 to 20 digits"}},
      {"card.email", {"Некорректный e-mail", "Not a valid e-mail address"}},
      {"card.list", {"Ожидается список значений", "A list of values is expected"}},
      {"card.too_long", {"Слишком длинный текст", "The text is too long"}},
      {"card.locked",
       {"Это поле нельзя менять в карточке", "This field cannot be changed in the card"}},
      {"card.text", {"Ожидается текст", "Text is expected"}},
      {"card.save_denied",
       {"CRM не разрешает вам изменять эту запись", "The CRM does not let you change this record"}},
      // The call card's button presses: previews of what an action will do, and refusals.
      {"press.callback.title", {"Перезвонить клиенту", "Call the client back"}},
      {"press.meeting.title", {"Встреча с клиентом", "Meeting with the client"}},
      {"press.comment", {"Комментарий в CRM", "Comment in the CRM"}},
      {"press.comment.empty", {"Комментарий: введите текст", "Comment: type the text"}},
      {"press.callback", {"Дело «Перезвонить» на", "Call-back to-do at"}},
      {"press.meeting", {"Встреча на", "Meeting at"}},
      {"press.task", {"Задача", "Task"}},
      {"press.task.until", {"до", "due"}},
      {"press.lead_status", {"Статус лида →", "Lead status →"}},
      {"press.deal_stage", {"Стадия сделки →", "Deal stage →"}},
      {"press.no_record",
       {"Не выбрана запись CRM: действие не выполнено",
        "No CRM record is selected: the action was not done"}},
      {"press.comment.required", {"Введите текст комментария", "Type the comment"}},
      {"press.deadline.bad",
       {"Укажите дату и время в формате ГГГГ-ММ-ДДTЧЧ:ММ",
        "Give the date and time as YYYY-MM-DDTHH:MM"}},
      // Why a pressed button's action was not done (the job's error shown in the card).
      {"press.unknown",
       {"CRM не ответила, и повторять запрос нельзя: проверьте в CRM, создано ли действие",
        "The CRM did not answer and the request must not be repeated: check in the CRM whether it "
        "was done"}},
      {"press.no_lead",
       {"У звонка нет лида: статус лида не изменён",
        "The call has no lead: the lead status was not changed"}},
      {"press.no_deal",
       {"Нет открытой сделки в нужной воронке: стадия не изменена",
        "No open deal in the pipeline: the stage was not changed"}},
      {"press.other_pipeline",
       {"Сделка в другой воронке: стадия не изменена",
        "The deal is in another pipeline: the stage was not changed"}},
      {"press.gave_up",
       {"CRM недоступна слишком долго; действие не выполнено",
        "The CRM was unavailable for too long; the action was not done"}},
      // The {call.direction} placeholder's value in a button's texts.
      {"press.direction.outgoing", {"исходящий", "outgoing"}},
      {"press.direction.incoming", {"входящий", "incoming"}},
      // The call card tab's title in the portal (placement.bind LANG_ALL).
      {"placement.call_card", {"opdesk: скрипт и кнопки", "opdesk: script and buttons"}},
      // «Проверить подключение» on the Integration page (POST /api/settings/mango/check).
      {"mango_check.ok",
       {"Подключение работает: Mango ответил, в справочнике ВАТС сотрудников: %.",
        "The connection works: Mango answered, employees in the VPBX directory: %."}},
      {"mango_check.not_connected",
       {"ВАТС Mango не подключена: сначала сохраните уникальный код АТС и ключ для подписи.",
        "No Mango VPBX is connected: save the VPBX key and the signing salt first."}},
      {"mango_check.auth_key",
       {"Mango не принял уникальный код АТС (ключ API, код 3105). Скопируйте его заново из "
        "личного кабинета Mango: «Интеграции» → «API коннектор».",
        "Mango refused the VPBX key (code 3105). Copy it again from the Mango account: "
        "Integrations → API connector."}},
      {"mango_check.auth_sign",
       {"Mango не принял подпись запроса (код 3102): ключ для создания подписи (соль) неверен.",
        "Mango refused the request's signature (code 3102): the signing salt is wrong."}},
      {"mango_check.auth_failed",
       {"Mango отклонил запрос (код %): проверьте ключ и соль.",
        "Mango refused the request (code %): check the key and the salt."}},
      {"mango_check.not_repeated",
       {"Запрос не повторён: Mango блокирует API на 2 минуты после второго ошибочного запроса. "
        "Исправьте ключ или соль и сохраните.",
        "Not asked again: Mango locks its API for 2 minutes after a second bad request. Fix the "
        "key or the salt and save."}},
      {"mango_check.restricted",
       {"Учётная запись ВАТС ограничена (код %): проверьте баланс и договор в Mango.",
        "The VPBX account is restricted (code %): check the balance and the contract with Mango."}},
      {"mango_check.locked_out",
       {"Mango временно заблокировал API после ошибочных запросов. Повторите через 2 минуты.",
        "Mango has locked its API for a while after bad requests. Try again in 2 minutes."}},
      {"mango_check.rate_limited",
       {"Лимит запросов к Mango исчерпан. Повторите через несколько секунд.",
        "Mango's request limit is used up. Try again in a few seconds."}},
      {"mango_check.timeout",
       {"Mango не ответил за 5 секунд. Повторите позже.",
        "Mango did not answer within 5 seconds. Try again later."}},
      {"mango_check.unavailable",
       {"Mango недоступен или ответил ошибкой (%). Повторите позже.",
        "Mango is unreachable or answered with an error (%). Try again later."}},
      {"mango_check.bad_answer",
       {"Mango ответил, но не справочником сотрудников: проверьте адрес API (mango.api_url).",
        "Mango answered, but not with the employee directory: check the API address "
        "(mango.api_url)."}},
  };
  return kTable;
}

}  // namespace

std::string Message(std::string_view id, std::string_view lang) {
  auto it = Table().find(id);
  if (it == Table().end()) {
    return std::string(id);
  }
  return lang == "en" ? it->second.en : it->second.ru;
}

std::string Message(std::string_view id, std::string_view lang, std::string_view arg) {
  std::string out = Message(id, lang);
  if (auto pos = out.find('%'); pos != std::string::npos) {
    out.replace(pos, 1, arg);
  }
  return out;
}

}  // namespace opdesk
