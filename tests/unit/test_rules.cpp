// rules: globs with braces, regexes with named captures, capture substitution.
#include <gtest/gtest.h>

#include "bindery/config/rule_matching.hpp"

namespace bindery::config {
namespace {

RuleSpec rule(const std::string& pattern) {
  RuleSpec r;
  r.is_regex = pattern.size() > 1 && pattern.front() == '/' && pattern.back() == '/';
  r.pattern = r.is_regex ? pattern.substr(1, pattern.size() - 2) : pattern;
  return r;
}

TEST(Rules, GlobsExpandBracesAndMatchWholeNames) {
  EXPECT_EQ(expand_braces("a_{x,y}{,_utf8}"), (std::vector<std::string>{"a_x", "a_x_utf8", "a_y", "a_y_utf8"}));
  EXPECT_TRUE(glob_match("sqlite3_column_*", "sqlite3_column_blob"));
  EXPECT_FALSE(glob_match("sqlite3_column_*", "sqlite3_bind_blob"));
  EXPECT_TRUE(glob_match("f?o", "foo"));
  EXPECT_FALSE(glob_match("foo", "foobar"));
  Diagnostics diags;
  RuleMatcher m(rule("sqlite3_column_{int,int64}"), diags);
  EXPECT_TRUE(m.match("sqlite3_column_int64"));
  EXPECT_FALSE(m.match("sqlite3_column_text"));
}

TEST(Rules, RegexCapturesByNameAndNumber) {
  Diagnostics diags;
  RuleMatcher m(rule("/^(?P<p>crypto_\\w+)_(keygen|keypair)$/"), diags);
  auto captures = m.match("crypto_secretbox_keygen");
  ASSERT_TRUE(captures);
  EXPECT_EQ((*captures)["p"], "crypto_secretbox");
  EXPECT_EQ((*captures)["1"], "crypto_secretbox");
  EXPECT_EQ((*captures)["2"], "keygen");
  EXPECT_FALSE(m.match("crypto_secretbox_easy"));
}

TEST(Rules, InvalidRegexIsADiagnostic) {
  Diagnostics diags;
  RuleMatcher m(rule("/(unclosed/"), diags);
  EXPECT_TRUE(diags.has_errors());
  EXPECT_FALSE(m.match("unclosed"));
}

TEST(Rules, CapturesAreSubstitutedIntoEveryScalar) {
  YAML::Node body = YAML::Load("{params: {k: {size: '{p}_KEYBYTES'}}, doc: '{2} of {p}'}");
  YAML::Node out = substitute_captures(body, {{"p", "crypto_box"}, {"2", "keygen"}});
  EXPECT_EQ(out["params"]["k"]["size"].Scalar(), "crypto_box_KEYBYTES");
  EXPECT_EQ(out["doc"].Scalar(), "keygen of crypto_box");
}

}  // namespace
}  // namespace bindery::config
