// FEATURES F1/F2 rules of scripts: field tags, the pinned step, the settings' shape and the call
// card's choice of a script by call type and deal type.
#include <gtest/gtest.h>

#include <functional>

#include "connector/domain/error.h"
#include "connector/domain/scripts.h"

namespace opdesk {
namespace {

// The field of the InvalidArgument `fn` throws, with its message after "|".
std::string Refusal(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.field() + "|" + e.what();
  }
  return "accepted";
}

ScriptGraph Graph() {
  ScriptGraph g;
  g.start_step = "hello";
  ScriptStep a;
  a.id = "hello";
  a.title = "Приветствие";
  a.hint = "Здравствуйте, {{CONTACT.NAME}}! Меня зовут {{ EMPLOYEE.NAME }}.";
  a.next = {"offer"};
  ScriptStep b;
  b.id = "offer";
  b.title = "Предложение";
  b.hint = "Сделка {{DEAL.TITLE}} на {{DEAL.OPPORTUNITY}}";
  g.steps = {a, b};
  return g;
}

TEST(ScriptTagsTest, TagsAreFoundInOrderWithBlanksAroundTrimmed) {
  EXPECT_EQ(FindTags("a {{CONTACT.NAME}} b {{ DEAL.TITLE }} c"),
            (std::vector<std::string>{"CONTACT.NAME", "DEAL.TITLE"}));
  EXPECT_TRUE(FindTags("no tags { here } at all").empty());
  EXPECT_EQ(FindTags("an open {{CONTACT.NAME"), (std::vector<std::string>{"{{CONTACT.NAME"}))
      << "a tag without its end is kept whole so that it is refused";
  EXPECT_TRUE(IsScriptTag("CONTACT.PHONE"));
  EXPECT_TRUE(IsScriptTag("EMPLOYEE.NAME"));
  EXPECT_FALSE(IsScriptTag("contact.name")) << "tags are upper case";
  EXPECT_FALSE(IsScriptTag("CONTACT.UF_CRM_1"));
}

TEST(ScriptTagsTest, AnUnknownTagIsRefusedNamingTheStepAndTheTag) {
  EXPECT_EQ(Refusal([] { ValidateDraft(Graph()); }), "accepted");
  ScriptGraph g = Graph();
  g.steps[1].hint = "Бюджет {{DEAL.BUDGET}}";
  const std::string r = Refusal([&] { ValidateDraft(g); });
  EXPECT_EQ(r.substr(0, r.find('|')), "draft.steps[1].hint");
  EXPECT_NE(r.find("offer"), std::string::npos) << r;
  EXPECT_NE(r.find("{{DEAL.BUDGET}}"), std::string::npos) << r;
  g.steps[1].hint = "Незакрытый {{CONTACT.NAME";
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }).substr(0, 20), "draft.steps[1].hint|");
}

TEST(ScriptPinnedTest, AtMostOneStepIsPinned) {
  ScriptGraph g = Graph();
  g.steps[1].pinned = true;
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "accepted");
  ASSERT_NE(g.Pinned(), nullptr);
  EXPECT_EQ(g.Pinned()->id, "offer");
  g.steps[0].pinned = true;
  const std::string r = Refusal([&] { ValidateDraft(g); });
  EXPECT_EQ(r.substr(0, r.find('|')), "draft.steps[1].pinned");
  EXPECT_EQ(Graph().Pinned(), nullptr);
}

TEST(ScriptSettingsTest, TheShapeIsCheckedWithoutTheCrm) {
  auto with = [](const std::function<void(ScriptSettings&)>& change) {
    ScriptGraph g = Graph();
    change(g.settings);
    const std::string r = Refusal([&] { ValidateDraft(g); });
    return r.substr(0, r.find('|'));
  };
  EXPECT_EQ(with([](ScriptSettings&) {}), "accepted");
  EXPECT_EQ(with([](ScriptSettings& s) {
              s.call_type = "incoming";
              s.activity_type = "2";
              s.deal_type = "SALE";
              s.number_field = {"contact", "UF_CRM_DIALED", false};
            }),
            "accepted");
  EXPECT_EQ(with([](ScriptSettings& s) { s.call_type = "inbound"; }), "draft.settings.call_type");
  EXPECT_EQ(with([](ScriptSettings& s) { s.deal_type = "a b"; }), "draft.settings.deal_type");
  EXPECT_EQ(with([](ScriptSettings& s) { s.activity_type = std::string(65, '1'); }),
            "draft.settings.activity_type");
  EXPECT_EQ(with([](ScriptSettings& s) {
              s.number_field = {"lead", "TITLE", false};
            }),
            "draft.settings.number_field.entity");
  EXPECT_EQ(with([](ScriptSettings& s) {
              s.number_field = {"deal", "lower", false};
            }),
            "draft.settings.number_field.code");
}

