// The rules of what follows a dialing task's call (FEATURES F6, F7): template variables, e-mail
// addresses, recordings told by their content, invoice prices and quantities, and the plans
// that include e-mail from tasks.
#include <gtest/gtest.h>

#include <functional>

#include "connector/domain/after_call.h"
#include "connector/domain/error.h"
#include "connector/domain/tariff.h"

namespace opdesk::campaigns {
namespace {

std::string FieldOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.field() + "|" + e.what();
  }
  return "no error";
}

TEST(AfterCallTemplates, KnownVariablesPassAndAnUnknownOneIsNamed) {
  EXPECT_NO_THROW(CheckTemplateText("Здравствуйте, {{CONTACT.NAME}}! {{ TASK.NAME }}", "body"));
  const std::string err = FieldOf([] { CheckTemplateText("Сумма {{DEAL.SUM}}", "body"); });
  EXPECT_EQ(err.substr(0, 5), "body|");
  EXPECT_NE(err.find("{{DEAL.SUM}}"), std::string::npos) << err;
  EXPECT_NE(FieldOf([] { CheckTemplateText("Привет {{CONTACT.NAME", "subject"); }).find("subject|"),
            std::string::npos);
}

TEST(AfterCallTemplates, ValidationNamesTheField) {
  EmailTemplate t{0, "Письмо", "Тема {{TASK.NAME}}", "Текст", 0};
  EXPECT_NO_THROW(ValidateEmailTemplate(t));
  t.name = "  ";
  EXPECT_EQ(FieldOf([&] { ValidateEmailTemplate(t); }).substr(0, 5), "name|");
  t.name = "Письмо";
  t.subject = "Две\nстроки";
  EXPECT_EQ(FieldOf([&] { ValidateEmailTemplate(t); }).substr(0, 8), "subject|");
  t.subject = "Тема";
  t.body = "{{OPERATOR.PHONE}}";
  EXPECT_EQ(FieldOf([&] { ValidateEmailTemplate(t); }).substr(0, 5), "body|");
}

TEST(AfterCallTemplates, RenderFillsKnownVariablesAndLeavesOthersAsWritten) {
  const TemplateValues values = {
      {"CONTACT.NAME", "Иван"}, {"TASK.NAME", "Весна"}, {"OPERATOR.NAME", "Анна"}};
  EXPECT_EQ(RenderTemplate("{{CONTACT.NAME}}, это {{ OPERATOR.NAME }} ({{TASK.NAME}})", values),
            "Иван, это Анна (Весна)");
  EXPECT_EQ(RenderTemplate("Перезвоню {{CALLBACK.AT}}.", values), "Перезвоню .");
  EXPECT_EQ(RenderTemplate("{{X.Y}} и {{", values), "{{X.Y}} и {{");
}

