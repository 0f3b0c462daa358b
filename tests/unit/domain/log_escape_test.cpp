// Request data in log lines: escaped so that it stays one line and one field.
#include "connector/domain/log_escape.h"

#include <gtest/gtest.h>

namespace opdesk {
namespace {

TEST(LogEscape, ControlCharactersQuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(EscapeLogText("a\r\nevent=forged"), "a\\r\\nevent=forged");
  EXPECT_EQ(EscapeLogText("say \"hi\"\\"), "say \\\"hi\\\"\\\\");
  EXPECT_EQ(EscapeLogText(std::string("\t\x01\x7f", 3)), "\\t\\x01\\x7f");
  EXPECT_EQ(EscapeLogText(std::string("nul\0end", 7)), "nul\\x00end");
}

TEST(LogEscape, Utf8IsKeptAndBrokenBytesAreEscaped) {
  EXPECT_EQ(EscapeLogText("Звонок ✓"), "Звонок ✓");
  EXPECT_EQ(EscapeLogText("\xff\xc3("), "\\xff\\xc3(");
  EXPECT_EQ(EscapeLogText("\xed\xa0\x80"), "\\xed\\xa0\\x80") << "a surrogate is not UTF-8";
  EXPECT_EQ(EscapeLogText("\xc0\xaf"), "\\xc0\\xaf") << "an overlong form is not UTF-8";
}

TEST(LogEscape, PlainValuesStayBareOthersAreQuoted) {
  EXPECT_EQ(LogValue("entry-42"), "entry-42");
  EXPECT_EQ(LogValue(""), "\"\"");
  EXPECT_EQ(LogValue("two words"), "\"two words\"");
  EXPECT_EQ(LogValue("a=b"), "\"a=b\"");
  EXPECT_EQ(LogValue("x\ny"), "\"x\\ny\"");
  EXPECT_EQ(LogQuoted("p\"q"), "\"p\\\"q\"");
}

TEST(LogEscape, WholeLinesKeepTheirQuotesButLoseTheirLineBreaks) {
  EXPECT_EQ(EscapeLogControls("event=x error=\"a\"\r\nevent=forged"),
            "event=x error=\"a\"\\r\\nevent=forged");
}

}  // namespace
}  // namespace opdesk
