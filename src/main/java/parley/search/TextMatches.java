package parley.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Where the clauses of a search stand in one text, found on the text's words as {@link
 * SearchAnalysis} makes them (a clause of one word matches that word; a phrase, its words at
 * consecutive positions). Used for snippets in both store modes and, where the store has no text
 * index of its own, to decide whether a text matches and how well.
 */
public final class TextMatches {
  /** BM25's usual constants, for {@link #relevance()}. */
  private static final double K1 = 1.2;
  private static final double B = 0.75;
  /** The length (in words) relevance treats as usual, without a corpus to learn it from. */
  private static final double USUAL_WORDS = 60;

  /** One place a clause matches: characters {@code start} (inclusive) to {@code end}. */
  public record Span(int start, int end, int clause) {}

  private final List<Span> spans;
  private final int clauseCount;
  private final int wordCount;

  private TextMatches(List<Span> spans, int clauseCount, int wordCount) {
    this.spans = spans;
    this.clauseCount = clauseCount;
    this.wordCount = wordCount;
  }

  public static TextMatches find(String text, SearchTerms terms) {
    return find(SearchAnalysis.tokens(text), terms);
  }

  static TextMatches find(List<SearchAnalysis.Token> tokens, SearchTerms terms) {
    List<Span> spans = new ArrayList<>();
    List<List<String>> clauses = terms.clauses();
    for (int c = 0; c < clauses.size(); c++) {
      List<String> clause = clauses.get(c);
      for (int i = 0; i + clause.size() <= tokens.size(); i++) {
        if (matchesAt(tokens, i, clause)) {
          spans.add(new Span(tokens.get(i).start(), tokens.get(i + clause.size() - 1).end(), c));
        }
      }
    }
    spans.sort(Comparator.comparingInt(Span::start).thenComparingInt(Span::end));
    return new TextMatches(List.copyOf(spans), clauses.size(), tokens.size());
  }

  private static boolean matchesAt(List<SearchAnalysis.Token> tokens, int first, List<String> clause) {
    for (int k = 0; k < clause.size(); k++) {
      SearchAnalysis.Token token = tokens.get(first + k);
      if (!token.term().equals(clause.get(k)) || token.position() - tokens.get(first).position() != k) {
        return false;
      }
    }
    return true;
  }

  /** Every match, by where it starts. */
  public List<Span> spans() {
    return spans;
  }

  /** Whether every clause matches somewhere: what a result must do. */
  public boolean all() {
    BitSet found = new BitSet(clauseCount);
    spans.forEach(span -> found.set(span.clause()));
    return clauseCount > 0 && found.cardinality() == clauseCount;
  }

  /**
   * How well the text matches, for ranking where no index gives a score: BM25's weight of each
   * clause's count against the text's length, summed over the clauses (without a corpus, every
   * clause weighs the same).
   */
  public double relevance() {
    int[] counts = new int[clauseCount];
    spans.forEach(span -> counts[span.clause()]++);
    double norm = K1 * (1 - B + B * wordCount / USUAL_WORDS);
    double score = 0;
    for (int count : counts) {
      score += count * (K1 + 1) / (count + norm);
    }
    return score;
  }
}
