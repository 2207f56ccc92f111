package parley.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * How text becomes words, the same for what is stored and what is asked, in both store modes:
 * Lucene's {@link StandardAnalyzer} (Unicode word boundaries, UAX #29, then lower case) with no
 * stop words, so "the" and "who" can be found, and no stemming, so a word matches only itself.
 */
public final class SearchAnalysis {
  /** Thread-safe: Lucene keeps one token stream per thread. */
  public static final Analyzer ANALYZER = new StandardAnalyzer(CharArraySet.EMPTY_SET);

  /** One word of a text: the word as indexed, where it stands in the text, and its position. */
  public record Token(String term, int start, int end, int position) {}

  private SearchAnalysis() {}

  /** The words of a text, in order. */
  public static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    try (TokenStream stream = ANALYZER.tokenStream("", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      int position = -1;
      while (stream.incrementToken()) {
        position += increment.getPositionIncrement();
        tokens.add(new Token(term.toString(), offset.startOffset(), offset.endOffset(), position));
      }
      stream.end();
    } catch (IOException e) {
      // A string reader does not fail.
      throw new UncheckedIOException(e);
    }
    return tokens;
  }
}
