package parley.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A result's snippet: an excerpt of about {@value #WINDOW} characters around the place where the
 * most clauses of the search match close together, HTML-escaped ({@code & < > " '}), each matched
 * word or phrase wrapped in {@code <mark>}…{@code </mark>}, runs of white space made one space, and
 * "…" where the text was cut. Nothing else in it is markup, so a client can split on the two tags
 * and unescape the five entities into plain text.
 */
public final class Snippets {
  public static final int WINDOW = 160;
  public static final String MARK = "<mark>";
  public static final String END_MARK = "</mark>";
  private static final String CUT = "…";

  private Snippets() {}

  /** The excerpt of {@code text} that shows the search's clauses best. */
  public static String of(String text, SearchTerms terms) {
    return excerpt(text, terms, WINDOW);
  }

  static String excerpt(String text, SearchTerms terms, int window) {
    List<SearchAnalysis.Token> tokens = SearchAnalysis.tokens(text);
    List<TextMatches.Span> marks = merged(TextMatches.find(tokens, terms).spans());
    int start = 0;
    int end = text.length();
    if (text.length() > window) {
      int[] best = bestRun(marks, window);
      if (best == null) {
        end = wordEndUpTo(tokens, window, 0);
      } else {
        int first = marks.get(best[0]).start();
        int last = marks.get(best[1]).end();
        // What room the matches leave goes half before them (up to a third of the window), the rest after.
        start = Math.max(0, first - Math.min((window - (last - first)) / 2, window / 3));
        if (start + window >= text.length()) {
          start = Math.max(0, text.length() - window);
        }
        start = Math.min(wordStartFrom(tokens, start), first);
        end = Math.max(wordEndUpTo(tokens, Math.min(text.length(), start + window), start), last);
      }
    }
    StringBuilder out = new StringBuilder();
    if (start > 0) {
      out.append(CUT);
    }
    int at = start;
    for (TextMatches.Span mark : marks) {
      if (mark.start() < start || mark.end() > end) {
        continue;
      }
      out.append(plain(text, at, mark.start())).append(MARK).append(plain(text, mark.start(), mark.end())).append(END_MARK);
      at = mark.end();
    }
    out.append(plain(text, at, end));
    if (end < text.length()) {
      out.append(CUT);
    }
    return out.toString().strip();
  }

  /**
   * The run of matches that fits in a window and holds the most distinct clauses, then the most
   * matches (the first such): {first index, last index}, or null for no match.
   */
  private static int[] bestRun(List<TextMatches.Span> marks, int window) {
    int[] best = null;
    int bestClauses = -1;
    int bestCount = -1;
    for (int i = 0; i < marks.size(); i++) {
      BitSet clauses = new BitSet();
      int j = i;
      while (j < marks.size() && marks.get(j).end() - marks.get(i).start() <= window) {
        clauses.set(marks.get(j).clause());
        j++;
      }
      int last = Math.max(i, j - 1);
      int distinct = Math.max(1, clauses.cardinality());
      int count = last - i + 1;
      if (distinct > bestClauses || distinct == bestClauses && count > bestCount) {
        best = new int[] {i, last};
        bestClauses = distinct;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * Matches that overlap (a word that is also in a phrase asked for) become one mark. A merged
   * mark keeps the clause of its first part, which is all {@link #bestRun} needs to tell them apart.
   */
  private static List<TextMatches.Span> merged(List<TextMatches.Span> spans) {
    List<TextMatches.Span> merged = new ArrayList<>();
    for (TextMatches.Span span : spans) {
      TextMatches.Span previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && span.start() < previous.end()) {
        merged.set(merged.size() - 1, new TextMatches.Span(previous.start(), Math.max(previous.end(), span.end()), previous.clause()));
      } else {
        merged.add(span);
      }
    }
    return merged;
  }

  /** The first word's start at or after {@code at}: an excerpt does not begin inside a word. */
  private static int wordStartFrom(List<SearchAnalysis.Token> tokens, int at) {
    for (SearchAnalysis.Token token : tokens) {
      if (token.start() >= at) {
        return token.start();
      }
    }
    return at;
  }

  /** The last word's end at or before {@code at} (and after {@code from}): nor end inside one. */
  private static int wordEndUpTo(List<SearchAnalysis.Token> tokens, int at, int from) {
    // With no word ending in between (one long URL, say), the excerpt is cut where the window ends.
    int end = at;
    for (SearchAnalysis.Token token : tokens) {
      if (token.start() >= at) {
        break;
      }
      if (token.end() <= at && token.end() > from) {
        end = token.end();
      }
    }
    return end;
  }

  /** Text between two places, escaped, with its white space made single spaces. */
  private static String plain(String text, int from, int to) {
    StringBuilder out = new StringBuilder(to - from + 16);
    boolean space = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = true;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    if (space) {
      out.append(' ');
    }
    return out.toString();
  }
}
