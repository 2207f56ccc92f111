package parley.store.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.SearchHit;
import parley.search.SearchAnalysis;
import parley.search.SearchTerms;
import parley.search.Snippets;
import parley.store.SearchIndex;

/**
 * The embedded store's full-text index: Apache Lucene, in a directory beside the store file. One
 * document per message that can be found ({@code text}), and one per chat ({@code title}, and
 * the chat's first message, where a hit on the title points); each names its owner, so a search
 * sees only the caller's. Ranked by Lucene's BM25, newest first among equals.
 *
 * <p>Blocking, and safe for one writer and any number of searches at once: the caller keeps
 * writes in order and off the event loop. A search refreshes its view first (near-real-time:
 * what was written is found at once, without a commit). Commits happen only at open and close;
 * the commit's data says whether the index was closed cleanly and which store it was built
 * from, so that a node that crashed, or a store the index did not see, has it rebuilt.
 */
final class LuceneIndex implements Closeable {
  static final String DIRECTORY = "search-index";
  /** The layout of the documents: an index of another layout is rebuilt. */
  static final String LAYOUT = "1";

  private static final String ID = "id";
  private static final String USER = "userId";
  private static final String CHAT = "chatId";
  private static final String MESSAGE = "messageId";
  private static final String CREATED = "createdAt";
  private static final String TEXT = "text";
  private static final String TITLE = "title";
  private static final String MESSAGE_ID_PREFIX = "m:";
  private static final String CHAT_ID_PREFIX = "c:";
  // The commit's data.
  private static final String LAYOUT_KEY = "layout";
  private static final String STORE_KEY = "store";
  private static final String CLEAN_KEY = "clean";

  /** Lucene's suggested sizes for the near-real-time cache: segments up to 5 MB, 60 MB in all. */
  private static final double NRT_CACHE_SEGMENT_MB = 5;
  private static final double NRT_CACHE_MB = 60;

  private static final Sort BEST_THEN_NEWEST =
      new Sort(SortField.FIELD_SCORE, new SortField(CREATED, SortField.Type.LONG, true));

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Map<String, String> committed;

