package parley.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deltas of one reply in order, kept by the node that runs it so that a subscriber who comes
 * late or comes back gets every delta exactly once. A reply is kept for replay for minutes after
 * it ends, thousands at a time on a busy node, so the log holds its text once, with where each
 * delta ends in it, and no object per delta. Once the reply ends, the text is one string and the
 * delta lengths are packed a byte or two each (models stream a few characters per delta: an
 * {@code int} per delta would cost as much as the text itself). Confined to one event loop: not
 * thread-safe.
 */
public final class ReplyLog {
  private static final int INITIAL_DELTAS = 64;

  private final String replyId;
  private StringBuilder growing = new StringBuilder();
  private String ended;
  /** While it streams: {@code ends[i]} is where delta {@code i + 1} ends in the text. */
  private int[] ends = new int[INITIAL_DELTAS];
  /** Once it ended: the length of each delta in turn, 7 bits a byte, the high bit saying another byte follows. */
  private byte[] lengths;
  private int count;
  private ReplyEvent.End end;

  public ReplyLog(String replyId) {
    this.replyId = replyId;
  }

  public ReplyEvent.Delta append(String piece) {
    if (end != null) {
      throw new IllegalStateException("reply " + replyId + " has ended");
    }
    growing.append(piece);
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
    }
    ends[count++] = growing.length();
    return new ReplyEvent.Delta(replyId, count, piece);
  }

  public ReplyEvent.End finish(MessageStatus status, String error) {
    if (end == null) {
      end = new ReplyEvent.End(replyId, status, error, count);
      ended = growing.toString();
      growing = null;
      lengths = packLengths(ends, count);
      ends = null;
    }
    return end;
  }

  public String text() {
    return ended != null ? ended : growing.toString();
  }

  /** The deltas after {@code seq} (all of them for 0), and the end if there is one. */
  public Snapshot after(long seq) {
    int from = (int) Math.max(0, Math.min(seq, count));
    List<ReplyEvent.Delta> tail = new ArrayList<>(count - from);
    if (lengths == null) {
      for (int i = from; i < count; i++) {
        int start = i == 0 ? 0 : ends[i - 1];
        tail.add(new ReplyEvent.Delta(replyId, i + 1, growing.substring(start, ends[i])));
      }
    } else {
      int start = 0;
      int at = 0;
      for (int i = 0; i < count; i++) {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = lengths[at++];
          length |= (b & 0x7f) << shift;
          if (b >= 0) {
            break;
          }
        }
        if (i >= from) {
          tail.add(new ReplyEvent.Delta(replyId, i + 1, ended.substring(start, start + length)));
        }
        start += length;
      }
    }
    return new Snapshot(replyId, tail, end);
  }

  private static byte[] packLengths(int[] ends, int count) {
    byte[] packed = new byte[count * 5];
    int size = 0;
    int previous = 0;
    for (int i = 0; i < count; i++) {
      int length = ends[i] - previous;
      previous = ends[i];
      while (length >= 0x80) {
        packed[size++] = (byte) (length | 0x80);
        length >>>= 7;
      }
      packed[size++] = (byte) length;
    }
    return Arrays.copyOf(packed, size);
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
