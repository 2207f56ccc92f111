package parley.store.embedded;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import parley.store.StoreRequests.Checkpoint;

/**
 * Where the embedded store's checkpoints go: an append-only file of the latest text of each
 * streaming reply, one JSON line per checkpoint (as {@link Checkpoint} writes it), replayed into
 * the store when the node starts.
 *
 * <p>Why not the store itself: mongo-java-server rewrites a whole document, serialized with Java
 * serialization, for every update, and a checkpoint is an update per streaming reply twice a
 * second. Appending a line costs next to nothing. The file is as durable as the store's own
 * commits: written, not forced to disk, so it survives the process dying, not the machine.
 *
 * <p>It grows until it passes {@code maxBytes}, then is rewritten with the replies still running.
 * Blocking and synchronized: callers run it off the event loop, one call at a time.
 */
final class CheckpointJournal implements AutoCloseable {
  static final String FILE_NAME = "checkpoints.journal";

  private final Path file;
  private final long maxBytes;
  /**
   * The latest text of each reply that has not ended: what a rewrite keeps. Concurrent, so that
   * {@link #latest} (history, on an event loop) never waits for a file write.
   */
  private final Map<String, String> running = new ConcurrentHashMap<>();
  private FileChannel channel;

  private CheckpointJournal(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  static CheckpointJournal open(Path dataDir, long maxBytes) {
    CheckpointJournal journal = new CheckpointJournal(dataDir.resolve(FILE_NAME), maxBytes);
    journal.channel = journal.openForAppend(journal.file);
    return journal;
  }

  /**
   * The latest text of every reply in the file. A line torn by a crash mid-write is the last one
   * and is skipped: the one before it for that reply stands.
   */
  synchronized Map<String, String> recover() {
    Map<String, String> latest = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint journal " + file, e);
    }
    for (String line : lines) {
      try {
        Checkpoint entry = Checkpoint.fromJson(new JsonObject(line));
        latest.put(entry.replyId(), entry.content());
      } catch (DecodeException | ClassCastException torn) {
        // skipped: see above
      }
    }
    return latest;
  }

  /** Records the texts; on return they are in the file. */
  synchronized void append(Map<String, String> contentByReply) {
    StringBuilder lines = new StringBuilder();
    contentByReply.forEach((replyId, content) -> lines.append(line(replyId, content)));
    write(channel, lines);
    running.putAll(contentByReply);
    if (size() > maxBytes) {
      rewrite();
    }
  }

  /** The text last journaled for a reply that has not ended, or null. */
  String latest(String replyId) {
    return running.get(replyId);
  }

  /** The reply's final text is in the store: its checkpoints are no longer needed. */
  synchronized void ended(String replyId) {
    running.remove(replyId);
  }

  /** Starts afresh: everything in the file has been replayed into the store. */
  synchronized void clear() {
    running.clear();
    rewrite();
  }

  /** Writes the running replies to a new file and puts it in the old one's place at once. */
  private void rewrite() {
    Path next = file.resolveSibling(FILE_NAME + ".next");
    StringBuilder lines = new StringBuilder();
    running.forEach((replyId, content) -> lines.append(line(replyId, content)));
    try (FileChannel fresh = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      write(fresh, lines);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the checkpoint journal " + file, e);
    } finally {
      // The new file, or the old one if the rewrite failed: appends go on either way.
      closeQuietly(channel);
      channel = openForAppend(file);
    }
  }

  private long size() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(FileChannel open) {
    try {
      open.close();
    } catch (IOException ignored) {
      // it is being replaced
    }
  }

  private static String line(String replyId, String content) {
    return new Checkpoint(replyId, content).toJson().encode() + "\n";
  }

  private static void write(FileChannel target, CharSequence text) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
    try {
      while (bytes.hasRemaining()) {
        target.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint journal", e);
    }
  }

  private FileChannel openForAppend(Path path) {
    try {
      return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the checkpoint journal " + path, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
