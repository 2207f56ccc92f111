package parley.store.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.nio.ByteBuffer;
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
 * mongo-java-server's H2 backend with index maps that know their keys.
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
}
