package parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnippetsTest {
  private static String snippet(String text, String q) {
    return Snippets.of(text, SearchTerms.parse(q));
  }

  @Test
  void marksEveryMatchedWordWhateverItsCase() {
    assertThat(snippet("Kafka keeps partitions; kafka replicates them.", "KAFKA partitions"))
        .isEqualTo("<mark>Kafka</mark> keeps <mark>partitions</mark>; <mark>kafka</mark> replicates them.");
  }

  @Test
  void marksWholeWordsOnly() {
    assertThat(snippet("cat category concatenate cat.", "cat")).isEqualTo("<mark>cat</mark> category concatenate <mark>cat</mark>.");
  }

  @Test
  void aPhraseIsOneMarkAndItsWordsApartAreNotMarked() {
    assertThat(snippet("the borrow checker; a checker of borrow", "\"borrow checker\""))
        .isEqualTo("the <mark>borrow checker</mark>; a checker of borrow");
  }

  @Test
  void aWordAlsoInAPhraseAskedForJoinsItsMark() {
    assertThat(snippet("the borrow checker", "borrow \"borrow checker\"")).isEqualTo("the <mark>borrow checker</mark>");
  }

  @Test
  void escapesTheFiveCharactersAndNothingElse() {
    assertThat(snippet("<script>alert('x')</script> & \"tags\" é ü 漢字", "alert tags"))
        .isEqualTo("&lt;script&gt;<mark>alert</mark>(&#39;x&#39;)&lt;/script&gt; &amp; &quot;<mark>tags</mark>&quot; é ü 漢字");
  }

  @Test
  void markupInTheTextStaysEscapedInsideAMark() {
    assertThat(snippet("a <b>bold</b> claim", "b")).isEqualTo("a &lt;<mark>b</mark>&gt;bold&lt;/<mark>b</mark>&gt; claim");
  }

  @Test
  void whiteSpaceRunsBecomeOneSpace() {
    assertThat(snippet("first line\n\n   second\tline", "second")).isEqualTo("first line <mark>second</mark> line");
  }

  @Test
  void aLongTextIsCutToAWindowAroundTheMatchAtWordBoundaries() {
    String before = "lorem ipsum dolor sit amet ".repeat(20);
    String after = " consectetur adipiscing elit sed do".repeat(20);
    String text = before + "the needle is here" + after;
    String snippet = snippet(text, "needle");
    assertThat(snippet).startsWith("…").endsWith("…").contains("the <mark>needle</mark> is here");
    String shown = snippet.replace("<mark>", "").replace("</mark>", "");
    assertThat(shown.length()).isBetween(Snippets.WINDOW - 20, Snippets.WINDOW + 2);
    // Whole words at both cuts.
    assertThat(text).contains(shown.substring(1, shown.length() - 1));
    assertThat(shown.substring(1)).matches("^(lorem|ipsum|dolor|sit|amet|the) .*");
    assertThat(shown.substring(0, shown.length() - 1)).matches(".* (consectetur|adipiscing|elit|sed|do)$");
  }

  @Test
  void theWindowGoesWhereMostWordsAskedForAreTogether() {
    String text = "alpha " + "filler ".repeat(60) + "alpha beta gamma " + "filler ".repeat(60);
    String snippet = snippet(text, "alpha beta gamma");
    assertThat(snippet).contains("<mark>alpha</mark> <mark>beta</mark> <mark>gamma</mark>").startsWith("…");
  }

  @Test
  void aMatchAtTheEndShowsTheTextBeforeIt() {
    String text = "word ".repeat(100) + "finale";
    String snippet = snippet(text, "finale");
    assertThat(snippet).startsWith("…").endsWith("<mark>finale</mark>");
    assertThat(snippet.length()).isGreaterThan(Snippets.WINDOW - 20);
  }

  @Test
  void withoutAMatchTheTextStartIsShown() {
    String text = "nothing to see here ".repeat(30);
    String snippet = snippet(text, "absent");
    assertThat(snippet).startsWith("nothing to see").endsWith("…").doesNotContain("<mark>");
  }

  @Test
  void oneLongWordIsCutAtTheWindow() {
    assertThat(snippet("x".repeat(400), "absent")).hasSize(Snippets.WINDOW + 1).endsWith("…");
  }

  @Test
  void textMatchesTellWhetherEveryClauseIsThere() {
    SearchTerms terms = SearchTerms.parse("kafka \"consumer group\"");
    assertThat(TextMatches.find("Kafka has a consumer group", terms).all()).isTrue();
    assertThat(TextMatches.find("Kafka has a group of consumers", terms).all()).isFalse();
    assertThat(TextMatches.find("consumer group without the other", terms).all()).isFalse();
  }

  @Test
  void relevanceGrowsWithCountsAndShrinksWithLength() {
    SearchTerms terms = SearchTerms.parse("kafka");
    double once = TextMatches.find("kafka streams data", terms).relevance();
    double twice = TextMatches.find("kafka streams kafka", terms).relevance();
    double longer = TextMatches.find("kafka " + "word ".repeat(200), terms).relevance();
    assertThat(twice).isGreaterThan(once);
    assertThat(longer).isLessThan(once);
  }
}
