package parley.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.MessageStatus;
import parley.chat.SearchHit;
import parley.search.SearchTerms;
import parley.search.Snippets;
import parley.search.TextMatches;

/**
 * Search on an external MongoDB ({@code PARLEY_MONGO_URI}): its text indexes on the messages'
 * text and the chats' titles, with {@code default_language: "none"} (words are neither stemmed
 * nor dropped as stop words), every clause quoted (so all must match) and {@code textScore} to
 * rank. MongoDB keeps those indexes by itself, so the store's writes need nothing here.
 *
 * <p>A MongoDB-wire server without text search (mongo-java-server, used as an external store in
 * tests and benchmarks) is found out at start by a probe query; search there scans the caller's
 * messages instead: a case-insensitive regular expression per plain word narrows them in the
 * server, and {@link TextMatches} decides and ranks (by the counts of the words against the
 * text's length: there are no corpus statistics). Either way the snippets are made the same way
 * as on the embedded store.
 */
public final class MongoSearch implements SearchIndex.KeptByTheDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSearch.class);
  private static final String ID = "_id";
  private static final String SCORE = "score";
  private static final String PROBE_ID = "probe";
  private static final String PROBE = "probe";
  private static final JsonObject TEXT_SCORE = new JsonObject().put("$meta", "textScore");
  /** Words a regular expression can look for as they are, with nothing to escape. */
  private static final Pattern PLAIN_WORD = Pattern.compile("^[a-z0-9]+$");
  /** Past this many chats, the scan filters by owner here rather than send the server a long {@code $in}. */
  private static final int MOST_CHATS_IN_QUERY = 200;

  private final MongoClient mongo;
  private boolean textSearch;

  MongoSearch(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Creates the text indexes and finds out whether the server searches text at all. */
  @Override
  public Future<Void> start(MessageStore store) {
    IndexOptions noLanguage = new IndexOptions().defaultLanguage("none");
    return mongo.createIndexWithOptions(MessageStore.MESSAGES, new JsonObject().put(ChatMessage.CONTENT, "text"), noLanguage)
        .compose(v -> mongo.createIndexWithOptions(MessageStore.CHATS, new JsonObject().put(ChatSummary.TITLE, "text"), noLanguage))
        .compose(v -> probe())
        .otherwise(failure -> {
          LOG.debug("A text query failed", failure);
          return false;
        })
        .map(supported -> {
          textSearch = supported;
          if (supported) {
            LOG.info("Search: MongoDB's text indexes on messages and chat titles");
          } else {
            LOG.info("Search: this MongoDB-wire server has no text search; searches scan the caller's messages");
          }
          return null;
        });
  }

  /**
   * Whether a text query finds a document that holds its word: a server without text search may
   * refuse the query, or take {@code $text} for a field no document has and find nothing.
   */
  private Future<Boolean> probe() {
    JsonObject probe = new JsonObject().put(ID, PROBE_ID).put(PROBE, "parley probe");
    return mongo.createIndexWithOptions(MessageStore.SEARCH, new JsonObject().put(PROBE, "text"), new IndexOptions().defaultLanguage("none"))
        .compose(v -> mongo.save(MessageStore.SEARCH, probe))
        .compose(v -> mongo.find(MessageStore.SEARCH, textQuery("\"probe\"")))
        .map(found -> found.size() == 1);
  }

  @Override
  public Future<List<SearchHit>> search(String userId, SearchTerms terms, int limit) {
    if (terms.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return mongo.findWithOptions(MessageStore.CHATS, new JsonObject().put(MessageStore.OWNER_ID, userId),
            new FindOptions().setFields(new JsonObject().put(ID, 1).put(ChatSummary.TITLE, 1)))
        .compose(chats -> {
          Map<String, String> titles = chats.stream()
              .collect(Collectors.toMap(chat -> chat.getString(ID), chat -> chat.getString(ChatSummary.TITLE, ""), (a, b) -> a));
          if (titles.isEmpty()) {
            return Future.succeededFuture(List.of());
          }
          return textSearch ? withTextIndex(userId, titles, terms, limit) : scanning(titles, terms, limit);
        });
  }

  /** A result and what ranks it. */
  private record Ranked(double score, SearchHit hit) {
    static final Comparator<Ranked> BEST_THEN_NEWEST =
        Comparator.comparingDouble((Ranked r) -> -r.score()).thenComparing(r -> r.hit().createdAt(), Comparator.reverseOrder());
  }

  private Future<List<SearchHit>> withTextIndex(String userId, Map<String, String> titles, SearchTerms terms, int limit) {
    String search = terms.mongoTextSearch();
    FindOptions ranked = new FindOptions().setLimit(limit).setSort(new JsonObject().put(SCORE, TEXT_SCORE));
    JsonObject messagesQuery = textQuery(search)
        .put(ChatMessage.CHAT_ID, new JsonObject().put("$in", new JsonArray(new ArrayList<>(titles.keySet()))))
        .put(ChatMessage.STATUS, new JsonObject().put("$ne", MessageStatus.STREAMING.wire()));
    Future<List<Ranked>> messages = mongo.findWithOptions(MessageStore.MESSAGES, messagesQuery,
            new FindOptions(ranked).setFields(new JsonObject().put(ChatMessage.CHAT_ID, 1).put(ChatMessage.CONTENT, 1)
                .put(ChatMessage.CREATED_AT, 1).put(SCORE, TEXT_SCORE)))
        .map(docs -> docs.stream().map(doc -> new Ranked(doc.getDouble(SCORE, 0.0), messageHit(doc, titles, terms))).toList());
    Future<List<JsonObject>> chats = mongo.findWithOptions(MessageStore.CHATS,
        textQuery(search).put(MessageStore.OWNER_ID, userId),
        new FindOptions(ranked).setFields(new JsonObject().put(ChatSummary.TITLE, 1).put(SCORE, TEXT_SCORE)));
    return Future.all(messages, chats).compose(both -> {
      Set<String> withMessageHit = messages.result().stream().map(r -> r.hit().chatId().value()).collect(Collectors.toSet());
      List<Future<Ranked>> titleHits = new ArrayList<>();
      for (JsonObject chat : chats.result()) {
        String chatId = chat.getString(ID);
        if (withMessageHit.contains(chatId)) {
          continue;
        }
        JsonObject inChat = messagesQuery.copy().put(ChatMessage.CHAT_ID, chatId);
        titleHits.add(mongo.count(MessageStore.MESSAGES, inChat).compose(count -> count > 0
            ? Future.succeededFuture(null)
            : titleHit(chatId, chat.getString(ChatSummary.TITLE, ""), chat.getDouble(SCORE, 0.0), terms)));
      }
      return Future.all(titleHits).map(done -> best(messages.result(), titleHits, limit));
    });
  }

  /**
   * No text index: the owner's messages holding every plain word (case-insensitively, anywhere)
   * come back from the server, and {@link TextMatches} keeps those that really hold every clause.
   */
  private Future<List<SearchHit>> scanning(Map<String, String> titles, SearchTerms terms, int limit) {
    JsonObject query = new JsonObject().put(ChatMessage.STATUS, new JsonObject().put("$ne", MessageStatus.STREAMING.wire()));
    JsonArray words = new JsonArray();
    terms.words().stream().filter(word -> PLAIN_WORD.matcher(word).matches()).forEach(word -> words.add(
        new JsonObject().put(ChatMessage.CONTENT, new JsonObject().put("$regex", word).put("$options", "i"))));
    if (!words.isEmpty()) {
      query.put("$and", words);
    }
    boolean ownerInQuery = titles.size() <= MOST_CHATS_IN_QUERY;
    if (ownerInQuery) {
      query.put(ChatMessage.CHAT_ID, new JsonObject().put("$in", new JsonArray(new ArrayList<>(titles.keySet()))));
    }
    FindOptions fields = new FindOptions()
        .setFields(new JsonObject().put(ChatMessage.CHAT_ID, 1).put(ChatMessage.CONTENT, 1).put(ChatMessage.CREATED_AT, 1));
    return mongo.findWithOptions(MessageStore.MESSAGES, query, fields).compose(docs -> {
      List<Ranked> messages = new ArrayList<>();
      Set<String> withMessageHit = new HashSet<>();
      for (JsonObject doc : docs) {
        String chatId = doc.getString(ChatMessage.CHAT_ID);
        TextMatches matches = titles.containsKey(chatId) ? TextMatches.find(doc.getString(ChatMessage.CONTENT, ""), terms) : null;
        if (matches != null && matches.all()) {
          messages.add(new Ranked(matches.relevance(), messageHit(doc, titles, terms)));
          withMessageHit.add(chatId);
        }
      }
      List<Future<Ranked>> titleHits = new ArrayList<>();
      titles.forEach((chatId, title) -> {
        TextMatches matches = withMessageHit.contains(chatId) ? null : TextMatches.find(title, terms);
        if (matches != null && matches.all()) {
          titleHits.add(titleHit(chatId, title, matches.relevance(), terms));
        }
      });
      return Future.all(titleHits).map(done -> best(messages, titleHits, limit));
    });
  }

  private static List<SearchHit> best(List<Ranked> messages, List<Future<Ranked>> titleHits, int limit) {
    List<Ranked> all = new ArrayList<>(messages);
    titleHits.stream().map(Future::result).filter(hit -> hit != null).forEach(all::add);
    return all.stream().sorted(Ranked.BEST_THEN_NEWEST).limit(limit).map(Ranked::hit).toList();
  }

  private static SearchHit messageHit(JsonObject doc, Map<String, String> titles, SearchTerms terms) {
    String chatId = doc.getString(ChatMessage.CHAT_ID);
    return new SearchHit(new ChatId(chatId), doc.getString(ID), titles.getOrDefault(chatId, ""),
        Snippets.of(doc.getString(ChatMessage.CONTENT, ""), terms), Instant.parse(doc.getString(ChatMessage.CREATED_AT)));
  }

  /** A chat found by its title alone: the result points at its first message (none yet: no result). */
  private Future<Ranked> titleHit(String chatId, String title, double score, SearchTerms terms) {
    return mongo.findOne(MessageStore.CHATS, new JsonObject().put(ID, chatId), new JsonObject().put(MessageStore.MESSAGE_IDS, 1))
        .compose(chat -> {
          JsonArray ids = chat == null ? null : chat.getJsonArray(MessageStore.MESSAGE_IDS);
          if (ids == null || ids.isEmpty()) {
            return Future.succeededFuture(null);
          }
          return mongo.findOne(MessageStore.MESSAGES, new JsonObject().put(ID, ids.getString(0)),
                  new JsonObject().put(ChatMessage.CREATED_AT, 1))
              .map(first -> first == null ? null : new Ranked(score, new SearchHit(new ChatId(chatId), ids.getString(0), title,
                  Snippets.of(title, terms), Instant.parse(first.getString(ChatMessage.CREATED_AT)))));
        });
  }

  private static JsonObject textQuery(String search) {
    return new JsonObject().put("$text", new JsonObject().put("$search", search));
  }

  @Override
  public Future<JsonObject> state() {
    return Future.succeededFuture(new JsonObject().put("index", textSearch ? "mongodb-text" : "scan").put("state", "ready"));
  }
}
