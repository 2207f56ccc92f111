package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchTermsTest {
  @Test
  void wordsAreLowerCasedAndEachIsAClause() {
    assertThat(SearchTerms.parse("Kafka  PARTITIONS").clauses()).containsExactly(List.of("kafka"), List.of("partitions"));
  }

  @Test
  void quotedWordsAreAPhrase() {
    assertThat(SearchTerms.parse("rust \"Borrow Checker\" error").clauses())
        .containsExactly(List.of("rust"), List.of("borrow", "checker"), List.of("error"));
  }

  @Test
  void stopWordsStayAndNothingIsStemmed() {
    assertThat(SearchTerms.parse("the running").clauses()).containsExactly(List.of("the"), List.of("running"));
  }

  @Test
  void syntaxOtherThanQuotesIsJustText() {
    // Field names (a colon between letters is part of a word, as Unicode has it), wildcards, boolean operators and brackets are not syntax: only their words count.
    assertThat(SearchTerms.parse("title:foo bar* -baz +qux (a|b) ~1").clauses())
        .containsExactly(List.of("title:foo"), List.of("bar"), List.of("baz"), List.of("qux"), List.of("a"),
            List.of("b"), List.of("1"));
  }

  @Test
  void anUnclosedQuoteDoesNotFail() {
    assertThat(SearchTerms.parse("\"open ended").isEmpty()).isFalse();
  }

  @Test
  void repeatedWordsCountOnce() {
    assertThat(SearchTerms.parse("echo Echo ECHO").clauses()).containsExactly(List.of("echo"));
  }

  @Test
  void punctuationAloneHoldsNoWord() {
    assertThat(SearchTerms.parse("?!… --").isEmpty()).isTrue();
  }

  @Test
  void mongoSearchQuotesEveryClause() {
    assertThat(SearchTerms.parse("alpha \"beta gamma\"").mongoTextSearch()).isEqualTo("\"alpha\" \"beta gamma\"");
  }

  @Test
  void luceneQueryRequiresEveryClause() {
    assertThat(SearchTerms.parse("alpha \"beta gamma\"").query("text"))
        .hasToString("+text:alpha +text:\"beta gamma\"");
  }
}
