package parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A model's answer made a title: short, one line, no quotes, no label, no full stop. */
class TitlesTest {

  @Test
  void answersBecomeCleanTitles() {
    assertThat(Titles.clean("\"Lighthouses at night.\"")).isEqualTo("Lighthouses at night");
    assertThat(Titles.clean("\n\n**Title:** Tides explained\nHope this helps!")).isEqualTo("Tides explained");
    assertThat(Titles.clean("« Recette de crêpes »")).isEqualTo("Recette de crêpes");
    assertThat(Titles.clean("word ".repeat(40))).hasSizeLessThanOrEqualTo(Titles.MAX_CHARS + 1).endsWith("…");
  }

  @Test
  void nothingUsableIsNoTitle() {
    assertThat(Titles.clean("  \n \"\" ")).isNull();
    assertThat(Titles.clean(null)).isNull();
    assertThat(Titles.clean("...")).isNull();
  }
}
