package parley.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The deltas of one reply in order, kept by the node that runs it so that a subscriber who comes
 * late or comes back gets every delta exactly once. Confined to one event loop: not thread-safe.
 */
public final class ReplyLog {
  private final String replyId;
  private final List<String> deltas = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private ReplyEvent.End end;

  public ReplyLog(String replyId) {
    this.replyId = replyId;
  }

  public ReplyEvent.Delta append(String piece) {
    if (end != null) {
      throw new IllegalStateException("reply " + replyId + " has ended");
    }
    deltas.add(piece);
    text.append(piece);
    return new ReplyEvent.Delta(replyId, deltas.size(), piece);
  }

  public ReplyEvent.End finish(MessageStatus status, String error) {
    if (end == null) {
      end = new ReplyEvent.End(replyId, status, error, deltas.size());
    }
    return end;
  }

  public String text() {
    return text.toString();
  }

  /** The deltas after {@code seq} (all of them for 0), and the end if there is one. */
  public Snapshot after(long seq) {
    int from = (int) Math.max(0, Math.min(seq, deltas.size()));
    List<ReplyEvent.Delta> tail = new ArrayList<>(deltas.size() - from);
    for (int i = from; i < deltas.size(); i++) {
      tail.add(new ReplyEvent.Delta(replyId, i + 1, deltas.get(i)));
    }
    return new Snapshot(replyId, tail, end);
  }

  /** A piece of a reply log as it travels over the event bus. */
  public record Snapshot(String replyId, List<ReplyEvent.Delta> deltas, ReplyEvent.End end) {
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      deltas.forEach(delta -> array.add(new JsonArray().add(delta.seq()).add(delta.text())));
      JsonObject json = new JsonObject().put("replyId", replyId).put("deltas", array);
      if (end != null) {
        json.put("end", end.toJson());
      }
      return json;
    }

    public static Snapshot fromJson(JsonObject json) {
      String replyId = json.getString("replyId");
      List<ReplyEvent.Delta> deltas = new ArrayList<>();
      for (Object item : json.getJsonArray("deltas")) {
        JsonArray pair = (JsonArray) item;
        deltas.add(new ReplyEvent.Delta(replyId, pair.getLong(0), pair.getString(1)));
      }
      JsonObject end = json.getJsonObject("end");
      return new Snapshot(replyId, deltas, end == null ? null : (ReplyEvent.End) ReplyEvent.fromJson(end));
    }
  }
}
