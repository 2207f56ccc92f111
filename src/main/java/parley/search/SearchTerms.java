package parley.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;

/**
 * What a search asks for, as words: each clause is one word, or a phrase (its words in order), and
 * a result must hold every clause. Read from the text as typed by Lucene's {@link
 * SimpleQueryParser} with only its phrase operator on, so double quotes make a phrase and nothing
 * else in the text is syntax (no field names, wildcards or boolean words to trip over), and the
 * words are those of {@link SearchAnalysis}.
 */
public final class SearchTerms {
  private static final String FIELD = "q";

  private final List<List<String>> clauses;

  private SearchTerms(List<List<String>> clauses) {
    this.clauses = List.copyOf(clauses);
  }

  public static SearchTerms parse(String typed) {
    SimpleQueryParser parser = new SimpleQueryParser(SearchAnalysis.ANALYZER, Map.of(FIELD, 1.0f),
        SimpleQueryParser.PHRASE_OPERATOR | SimpleQueryParser.WHITESPACE_OPERATOR);
    parser.setDefaultOperator(BooleanClause.Occur.MUST);
    Set<List<String>> clauses = new LinkedHashSet<>();
    parser.parse(typed).visit(new QueryVisitor() {
      @Override
      public void consumeTerms(Query query, Term... terms) {
        if (query instanceof PhraseQuery) {
          clauses.add(texts(terms));
        } else {
          for (Term term : terms) {
            clauses.add(List.of(term.text()));
          }
        }
      }

      // Only the phrase operator is on: every clause the parser makes is one the result must hold.
      @Override
      public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
        return this;
      }
    });
    // The parser's boolean query keeps no order: put the clauses back in the order they were typed.
    List<String> typedWords = SearchAnalysis.tokens(typed).stream().map(SearchAnalysis.Token::term).toList();
    List<List<String>> ordered = new ArrayList<>(clauses);
    ordered.sort(Comparator.comparingInt(clause -> typedWords.indexOf(clause.get(0))));
    return new SearchTerms(ordered);
  }

  private static List<String> texts(Term[] terms) {
    List<String> words = new ArrayList<>(terms.length);
    for (Term term : terms) {
      words.add(term.text());
    }
    return words;
  }

  /** Each clause: one word, or the words of a phrase in order. */
  public List<List<String>> clauses() {
    return clauses;
  }

  /** True when the text held no word at all (only punctuation, say): nothing can match. */
  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  /** A Lucene query on {@code field} that a document matches when it holds every clause. */
  public Query query(String field) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (List<String> clause : clauses) {
      Query query = clause.size() == 1
          ? new TermQuery(new Term(field, clause.get(0)))
          : new PhraseQuery(field, clause.toArray(String[]::new));
      all.add(query, BooleanClause.Occur.MUST);
    }
    return all.build();
  }

  /**
   * The {@code $search} string of a MongoDB text query that holds every clause: each in double
   * quotes (MongoDB joins unquoted words with OR, quoted ones with AND).
   */
  public String mongoTextSearch() {
    return clauses.stream().map(clause -> "\"" + String.join(" ", clause) + "\"").collect(Collectors.joining(" "));
  }

  /** Every distinct word of the clauses. */
  public Set<String> words() {
    Set<String> words = new LinkedHashSet<>();
    clauses.forEach(words::addAll);
    return words;
  }

  @Override
  public String toString() {
    return clauses.toString();
  }
}