TEST(AfterCallEmail, AddressesAreChecked) {
  EXPECT_TRUE(IsValidEmail("ivan.petrov+sale@mail.example.ru"));
  for (const char* bad : {"", "ivan", "ivan@", "@mail.ru", "ivan@mail", "iv an@mail.ru",
                          "ivan@@mail.ru", "ivan@-mail.ru", "ivan@mail..ru", ".ivan@mail.ru"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  EXPECT_EQ(CheckedEmail("  a@b.ru ", "to"), "a@b.ru");
  EXPECT_EQ(FieldOf([] { CheckedEmail("нет", "to"); }).substr(0, 3), "to|");
}

TEST(AfterCallRecording, TheTypeIsReadFromTheContent) {
  const std::string mp3 = std::string("ID3\x04\x00", 5) + std::string(100, '\0');
  const std::string frame = std::string("\xFF\xFB\x90\x00", 4) + std::string(100, '\0');
  const std::string wav = std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16) + std::string(50, '\0');
  const std::string ogg = std::string("OggS\x00\x02", 6) + std::string(50, '\0');
  EXPECT_EQ(CheckRecording("call.mp3", mp3), "mp3");
  EXPECT_EQ(CheckRecording("CALL.MP3", frame), "mp3");
  EXPECT_EQ(CheckRecording("call.wav", wav), "wav");
  EXPECT_EQ(CheckRecording("call.ogg", ogg), "ogg");
  // Named audio, something else inside.
  EXPECT_EQ(FieldOf([] { CheckRecording("call.mp3", "%PDF-1.7 not audio"); }).substr(0, 5),
            "file|");
  // Audio of another kind than its name says.
  EXPECT_NE(FieldOf([&] { CheckRecording("call.mp3", wav); }).find("holds wav"), std::string::npos);
  EXPECT_EQ(FieldOf([&] { CheckRecording("call.exe", mp3); }).substr(0, 5), "file|");
  EXPECT_EQ(FieldOf([] { CheckRecording("call.mp3", ""); }).substr(0, 5), "file|");
  const std::string big = "ID3" + std::string(kMaxRecordingBytes, '\0');
  EXPECT_NE(FieldOf([&] { CheckRecording("call.mp3", big); }).find("larger than 10 MB"),
            std::string::npos);
}

TEST(AfterCallInvoice, PricesAreParsedToCents) {
  EXPECT_EQ(ParsePriceCents("1500", "p"), 150000);
  EXPECT_EQ(ParsePriceCents("1500.5", "p"), 150050);
  EXPECT_EQ(ParsePriceCents("0,99", "p"), 99);
  EXPECT_EQ(ParsePriceCents("0", "p"), 0);
  for (const char* bad : {"", "-1", "1.234", "1.", "abc", "1e3", "99999999999"}) {
    EXPECT_EQ(FieldOf([&] { ParsePriceCents(bad, "lines[0].price"); }).substr(0, 15),
              "lines[0].price|")
        << bad;
  }
  EXPECT_EQ(FormatPrice(150050), "1500.50");
  EXPECT_EQ(FormatPrice(7), "0.07");
}

TEST(AfterCallInvoice, LinesAndCancelDateAreValidated) {
  std::vector<InvoiceLine> lines = {{"1", "Старт", 1, 1000000}, {"2", "Бизнес", 2, 0}};
  EXPECT_NO_THROW(ValidateInvoice(lines, ""));
  EXPECT_NO_THROW(ValidateInvoice(lines, "2027-01-31"));
  EXPECT_EQ(FieldOf([&] { ValidateInvoice(lines, "2027-02-30"); }).substr(0, 12), "cancel_date|");
  EXPECT_EQ(FieldOf([] { ValidateInvoice({}, ""); }).substr(0, 6), "lines|");
  auto with = [&](auto change) {
    auto copy = lines;
    change(copy[1]);
    return FieldOf([&] { ValidateInvoice(copy, ""); });
  };
  EXPECT_EQ(with([](InvoiceLine& l) { l.quantity = 0; }).substr(0, 18), "lines[1].quantity|");
  EXPECT_EQ(with([](InvoiceLine& l) { l.price_cents = -1; }).substr(0, 15), "lines[1].price|");
  EXPECT_EQ(with([](InvoiceLine& l) { l.product_id = "1"; }).substr(0, 20), "lines[1].product_id|");
  EXPECT_EQ(with([](InvoiceLine& l) { l.product_id = "x"; }).substr(0, 20), "lines[1].product_id|");
}

TEST(AfterCallPlans, EmailFromTasksIsOnPaidPlansOnlyAndLapsesWithThem) {
  const PlanCatalog plans;
  const PlanStatus free = EvaluatePlan(plans, TenantPlan{"free", 0, 0}, 1000);
  EXPECT_FALSE(free.email_from_tasks);
  try {
    RequireEmailFromTasks(free);
    ADD_FAILURE() << "the free plan sent e-mail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied);
    EXPECT_EQ(e.field(), "plan");
    EXPECT_NE(std::string(e.what()).find("только на платных тарифах"), std::string::npos);
  }
  EXPECT_TRUE(EvaluatePlan(plans, TenantPlan{"standard", 5000, 0}, 1000).email_from_tasks);
  EXPECT_TRUE(EvaluatePlan(plans, TenantPlan{"unlimited", 0, 0}, 1000).email_from_tasks);
  const PlanStatus lapsed = EvaluatePlan(plans, TenantPlan{"standard", 500, 0}, 1000);
  EXPECT_FALSE(lapsed.email_from_tasks);
  EXPECT_THROW(RequireEmailFromTasks(lapsed), Error);
}

}  // namespace
}  // namespace opdesk::campaigns