TEST(ScriptSettingsTest, NumberFieldsAreStringOrPhoneFields) {
  EXPECT_TRUE(IsNumberFieldType({"UF_CRM_1", "Набранный", "string", false, false, false}));
  EXPECT_TRUE(IsNumberFieldType({"UF_CRM_2", "Телефон", "phone", false, false, false}));
  EXPECT_FALSE(IsNumberFieldType({"OPPORTUNITY", "Сумма", "double", false, false, false}));
  EXPECT_FALSE(IsNumberFieldType({"PHONE", "Телефон", "crm_multifield", true, false, false}))
      << "a multi-value field would gain a number at each call";
}

ScriptCandidate Candidate(long long id, std::string call_type, std::string deal_type = "") {
  ScriptCandidate c;
  c.id = id;
  c.settings.call_type = std::move(call_type);
  c.settings.deal_type = std::move(deal_type);
  return c;
}

TEST(ScriptChoiceTest, TheCallTypeAndTheDealTypeChooseTheScript) {
  const std::vector<ScriptCandidate> role = {Candidate(1, "any"), Candidate(2, "incoming"),
                                             Candidate(3, "outgoing"),
                                             Candidate(4, "outgoing", "SALE")};
  ScriptChoice in = ChooseScripts(role, "incoming", "");
  EXPECT_EQ(in.fitting, (std::vector<long long>{2, 1}));
  EXPECT_EQ(in.chosen, 2);

  ScriptChoice out = ChooseScripts(role, "outgoing", "");
  EXPECT_EQ(out.fitting, (std::vector<long long>{3, 1})) << "4 needs a deal of type SALE";
  EXPECT_EQ(out.chosen, 3);

  ScriptChoice sale = ChooseScripts(role, "outgoing", "SALE");
  EXPECT_EQ(sale.fitting, (std::vector<long long>{4, 3, 1}));
  EXPECT_EQ(sale.chosen, 4);

  ScriptChoice unknown = ChooseScripts(role, "", "");
  EXPECT_EQ(unknown.fitting, (std::vector<long long>{1}));
  EXPECT_EQ(unknown.chosen, 1);
}

TEST(ScriptChoiceTest, EqualMatchesLeaveTheChoiceToTheOperator) {
  const std::vector<ScriptCandidate> role = {Candidate(5, "incoming"), Candidate(6, "incoming"),
                                             Candidate(7, "any")};
  ScriptChoice c = ChooseScripts(role, "incoming", "");
  EXPECT_EQ(c.fitting, (std::vector<long long>{5, 6, 7})) << "the role's order among equals";
  EXPECT_EQ(c.chosen, 0);
}

TEST(ScriptChoiceTest, WithoutBindingsTheBehaviourIsAsBefore) {
  // Scripts never bound: all fit, one is opened only when it is the only one.
  EXPECT_EQ(ChooseScripts({Candidate(1, "any"), Candidate(2, "any")}, "incoming", "").chosen, 0);
  EXPECT_EQ(ChooseScripts({Candidate(1, "any")}, "outgoing", "").chosen, 1);
  // Nothing fits (an outgoing-only script on an incoming call): every script is offered.
  ScriptChoice none =
      ChooseScripts({Candidate(8, "outgoing"), Candidate(9, "outgoing")}, "incoming", "");
  EXPECT_EQ(none.fitting, (std::vector<long long>{8, 9}));
  EXPECT_EQ(none.chosen, 0);
  EXPECT_EQ(ChooseScripts({Candidate(8, "outgoing")}, "incoming", "").chosen, 8);
  EXPECT_TRUE(ChooseScripts({}, "incoming", "").fitting.empty());
}

TEST(ScriptChoiceTest, ThePlacementsDirectionIsNormalised) {
  EXPECT_EQ(CallDirection("incoming"), "incoming");
  EXPECT_EQ(CallDirection(" Inbound "), "incoming");
  EXPECT_EQ(CallDirection("2"), "incoming");
  EXPECT_EQ(CallDirection("outgoing"), "outgoing");
  EXPECT_EQ(CallDirection("1"), "outgoing");
  EXPECT_EQ(CallDirection("undefined"), "");
  EXPECT_EQ(CallDirection(""), "");
}

}  // namespace
}  // namespace opdesk
