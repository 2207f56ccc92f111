package parley.store.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 backend with index maps that know their keys, and documents kept as BSON.
 *
 * <p>The stock backend stores each index in an H2 map of {@code KeyValue}s, a type H2 does not
 * know, so H2 compares two keys by Java-serializing both, at every step of every index lookup, and
 * writes them with Java serialization too. Profiled under Parley's load, that was three quarters
 * of all memory allocated and much of the store's CPU. Here index keys are written value by value
 * (strings and numbers natively) and compared with mongo-java-server's own value order.
 *
 * <p>The maps have new names: a file written by the stock backend gets its indexes rebuilt from
 * the documents when it is opened (mongo-java-server fills an empty index), and the old maps are
 * removed.
 *
 * <p>The stock backend also Java-serializes every document it writes (class descriptors and all),
 * which was the largest share of what the store allocated per message. Here a document is written
 * as BSON by mongo-java-server's own codec, after a marker byte that H2's object type never
 * writes; documents written by the stock backend (or an earlier Parley) are still read, and become
 * BSON when they are next written. The document maps keep their names.
 */
final class KeyTypedH2Backend extends H2Backend {

  KeyTypedH2Backend(MVStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName);
  }

  /**
   * Inner, not nested: the superclass constructors open the existing databases and their indexes,
   * before any field of this class is set, and {@link #getMvStore()} already answers then.
   */
  private final class Database extends H2Database {
    private static final String KEYED_INDEX = "._keys_";
    private static final String STOCK_INDEX = "._index_";
    /** The names the stock backend gives a collection's maps, kept so that its files open. */
    private static final String DOCUMENTS = "databases.";
    private static final String META = "meta.";

    Database(String databaseName) {
      super(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      removeMapIfPresent(mapName(collectionName, STOCK_INDEX, indexName));
      MVMap<KeyValue, Object> map = getMvStore().openMap(mapName(collectionName, KEYED_INDEX, indexName),
          new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE));
      return new KeyedIndex(map, indexName, keys, sparse);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      String namespace = getFullCollectionNamespace(collectionName);
      MVMap<Object, Document> documents = getMvStore().openMap(DOCUMENTS + namespace,
          new MVMap.Builder<Object, Document>().valueType(DocumentType.INSTANCE));
      MVMap<String, Object> meta = getMvStore().openMap(META + namespace);
      return new H2Collection(this, collectionName, options, documents, meta, getCursorRegistry());
    }

    @Override
    protected void dropIndex(MongoCollection<Object> collection, String indexName) {
      super.dropIndex(collection, indexName);
      removeMapIfPresent(mapName(collection.getCollectionName(), KEYED_INDEX, indexName));
    }

    private String mapName(String collectionName, String kind, String indexName) {
      return getFullCollectionNamespace(collectionName) + kind + indexName;
    }

    private void removeMapIfPresent(String name) {
      if (getMvStore().hasMap(name)) {
        getMvStore().removeMap(name);
      }
    }
  }

  /** The stock H2 unique index, over a map whose key type is {@link KeyValueType}. */
  private static final class KeyedIndex extends AbstractUniqueIndex<Object> {
    private final MVMap<KeyValue, Object> map;

    KeyedIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
      super(name, keys, sparse);
      this.map = map;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
      return map.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
      return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
      return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
      return map.get(keyValue);
    }

    @Override
    public long getCount() {
      return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public long getDataSize() {
      return getCount();
    }
  }

  /** Index keys as H2 values: the number of parts, then each part as H2's object type writes it. */
  static final class KeyValueType extends BasicDataType<KeyValue> {
    static final KeyValueType INSTANCE = new KeyValueType();
    private static final ValueComparator ORDER = ValueComparator.asc();

    private final ObjectDataType parts = new ObjectDataType();

    @Override
    public int compare(KeyValue a, KeyValue b) {
      int common = Math.min(a.size(), b.size());
      for (int i = 0; i < common; i++) {
        int order = ORDER.compare(a.get(i), b.get(i));
        if (order != 0) {
          return order;
        }
      }
      return Integer.compare(a.size(), b.size());
    }

    @Override
    public int getMemory(KeyValue key) {
      int memory = 24;
      for (Object part : key) {
        memory += parts.getMemory(part);
      }
      return memory;
    }

    @Override
    public void write(WriteBuffer buffer, KeyValue key) {
      buffer.putVarInt(key.size());
      for (Object part : key) {
        parts.write(buffer, part);
      }
    }

    @Override
    public KeyValue read(ByteBuffer buffer) {
      int size = DataUtils.readVarInt(buffer);
      List<Object> values = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        values.add(parts.read(buffer));
      }
      return new KeyValue(values);
    }

    @Override
    public KeyValue[] createStorage(int size) {
      return new KeyValue[size];
    }
  }

  /** Documents as BSON behind a marker byte; anything else is read as H2's object type wrote it. */
  static final class DocumentType extends BasicDataType<Document> {
    static final DocumentType INSTANCE = new DocumentType();
    /** H2's object type starts every value with a non-negative tag. */
    private static final byte BSON = -2;
    private static final int INITIAL_BUFFER = 256;

    private final ObjectDataType stock = new ObjectDataType();

    @Override
    public int getMemory(Document document) {
      return estimate(document);
    }

    /** H2 sizes its cache and its unsaved pages by this: roughly what the document takes on the heap. */
    private static int estimate(Object value) {
      if (value instanceof Map<?, ?> map) {
        int memory = 48;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          memory += 32 + estimate(entry.getKey()) + estimate(entry.getValue());
        }
        return memory;
      }
      if (value instanceof Collection<?> items) {
        int memory = 40;
        for (Object item : items) {
          memory += 8 + estimate(item);
        }
        return memory;
      }
      if (value instanceof String text) {
        return 40 + text.length();
      }
      return 24;
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
      ByteBuf bson = Unpooled.buffer(INITIAL_BUFFER);
      try {
        BsonEncoder.encodeDocument(document, bson);
        buffer.put(BSON).put(bson.nioBuffer());
      } finally {
        bson.release();
      }
    }

    @Override
    public Document read(ByteBuffer buffer) {
      if (buffer.get(buffer.position()) != BSON) {
        return (Document) stock.read(buffer);
      }
      int start = buffer.position() + 1;
      int length = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start);
      Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buffer.duplicate().position(start).limit(start + length)));
      buffer.position(start + length);
      return document;
    }

    @Override
    public Document[] createStorage(int size) {
      return new Document[size];
    }
  }
}
