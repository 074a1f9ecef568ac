package custodian;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The memory backend with one planner rule MongoDB has and mongo-java-server
 * lacks: a filter with an _id equality (or $in) among other conditions, such
 * as a conditional write on {_id, version}, reads its candidates from the _id
 * index and matches the rest on them. Without it every such write scans the
 * whole collection (the backend uses an index only when a filter names exactly
 * its keys). Writes stay as atomic as before: they run in the same
 * synchronized collection methods; only how candidates are found changes.
 */
final class IdLookupBackend extends MemoryBackend {
  @Override
  public MemoryDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName, getCursorRegistry());
  }

  private static final class Database extends MemoryDatabase {
    Database(String name, CursorRegistry cursors) {
      super(name, cursors);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
      return new Collection(this, name, options, cursorRegistry);
    }
  }

  private static final class Collection extends MemoryCollection {
    Collection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
      super(database, name, options, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
      if (query.size() > 1 && query.containsKey("_id")) {
        Document byId = new Document("_id", query.get("_id"));
        for (Index<Integer> index : getIndexes()) {
          if (index.canHandle(byId)) return matchDocuments(query, index.getPositions(byId), orderBy, skip, limit, batchSize, fields);
        }
      }
      return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
    }
  }
}