  private LuceneIndex(Path path, Directory directory, IndexWriter writer, Map<String, String> committed) throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.committed = committed;
    this.searchers = new SearcherManager(writer, true, false, null);
  }

  /** Opens (or creates) the index in {@code dataDir}; nothing is changed yet. */
  static LuceneIndex open(Path dataDir) {
    Path path = dataDir.resolve(DIRECTORY).toAbsolutePath();
    Directory directory = null;
    try {
      // Small segments flushed for near-real-time searches stay in memory until merged or committed.
      directory = new NRTCachingDirectory(FSDirectory.open(path), NRT_CACHE_SEGMENT_MB, NRT_CACHE_MB);
      Map<String, String> committed = null;
      if (DirectoryReader.indexExists(directory)) {
        List<IndexCommit> commits = DirectoryReader.listCommits(directory);
        committed = new HashMap<>(commits.get(commits.size() - 1).getUserData());
      }
      IndexWriterConfig config = new IndexWriterConfig(SearchAnalysis.ANALYZER)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setCommitOnClose(false);
      return new LuceneIndex(path, directory, new IndexWriter(directory, config), committed);
    } catch (IOException e) {
      closeQuietly(directory);
      throw new UncheckedIOException("cannot open the search index in " + path, e);
    }
  }

  Path path() {
    return path;
  }

  /**
   * Why the index cannot be trusted for the store whose stamp is {@code storeStamp} (null: the
   * store has none, it was written by a build without search), or null when it can.
   */
  String staleBecause(String storeStamp) {
    if (committed == null) {
      return "there is no search index yet";
    }
    if (!LAYOUT.equals(committed.get(LAYOUT_KEY))) {
      return "the search index is of an earlier layout";
    }
    if (!"true".equals(committed.get(CLEAN_KEY))) {
      return "the search index was not closed cleanly";
    }
    if (storeStamp == null || !storeStamp.equals(committed.get(STORE_KEY))) {
      return "the store holds messages the search index has not seen";
    }
    return null;
  }

  /** From now until a clean close, a crash leaves the index marked for a rebuild. */
  void opened(String storeStamp) {
    commit(storeStamp, false);
  }

  /** Empties the index for a rebuild from the store stamped {@code storeStamp}. */
  void emptied(String storeStamp) {
    try {
      writer.deleteAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    commit(storeStamp, false);
  }

  private void commit(String storeStamp, boolean clean) {
    try {
      writer.setLiveCommitData(Map.of(LAYOUT_KEY, LAYOUT, STORE_KEY, storeStamp, CLEAN_KEY, String.valueOf(clean)).entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void putMessage(String ownerId, ChatMessage message) {
    try {
      writer.updateDocument(new Term(ID, MESSAGE_ID_PREFIX + message.id()), messageDocument(ownerId, message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message and whose it is. */
  record Owned(String ownerId, ChatMessage message) {}

  /**
   * Many messages at once, none of them in the index yet (a rebuild's pass: what is written
   * meanwhile is left out of it), so added without looking for an earlier version.
   */
  void addMessages(List<Owned> messages) {
    try {
      List<Document> documents = new ArrayList<>(messages.size());
      messages.forEach(owned -> documents.add(messageDocument(owned.ownerId(), owned.message())));
      writer.addDocuments(documents);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void putChat(String ownerId, ChatId chatId, String title, String firstMessageId, Instant firstCreatedAt) {
    try {
      writer.updateDocument(new Term(ID, CHAT_ID_PREFIX + chatId.value()), chatDocument(ownerId, chatId.value(), title, firstMessageId,
          firstCreatedAt.toEpochMilli()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives the chat's document its new title; a chat with none (no message yet) gets it with its first message. */
  void renameChat(ChatId chatId, String title) {
    Document chat = find(new Term(ID, CHAT_ID_PREFIX + chatId.value()));
    if (chat != null) {
      putChat(chat.get(USER), chatId, title, chat.get(MESSAGE), Instant.ofEpochMilli(chat.getField(CREATED).numericValue().longValue()));
    }
  }

  /** Whatever was indexed for the chat goes; the chat's title and messages take its place. */
  void replaceChat(String ownerId, ChatId chatId, String title, List<ChatMessage> messages) {
    try {
      writer.deleteDocuments(new Term(CHAT, chatId.value()));
      List<Document> documents = new ArrayList<>(messages.size() + 1);
      for (ChatMessage message : messages) {
        if (SearchIndex.findable(message)) {
          documents.add(messageDocument(ownerId, message));
        }
      }
      if (!messages.isEmpty()) {
        ChatMessage first = messages.get(0);
        documents.add(chatDocument(ownerId, chatId.value(), title, first.id(), first.createdAt().toEpochMilli()));
      }
      writer.addDocuments(documents);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void deleteChat(ChatId chatId) {
    delete(new Term(CHAT, chatId.value()));
  }

  void deleteUser(String userId) {
    delete(new Term(USER, userId));
  }

  /** Every document of {@code fromUserId} becomes {@code toUserId}'s. */
  void reassign(String fromUserId, String toUserId) {
    withSearcher(searcher -> {
      TopDocs all = searcher.search(new TermQuery(new Term(USER, fromUserId)), Math.max(1, searcher.getIndexReader().maxDoc()));
      StoredFields fields = searcher.storedFields();
      for (ScoreDoc hit : all.scoreDocs) {
        Document stored = fields.document(hit.doc);
        String chatId = stored.get(CHAT);
        long created = stored.getField(CREATED).numericValue().longValue();
        Document moved = stored.get(TEXT) != null
            ? messageDocument(toUserId, chatId, stored.get(MESSAGE), created, stored.get(TEXT))
            : chatDocument(toUserId, chatId, stored.get(TITLE), stored.get(MESSAGE), created);
        writer.updateDocument(new Term(ID, stored.get(ID)), moved);
      }
      return null;
    });
  }

  private void delete(Term term) {
    try {
      writer.deleteDocuments(term);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The user's best matches: messages holding every clause, and chats whose title does while no
   * message of theirs does (found by the title alone, pointing at the chat's first message).
   */
  List<SearchHit> search(String userId, SearchTerms terms, int limit) {
    if (terms.isEmpty()) {
      return List.of();
    }
    return withSearcher(searcher -> {
      Query owned = new TermQuery(new Term(USER, userId));
      Query inText = terms.query(TEXT);
      TopDocs messages = searcher.search(filtered(inText, owned), limit, BEST_THEN_NEWEST, true);
      TopDocs titles = searcher.search(filtered(terms.query(TITLE), owned), limit, BEST_THEN_NEWEST, true);
      StoredFields fields = searcher.storedFields();
      record Scored(float score, long created, SearchHit hit) {}
      List<Scored> found = new ArrayList<>();
      Map<String, String> titleOf = new HashMap<>();
      for (ScoreDoc hit : messages.scoreDocs) {
        Document doc = fields.document(hit.doc);
        String chatId = doc.get(CHAT);
        String title = titleOf.computeIfAbsent(chatId, id -> titleOf(searcher, id));
        long created = doc.getField(CREATED).numericValue().longValue();
        found.add(new Scored(hit.score, created, new SearchHit(new ChatId(chatId), doc.get(MESSAGE), title,
            Snippets.of(doc.get(TEXT), terms), Instant.ofEpochMilli(created))));
      }
      for (ScoreDoc hit : titles.scoreDocs) {
        Document doc = fields.document(hit.doc);
        String chatId = doc.get(CHAT);
        if (searcher.count(filtered(inText, new TermQuery(new Term(CHAT, chatId)))) > 0) {
          continue;
        }
        long created = doc.getField(CREATED).numericValue().longValue();
        found.add(new Scored(hit.score, created, new SearchHit(new ChatId(chatId), doc.get(MESSAGE), doc.get(TITLE),
            Snippets.of(doc.get(TITLE), terms), Instant.ofEpochMilli(created))));
      }
      found.sort(Comparator.comparingDouble((Scored s) -> -s.score()).thenComparingLong(s -> -s.created()));
      return found.stream().limit(limit).map(Scored::hit).toList();
    });
  }

  /** Opens a view of every write so far now, so that the next search need not (after a rebuild: a long one). */
  void refresh() {
    withSearcher(searcher -> null);
  }

  /** How many documents the index holds (messages and chats), as the writes so far left it. */
  int documents() {
    return withSearcher(searcher -> searcher.getIndexReader().numDocs());
  }

  /** The size of the index's files (those still cached in memory included). */
  long bytes() {
    try {
      long total = 0;
      for (String file : directory.listAll()) {
        total += directory.fileLength(file);
      }
      return total;
    } catch (IOException e) {
      return -1;
    }
  }

  private static Query filtered(Query query, Query filter) {
    return new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
  }

  private static String titleOf(IndexSearcher searcher, String chatId) {
    try {
      TopDocs chat = searcher.search(new TermQuery(new Term(ID, CHAT_ID_PREFIX + chatId)), 1);
      return chat.scoreDocs.length == 0 ? "" : searcher.storedFields().document(chat.scoreDocs[0].doc).get(TITLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Document find(Term id) {
    return withSearcher(searcher -> {
      TopDocs found = searcher.search(new TermQuery(id), 1);
      return found.scoreDocs.length == 0 ? null : searcher.storedFields().document(found.scoreDocs[0].doc);
    });
  }

  @FunctionalInterface
  private interface SearcherWork<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Runs on a view that holds every write made before the call. */
  private <T> T withSearcher(SearcherWork<T> work) {
    try {
      searchers.maybeRefreshBlocking();
      IndexSearcher searcher = searchers.acquire();
      try {
        return work.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document messageDocument(String ownerId, ChatMessage message) {
    return messageDocument(ownerId, message.chatId().value(), message.id(), message.createdAt().toEpochMilli(), message.content());
  }

  private static Document messageDocument(String ownerId, String chatId, String messageId, long created, String text) {
    return document(MESSAGE_ID_PREFIX + messageId, ownerId, chatId, messageId, created, TEXT, text);
  }

  private static Document chatDocument(String ownerId, String chatId, String title, String firstMessageId, long firstCreated) {
    return document(CHAT_ID_PREFIX + chatId, ownerId, chatId, firstMessageId, firstCreated, TITLE, title == null ? "" : title);
  }

  /** A message, or a chat's title pointing at its first message: the same fields, the words in {@code textField}. */
  private static Document document(String id, String ownerId, String chatId, String messageId, long created, String textField,
      String text) {
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new StringField(USER, ownerId, Field.Store.YES));
    doc.add(new StringField(CHAT, chatId, Field.Store.YES));
    doc.add(new StoredField(MESSAGE, messageId));
    doc.add(new StoredField(CREATED, created));
    doc.add(new NumericDocValuesField(CREATED, created));
    doc.add(new TextField(textField, text, Field.Store.YES));
    return doc;
  }

  /** Commits, marked clean when the index holds everything the store does, and closes. */
  void close(String storeStamp, boolean clean) {
    try {
      commit(storeStamp, clean);
    } finally {
      try {
        searchers.close();
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        closeQuietly(directory);
      }
    }
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.rollback();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      closeQuietly(directory);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing what failed to open: the first failure is the one to report.
    }
  }
}
